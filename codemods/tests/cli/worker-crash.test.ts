/**
 * A worker thread that dies fails only the batch it held; the run completes, every other file gets its normal
 * outcome, and the CLI exits 3. The death is injected through BOUNDED_HTTP_TEST_CRASH_WORKER (src/worker.ts):
 * `throw:<base name>` is an uncaught exception in the thread, `exit:<base name>` a process.exit there.
 *
 * With 2 threads and at most 8 files every batch holds one file (src/workers.ts batchSize), so the dead batch
 * is exactly the file named in the hook, whichever thread takes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkJsonSchema } from './support/check-json-schema.js';
import { cliTestOptions, makeFolder, makeRepo, readText, removeTemporaryFolders, reportSchemaPath, runCli } from './support/cli-harness.js';
import { boundedFetch, noRequests, suppressedFetch, unboundedFetch } from './support/sources.js';

afterAll(removeTemporaryFolders);

const schema = JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as Record<string, unknown>;

interface FileRecord {
  path: string;
  status: string;
  error?: string;
  remaining?: number;
  sites: unknown[];
}
interface Report {
  exitCode: number;
  files: FileRecord[];
}

/** One file of every kind; `src/b.ts` is the one the hook kills a thread on. */
const files = {
  'src/a.ts': unboundedFetch,
  'src/b.ts': unboundedFetch,
  'src/c.ts': boundedFetch,
  'src/d.ts': noRequests,
  'src/e.ts': suppressedFetch,
  'src/f.ts': unboundedFetch,
};

function run(command: 'audit' | 'fix', repo: string, options: { jobs: number; crash?: string }): { status: number | null; stdout: string; report: Report } {
  const reportPath = join(makeFolder({}), 'report.json');
  const result = runCli([command, '--quiet', '--jobs', String(options.jobs), '--report', reportPath], {
    cwd: repo,
    ...(options.crash === undefined ? {} : { env: { BOUNDED_HTTP_TEST_CRASH_WORKER: options.crash } }),
  });
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  expect(checkJsonSchema(schema, report)).toEqual([]);
  return { status: result.status, stdout: result.stdout, report };
}

/** The records of the files the dead thread did not hold, to compare with a run in which nothing died. */
function survivors(report: Report, dead: readonly string[]): FileRecord[] {
  return report.files.filter((file) => !dead.includes(file.path));
}

describe('a worker thread that dies mid-run', cliTestOptions, () => {
  it.each([
    ['throw', 'simulated worker crash (BOUNDED_HTTP_TEST_CRASH_WORKER)'],
    ['exit', 'the thread exited with code 70 before answering'],
  ])('audit: %s fails only the file it held, the others are scanned as usual, exit 3', (how, reason) => {
    const repo = makeRepo(files);
    const normal = run('audit', repo, { jobs: 1 });
    expect(normal.status).toBe(1);

    const crashed = run('audit', repo, { jobs: 2, crash: `${how}:b.ts` });
    expect(crashed.status).toBe(3);
    expect(crashed.report.exitCode).toBe(3);
    expect(crashed.report.files.map((file) => file.path)).toEqual(Object.keys(files));
    expect(crashed.report.files.filter((file) => file.status === 'failed')).toEqual([
      { path: 'src/b.ts', repo: expect.any(String) as unknown, status: 'failed', sites: [], error: `src/b.ts: worker thread failed: ${reason}` },
    ]);
    expect(survivors(crashed.report, ['src/b.ts'])).toEqual(survivors(normal.report, ['src/b.ts']));
    expect(crashed.stdout).toContain(`src/b.ts: worker thread failed: ${reason}`);
  });

  it('fix: the dead batch is left unwritten, every other file is fixed as usual, exit 3', () => {
    const normalRepo = makeRepo(files);
    const normal = run('fix', normalRepo, { jobs: 1 });
    expect(normal.status).toBe(0);

    const repo = makeRepo(files);
    const crashed = run('fix', repo, { jobs: 2, crash: 'throw:b.ts' });
    expect(crashed.status).toBe(3);
    expect(crashed.report.files.filter((file) => file.status === 'failed').map((file) => [file.path, file.error])).toEqual([
      ['src/b.ts', 'src/b.ts: worker thread failed: simulated worker crash (BOUNDED_HTTP_TEST_CRASH_WORKER)'],
    ]);
    const withoutRepo = (records: FileRecord[]): unknown[] => records.map(({ path, status, remaining, sites }) => ({ path, status, remaining, sites }));
    expect(withoutRepo(survivors(crashed.report, ['src/b.ts']))).toEqual(withoutRepo(survivors(normal.report, ['src/b.ts'])));
    expect(readText(repo, 'src/b.ts')).toBe(unboundedFetch);
    for (const path of Object.keys(files).filter((name) => name !== 'src/b.ts')) expect(readText(repo, path)).toBe(readText(normalRepo, path));
    expect(readText(repo, 'src/a.ts')).toContain('AbortSignal.timeout(');
  });

  it('when every thread dies, the files still queued are finished on the main thread', () => {
    // The two threads are each sent their first file at once: a/crash.ts and b/crash.ts. Both die, and the
    // four files still queued are processed on the main thread, which the hook does not touch.
    const layout = {
      'src/a/crash.ts': unboundedFetch,
      'src/b/crash.ts': unboundedFetch,
      'src/c.ts': unboundedFetch,
      'src/d.ts': boundedFetch,
      'src/e.ts': suppressedFetch,
      'src/f.ts': unboundedFetch,
    };
    const repo = makeRepo(layout);
    const normal = run('audit', repo, { jobs: 1 });
    const crashed = run('audit', repo, { jobs: 2, crash: 'exit:crash.ts' });
    expect(crashed.status).toBe(3);
    const dead = ['src/a/crash.ts', 'src/b/crash.ts'];
    expect(crashed.report.files.filter((file) => file.status === 'failed').map((file) => file.error)).toEqual(
      dead.map((path) => `${path}: worker thread failed: the thread exited with code 70 before answering`),
    );
    expect(survivors(crashed.report, dead)).toEqual(survivors(normal.report, dead));
    expect(survivors(crashed.report, dead).map((file) => file.status)).toEqual(['findings', 'clean', 'clean', 'findings']);
  });
});
