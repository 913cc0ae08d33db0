import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRequire } from 'node:module';
import type * as ts from 'typescript';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

type ParserModule = typeof import('@typescript-eslint/parser');
let parser: ParserModule | null | undefined;
let SourceCodeClass: (new (config: object) => SourceCode) | null | undefined;

/**
 * Parses another module of the program into an ESLint SourceCode without types, so the same detection engine
 * reads it (wrapper summaries, program-wide defaults). The parser is loaded lazily: only type-aware runs get
 * here, and they have TypeScript and ESLint loaded already. Undefined when it does not parse.
 */
export function parseModule(file: ts.SourceFile): SourceCode | undefined {
  const cached = parsedFiles.get(file);
  if (cached !== undefined) return cached ?? undefined;
  const parsed = parse(file.text, file.fileName);
  parsedFiles.set(file, parsed ?? null);
  return parsed;
}

/** One parse per source file of a program version (a file edited in an editor is a new SourceFile). */
const parsedFiles = new WeakMap<ts.SourceFile, SourceCode | null>();

function parse(text: string, fileName: string): SourceCode | undefined {
  const require = createRequire(import.meta.url);
  try {
    parser ??= require('@typescript-eslint/parser') as ParserModule;
    SourceCodeClass ??= (require('eslint') as { SourceCode: new (config: object) => SourceCode }).SourceCode;
  } catch {
    parser = null;
    SourceCodeClass = null;
  }
  if (!parser || !SourceCodeClass) return undefined;
  try {
    const jsx = /\.[jt]sx$/.test(fileName);
    const { ast, scopeManager, visitorKeys } = parser.parseForESLint(text, { filePath: fileName, range: true, loc: true, tokens: true, comment: true, sourceType: 'module', ecmaFeatures: { jsx } });
    setParents(ast, visitorKeys as unknown as Record<string, readonly string[]>);
    return new SourceCodeClass({ text, ast, scopeManager, visitorKeys, parserServices: {} });
  } catch {
    return undefined;
  }
}

function setParents(root: Node, visitorKeys: Record<string, readonly string[]>): void {
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node) continue;
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && typeof (child as { type?: unknown }).type === 'string') {
          (child as { parent?: Node }).parent = node;
          pending.push(child as Node);
        }
      }
    }
  }
}
