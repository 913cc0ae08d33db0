import path from 'node:path';
import { Node, type SourceFile, SyntaxKind } from 'ts-morph';

import type { Edit, ImportNeed } from '../types.js';
import type { FileStyle } from './style.js';
import { descendantsOfKind } from './syntax.js';

/** The specifier to write in `filePath`: relative specifiers are given relative to `rootDir`. */
export function specifierFor(need: ImportNeed, filePath: string, rootDir: string): string {
  if (!need.from.startsWith('.')) return need.from;
  const target = path.resolve(rootDir, need.from);
  const relative = path.relative(path.dirname(path.resolve(filePath)), target).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** Whether the file already has a binding with this name (an import, a `const`, a `require`). */
function hasBinding(sourceFile: SourceFile, name: string): boolean {
  for (const declaration of sourceFile.getImportDeclarations()) {
    if (declaration.getDefaultImport()?.getText() === name) return true;
    if (declaration.getNamespaceImport()?.getText() === name) return true;
    if (declaration.getNamedImports().some((named) => (named.getAliasNode() ?? named.getNameNode()).getText() === name)) return true;
  }
  const named = (node: { getNameNode(): Node | undefined }): boolean => node.getNameNode()?.getText() === name;
  return (
    descendantsOfKind(sourceFile, SyntaxKind.VariableDeclaration).some(named) ||
    descendantsOfKind(sourceFile, SyntaxKind.FunctionDeclaration).some(named) ||
    descendantsOfKind(sourceFile, SyntaxKind.BindingElement).some(named)
  );
}

function usesCommonJs(sourceFile: SourceFile): boolean {
  if (sourceFile.getImportDeclarations().length > 0 || sourceFile.getExportDeclarations().length > 0) return false;
  return sourceFile.getExtension() === '.cjs' || /\brequire\s*\(/u.test(sourceFile.getFullText());
}

/**
 * The edits that make every needed name available in the file: nothing when it is already bound, a name
 * added to an existing import of the same module, or one new import after the last import (or at the top,
 * before the comments that belong to the first statement).
 */
export function importEdits(sourceFile: SourceFile, needs: readonly ImportNeed[], style: FileStyle, rootDir: string): Edit[] {
  const edits: Edit[] = [];
  const seen = new Set<string>();
  const newLines: string[] = [];
  const semicolon = style.semicolons ? ';' : '';
  for (const need of needs) {
    if (seen.has(need.name) || hasBinding(sourceFile, need.name)) continue;
    seen.add(need.name);
    const specifier = specifierFor(need, sourceFile.getFilePath(), rootDir);
    const existing = sourceFile.getImportDeclarations().find((declaration) => declaration.getModuleSpecifierValue() === specifier && !declaration.isTypeOnly());
    const lastNamed = existing?.getNamedImports().at(-1);
    if (lastNamed) {
      edits.push({ start: lastNamed.getEnd(), end: lastNamed.getEnd(), text: `, ${need.name}` });
      continue;
    }
    const defaultImport = existing?.getDefaultImport();
    if (defaultImport && !existing?.getNamespaceImport()) {
      edits.push({ start: defaultImport.getEnd(), end: defaultImport.getEnd(), text: `, { ${need.name} }` });
      continue;
    }
    const quoted = `${style.quote}${specifier}${style.quote}`;
    newLines.push(
      usesCommonJs(sourceFile)
        ? `const { ${need.name} } = require(${quoted})${semicolon}`
        : `import { ${need.name} } from ${quoted}${semicolon}`,
    );
  }
  if (newLines.length === 0) return edits;
  const block = newLines.join(style.eol);
  const lastImport = sourceFile.getImportDeclarations().at(-1);
  if (lastImport) {
    edits.push({ start: lastImport.getEnd(), end: lastImport.getEnd(), text: `${style.eol}${block}` });
    return edits;
  }
  edits.push(topOfFileInsertion(sourceFile, block, style));
  return edits;
}

function topOfFileInsertion(sourceFile: SourceFile, block: string, style: FileStyle): Edit {
  const text = sourceFile.getFullText();
  const statements = sourceFile.getStatements();
  // A directive prologue ('use strict') and CommonJS requires stay first.
  let index = 0;
  while (index < statements.length) {
    const statement = statements[index];
    const isDirective = Node.isExpressionStatement(statement) && Node.isStringLiteral(statement.getExpression());
    const isRequire = Node.isVariableStatement(statement) && /\brequire\s*\(/u.test(statement.getText());
    if (!isDirective && !isRequire) break;
    index += 1;
  }
  const previous = statements[index - 1];
  if (previous) return { start: previous.getEnd(), end: previous.getEnd(), text: `${style.eol}${block}` };
  const first = statements[0];
  if (!first) {
    const end = text.length;
    const needsBreak = end > 0 && !text.endsWith('\n');
    return { start: end, end, text: `${needsBreak ? style.eol : ''}${block}${style.eol}` };
  }
  // Comments directly above the first statement (no blank line between) document it: insert above them.
  let position = first.getStart();
  for (const comment of [...first.getLeadingCommentRanges()].reverse()) {
    const gap = text.slice(comment.getEnd(), position);
    if (/\n[ \t]*\r?\n/u.test(gap)) break;
    position = comment.getPos();
  }
  const shebangEnd = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
  position = Math.max(position, shebangEnd);
  // A blank line keeps the import apart from the code (and the doc comment) that follows.
  return { start: position, end: position, text: `${block}${style.eol}${style.eol}` };
}
