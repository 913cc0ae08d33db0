import type { FileOutcome } from './file-job.js';
import { recordFilePath } from './run.js';
import { describeError } from './usage-error.js';
import { writeFileAtomic } from './write-atomic.js';

/**
 * fix's one side effect, on the main thread: writes the outcome's new text atomically. An outcome without new
 * text (dry run, nothing changed, or a failure such as a rewrite that does not parse) writes nothing. A failed
 * write turns the record `failed`, naming the file; the old bytes stay, so its sites are not fixed: each is
 * `failed`, and they count as remaining.
 */
export function writeOutcome(outcome: FileOutcome): void {
  const { record } = outcome;
  if (outcome.newText === undefined) return;
  try {
    writeFileAtomic(recordFilePath(record), outcome.newText);
  } catch (error) {
    const reason = describeError(error);
    record.status = 'failed';
    record.error = `${record.path}: could not write the file, left unchanged: ${reason}`;
    if (outcome.remainingIfUnwritten !== undefined) record.remaining = outcome.remainingIfUnwritten;
    for (const site of record.sites) {
      if (site.action === 'fixed') Object.assign(site, { action: 'failed', reason: `rewritten, but the file could not be written (${reason}), so it is still unbounded` });
    }
  }
}
