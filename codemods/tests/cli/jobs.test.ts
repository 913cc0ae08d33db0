import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { CANDIDATES_PER_THREAD } from '../../src/workers.js';
import { makeFolder, makeRepo, removeTemporaryFolders, runCli } from './support/cli-harness.js';
import { boundedFetch, noRequests, suppressedFetch, unboundedFetch, unparsable } from './support/sources.js';

afterAll(removeTemporaryFolders);

/**
 * Files of every kind, with enough candidates that `--jobs 2` starts two worker threads and each gets several
 * batches. Most candidates are already bounded (one lint pass each): the few unbounded and suppressed ones, spread
 * over the whole queue, are what fix rewrites and skips, and every batch boundary still falls among them. The
 * assertions do not change with the mix; a corpus of a third unbounded files only made the fix runs slower.
 */
function corpus(): Record<string, string> {
  const files: Record<string, string> = {};
  // Of every ten files: one unbounded, one suppressed, one that the pre-filter screens out, seven bounded.
  const kinds = [unboundedFetch, boundedFetch, boundedFetch, noRequests, boundedFetch, suppressedFetch, boundedFetch, boundedFetch, boundedFetch, boundedFetch];
  const fileCount = Math.ceil(((CANDIDATES_PER_THREAD + 20) * kinds.length) / (kinds.length - 1));
  for (let index = 0; index < fileCount; index += 1) files[`src/module-${String(index).padStart(3, '0')}.ts`] = kinds[index % kinds.length] ?? noRequests;
  files['src/broken.ts'] = unparsable;
  return files;
}

/** The report minus what legitimately differs between the two runs: the repo path, the jobs option and timings. */
function normalisedReport(path: string, repo: string): unknown {
  const text = readFileSync(path, 'utf8').split(repo).join('<repo>');
  const report = JSON.parse(text) as { options: Record<string, unknown>; timing?: unknown };
  delete report.options.jobs;
  delete report.timing;
  return report;
}

function analysisThreads(path: string): unknown {
  return (JSON.parse(readFileSync(path, 'utf8')) as { timing: { analysisThreads: unknown } }).timing.analysisThreads;
}

// Four CLI runs over a few hundred files: a generous ceiling, not a speed assertion.
describe('--jobs', { timeout: 600_000 }, () => {
  it.each(['audit', 'fix'])('%s gives the same report and output with 2 worker threads as in the main thread', (command) => {
    const reports = makeFolder({});
    const outputs = [1, 2].map((jobs) => {
      const repo = makeRepo(corpus());
      const reportPath = join(reports, `${command}-${jobs}.json`);
      const extra = command === 'fix' ? ['--dry-run'] : [];
      const result = runCli([command, '--quiet', '--jobs', String(jobs), '--report', reportPath, ...extra], { cwd: repo });
      expect(analysisThreads(reportPath)).toBe(jobs);
      return { status: result.status, stdout: result.stdout.split(repo).join('<repo>'), stderr: result.stderr.split(repo).join('<repo>'), report: normalisedReport(reportPath, repo) };
    });
    expect(outputs[0]?.status).toBe(3);
    expect(outputs[1]).toEqual(outputs[0]);
  });
});
