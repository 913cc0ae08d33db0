import type { FileOutcome } from './process-file.js';
import { recordFilePath } from './run.js';
import { describeError } from './usage-error.js';
import { writeFileAtomic } from './write-atomic.js';

/**
 * fix's one side effect, on the main thread: writes the outcome's new text atomically. An outcome without new
 * text (dry run, nothing changed, or a failure such as a rewrite that does not parse) writes nothing. A failed
 * write turns the record `failed`, naming the file; the old bytes stay.
 */
export function writeOutcome(outcome: FileOutcome): void {
  const { record } = outcome;
  if (outcome.newText === undefined) return;
  try {
    writeFileAtomic(recordFilePath(record), outcome.newText);
  } catch (error) {
    record.status = 'failed';
    record.error = `${record.path}: could not write the file, left unchanged: ${describeError(error)}`;
  }
}
