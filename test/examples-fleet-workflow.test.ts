import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { repoPath } from './support/repo-paths.js';

// docs/adoption.md copies this workflow verbatim. No YAML parser is a dependency of this repository, so the test
// checks its structure by indentation, and the commands it runs against the CLI's real flags: one audit report per
// matrix job, uploaded as an artifact, and one merge job that downloads them all and writes the fleet page.

const workflow = readFileSync(repoPath('examples', 'ci', 'bounded-http-fleet.yml'), 'utf8');
const lines = workflow.split('\n');

describe('examples/ci/bounded-http-fleet.yml', () => {
  it('is indented with spaces only, in steps of two, as YAML requires', () => {
    for (const [index, line] of lines.entries()) {
      const indent = /^( *)/.exec(line)?.[1]?.length ?? 0;
      expect({ line: index + 1, tab: line.includes('\t'), evenIndent: indent % 2 === 0 }).toEqual({ line: index + 1, tab: false, evenIndent: true });
    }
  });

  it('audits each repository of the matrix into a report, using its baseline when it has one', () => {
    expect(workflow).toMatch(/matrix:\n {8}repository: \[[^\]]+\]/);
    expect(workflow).toContain('bounded-http audit --quiet $baseline --report "$RUNNER_TEMP/report.json"');
    expect(workflow).toContain('if [ -f bounded-http-baseline.json ]; then baseline="--baseline bounded-http-baseline.json"; fi');
    expect(workflow).toContain('fail-fast: false');
  });

  it('uploads each report and merges them all in a final job that runs even when audits found something', () => {
    const upload = workflow.indexOf('name: bounded-http-report-${{ strategy.job-index }}');
    const merge = workflow.indexOf('  merge:\n    needs: audit\n    if: always()');
    const download = workflow.indexOf('pattern: bounded-http-report-*');
    expect(upload).toBeGreaterThan(0);
    expect(merge).toBeGreaterThan(upload);
    expect(download).toBeGreaterThan(merge);
    expect(workflow).toContain('merge-multiple: true');
    expect(workflow).toContain('bounded-http report merge --format html --output fleet.html reports/*.json');
  });

  it('runs the published CLI at a pinned version, bounds every job and reads only', () => {
    expect(workflow.match(/bounded-http-codemods@0\.1\.0/g)?.length).toBe(3);
    const jobs = workflow.match(/^ {2}[\w-]+:\n(?: {4}.*\n)*? {4}runs-on:/gm) ?? [];
    expect(jobs.length).toBe(2);
    expect(workflow.match(/timeout-minutes: \d+/g)).toHaveLength(2);
    expect(workflow).toMatch(/\npermissions:\n {2}contents: read\n/);
    expect(workflow).not.toContain('write');
  });
});
