import { readFileSync } from 'node:fs';

// The plugin's pre-filter alone: this module runs on the main thread, which must not load ESLint or the parser.
import { mayContainRequests } from 'eslint-plugin-bounded-http/prefilter';

import type { FileJob, FileOutcome } from './process-file.js';
import { toReportPath } from './report.js';
import { describeError } from './usage-error.js';

/** A `failed` outcome whose error names the file, what was being done and why it failed. */
export function failedOutcome(job: FileJob, stage: string, error: unknown): FileOutcome {
  const path = toReportPath(job.repo, job.path);
  const reason = describeError(error);
  // The engine's errors may already start with the file and position: keep those, in report form.
  const message = reason.startsWith(`${job.path}:`) ? `${path}${reason.slice(job.path.length)}` : `${path}: ${stage}: ${reason}`;
  return { record: { path, repo: job.repo, status: 'failed', sites: [], error: message } };
}

/**
 * The cheap first pass over one file: read it and ask the plugin's pre-filter. Returns the file's outcome when
 * this pass settles it (unreadable, or nothing any rule could report), and undefined when it must be parsed.
 * The text is not kept: the parsing thread reads a candidate again, so memory stays flat however large the
 * repository, and `fix` rewrites the text it actually parsed.
 */
export function screenFile(job: FileJob): FileOutcome | undefined {
  let text: string;
  try {
    text = readFileSync(job.path, 'utf8');
  } catch (error) {
    return failedOutcome(job, 'could not read the file', error);
  }
  if (mayContainRequests(text)) return undefined;
  return { record: { path: toReportPath(job.repo, job.path), repo: job.repo, status: 'clean', sites: [] } };
}
