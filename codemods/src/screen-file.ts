import { readFileSync } from 'node:fs';

// The plugin's pre-filter alone: this module runs on the main thread, which must not load ESLint or the parser.
import { mayContainRequests } from 'eslint-plugin-bounded-http/prefilter';

import { type FileJob, type FileOutcome, failedOutcome } from './file-job.js';
import { isWideText } from './read-source.js';
import { toReportPath } from './report.js';

/**
 * The cheap first pass over one file: read it and ask the plugin's pre-filter. Returns the file's outcome when
 * this pass settles it (unreadable, or nothing any rule could report), and undefined when it must be parsed.
 * The text is not kept: the parsing thread reads a candidate again (and checks its encoding), so memory stays
 * flat however large the repository, and `fix` rewrites the text it actually parsed.
 */
export function screenFile(job: FileJob): FileOutcome | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(job.path);
  } catch (error) {
    return failedOutcome(job, 'could not read the file', error);
  }
  // UTF-16 read as UTF-8 hides every word from the filter: such a file goes on, to be reported as not UTF-8.
  // Other invalid UTF-8 (Latin-1) keeps its ASCII, which is all the filter reads.
  if (isWideText(bytes) || mayContainRequests(bytes.toString('utf8'))) return undefined;
  return { record: { path: toReportPath(job.repo, job.path), repo: job.repo, status: 'clean', sites: [] } };
}
