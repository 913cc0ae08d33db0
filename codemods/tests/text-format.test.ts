/**
 * The text output (issue 13): every table adds up to the total it sits under, a process-global setting is never
 * counted as an unbounded call, no line is wider than 120 columns, each file's path is written once, and colour
 * follows NO_COLOR / FORCE_COLOR / the terminal.
 */
import { describe, expect, it } from 'vitest';

import { formatAuditText, formatFixText, shouldColour } from '../src/formats/text.js';
import { type FileRecord, type Report, type SiteRecord, summarise } from '../src/report.js';
import { findingLines } from './support/text-output.js';

const longReason =
  '`fetch(...)` has no deadline, so a peer that accepts the connection and never answers holds it forever. Pass `signal: AbortSignal.timeout(ms)`.';

function site(ruleId: string, action: SiteRecord['action'], line: number, extra: Partial<SiteRecord> = {}): SiteRecord {
  return { ruleId, messageId: 'x', action, reason: ruleId === 'no-global-agent' ? 'replacing the global `fetch` changes every caller in the process' : longReason, location: { line, column: 3 }, ...extra };
}

function report(command: Report['command'], files: FileRecord[]): Report {
  const summary = summarise(files);
  return {
    schemaVersion: 1,
    tool: { name: 'bounded-http', version: '0' },
    command,
    dryRun: false,
    options: {},
    exitCode: 1,
    timing: { elapsedMs: 0, cpuMs: 0, analysisThreads: 0 },
    repos: [{ root: '/repo', isGitRepo: true, ...summary }],
    totals: summary,
    files,
  };
}

const repo = '/repo';
const auditFiles: FileRecord[] = [
  { path: 'src/a.ts', repo, status: 'findings', sites: [site('no-unbounded-fetch', 'reported', 2, { family: 'fetch' }), site('no-unbounded-fetch', 'reported', 9, { family: 'fetch' })] },
  { path: 'src/setup.ts', repo, status: 'findings', sites: [site('no-global-agent', 'reported', 1)] },
  { path: 'src/b.ts', repo, status: 'clean', sites: [site('no-unbounded-fetch', 'suppressed', 4, { family: 'fetch', suppression: 'blanket' })] },
];

/** The rows of the table titled `title` in the first repository block, as numbers. */
function tableRows(text: string, title: string): number[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`  ${title}:`);
  const rows: number[] = [];
  for (const line of lines.slice(start + 1)) {
    const row = /^ {4}.+ {2}(\d+)$/u.exec(line);
    if (!row) break;
    rows.push(Number(row[1]));
  }
  return rows;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe('audit text', () => {
  const text = formatAuditText(report('audit', auditFiles));

  it('names a process-global setting for what it is, never as an unbounded call', () => {
    // Wrapped at 120 columns: read it back as one line.
    expect(text.replace(/\n {4}(?=\S)/gu, ' ')).toContain('3 files scanned, 3 findings in 2 files (2 unbounded calls, 1 process-global HTTP setting), 1 suppressed by eslint-disable');
  });

  it('has tables that add up to the findings they sit under', () => {
    expect(sum(tableRows(text, 'by rule'))).toBe(3);
    expect(sum(tableRows(text, 'by client family'))).toBe(3);
    expect(text).toContain('(no client: global settings, restricted APIs)  1');
  });

  it('writes each path once, its findings under it, and no line wider than 120 columns', () => {
    expect(text.split('\n').filter((line) => line === '  src/a.ts')).toHaveLength(1);
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(120);
    expect(findingLines(text)).toEqual([
      `src/a.ts:2:3  reported  no-unbounded-fetch  ${longReason}`,
      `src/a.ts:9:3  reported  no-unbounded-fetch  ${longReason}`,
      'src/setup.ts:1:3  reported  no-global-agent  replacing the global `fetch` changes every caller in the process',
      `src/b.ts:4:3  suppressed  no-unbounded-fetch  ${longReason}`,
    ]);
  });

  it('keeps the short form when every finding is an unbounded call', () => {
    expect(formatAuditText(report('audit', auditFiles.slice(0, 1)))).toContain('1 file scanned, 2 unbounded calls in 1 file, 0 suppressed by eslint-disable');
  });
});

describe('fix text', () => {
  const fixFiles: FileRecord[] = [
    { path: 'src/a.ts', repo, status: 'fixed', remaining: 1, sites: [site('no-unbounded-fetch', 'fixed', 2, { family: 'fetch' }), site('no-unbounded-fetch', 'unfixable', 9, { family: 'fetch' })] },
    { path: 'src/setup.ts', repo, status: 'unchanged', remaining: 0, sites: [site('no-global-agent', 'skipped', 1, { suppression: 'documented' })] },
  ];
  const text = formatFixText(report('fix', fixFiles));

  it('has tables that add up to every site it looked at, suppressed ones included', () => {
    expect(text).toContain('3 sites in all, by what was found:');
    expect(sum(tableRows(text, 'by rule'))).toBe(3);
    expect(sum(tableRows(text, 'by client family'))).toBe(3);
    expect(text).toContain('1 site fixed, 1 unfixable, 1 skipped (1 suppressed by eslint-disable)');
  });
});

describe('colour', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { FORCE_COLOR: '0' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ])('stream %j with %j: %s', (stream, env, expected) => {
    expect(shouldColour(stream, env)).toBe(expected);
  });

  it('colours only when asked, and the words stay the same', () => {
    const plain = formatAuditText(report('audit', auditFiles));
    const coloured = formatAuditText(report('audit', auditFiles), { colour: true });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[31mreported\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/gu, '')).toBe(plain);
  });
});
