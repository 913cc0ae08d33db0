import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';

/** A source file's text, or why it is not UTF-8 text (and so must never be rewritten). */
export type SourceText = { text: string; notUtf8?: undefined } | { text?: undefined; notUtf8: string };

function hasUtf16Bom(bytes: Buffer): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** UTF-16 (or binary): bytes whose ASCII words do not survive a UTF-8 reading. */
export function isWideText(bytes: Buffer): boolean {
  return hasUtf16Bom(bytes) || bytes.includes(0);
}

/**
 * Decodes a source file that must be UTF-8 (with or without a BOM). Anything else is refused rather than decoded
 * lossily: a Latin-1 file read as UTF-8 comes back with U+FFFD for every non-ASCII byte, string literals
 * included, and writing that text back would destroy them.
 */
function decodeSource(bytes: Buffer): SourceText {
  if (hasUtf16Bom(bytes)) {
    return { notUtf8: `UTF-16 (it starts with the byte order mark ${bytes[0] === 0xff ? 'FF FE' : 'FE FF'})` };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { notUtf8: `it holds NUL bytes (first at byte ${String(nul)}): UTF-16 without a byte order mark, or not text` };
  if (!isUtf8(bytes)) {
    const lossy = bytes.toString('utf8');
    const line = lossy.slice(0, Math.max(0, lossy.indexOf('\uFFFD'))).split('\n').length;
    return { notUtf8: `invalid UTF-8 from line ${String(line)}, e.g. Latin-1 or Windows-1252` };
  }
  return { text: bytes.toString('utf8') };
}

/** Reads and decodes a source file; throws only when the file cannot be read. */
export function readSource(path: string): SourceText {
  return decodeSource(readFileSync(path));
}
