/**
 * Offsets and ESLint's 1-based line/column positions in a text, for both audit engines (ESLint reports positions,
 * oxlint offsets). Loads nothing.
 */

/** Where each line starts; ESLint counts \r\n, \r, \n, \u2028 and \u2029 as line breaks. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  const lineBreak = /\r\n|[\r\n\u2028\u2029]/gu;
  for (let match = lineBreak.exec(text); match; match = lineBreak.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

/** Offset of a 1-based line and 1-based column, as ESLint reports them. */
export function offsetOf(lineStarts: readonly number[], line: number, column: number): number {
  return (lineStarts[line - 1] ?? 0) + column - 1;
}

/** 1-based line and column of an offset, as ESLint reports them. */
export function positionOf(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}
