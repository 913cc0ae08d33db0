import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkJsonSchema } from './support/check-json-schema.js';
import { cliTestOptions, makeFolder, makeRepo, readText, removeTemporaryFolders, reportSchemaPath, runCli, snapshot, stackTraceLine } from './support/cli-harness.js';
import { noRequests, suppressedFetch, unboundedFetch, unparsable } from './support/sources.js';
import { findingLines } from '../support/text-output.js';

afterAll(removeTemporaryFolders);

const schema = JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as Record<string, unknown>;

function execGit(cwd: string, args: readonly string[]): void {
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore', timeout: 30_000 });
}

interface FixReport {
  exitCode: number;
  dryRun: boolean;
  repos: { root: string; fixed: number; remaining: number; filesChanged: number }[];
  files: {
    path: string;
    status: string;
    reason?: string;
    remaining?: number;
    error?: string;
    sites: { ruleId: string; action: string; reason: string; suppression?: string; location: { line: number } }[];
  }[];
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
    // Outside git there is nothing to commit or stash: the hint says how to get a reviewable change.
    expect(refused.stderr).toContain('run fix inside a git repository (git init');
    expect(refused.stderr).not.toContain('commit or stash');
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

  it('leaves no partial file when a write fails mid-run, and reports its sites as not written, still remaining', () => {
    const repo = makeRepo({ 'src/a.ts': unboundedFetch, 'src/b.ts': unboundedFetch, 'src/c.ts': unboundedFetch });
    const reportPath = join(makeFolder({}), 'report.json');
    // The rename over b.ts fails after its temp file is written (support/fault-injection.mjs).
    const result = runCli(['fix', '--quiet', '--jobs', '1', '--report', reportPath], { cwd: repo, faults: { BOUNDED_HTTP_TEST_FAIL_WRITE: 'b.ts' } });
    expect(result.status).toBe(3);
    expect(result.stdout).toContain('src/b.ts: could not write the file, left unchanged: simulated write failure');
    expect(result.stdout).toContain('3 files scanned, 2 changed; 2 sites fixed, 0 unfixable, 0 skipped, 1 not written; 1 unbounded call left');
    // b.ts holds exactly its old bytes, and no temp file is left beside it.
    expect(readText(repo, 'src/b.ts')).toBe(unboundedFetch);
    expect(readdirSync(join(repo, 'src')).sort()).toEqual(['a.ts', 'b.ts', 'c.ts']);
    // The failure did not stop the run: the files after it were written too.
    expect(readText(repo, 'src/a.ts')).toContain('AbortSignal.timeout(');
    expect(readText(repo, 'src/c.ts')).toContain('AbortSignal.timeout(');
    const report = readReport(reportPath);
    expect(checkJsonSchema(schema, report)).toEqual([]);
    const b = report.files.find((file) => file.path === 'src/b.ts');
    expect(b).toMatchObject({ status: 'failed', remaining: 1, sites: [{ ruleId: 'no-unbounded-fetch', action: 'failed' }] });
    expect(b?.sites[0]?.reason).toMatch(/^rewritten, but the file could not be written \(simulated write failure/u);
    expect(report.repos[0]).toMatchObject({ fixed: 2, remaining: 1, filesChanged: 2 });
  });

  it('leaves files it must not rewrite as they are, and says so per file: not UTF-8, read-only, a blanket eslint-disable', () => {
    const latin1 = Buffer.from("export const label = 'caf\u00e9';\nexport const load = (url: string) => fetch(url);\n", 'latin1');
    const blanket = '/* eslint-disable */\nexport const load = (url: string) => fetch(url);\n';
    const repo = makeRepo({ 'src/blanket.ts': blanket, 'src/locked.ts': unboundedFetch, 'src/user.ts': unboundedFetch }, { 'src/locked.ts': 0o444 });
    writeFileSync(join(repo, 'src/latin1.ts'), latin1);
    execGit(repo, ['add', '-A']);
    execGit(repo, ['commit', '-q', '-m', 'latin1']);
    const before = snapshot(repo);
    const reportPath = join(makeFolder({}), 'report.json');
    const dry = runCli(['fix', '--quiet', '--dry-run', '--report', reportPath], { cwd: repo });
    expect(dry.status).toBe(3);
    expect(snapshot(repo)).toEqual(before);
    expect(dry.stdout).toContain('+++ b/src/user.ts');
    expect(dry.stdout).not.toContain('src/latin1.ts');
    expect(dry.stdout).not.toContain('src/locked.ts');
    expect(dry.stderr).toContain('  skipped files:\n    src/latin1.ts: not UTF-8: invalid UTF-8 from line 1, e.g. Latin-1 or Windows-1252, so fix leaves it as it is;');
    expect(dry.stderr).toContain('    src/locked.ts: read-only, so fix leaves it as it is rather than replacing it; make it writable (chmod u+w)');
    expect(findingLines(dry.stderr)).toContainEqual(expect.stringMatching(/^src\/blanket\.ts:2:\d+ {2}skipped {2}no-unbounded-fetch {2}a blanket eslint-disable comment \(it names no rule\) hides this call: that is not the documented exception/u));
    const report = readReport(reportPath);
    expect(checkJsonSchema(schema, report)).toEqual([]);
    expect(report.files.map((file) => [file.path, file.status, file.reason ?? ''])).toEqual([
      ['src/blanket.ts', 'unchanged', ''],
      ['src/latin1.ts', 'skipped', 'not UTF-8'],
      ['src/locked.ts', 'skipped', 'read-only'],
      ['src/user.ts', 'would-fix', ''],
    ]);
    expect(report.files[0]?.sites).toEqual([expect.objectContaining({ action: 'skipped', suppression: 'blanket' })]);
    expect(report.repos[0]).toMatchObject({ filesSkipped: 2, suppressed: 1, suppressedUndocumented: 1 });

    // Written for real, the same: the read-only and the Latin-1 file keep their bytes and mode.
    const real = runCli(['fix', '--quiet'], { cwd: repo });
    expect(real.status).toBe(3);
    expect(readFileSync(join(repo, 'src/latin1.ts')).equals(latin1)).toBe(true);
    expect(readText(repo, 'src/locked.ts')).toBe(unboundedFetch);
    expect(statSync(join(repo, 'src/locked.ts')).mode & 0o777).toBe(0o444);
    expect(readText(repo, 'src/user.ts')).toContain('AbortSignal.timeout(30_000)');
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
    [['--timeout-ms', 'soon'], "--timeout-ms must be a whole number from 1 to 2147483647, got 'soon'\n  fix: for example: --timeout-ms 30000 (30 seconds)"],
    [['--timeout-ms', '-5'], "--timeout-ms must be a whole number from 1 to 2147483647, got '-5'\n  fix: for example: --timeout-ms 30000"],
    [['--jobs', '-1'], "--jobs must be a whole number from 1 to 64, got '-1'\n  fix: for example: --jobs 2"],
    [['-j', '0'], "--jobs must be a whole number from 1 to 64, got '0'"],
    [['--jobs'], '--jobs needs a value\n  fix: for example: --jobs 2'],
    [['--timeout-ms', '10', '--timeout-expr', 'T'], '--timeout-ms and --timeout-expr both set the deadline'],
    [['--timeout-import', "T from './t.js'"], '--timeout-import only makes sense with --timeout-expr'],
    [['--timeout-expr', 'T', '--timeout-import', 'from nowhere'], `--timeout-import must look like "NAME from PATH", got 'from nowhere'\n  fix: for example: --timeout-import "HTTP_TIMEOUT_MS from './src/config.js'"`],
    [['--client', 'boundedFetch'], '--client must look like "NAME from PATH"'],
    [['--client', '{ boundedFetch from ./http.js'], '--client must look like "NAME from PATH"'],
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
