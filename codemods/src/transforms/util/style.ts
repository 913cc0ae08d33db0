import { type SourceFile, ts } from 'ts-morph';

/** How this file is written, so inserted code looks like the code around it. Detected per file. */
export interface FileStyle {
  quote: "'" | '"';
  semicolons: boolean;
  /** One level of indentation: a tab or some spaces. */
  indentUnit: string;
  eol: '\n' | '\r\n';
}

/** Majority vote over the file's own string literals, statements and indented lines; ties keep the default. */
export function detectStyle(sourceFile: SourceFile): FileStyle {
  const text = sourceFile.getFullText();
  const compilerFile = sourceFile.compilerNode;
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  // One walk over the compiler's own nodes: ts-morph's wrapped-node queries allocate a wrapper per node and
  // cost more than the whole rewrite of a typical file.
  const visit = (node: ts.Node): void => {
    // JSX attribute strings follow JSX conventions, not the file's.
    if (ts.isStringLiteral(node) && !ts.isJsxAttribute(node.parent)) {
      if (text[node.getStart(compilerFile)] === '"') double += 1;
      else single += 1;
    } else if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isImportDeclaration(node)) {
      if (text[node.end - 1] === ';') withSemicolon += 1;
      else without += 1;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(compilerFile, visit);
  const crlf = (text.match(/\r\n/gu) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/gu) ?? []).length;
  return {
    quote: double > single ? '"' : "'",
    semicolons: without <= withSemicolon,
    indentUnit: detectIndentUnit(text),
    eol: crlf > lf ? '\r\n' : '\n',
  };
}

function detectIndentUnit(text: string): string {
  let tabs = 0;
  const spaceCounts = new Map<number, number>();
  let previous = 0;
  for (const line of text.split(/\r?\n/u)) {
    if (line.trim() === '') continue;
    if (line.startsWith('\t')) {
      tabs += 1;
      continue;
    }
    const indent = /^ */u.exec(line)?.[0].length ?? 0;
    // The step between consecutive lines is the unit; continuation lines inside comments (` * `) are odd steps.
    const step = Math.abs(indent - previous);
    if (step === 2 || step === 4) spaceCounts.set(step, (spaceCounts.get(step) ?? 0) + 1);
    previous = indent;
  }
  const spaces = [...spaceCounts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (tabs > (spaces?.[1] ?? 0)) return '\t';
  return ' '.repeat(spaces?.[0] ?? 2);
}

/** The whitespace before the first non-blank character of the line holding `position`. */
export function indentationAt(text: string, position: number): string {
  const lineStart = Math.max(text.lastIndexOf('\n', position - 1) + 1, 0);
  return /^[ \t]*/u.exec(text.slice(lineStart))?.[0] ?? '';
}
