import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** The file exists and nobody may write it: replacing it through a rename would bypass that. */
class ReadOnlyFileError extends Error {
  constructor(readonly path: string, readonly mode: number) {
    super(`the file is read-only (mode ${mode.toString(8).padStart(4, '0')}); make it writable (chmod u+w) to let bounded-http replace it`);
    this.name = 'ReadOnlyFileError';
  }
}

/**
 * Replaces `path` with `text` so that readers see the old bytes or the new bytes, never a mix: the text
 * goes to a temp file in the same folder (same file system, so rename is atomic) which then replaces
 * the original. The original's permission bits are kept (a new file gets 0644). The text is written as given, so the EOL
 * style and any BOM that the transforms preserved reach the disk unchanged. A read-only file is refused
 * (ReadOnlyFileError): a rename would replace it all the same, which is not what its mode asks for.
 */
export function writeFileAtomic(path: string, text: string): void {
  const existing = existingMode(path);
  if (existing !== undefined && (existing & 0o222) === 0) throw new ReadOnlyFileError(path, existing);
  const mode = existing ?? 0o644;
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.bounded-http.tmp`);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(tempPath, 'wx', mode);
    writeSync(descriptor, text, null, 'utf8');
    fsyncSync(descriptor);
    closeSync(descriptor);
    descriptor = undefined;
    // The umask may have stripped bits from the mode given to open; set them exactly.
    chmodSync(tempPath, mode);
    renameSync(tempPath, path);
  } catch (error) {
    if (descriptor !== undefined) closeSync(descriptor);
    try {
      unlinkSync(tempPath);
    } catch {
      // The temp file was never created, or is already gone: nothing to clean up.
    }
    throw error;
  }
}
