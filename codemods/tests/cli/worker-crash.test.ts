/**
 * A worker thread that dies fails only the batch it held; the run completes, every other file gets its normal
 * outcome (the same record as in a run in the main thread), and the CLI exits 3. The death is injected through
 * BOUNDED_HTTP_TEST_CRASH_WORKER (support/fault-injection.mjs, preloaded): `throw:<base name>` is an uncaught exception in the thread
 * that holds that file, `exit:<base name>` a process.exit there, and `*` any batch.
 *
 * The batch sizes are the scheduler's business, so the tests do not assume them: a batch is a run of consecutive
 * candidate files, and that is what must have failed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { CANDIDATES_PER_THREAD } from '../../src/workers.js';
import { checkJsonSchema } from './support/check-json-schema.js';
import { makeFolder, makeRepo, readText, removeTemporaryFolders, reportSchemaPath, runCli } from './support/cli-harness.js';
import { boundedFetch, noRequests, suppressedFetch, unboundedFetch } from './support/sources.js';

afterAll(removeTemporaryFolders);

const schema = JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as Record<string, unknown>;

interface FileRecord {
  path: string;
  repo: string;
  status: string;
  error?: string;
  remaining?: number;
  sites: unknown[];
}
interface Report {
  exitCode: number;
  timing: { analysisThreads: number };
  files: FileRecord[];
}

/**
 * Enough candidates (files the pre-filter lets through) that `--jobs 2` starts two worker threads, of every kind,
 * and a few files the main thread screens out without any thread. A thread dies on `src/m-099.ts`, an unbounded
 * call.
 */
function corpus(): Record<string, string> {
  // Mostly bounded calls (one lint pass each), with an unbounded and a suppressed one in every ten: the dead
  // batch and its neighbours hold every kind, and the fix runs stay affordable.
  const candidates = [unboundedFetch, boundedFetch, boundedFetch, boundedFetch, suppressedFetch, boundedFetch, boundedFetch, boundedFetch, boundedFetch, unboundedFetch];
  const files: Record<string, string> = {};
  for (let index = 0; index < 2 * CANDIDATES_PER_THREAD + 10; index += 1) {
    files[`src/m-${String(index).padStart(3, '0')}.ts`] = candidates[index % candidates.length] ?? unboundedFetch;
  }
  for (let index = 0; index < 5; index += 1) files[`src/plain-${String(index)}.ts`] = noRequests;
  return files;
}
const files = corpus();
const candidatePaths = Object.keys(files)
  .filter((path) => files[path] !== noRequests)
  .sort();
const deadFile = 'src/m-099.ts';

function run(command: 'audit' | 'fix', repo: string, options: { jobs: number; crash?: string }): { status: number | null; stdout: string; report: Report } {
  const reportPath = join(makeFolder({}), 'report.json');
  const result = runCli([command, '--quiet', '--jobs', String(options.jobs), '--report', reportPath], {
    cwd: repo,
    ...(options.crash === undefined ? {} : { faults: { BOUNDED_HTTP_TEST_CRASH_WORKER: options.crash } }),
  });
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  expect(checkJsonSchema(schema, report)).toEqual([]);
  return { status: result.status, stdout: result.stdout, report };
}

/** The failed records, after checking that each names its file and says the worker thread failed, and why. */
function workerFailures(report: Report, reason: string): string[] {
  const failed = report.files.filter((file) => file.status === 'failed');
  for (const file of failed) expect(file).toEqual({ path: file.path, repo: file.repo, status: 'failed', sites: [], error: `${file.path}: worker thread failed: ${reason}` });
  return failed.map((file) => file.path);
}

/** Records minus the repo root, which differs between two temp repositories. */
function withoutRepo(records: readonly FileRecord[]): unknown[] {
  return records.map(({ path, status, remaining, sites, error }) => ({ path, status, remaining, sites, error }));
}

function othersThan(report: Report, dead: readonly string[]): FileRecord[] {
  return report.files.filter((file) => !dead.includes(file.path));
}

// Two CLI runs of a few hundred files per case: a generous ceiling, not a speed assertion.
describe('a worker thread that dies mid-run', { timeout: 600_000 }, () => {
  it.each([
    ['throw', 'simulated worker crash (BOUNDED_HTTP_TEST_CRASH_WORKER)'],
    ['exit', 'the thread exited with code 70 before answering'],
  ])('audit: %s fails only the batch it held, the other files are scanned as usual, exit 3', (how, reason) => {
    const repo = makeRepo(files);
    const normal = run('audit', repo, { jobs: 1 });
    expect(normal.status).toBe(1);

    const crashed = run('audit', repo, { jobs: 2, crash: `${how}:${deadFile.slice('src/'.length)}` });
    expect(crashed.status).toBe(3);
    expect(crashed.report.exitCode).toBe(3);
    expect(crashed.report.timing.analysisThreads).toBe(2);
    const dead = workerFailures(crashed.report, reason);
    // One batch: the file the thread died on and its neighbours in the queue, far fewer than all candidates.
    expect(dead).toContain(deadFile);
    const first = candidatePaths.indexOf(dead[0] ?? '');
    expect(dead).toEqual(candidatePaths.slice(first, first + dead.length));
    expect(dead.length).toBeLessThan(candidatePaths.length / 4);
    expect(crashed.stdout).toContain(`${deadFile}: worker thread failed: ${reason}`);
    // Every file is in the report, and every file outside the dead batch exactly as in the main-thread run.
    expect(crashed.report.files.map((file) => file.path)).toEqual(normal.report.files.map((file) => file.path));
    expect(othersThan(crashed.report, dead)).toEqual(othersThan(normal.report, dead));
  });

  it('fix: the dead batch is left unwritten, every other file is fixed as usual, exit 3', () => {
    const normalRepo = makeRepo(files);
    const normal = run('fix', normalRepo, { jobs: 1 });
    expect(normal.status).toBe(0);

    const repo = makeRepo(files);
    const crashed = run('fix', repo, { jobs: 2, crash: `throw:${deadFile.slice('src/'.length)}` });
    expect(crashed.status).toBe(3);
    const dead = workerFailures(crashed.report, 'simulated worker crash (BOUNDED_HTTP_TEST_CRASH_WORKER)');
    expect(dead).toContain(deadFile);
    expect(withoutRepo(othersThan(crashed.report, dead))).toEqual(withoutRepo(othersThan(normal.report, dead)));
    for (const path of Object.keys(files)) {
      expect({ path, text: readText(repo, path) }).toEqual({ path, text: dead.includes(path) ? files[path] : readText(normalRepo, path) });
    }
    expect(readText(repo, 'src/m-000.ts')).not.toBe(readText(repo, deadFile));
  });

  it('when every thread dies, the files still queued are finished on the main thread', () => {
    const repo = makeRepo(files);
    const normal = run('audit', repo, { jobs: 1 });
    // `*`: each thread dies on the first batch it is sent, so every file that succeeds was parsed on the main thread.
    const crashed = run('audit', repo, { jobs: 2, crash: 'exit:*' });
    expect(crashed.status).toBe(3);
    const dead = workerFailures(crashed.report, 'the thread exited with code 70 before answering');
    expect(dead.length).toBeGreaterThanOrEqual(2);
    const finishedHere = candidatePaths.filter((path) => !dead.includes(path));
    expect(finishedHere.length).toBeGreaterThan(candidatePaths.length / 2);
    // Two worker threads, then the main thread.
    expect(crashed.report.timing.analysisThreads).toBe(3);
    expect(othersThan(crashed.report, dead)).toEqual(othersThan(normal.report, dead));
  });
});
