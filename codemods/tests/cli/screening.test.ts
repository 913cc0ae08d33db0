import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { CANDIDATES_PER_THREAD, threadsFor } from '../../src/workers.js';
import { cliTestOptions, makeFolder, removeTemporaryFolders, runCli } from './support/cli-harness.js';
import { noRequests, unboundedFetch } from './support/sources.js';

afterAll(removeTemporaryFolders);

interface ReportFile {
  timing: { analysisThreads: number };
  totals: { files: number; findings: number };
  files: { path: string; status: string }[];
}

function audit(files: Record<string, string>, jobs: number): { status: number | null; report: ReportFile } {
  const folder = makeFolder(files);
  const reportPath = join(makeFolder({}), 'report.json');
  const result = runCli(['audit', '--quiet', '--jobs', String(jobs), '--report', reportPath, '.'], { cwd: folder });
  return { status: result.status, report: JSON.parse(readFileSync(reportPath, 'utf8')) as ReportFile };
}

describe('threadsFor', () => {
  it('gives one thread per CANDIDATES_PER_THREAD candidates, at least one and at most --jobs', () => {
    expect(threadsFor(1, 4)).toBe(1);
    expect(threadsFor(CANDIDATES_PER_THREAD, 4)).toBe(1);
    expect(threadsFor(CANDIDATES_PER_THREAD + 1, 4)).toBe(2);
    expect(threadsFor(CANDIDATES_PER_THREAD * 10, 4)).toBe(4);
    expect(threadsFor(CANDIDATES_PER_THREAD * 10, 1)).toBe(1);
  });
});

describe('screening on the main thread', cliTestOptions, () => {
  // Neither a URL nor a client's name in a comment makes a file a candidate.
  const ordinary = {
    'src/a.ts': noRequests,
    'src/b.ts': "export const docs = 'https://example.com/http';\n",
    'src/c.ts': '// the got and axios docs say so\nexport const b = 2;\n',
  };

  it('settles a repository whose files no rule can report on without starting any parser', () => {
    const { status, report } = audit(ordinary, 2);
    expect(status).toBe(0);
    expect(report.totals.files).toBe(3);
    expect(report.files.every((file) => file.status === 'clean')).toBe(true);
    expect(report.timing.analysisThreads).toBe(0);
  });

  it('starts one thread, not --jobs threads, for a few candidates', () => {
    const { status, report } = audit({ ...ordinary, 'src/load.ts': unboundedFetch }, 4);
    expect(status).toBe(1);
    expect(report.totals.findings).toBe(1);
    expect(report.timing.analysisThreads).toBe(1);
  });

  it('parses in the main thread with --jobs 1', () => {
    const { report } = audit({ ...ordinary, 'src/load.ts': unboundedFetch }, 1);
    expect(report.totals.findings).toBe(1);
    expect(report.timing.analysisThreads).toBe(1);
  });
});
