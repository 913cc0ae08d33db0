import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeFolder, makeRepo, removeTemporaryFolders, runCli } from './support/cli-harness.js';

// The fleet view: one audit report per repository (one per CI matrix job), merged into one summary. The HTML
// page is rendered by a real headless Chromium and its screenshot checked for the charts' bars.

const repos = {
  billing: {
    'src/pay.ts': "import axios from 'axios';\nexport const a = () => fetch('https://x');\nexport const b = () => axios.get('https://y');\nexport const c = () => fetch('https://z');\n",
  },
  inventory: { 'src/stock.ts': "import got from 'got';\nexport const a = () => got('https://x');\n" },
  gateway: { 'src/proxy.ts': "export const a = () => fetch('https://x', { signal: AbortSignal.timeout(1000) });\n" },
};

let reports: string;
const reportFiles = (): string[] => Object.keys(repos).map((name) => join(reports, `${name}.json`));

beforeAll(() => {
  reports = makeFolder({});
  for (const [name, files] of Object.entries(repos)) {
    const repo = makeRepo(files);
    // Each matrix job checks its repository out under its own name.
    const named = join(repo, name);
    mkdirSync(named);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(named, 'src'), { recursive: true });
      writeFileSync(join(named, file), text);
    }
    execFileSync('git', ['init', '-q', named]);
    const result = runCli(['audit', '--quiet', '--report', join(reports, `${name}.json`), '.'], { cwd: named });
    expect(result.status).toBe(name === 'gateway' ? 0 : 1);
  }
}, 180_000);

afterAll(removeTemporaryFolders);

interface Fleet {
  repos: { name: string; findings: number; byFamily: Record<string, number>; list: { path: string; line: number }[] }[];
  totals: { repos: number; reposWithFindings: number; findings: number; byRule: Record<string, number>; byFamily: Record<string, number> };
}

describe('bounded-http report merge', { timeout: 120_000 }, () => {
  it('sums repositories, rules and families, and the tables add up to the totals', () => {
    const result = runCli(['report', 'merge', '--format', 'json', ...reportFiles()], { cwd: reports });
    expect(result.status).toBe(1);
    const fleet = JSON.parse(result.stdout) as Fleet;
    expect(fleet.repos.map((repo) => [repo.name, repo.findings])).toEqual([
      ['billing', 3],
      ['inventory', 1],
      ['gateway', 0],
    ]);
    expect(fleet.totals).toMatchObject({ repos: 3, reposWithFindings: 2, findings: 4, byFamily: { fetch: 2, axios: 1, got: 1 } });
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(fleet.totals.byRule)).toBe(fleet.totals.findings);
    expect(sum(fleet.totals.byFamily)).toBe(fleet.totals.findings);
    expect(fleet.repos.find((repo) => repo.name === 'billing')?.list.map((finding) => `${finding.path}:${finding.line}`)).toEqual(['src/pay.ts:2', 'src/pay.ts:3', 'src/pay.ts:4']);

    const text = runCli(['report', 'merge', ...reportFiles()], { cwd: reports }).stdout;
    expect(text).toContain('total: 3 repositories (2 with findings), 3 files, 4 unbounded calls');
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(120);
  });

  it('tells repositories checked out under the same folder name apart by their report files', () => {
    const copy = join(reports, 'copy');
    mkdirSync(copy, { recursive: true });
    writeFileSync(join(copy, 'billing-eu.json'), readFileSync(join(reports, 'billing.json')));
    const fleet = JSON.parse(runCli(['report', 'merge', '--format', 'json', join(reports, 'billing.json'), join(copy, 'billing-eu.json')], { cwd: reports }).stdout) as Fleet;
    expect(fleet.repos.map((repo) => repo.name).sort()).toEqual(['billing (billing)', 'billing (billing-eu)']);
  });

  it('refuses a file that is not an audit report, naming it, and writes nothing', () => {
    writeFileSync(join(reports, 'not-a-report.json'), '{"hello": 1}');
    const output = join(reports, 'fleet.html');
    const result = runCli(['report', 'merge', '--format', 'html', '-o', output, ...reportFiles(), join(reports, 'not-a-report.json')], { cwd: reports });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot merge');
    expect(result.stderr).toContain('not-a-report.json: it is not a bounded-http report');
    expect(existsSync(output)).toBe(false);
    expect(runCli(['report', 'merge'], { cwd: reports })).toMatchObject({ status: 2, stderr: expect.stringContaining('needs the audit reports to merge') as unknown });
  });

  it('renders a self-contained HTML page whose charts show in a real headless Chromium', () => {
    const page = join(reports, 'fleet.html');
    expect(runCli(['report', 'merge', '--format', 'html', '-o', page, ...reportFiles()], { cwd: reports }).status).toBe(1);
    const html = readFileSync(page, 'utf8');
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('fetch: unbounded calls by repository');

    // Chromium is installed by .ci/run (Debian's package); without it this test cannot do its job, so it fails.
    const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => existsSync(candidate));
    expect(chromium, 'headless Chromium (apt-get install chromium) is needed to check the page renders').toBeDefined();
    const screenshot = join(reports, 'fleet.png');
    const run = spawnSync(
      chromium ?? 'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(reports, 'chrome-profile')}`, '--window-size=1200,1200', `--screenshot=${screenshot}`, `file://${page}`],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect({ status: run.status, written: existsSync(screenshot) }).toEqual({ status: 0, written: true });
    const png = PNG.sync.read(readFileSync(screenshot));
    const pixelsOf = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16));
      let count = 0;
      for (let index = 0; index < png.data.length; index += 4) {
        if (Math.abs((png.data[index] ?? 0) - (r ?? 0)) < 6 && Math.abs((png.data[index + 1] ?? 0) - (g ?? 0)) < 6 && Math.abs((png.data[index + 2] ?? 0) - (b ?? 0)) < 6) count += 1;
      }
      return count;
    };
    // One bar per family in its own colour (fetch first: it has the most findings), plus the overview's bars.
    // A bar of the full width is about 420 × 18 pixels; anything above a few thousand pixels is a drawn bar.
    for (const colour of ['#2563eb', '#dc2626', '#059669', '#334155']) expect({ colour, pixels: pixelsOf(colour) > 3000 }).toEqual({ colour, pixels: true });
  });
});
