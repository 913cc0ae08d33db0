import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkJsonSchema } from './support/check-json-schema.js';
import { makeRepo, removeTemporaryFolders, reportSchemaPath, runCli } from './support/cli-harness.js';
import { findingLines } from '../support/text-output.js';

// The ratchet: a repository with existing findings gates new code only. The baseline keys findings by file,
// rule and fingerprint (no line), so unrelated edits keep them matched; ESLint's eslint-suppressions.json is
// read too, with its per-file, per-rule counts.

const oldCalls = 'export async function a(url: string) {\n  return fetch(url);\n}\n\nexport async function b(url: string) {\n  return fetch(`${url}/b`);\n}\n';
const newCall = 'export async function c(url: string) {\n  return fetch(`${url}/c`);\n}\n';

interface AuditJson {
  exitCode: number;
  baseline?: { format: string; entries: number; baselined: number; new: number; resolved: number; updated: boolean };
  files: { path: string; sites: { ruleId: string; baselined?: boolean; location: { line: number } }[] }[];
}

function audit(repo: string, args: string[]): { status: number | null; report: AuditJson; stderr: string } {
  const result = runCli(['audit', '--format', 'json', '--quiet', ...args], { cwd: repo });
  const report = JSON.parse(result.stdout || '{}') as AuditJson;
  if (result.status !== 2) expect(checkJsonSchema(JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as Record<string, unknown>, report)).toEqual([]);
  return { status: result.status, report, stderr: result.stderr };
}

afterAll(removeTemporaryFolders);

describe('bounded-http audit --baseline', { timeout: 120_000 }, () => {
  it('writes the baseline, passes on it, survives unrelated edits and fails only on a new finding', () => {
    const repo = makeRepo({ 'src/old.ts': oldCalls });
    const written = audit(repo, ['--baseline', 'bounded-http-baseline.json', '--update-baseline']);
    expect(written.status).toBe(0);
    expect(written.report.baseline).toMatchObject({ entries: 0, new: 2, updated: true });
    const baseline = JSON.parse(readFileSync(join(repo, 'bounded-http-baseline.json'), 'utf8')) as { findings: { path: string; ruleId: string; snippet: string }[] };
    expect(baseline.findings.map((entry) => `${entry.path} ${entry.ruleId} ${entry.snippet}`)).toEqual([
      expect.stringMatching(/^src\/old\.ts no-unbounded-fetch fetch\(/) as unknown,
      expect.stringMatching(/^src\/old\.ts no-unbounded-fetch fetch\(/) as unknown,
    ]);

    // Without the baseline the gate fails; with it, it passes.
    expect(audit(repo, []).status).toBe(1);
    expect(audit(repo, ['--baseline', 'bounded-http-baseline.json'])).toMatchObject({ status: 0, report: { baseline: { baselined: 2, new: 0, resolved: 0 } } });

    // Lines added above move every finding: still matched.
    writeFileSync(join(repo, 'src/old.ts'), `import './setup.js';\n\n${oldCalls}`);
    expect(audit(repo, ['--baseline', 'bounded-http-baseline.json'])).toMatchObject({ status: 0, report: { baseline: { baselined: 2, new: 0 } } });

    // A new unbounded call fails the gate, and only it is new.
    writeFileSync(join(repo, 'src/new.ts'), newCall);
    const gated = audit(repo, ['--baseline', 'bounded-http-baseline.json']);
    expect(gated.status).toBe(1);
    expect(gated.report.baseline).toMatchObject({ baselined: 2, new: 1 });
    const text = runCli(['audit', '--quiet', '--baseline', 'bounded-http-baseline.json'], { cwd: repo }).stdout;
    expect(text).toContain('baseline bounded-http-baseline.json: 2 held, 1 new finding');
    expect(findingLines(text).filter((line) => line.includes('no-unbounded-fetch')).map((line) => line.split(' ')[0])).toEqual(['src/new.ts:2:10']);
    expect(gated.report.files.flatMap((file) => file.sites.filter((site) => site.baselined !== true).map((site) => `${file.path}:${site.location.line}`))).toEqual(['src/new.ts:2']);
  });

  it('counts a fixed finding as resolved, and --update-baseline drops it', () => {
    const repo = makeRepo({ 'src/old.ts': oldCalls });
    audit(repo, ['--baseline', 'base.json', '--update-baseline']);
    writeFileSync(join(repo, 'src/old.ts'), oldCalls.replace('fetch(url)', 'fetch(url, { signal: AbortSignal.timeout(5_000) })'));
    expect(audit(repo, ['--baseline', 'base.json'])).toMatchObject({ status: 0, report: { baseline: { entries: 2, baselined: 1, resolved: 1 } } });
    audit(repo, ['--baseline', 'base.json', '--update-baseline']);
    expect((JSON.parse(readFileSync(join(repo, 'base.json'), 'utf8')) as { findings: unknown[] }).findings).toHaveLength(1);
  });

  it('reads ESLint’s eslint-suppressions.json counts per file and rule', () => {
    const repo = makeRepo({
      'src/old.ts': oldCalls,
      'eslint-suppressions.json': JSON.stringify({ 'src/old.ts': { 'bounded-http/no-unbounded-fetch': { count: 1 }, 'no-console': { count: 3 } } }),
    });
    const result = audit(repo, ['--baseline', 'eslint-suppressions.json']);
    expect(result.status).toBe(1);
    expect(result.report.baseline).toMatchObject({ format: 'eslint-suppressions', entries: 1, baselined: 1, new: 1 });
    const refused = runCli(['audit', '--quiet', '--baseline', 'eslint-suppressions.json', '--update-baseline'], { cwd: repo });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('eslint --suppress-rule');
  });

  it('refuses a missing or malformed baseline before scanning, naming the file and the fix', () => {
    const repo = makeRepo({ 'src/old.ts': oldCalls, 'broken.json': '{ "tool": "bounded-http", "baselineVersion": 1, "findings": [1] }' });
    const missing = runCli(['audit', '--baseline', 'nope.json'], { cwd: repo });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('the baseline nope.json does not exist');
    expect(missing.stderr).toContain('--update-baseline');
    const broken = runCli(['audit', '--baseline', 'broken.json'], { cwd: repo });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('broken.json is not a baseline');
    const alone = runCli(['audit', '--update-baseline'], { cwd: repo });
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--update-baseline needs the file to write');
  });
});
