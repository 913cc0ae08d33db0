import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkJsonSchema } from './support/check-json-schema.js';
import { cliTestOptions, makeFolder, makeRepo, removeTemporaryFolders, reportSchemaPath, runCli, stackTraceLine } from './support/cli-harness.js';
import { boundedFetch, noRequests, suppressedFetch, unboundedFetch, unparsable } from './support/sources.js';
import { findingLines } from '../support/text-output.js';

afterAll(removeTemporaryFolders);

interface ReportShape {
  command: string;
  exitCode: number;
  repos: { root: string; files: number; findings: number; suppressed: number; byRule: Record<string, number>; byFamily: Record<string, number> }[];
  files: { path: string; status: string; sites: { ruleId: string; action: string; location: { line: number; column: number } }[]; error?: string }[];
}

const schema = JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as Record<string, unknown>;

function auditJson(cwd: string, args: string[] = []): { status: number | null; report: ReportShape; stderr: string } {
  const result = runCli(['audit', '--format', 'json', '--quiet', '--jobs', '1', ...args], { cwd });
  return { status: result.status, report: JSON.parse(result.stdout) as ReportShape, stderr: result.stderr };
}

describe('bounded-http audit: exit codes', cliTestOptions, () => {
  it('exits 0 on a repository whose calls all carry a deadline', () => {
    const repo = makeRepo({ 'src/user.ts': boundedFetch, 'src/answer.ts': noRequests });
    const result = runCli(['audit', '--quiet'], { cwd: repo });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2 files scanned, 0 unbounded calls');
  });

  it('exits 1 on findings and names file, line and rule', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch });
    const result = runCli(['audit', '--quiet'], { cwd: repo });
    expect(result.status).toBe(1);
    expect(findingLines(result.stdout)).toContainEqual(expect.stringMatching(/^src\/user\.ts:2:10 {2}reported {2}no-unbounded-fetch/u));
  });

  it('does not count a site covered by an eslint-disable comment, but reports it as suppressed', () => {
    const repo = makeRepo({ 'src/poll.ts': suppressedFetch });
    const { status, report } = auditJson(repo);
    expect(status).toBe(0);
    expect(report.repos[0]).toMatchObject({ findings: 0, suppressed: 1 });
    expect(report.files[0]?.sites[0]).toMatchObject({ ruleId: 'no-unbounded-fetch', action: 'suppressed' });
  });

  it('exits 3 when a file does not parse, naming the file and the reason, and still scans the others', () => {
    const repo = makeRepo({ 'src/broken.ts': unparsable, 'src/user.ts': unboundedFetch });
    const result = runCli(['audit', '--quiet'], { cwd: repo });
    expect(result.status).toBe(3);
    expect(result.stdout).toMatch(/src\/broken\.ts:1:\d+: cannot parse/);
    expect(findingLines(result.stdout)).toContainEqual(expect.stringMatching(/^src\/user\.ts:2:10 /u));
    expect(result.stdout).not.toMatch(stackTraceLine);
  });

  it.each([
    [['--format', 'xml'], '--format must be one of text, json, sarif'],
    [['--config', 'loose'], '--config must be one of recommended, strict'],
    [['--jobs', '0'], '--jobs must be a whole number'],
    [['--frmat', 'json'], 'unknown option --frmat'],
    [['no-such-folder'], 'path not found: no-such-folder'],
  ])('exits 2 on the usage error %j, with the fix and a pointer to --help', (args, message) => {
    const cwd = makeFolder({ 'a.ts': unboundedFetch });
    const result = runCli(['audit', ...args], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('fix: ');
    expect(result.stderr).toContain('bounded-http audit --help');
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(result.stdout).toBe('');
  });
});

describe('bounded-http audit: which files', cliTestOptions, () => {
  it('honours .gitignore files at every level, and skips node_modules and dist', () => {
    const repo = makeRepo({
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/user.ts': unboundedFetch,
      'src/api.gen.ts': unboundedFetch,
      'generated/client.ts': unboundedFetch,
      'packages/web/.gitignore': 'legacy/\n!keep.gen.ts\n',
      'packages/web/legacy/old.js': unboundedFetch,
      'packages/web/app.mjs': unboundedFetch,
      'packages/web/keep.gen.ts': unboundedFetch,
      'node_modules/dep/index.js': unboundedFetch,
      'dist/bundle.js': unboundedFetch,
      'types/fetch.d.ts': 'declare function fetch(url: string): Promise<unknown>;\n',
      'README.md': 'fetch(url)\n',
    });
    const { report } = auditJson(repo);
    expect(report.files.map((file) => file.path)).toEqual(['packages/web/app.mjs', 'packages/web/keep.gen.ts', 'src/user.ts']);
  });

  it('applies the repository .gitignore when only a sub-folder is audited', () => {
    const repo = makeRepo({ '.gitignore': '*.gen.ts\n', 'src/user.ts': unboundedFetch, 'src/api.gen.ts': unboundedFetch });
    const { report } = auditJson(repo, ['src']);
    expect(report.files.map((file) => file.path)).toEqual(['src/user.ts']);
  });

  it('prints one summary per repository when given many paths across repositories', () => {
    const first = makeRepo({ 'a/one.ts': unboundedFetch, 'b/two.ts': unboundedFetch, 'c/clean.ts': noRequests });
    const second = makeRepo({ 'src/three.ts': unboundedFetch });
    const cwd = makeFolder({});
    const { status, report } = auditJson(cwd, [join(first, 'a'), join(second, 'src'), join(first, 'b'), join(first, 'c')]);
    expect(status).toBe(1);
    expect(report.repos.map((repo) => [repo.root, repo.files, repo.findings])).toEqual([
      [first, 3, 2],
      [second, 1, 1],
    ]);
    const text = runCli(['audit', '--quiet', join(first, 'a'), join(second, 'src'), join(first, 'b')], { cwd }).stdout;
    expect(text.split('\n').filter((line) => line.includes(' scanned, '))).toEqual([
      '  2 files scanned, 2 unbounded calls in 2 files, 0 suppressed by eslint-disable',
      '  1 file scanned, 1 unbounded call in 1 file, 0 suppressed by eslint-disable',
    ]);
    expect(text).toContain('total: 2 repositories, 3 files, 3 unbounded calls');
  });
});

describe('bounded-http audit: output formats', cliTestOptions, () => {
  it('writes a JSON report that matches report.schema.json, with per-rule and per-family counts', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'src/poll.ts': suppressedFetch, 'src/broken.ts': unparsable, 'src/answer.ts': noRequests });
    const { status, report } = auditJson(repo, ['--report', 'audit-report.json']);
    expect(status).toBe(3);
    expect(checkJsonSchema(schema, report)).toEqual([]);
    expect(report).toMatchObject({ command: 'audit', exitCode: 3 });
    expect(report.files.map((file) => [file.path, file.status])).toEqual([
      ['src/answer.ts', 'clean'],
      ['src/broken.ts', 'failed'],
      ['src/poll.ts', 'clean'],
      ['src/user.ts', 'findings'],
    ]);
    expect(report.repos[0]?.byRule).toEqual({ 'no-unbounded-fetch': 1 });
    expect(report.repos[0]?.byFamily).toEqual({ fetch: 1 });
    // --report writes the same document.
    expect(JSON.parse(readFileSync(join(repo, 'audit-report.json'), 'utf8'))).toEqual(report);
  });

  it('writes SARIF 2.1.0 with rules, help links and repository-relative locations', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'src/poll.ts': suppressedFetch });
    const result = runCli(['audit', '--format', 'sarif', '--quiet'], { cwd: repo });
    expect(result.status).toBe(1);
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string; helpUri?: string; shortDescription: { text: string } }[] } }; results: unknown[]; originalUriBaseIds: Record<string, { uri: string }> }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const [run] = sarif.runs;
    expect(run?.tool.driver.name).toBe('bounded-http');
    expect(run?.tool.driver.rules).toEqual([
      expect.objectContaining({ id: 'bounded-http/no-unbounded-fetch', helpUri: expect.stringMatching(/^https:\/\/.+no-unbounded-fetch/) as unknown }),
    ]);
    expect(run?.originalUriBaseIds['%SRCROOT%']?.uri).toBe(`file://${repo}/`);
    // The suppressed long-poll is a documented exception, not an alert.
    expect(run?.results).toEqual([
      {
        ruleId: 'bounded-http/no-unbounded-fetch',
        ruleIndex: 0,
        level: 'error',
        message: { text: expect.any(String) as unknown },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'src/user.ts', uriBaseId: '%SRCROOT%' },
              region: { startLine: 2, startColumn: 10, endLine: 2, endColumn: expect.any(Number) as unknown },
            },
          },
        ],
        partialFingerprints: { 'boundedHttpFinding/v1': expect.stringMatching(/^src\/user\.ts:[0-9a-f]{20}$/) as unknown },
        properties: { family: 'fetch' },
      },
    ]);
  });
});

describe('bounded-http audit: progress', cliTestOptions, () => {
  it('prints plain progress lines on stderr when not on a TTY, and nothing with --quiet', () => {
    const repo = makeRepo({ 'a.ts': noRequests, 'b.ts': boundedFetch });
    const loud = runCli(['audit', '--jobs', '1'], { cwd: repo });
    expect(loud.stderr).toContain('bounded-http audit: 2/2 files\n');
    expect(loud.stderr).not.toContain('\r');
    expect(runCli(['audit', '--quiet', '--jobs', '1'], { cwd: repo }).stderr).toBe('');
  });
});
