import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { repoPath } from './support/repo-paths.js';
import { findingLines } from '../codemods/tests/support/text-output.js';

// `npm run demo` promises that `bounded-http fix` leaves the example clean: the audit of the fixed copy exits 0 with
// 0 findings, and what is left are the documented exceptions. The demo script checks that itself and fails loudly;
// these tests run the script for real and hold it to both halves: clean on the example, loud when it is not clean.

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const demoScript = repoPath('scripts', 'demo', 'codemods.mjs');

function runDemo(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [demoScript, ...args], { cwd: repoPath(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The exempt sites of EXPECTED.md's `recommended` column, as `file:line rule`. */
function exemptSitesInAnswerKey(): string[] {
  const answerKey = readFileSync(repoPath('examples', 'service', 'EXPECTED.md'), 'utf8');
  return [...answerKey.matchAll(/^\| (src\/[\w./-]+\.ts):(\d+) \| `[^`]+` \| exempt \(([\w-]+)\) \|/gm)].map(
    ([, file = '', line = '', rule = '']) => `${file}:${line} ${rule}`,
  );
}

/** The lines of the demo's "result" section that list the sites left under a disable comment. */
function listedExceptions(stdout: string): string[] {
  const result = stdout.slice(stdout.indexOf('\n--- result\n'));
  return [...result.matchAll(/^ {2}(src\/\S+:\d+) {2}([\w-]+) {2}-- (.*)$/gm)].map(([, site = '', rule = '']) => `${site} ${rule}`);
}

// Each run spawns the CLI four times; the timeouts are headroom for a shared machine, not a speed goal.
describe('npm run demo, the codemods part (scripts/demo/codemods.mjs)', () => {
  it('audits the example clean after fix: exit 0, 0 findings, only the documented exceptions left', { timeout: 180_000 }, async () => {
    const run = await runDemo();
    expect(run.stderr).not.toContain('DEMO FAILED');
    expect(run.status).toBe(0);

    // The second audit's own output, as the CLI printed it.
    const secondAudit = run.stdout.slice(run.stdout.lastIndexOf('$ bounded-http audit'));
    expect(secondAudit).toMatch(/^\$ bounded-http audit --quiet --report \S+ \S+\n/);
    expect(secondAudit).toContain(' 0 unbounded calls in 0 files, 2 suppressed by eslint-disable\n(exit code 0)\n');
    expect(run.stdout).toContain('audit before fix: exit 1; audit after fix: exit 0, 0 findings\n');

    const exemptSites = exemptSitesInAnswerKey();
    expect(exemptSites).toHaveLength(2);
    expect(listedExceptions(run.stdout).sort()).toEqual(exemptSites.sort());
  });

  it('fails loudly, with the real output, when fix leaves a finding behind', { timeout: 180_000 }, async () => {
    // Process-wide state outside any entry point: no transform may rewrite it, so the second audit still reports it.
    const scratch = mkdtempSync(join(tmpdir(), 'bounded-http-demo-test-'));
    try {
      const service = join(scratch, 'service');
      mkdirSync(service);
      writeFileSync(join(service, 'pool.ts'), "import https from 'node:https';\n\nhttps.globalAgent.maxSockets = 8;\n");
      const run = await runDemo(service);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('DEMO FAILED');
      expect(run.stderr).toContain('the audit after fix exited 1 with 1 finding,');
      const secondAudit = run.stdout.slice(run.stdout.lastIndexOf('$ bounded-http audit'));
      expect(findingLines(secondAudit)).toContainEqual(expect.stringMatching(/pool\.ts:3:1 {2}reported {2}no-global-agent /u));
      expect(secondAudit).toContain('(exit code 1)\n');
      expect(run.stdout).toContain('audit before fix: exit 1; audit after fix: exit 1, 1 finding\n');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
