import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Test-only fault injection: when this environment variable names a file's base name, the write fails
 * after the temp file is written and before the rename, the moment a crash or a full disk would hit.
 * The CLI tests use it to prove that a failure mid-run leaves no partial file. Nothing else reads it.
 */
export const failWriteForTestsEnv = 'BOUNDED_HTTP_TEST_FAIL_WRITE';

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * Replaces `path` with `text` so that readers see the old bytes or the new bytes, never a mix: the text
 * goes to a temp file in the same folder (same file system, so rename is atomic) which then replaces
 * the original. The original's permission bits are kept (a new file gets 0644). The text is written as given, so the EOL
 * style and any BOM that the transforms preserved reach the disk unchanged.
 */
export function writeFileAtomic(path: string, text: string): void {
  const mode = existingMode(path) ?? 0o644;
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
    if (process.env[failWriteForTestsEnv] === basename(path)) {
      throw new Error(`simulated write failure (${failWriteForTestsEnv})`);
    }
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
