import type { Node, ObjectLiteralExpression } from 'ts-morph';

import type { Edit } from '../types.js';
import { type FileStyle, indentationAt } from './style.js';

/** Removes comments so that "is the next real character a comma?" can be answered on raw text. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//gu, '').replace(/\/\/[^\n]*/gu, '');
}

/** Where the line holding `position` ends (before its `\r\n` or `\n`). */
function lineEndAfter(text: string, position: number): number {
  const newline = text.indexOf('\n', position);
  if (newline === -1) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

/**
 * Adds properties to an object literal where the file would have written them: inline for a one-line
 * object, one per line with the siblings' indentation and trailing-comma habit for a multi-line one.
 * Comments stay where they are.
 */
export function addProperties(object: ObjectLiteralExpression, propertyTexts: readonly string[], style: FileStyle): Edit[] {
  const text = object.getSourceFile().getFullText();
  const open = object.getStart();
  const close = object.getEnd() - 1;
  const properties = object.getProperties();
  const last = properties.at(-1);
  if (!last) {
    const inside = text.slice(open + 1, close);
    if (!inside.includes('\n')) {
      if (inside.trim() === '') return [{ start: open + 1, end: close, text: ` ${propertyTexts.join(', ')} ` }];
      return [{ start: open + 1, end: open + 1, text: ` ${propertyTexts.join(', ')},` }];
    }
    const outer = indentationAt(text, open);
    const lines = propertyTexts.map((property) => `${style.eol}${outer}${style.indentUnit}${property},`).join('');
    return [{ start: open + 1, end: open + 1, text: lines }];
  }
  const afterLast = last.getEnd();
  const rest = withoutComments(text.slice(afterLast, close));
  const hasTrailingComma = rest.trimStart().startsWith(',');
  const commaAt = hasTrailingComma ? text.indexOf(',', afterLast) : afterLast;
  const lineEnd = lineEndAfter(text, commaAt);
  if (lineEnd >= close) {
    // One line (or the closing brace shares the last property's line): stay inline.
    if (hasTrailingComma) return [{ start: commaAt + 1, end: commaAt + 1, text: ` ${propertyTexts.join(', ')},` }];
    return [{ start: afterLast, end: afterLast, text: `, ${propertyTexts.join(', ')}` }];
  }
  const indent = indentationAt(text, last.getStart());
  if (hasTrailingComma) {
    const lines = propertyTexts.map((property) => `${style.eol}${indent}${property},`).join('');
    return [{ start: lineEnd, end: lineEnd, text: lines }];
  }
  const lines = propertyTexts.map((property, index) => `${index === 0 ? '' : ','}${style.eol}${indent}${property}`).join('');
  return [
    { start: afterLast, end: afterLast, text: ',' },
    { start: lineEnd, end: lineEnd, text: lines },
  ];
}

/** Replaces a node's text, keeping the trivia around it. */
export function replaceNode(node: Node, text: string): Edit {
  return { start: node.getStart(), end: node.getEnd(), text };
}

