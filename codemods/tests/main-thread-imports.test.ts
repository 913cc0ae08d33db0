/**
 * "The main thread never loads ESLint" made structural: the modules the main thread runs (the CLI, the
 * commands, the run, the screening, the writes) must not import, statically, ESLint, the TypeScript parser,
 * ts-morph or the per-file engine. Those are reached only through `import()`: by the analysis threads, or by the
 * main thread once it has candidates to parse itself. So a run whose files the pre-filter all settles never loads
 * them. The graph is read from the sources (type-only imports, erased at build, do not count), and the plugin's
 * own entry points are followed through its package exports into its sources.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';

const codemodsSrc = fileURLToPath(new URL('../src/', import.meta.url));
const pluginSrc = fileURLToPath(new URL('../../eslint-plugin/src/', import.meta.url));

const mainThreadModules = ['cli.ts', 'commands/audit.ts', 'commands/fix.ts', 'run.ts', 'workers.ts', 'screen-file.ts', 'write-outcome.ts', 'write-report.ts'];
const forbidden = [/^eslint$/u, /^@typescript-eslint\//u, /^ts-morph$/u, /^typescript$/u, /^eslint-plugin-bounded-http$/u, /\/(?:find-sites|fix-file|process-file)\.ts$/u];

/** The plugin's subpath exports, as source files (the dist files they name, mapped back to src). */
function pluginEntry(specifier: string): string | undefined {
  const subpath = specifier === 'eslint-plugin-bounded-http' ? '.' : `./${specifier.slice('eslint-plugin-bounded-http/'.length)}`;
  const manifest = JSON.parse(readFileSync(path.join(pluginSrc, '..', 'package.json'), 'utf8')) as { exports: Record<string, { default?: string } | string> };
  const entry = manifest.exports[subpath];
  const target = typeof entry === 'string' ? entry : entry?.default;
  return target === undefined ? undefined : path.join(pluginSrc, target.replace(/^\.\/dist\//u, '').replace(/\.js$/u, '.ts'));
}

/** The value imports and re-exports of a module: what loading it loads. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      const onlyTypes = bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly) && !statement.importClause?.name;
      if (!onlyTypes) specifiers.push(statement.moduleSpecifier.text);
    }
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) specifiers.push(statement.moduleSpecifier.text);
  }
  return specifiers;
}

/** Every module `roots` load, as `importer -> imported` chains ending at each one. */
function loadedBy(roots: readonly string[]): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  const pending = roots.map((root) => [path.join(codemodsSrc, root)]);
  while (pending.length > 0) {
    const chain = pending.pop() ?? [];
    const file = chain.at(-1) ?? '';
    for (const specifier of staticImports(file)) {
      let target: string | undefined = specifier;
      if (specifier.startsWith('.')) target = path.resolve(path.dirname(file), specifier.replace(/\.js$/u, '.ts'));
      else if (specifier.startsWith('eslint-plugin-bounded-http/')) target = pluginEntry(specifier) ?? specifier;
      if (chains.has(target)) continue;
      chains.set(target, [...chain, target]);
      if (target.endsWith('.ts')) pending.push([...chain, target]);
    }
  }
  return chains;
}

describe('the main thread', () => {
  it('imports neither ESLint, the parser, ts-morph nor the per-file engine', () => {
    const loaded = loadedBy(mainThreadModules);
    const shown = (chain: readonly string[]): string => chain.map((file) => path.relative(path.join(codemodsSrc, '..', '..'), file) || file).join(' -> ');
    const offending = [...loaded].filter(([module]) => forbidden.some((pattern) => pattern.test(module))).map(([, chain]) => shown(chain));
    expect(offending).toEqual([]);
    // The check sees the graph: the screening's own pre-filter and the plugin's Node-target reader are in it.
    expect([...loaded.keys()].map((module) => path.relative(pluginSrc, module))).toEqual(expect.arrayContaining(['detection/candidate-text.ts', 'util/node-target.ts']));
  });

  it('is told apart from the modules that do load the engine', () => {
    const loaded = loadedBy(['worker.ts']);
    expect([...loaded.keys()].some((module) => module.endsWith('find-sites.ts'))).toBe(true);
    expect(loaded.has('eslint')).toBe(true);
  });
});
