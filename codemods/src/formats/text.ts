/**
 * The human-readable output of audit and fix, laid out like ESLint's stylish formatter: each file's path once,
 * its findings indented under it, lines wrapped to 120 columns, and a summary per repository whose tables add up
 * to the totals they sit under. Colour only on a terminal, and never with NO_COLOR (FORCE_COLOR forces it).
 */
import { styleText } from 'node:util';

import type { FileRecord, Report, RepoSummary, SiteRecord } from '../report.js';

/** The widest line written, as in most terminals and code review tools. */
const maxWidth = 120;

type Style = Parameters<typeof styleText>[0];

export interface TextOptions {
  /** Colour the output (see {@link shouldColour}). */
  colour?: boolean;
}

/**
 * Whether to colour what goes to `stream`: FORCE_COLOR (other than `0`/`false`) forces it, NO_COLOR (any value,
 * no-color.org) or TERM=dumb turns it off, otherwise only a terminal gets it.
 */
export function shouldColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const forced = env['FORCE_COLOR'];
  if (forced !== undefined && forced !== '' && forced !== '0' && forced !== 'false') return true;
  if (forced === '0' || forced === 'false') return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

function paint(options: TextOptions, style: Style, text: string): string {
  // Whether to colour is decided once, by shouldColour, for the stream the text goes to: styleText must not
  // look at stdout again (under --dry-run the summary goes to stderr).
  return options.colour ? styleText(style, text, { validateStream: false }) : text;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * What a rule's findings are called in a summary. Most rules find calls without a deadline; the two that find
 * process-wide settings and restricted APIs do not, and a summary must not count those as unbounded calls.
 */
const findingNouns: Readonly<Record<string, readonly [string, string]>> = {
  'no-global-agent': ['process-global HTTP setting', 'process-global HTTP settings'],
  'no-restricted-http-api': ['restricted HTTP API use', 'restricted HTTP API uses'],
  'require-signal-propagation': ["call that drops its caller's signal", "calls that drop their caller's signal"],
};
const unboundedCall = ['unbounded call', 'unbounded calls'] as const;

/** `2 unbounded calls, 1 process-global HTTP setting`: the findings by what they are, unbounded calls first. */
function findingsByNoun(byRule: Record<string, number>): string[] {
  const counts = new Map<string, { count: number; nouns: readonly [string, string] }>();
  for (const [rule, count] of Object.entries(byRule)) {
    const nouns = findingNouns[rule] ?? unboundedCall;
    const entry = counts.get(nouns[0]) ?? { count: 0, nouns };
    entry.count += count;
    counts.set(nouns[0], entry);
  }
  return [...counts.values()]
    .sort((a, b) => Number(b.nouns === unboundedCall) - Number(a.nouns === unboundedCall) || b.count - a.count)
    .map(({ count, nouns }) => plural(count, nouns[0], nouns[1]));
}

/**
 * `2 unbounded calls` when every finding is one, else `3 findings (2 unbounded calls, 1 process-global HTTP
 * setting)`; `where` (` in 2 files`) goes after the count.
 */
function foundPhrase(findings: number, byRule: Record<string, number>, where = ''): string {
  const kinds = findingsByNoun(byRule);
  if (kinds.every((kind) => kind.includes(unboundedCall[0]) || kind.includes(unboundedCall[1]))) return `${plural(findings, unboundedCall[0], unboundedCall[1])}${where}`;
  return `${plural(findings, 'finding')}${where} (${kinds.join(', ')})`;
}

/** A count table whose rows add up to `total`; sites without a client family get a row of their own. */
function table(title: string, counts: Record<string, number>, total: number, rest: string): string[] {
  const entries = Object.entries(counts).sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1));
  const counted = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total > counted) entries.push([rest, total - counted]);
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([key]) => key.length));
  return [`  ${title}:`, ...entries.map(([key, count]) => `    ${key.padEnd(width)}  ${count}`)];
}

/** Words of `text` laid out in lines of at most `maxWidth` columns, the first after `prefix`, the rest under it. */
function wrap(prefix: string, text: string, hangingIndent: number): string[] {
  const indent = ' '.repeat(hangingIndent);
  const lines: string[] = [];
  let line = prefix;
  let lineHasWord = false;
  for (const word of text.split(' ')) {
    if (lineHasWord && line.length + 1 + word.length > maxWidth) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = lineHasWord ? `${line} ${word}` : `${line}${word}`;
    }
    lineHasWord = true;
  }
  lines.push(line);
  return lines;
}

/** `    12:5  unfixable  no-unbounded-fetch  message…`, wrapped under the message's first column. */
function siteLines(site: SiteRecord, label: string, options: TextOptions, labelStyle: Style): string[] {
  const position = `${site.location.line}:${site.location.column}`;
  const plainPrefix = `    ${position.padEnd(7)} ${label}  ${site.ruleId}  `;
  // A long prefix would leave the message a narrow column: wrap it under the position instead.
  const hanging = plainPrefix.length <= 64 ? plainPrefix.length : 8;
  const [first = '', ...rest] = wrap(plainPrefix, site.reason, hanging);
  const coloured = first.replace(`${label}  ${site.ruleId}`, `${paint(options, labelStyle, label)}  ${paint(options, 'dim', site.ruleId)}`);
  return [coloured, ...rest];
}

function filesOf(report: Report, repo: RepoSummary): FileRecord[] {
  return report.files.filter((file) => file.repo === repo.root);
}

/** The files that could not be processed: failures, then files left alone (not UTF-8, read-only), each with its reason. */
function failureLines(files: readonly FileRecord[], options: TextOptions): string[] {
  const failed = files.filter((file) => file.status === 'failed');
  const skipped = files.filter((file) => file.status === 'skipped');
  return [
    ...(failed.length === 0 ? [] : [`  ${paint(options, 'red', 'failures')}:`, ...failed.flatMap((file) => wrap('    ', file.error ?? file.path, 6))]),
    ...(skipped.length === 0 ? [] : [`  ${paint(options, 'yellow', 'skipped files')}:`, ...skipped.flatMap((file) => wrap('    ', file.message ?? `${file.path}: ${file.reason ?? 'skipped'}`, 6))]),
  ];
}

/** Sites hidden by an eslint-disable comment that is not the documented per-rule exception: the gate does not see them. */
function isUndocumentedSuppression(site: SiteRecord): boolean {
  return site.suppression !== undefined && site.suppression !== 'documented';
}

function suppressedSummary(repo: RepoSummary): string {
  const undocumented = repo.suppressedUndocumented > 0 ? ` (${repo.suppressedUndocumented} of them not by the documented per-rule exception)` : '';
  return `${repo.suppressed} suppressed by eslint-disable${undocumented}`;
}

/** Each file with something to show: its path once, then its lines. */
function fileBlocks(files: readonly FileRecord[], linesOf: (file: FileRecord) => string[], options: TextOptions): string[] {
  const lines: string[] = [];
  for (const file of files) {
    const own = linesOf(file);
    if (own.length > 0) lines.push(`  ${paint(options, 'underline', file.path)}`, ...own);
  }
  return lines;
}

function leftOutLine(report: Report): string[] {
  const leftOut = report.leftOut;
  if (!leftOut || leftOut.files === 0) return [];
  const reasons = Object.entries(leftOut.byReason).map(([why, count]) => `${count} by ${why}`);
  return wrap('', `${plural(leftOut.files, 'file')} left out, as ESLint would leave them out: ${reasons.join(', ')}`, 2);
}

/** One block per repository: its findings, then the summary by rule and family. */
export function formatAuditText(report: Report, options: TextOptions = {}): string {
  const lines: string[] = [];
  for (const repo of report.repos) {
    const files = filesOf(report, repo);
    lines.push(paint(options, 'bold', `${repo.root}${repo.isGitRepo ? '' : ' (not a git repository)'}`));
    lines.push(
      ...fileBlocks(
        files,
        (file) => [
          // Baselined findings are old debt the gate accepts: counted below, not listed.
          ...file.sites.filter((site) => site.action === 'reported' && site.baselined !== true).flatMap((site) => siteLines(site, site.action, options, 'red')),
          ...file.sites.filter(isUndocumentedSuppression).flatMap((site) => siteLines(site, site.action, options, 'yellow')),
        ],
        options,
      ),
    );
    // Only unbounded calls: the short form. Anything else is named for what it is, never as an unbounded call.
    const found = foundPhrase(repo.findings, repo.byRule, ` in ${plural(files.filter((file) => file.status === 'findings').length, 'file')}`);
    lines.push(...wrap('  ', `${plural(repo.files, 'file')} scanned, ${found}, ${suppressedSummary(repo)}`, 4));
    if (report.files.some((file) => file.types !== undefined)) {
      const untyped = files.filter((file) => file.types === 'none').length;
      if (untyped > 0) lines.push(`  ${plural(untyped, 'file')} linted without types: no tsconfig.json includes them`);
    }
    lines.push(...table('by rule', repo.byRule, repo.findings, '(other)'), ...table('by client family', repo.byFamily, repo.findings, '(no client: global settings, restricted APIs)'), ...failureLines(files, options), '');
  }
  lines.push(...leftOutLine(report));
  const baseline = report.baseline;
  if (baseline) {
    const resolved = baseline.resolved > 0 ? `, ${baseline.resolved} fixed since (${baseline.updated ? 'dropped' : 'drop them with --update-baseline'})` : '';
    lines.push(`baseline ${baseline.path}${baseline.updated ? ' (written)' : ''}: ${baseline.baselined} held, ${plural(baseline.new, 'new finding')}${resolved}`);
  }
  if (report.repos.length > 1) {
    const totals = report.totals;
    lines.push(`total: ${plural(report.repos.length, 'repository', 'repositories')}, ${plural(totals.files, 'file')}, ${foundPhrase(totals.findings, totals.byRule)}`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Per-rule and per-family counts over every site fix looked at, suppressed ones included: they add up to it. */
function fixTables(files: readonly FileRecord[]): { sites: number; byRule: Record<string, number>; byFamily: Record<string, number> } {
  const byRule: Record<string, number> = {};
  const byFamily: Record<string, number> = {};
  let sites = 0;
  for (const file of files) {
    for (const site of file.sites) {
      sites += 1;
      byRule[site.ruleId] = (byRule[site.ruleId] ?? 0) + 1;
      if (site.family !== undefined) byFamily[site.family] = (byFamily[site.family] ?? 0) + 1;
    }
  }
  return { sites, byRule, byFamily };
}

/** One block per repository: what was not fixed and why (the fixed sites are in the diff or git), then counts. */
export function formatFixText(report: Report, options: TextOptions = {}): string {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would change' : 'changed';
  const fixedVerb = report.dryRun ? 'would be fixed' : 'fixed';
  for (const repo of report.repos) {
    const files = filesOf(report, repo);
    lines.push(paint(options, 'bold', `${repo.root}${report.dryRun ? ' (dry run: nothing written)' : ''}`));
    lines.push(
      ...fileBlocks(
        files,
        (file) => [
          ...file.sites.filter((site) => site.action === 'unfixable' || site.action === 'failed').flatMap((site) => siteLines(site, site.action, options, site.action === 'failed' ? 'red' : 'yellow')),
          ...file.sites.filter(isUndocumentedSuppression).flatMap((site) => siteLines(site, site.action, options, 'yellow')),
          ...file.sites.flatMap((site) => (site.warnings ?? []).flatMap((warning) => siteLines({ ...site, reason: warning }, 'warning', options, 'yellow'))),
        ],
        options,
      ),
    );
    const tables = fixTables(files);
    const skippedDetail = repo.suppressed > 0 ? ` (${repo.suppressed} suppressed by eslint-disable)` : '';
    lines.push(
      ...wrap(
        '  ',
        `${plural(repo.files, 'file')} scanned, ${repo.filesChanged} ${verb}; ${plural(repo.fixed, 'site')} ${fixedVerb}, ${repo.unfixable} unfixable, ${repo.skipped} skipped${skippedDetail}${
          repo.failed > 0 ? `, ${repo.failed} not written` : ''
        }; ${plural(repo.remaining, unboundedCall[0], unboundedCall[1])} left`,
        4,
      ),
    );
    if (tables.sites > 0) lines.push(`  ${plural(tables.sites, 'site')} in all, by what was found:`);
    lines.push(...table('by rule', tables.byRule, tables.sites, '(other)'), ...table('by client family', tables.byFamily, tables.sites, '(no client: global settings, restricted APIs)'), ...failureLines(files, options), '');
  }
  lines.push(...leftOutLine(report));
  return `${lines.join('\n').trimEnd()}\n`;
}
