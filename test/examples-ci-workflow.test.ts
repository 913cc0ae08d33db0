import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { repoPath } from './support/repo-paths.js';

// docs/adoption.md copies this workflow verbatim. No YAML parser is a dependency of this repository, so the test
// checks the structure by indentation and the steps that make it a gate: the SARIF is written by the CLI's real flag,
// uploaded by the code scanning action with the permission it needs, and the job still fails on findings.

const workflow = readFileSync(repoPath('examples', 'ci', 'bounded-http.yml'), 'utf8');
const lines = workflow.split('\n');

describe('examples/ci/bounded-http.yml', () => {
  it('is indented with spaces only, in steps of two, as YAML requires', () => {
    for (const [index, line] of lines.entries()) {
      const indent = /^( *)/.exec(line)?.[1]?.length ?? 0;
      expect({ line: index + 1, tab: line.includes('\t'), evenIndent: indent % 2 === 0 }).toEqual({ line: index + 1, tab: false, evenIndent: true });
    }
  });

  it('writes SARIF with the audit command, uploads it, then fails the job on findings', () => {
    const audit = lines.findIndex((line) => line.includes('run: npx bounded-http audit --eslint-config --format sarif > results.sarif'));
    const upload = lines.findIndex((line) => line.includes('uses: github/codeql-action/upload-sarif@v3'));
    const fail = lines.findIndex((line) => line.includes("if: steps.audit.outcome == 'failure'"));
    expect(audit).toBeGreaterThan(0);
    expect(upload).toBeGreaterThan(audit);
    expect(fail).toBeGreaterThan(upload);
    expect(lines.slice(audit - 3, audit)).toEqual(expect.arrayContaining(['        id: audit', '        continue-on-error: true']));
    expect(lines.slice(upload, upload + 4)).toContain('          sarif_file: results.sarif');
  });

  it('grants code scanning its write permission only in the job that uploads', () => {
    expect(workflow.match(/security-events: write/g)).toHaveLength(1);
    expect(workflow).toMatch(/\npermissions:\n {2}contents: read\n/);
  });

  it('bounds each job, as the toolkit asks of every call', () => {
    const jobs = workflow.match(/^ {2}[\w-]+:\n {4}runs-on:/gm) ?? [];
    expect(jobs.length).toBe(2);
    expect(workflow.match(/timeout-minutes: \d+/g)).toHaveLength(jobs.length);
  });

  it('gates lint with zero warnings allowed, so an unused long-poll exception fails too', () => {
    expect(workflow).toContain('run: npx eslint --max-warnings 0 .');
  });
});
