import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkJsonSchema } from './support/check-json-schema.js';
import { cliTestOptions, makeFolder, makeRepo, readText, removeTemporaryFolders, reportSchemaPath, runCli, snapshot, stackTraceLine } from './support/cli-harness.js';
import { noRequests, suppressedFetch, unboundedFetch, unparsable } from './support/sources.js';

afterAll(removeTemporaryFolders);

const schema = JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as Record<string, unknown>;

interface FixReport {
  exitCode: number;
  dryRun: boolean;
  repos: { root: string; fixed: number; remaining: number; filesChanged: number }[];
  files: { path: string; status: string; remaining?: number; error?: string; sites: { ruleId: string; action: string; reason: string; location: { line: number } }[] }[];
}

function readReport(path: string): FixReport {
  return JSON.parse(readFileSync(path, 'utf8')) as FixReport;
}

describe('bounded-http fix: the dirty-tree guard', cliTestOptions, () => {
  it('refuses uncommitted changes with exit 2 and writes nothing', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch });
    writeFileSync(join(repo, 'src/wip.ts'), noRequests);
    const before = snapshot(repo);
    const result = runCli(['fix', '--quiet'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('has uncommitted changes (?? src/wip.ts)');
    expect(result.stderr).toContain('--allow-dirty');
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses a folder outside any git repository, and --allow-dirty overrides both', () => {
    const folder = makeFolder({ 'user.ts': unboundedFetch });
    const refused = runCli(['fix', '--quiet'], { cwd: folder });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('is not inside a git work tree');
    expect(readText(folder, 'user.ts')).toBe(unboundedFetch);

    const forced = runCli(['fix', '--quiet', '--allow-dirty', '--timeout-ms', '4321'], { cwd: folder });
    expect(forced.status).toBe(0);
    expect(readText(folder, 'user.ts')).toContain('AbortSignal.timeout(4_321)');
  });
});

describe('bounded-http fix: writing', cliTestOptions, () => {
  it('fixes a clean repository, keeps the file mode, and a second run changes nothing', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'src/answer.ts': noRequests }, { 'src/user.ts': 0o755 });
    const first = runCli(['fix', '--quiet', '--timeout-ms', '1234'], { cwd: repo });
    expect(first.status).toBe(0);
    const fixed = readText(repo, 'src/user.ts');
    expect(fixed).toContain('AbortSignal.timeout(1_234)');
    expect(statSync(join(repo, 'src/user.ts')).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(repo, 'src')).sort()).toEqual(['answer.ts', 'user.ts']);
    expect(first.stdout).toContain('2 files scanned, 1 changed; 1 site fixed');

    const second = runCli(['fix', '--quiet', '--allow-dirty', '--timeout-ms', '1234'], { cwd: repo });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('0 changed');
    expect(readText(repo, 'src/user.ts')).toBe(fixed);
  });

  it('exits 3 when a file does not parse, names it, and still fixes the others', () => {
    const repo = makeRepo({ 'src/broken.ts': unparsable, 'src/user.ts': unboundedFetch });
    const result = runCli(['fix', '--quiet'], { cwd: repo });
    expect(result.status).toBe(3);
    expect(result.stdout).toMatch(/src\/broken\.ts:1:\d+: cannot parse the file/);
    expect(readText(repo, 'src/broken.ts')).toBe(unparsable);
    expect(readText(repo, 'src/user.ts')).toContain('AbortSignal.timeout(');
  });

  it('leaves no partial file when a write fails mid-run (fault injected through BOUNDED_HTTP_TEST_FAIL_WRITE)', () => {
    const repo = makeRepo({ 'src/a.ts': unboundedFetch, 'src/b.ts': unboundedFetch, 'src/c.ts': unboundedFetch });
    const result = runCli(['fix', '--quiet', '--jobs', '1', '--report', join(repo, '..', `${repo.split('/').pop() ?? ''}-report.json`)], {
      cwd: repo,
      env: { BOUNDED_HTTP_TEST_FAIL_WRITE: 'b.ts' },
    });
    expect(result.status).toBe(3);
    expect(result.stdout).toContain('src/b.ts: could not write the file, left unchanged: simulated write failure');
    // b.ts holds exactly its old bytes, and no temp file is left beside it.
    expect(readText(repo, 'src/b.ts')).toBe(unboundedFetch);
    expect(readdirSync(join(repo, 'src')).sort()).toEqual(['a.ts', 'b.ts', 'c.ts']);
    // The failure did not stop the run: the files after it were written too.
    expect(readText(repo, 'src/a.ts')).toContain('AbortSignal.timeout(');
    expect(readText(repo, 'src/c.ts')).toContain('AbortSignal.timeout(');
  });
});

describe('bounded-http fix --dry-run', cliTestOptions, () => {
  it('prints a unified diff, writes nothing (bytes and mtimes), and is allowed on a dirty tree', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'src/answer.ts': noRequests });
    writeFileSync(join(repo, 'notes.txt'), 'uncommitted\n');
    const before = snapshot(repo);
    const result = runCli(['fix', '--dry-run', '--timeout-ms', '2500'], { cwd: repo });
    expect(result.status).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    expect(result.stdout).toContain('--- a/src/user.ts\n+++ b/src/user.ts\n');
    expect(result.stdout).toMatch(/^-\s+return fetch\(url\);$/m);
    expect(result.stdout).toMatch(/^\+.*AbortSignal\.timeout\(2_500\)/m);
    // stdout is only the patch; the summary and progress go to stderr.
    expect(result.stdout).not.toContain('files scanned');
    expect(result.stderr).toContain('(dry run: nothing written)');
    expect(result.stderr).toContain('1 would change; 1 site would be fixed');
  });
});

describe('bounded-http fix: the repository\'s own constant and client', cliTestOptions, () => {
  it('uses --timeout-expr and adds the --timeout-import, resolved from the current folder', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'src/config.ts': 'export const HTTP_TIMEOUT_MS = 5_000;\n' });
    const result = runCli(['fix', '--quiet', '--dry-run', '--timeout-expr', 'HTTP_TIMEOUT_MS', '--timeout-import', "HTTP_TIMEOUT_MS from './src/config.js'"], { cwd: repo });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\+import \{ HTTP_TIMEOUT_MS \} from '\.\/config\.js';$/m);
    expect(result.stdout).toMatch(/^\+.*AbortSignal\.timeout\(HTTP_TIMEOUT_MS\)/m);
  });

  it('retrofits fetch calls to the --client, importing it with the right relative path', () => {
    const client = 'export function boundedFetch(url: string) {\n  return fetch(url, { signal: AbortSignal.timeout(10_000) });\n}\n';
    const repo = makeRepo({ 'src/features/user.ts': unboundedFetch, 'src/lib/http.ts': client });
    const result = runCli(['fix', '--quiet', '--dry-run', '--client', 'boundedFetch from ./src/lib/http.js'], { cwd: repo });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\+import \{ boundedFetch \} from '\.\.\/lib\/http\.js';$/m);
    expect(result.stdout).toMatch(/^\+\s+return boundedFetch\(url\);$/m);
    expect(result.stdout).not.toContain('+++ b/src/lib/http.ts');
  });
});

describe('bounded-http fix: --check and the report', cliTestOptions, () => {
  it('exits 0 under --check when every site was fixed, and the report matches the schema', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'src/poll.ts': suppressedFetch, 'src/answer.ts': noRequests });
    const reportPath = join(makeFolder({}), 'fix-report.json');
    const result = runCli(['fix', '--quiet', '--check', '--report', reportPath], { cwd: repo });
    expect(result.status).toBe(0);
    const report = readReport(reportPath);
    expect(checkJsonSchema(schema, report)).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.files.map((file) => [file.path, file.status, file.remaining ?? 0])).toEqual([
      ['src/answer.ts', 'clean', 0],
      ['src/poll.ts', 'unchanged', 0],
      ['src/user.ts', 'fixed', 0],
    ]);
    const userSites = report.files.find((file) => file.path === 'src/user.ts')?.sites;
    expect(userSites).toEqual([expect.objectContaining({ ruleId: 'no-unbounded-fetch', action: 'fixed', location: expect.objectContaining({ line: 2 }) as unknown })]);
    // The long-poll carries an eslint-disable comment: skipped, counted, and left as it was.
    expect(report.files.find((file) => file.path === 'src/poll.ts')?.sites).toEqual([expect.objectContaining({ action: 'skipped' })]);
    expect(readText(repo, 'src/poll.ts')).toBe(suppressedFetch);
  });

  it('exits 1 under --check when unbounded calls are left, and 0 without --check', async () => {
    const { transformNames } = await import('../../src/fix-file.js');
    const unrelated = transformNames.find((name) => !name.includes('fetch'));
    expect(unrelated).toBeDefined();
    const repo = makeRepo({ 'src/user.ts': unboundedFetch });
    const args = ['fix', '--quiet', '--dry-run', '--transforms', unrelated ?? ''];
    const checked = runCli([...args, '--check'], { cwd: repo });
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain('1 unbounded call left');
    expect(runCli(args, { cwd: repo }).status).toBe(0);
  });
});

describe('bounded-http fix: usage errors exit 2 before touching anything', cliTestOptions, () => {
  it.each([
    [['--timeout-ms', 'soon'], '--timeout-ms must be a whole number'],
    [['--timeout-ms', '10', '--timeout-expr', 'T'], '--timeout-ms and --timeout-expr both set the deadline'],
    [['--timeout-import', "T from './t.js'"], '--timeout-import only makes sense with --timeout-expr'],
    [['--timeout-expr', 'T', '--timeout-import', 'from nowhere'], '--timeout-import must look like "NAME from PATH"'],
    [['--client', 'boundedFetch'], '--client must look like "NAME from PATH"'],
    [['--transforms', 'no-such-transform'], "unknown transform in --transforms: 'no-such-transform'"],
    [['--node-version', 'banana'], "--node-version must be a version or range, got 'banana'"],
    [['--dryrun'], 'unknown option --dryrun'],
  ])('%j', (args, message) => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch });
    const before = snapshot(repo);
    const result = runCli(['fix', ...args], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('bounded-http fix --help');
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(snapshot(repo)).toEqual(before);
  });
});
