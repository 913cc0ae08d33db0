import type { FileRecord, Report, RepoSummary, SiteRecord } from '../report.js';

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function table(title: string, counts: Record<string, number>): string[] {
  const entries = Object.entries(counts).sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1));
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([key]) => key.length));
  return [`  ${title}:`, ...entries.map(([key, count]) => `    ${key.padEnd(width)}  ${count}`)];
}

function siteLine(file: FileRecord, site: SiteRecord): string {
  return `  ${file.path}:${site.location.line}:${site.location.column}  ${site.action}  ${site.ruleId}  ${site.reason}`;
}

function filesOf(report: Report, repo: RepoSummary): FileRecord[] {
  return report.files.filter((file) => file.repo === repo.root);
}

/** The files that could not be processed: failures, then files left alone (not UTF-8, read-only), each with its reason. */
function failureLines(files: readonly FileRecord[]): string[] {
  const failed = files.filter((file) => file.status === 'failed');
  const skipped = files.filter((file) => file.status === 'skipped');
  return [
    ...(failed.length === 0 ? [] : ['  failures:', ...failed.map((file) => `    ${file.error ?? file.path}`)]),
    ...(skipped.length === 0 ? [] : ['  skipped files:', ...skipped.map((file) => `    ${file.message ?? `${file.path}: ${file.reason ?? 'skipped'}`}`)]),
  ];
}

/** Sites hidden by an eslint-disable comment that is not the documented per-rule exception: the gate does not see them. */
function undocumentedSuppressionLines(file: FileRecord): string[] {
  return file.sites.filter((site) => site.suppression !== undefined && site.suppression !== 'documented').map((site) => siteLine(file, site));
}

function suppressedSummary(repo: RepoSummary): string {
  const undocumented = repo.suppressedUndocumented > 0 ? ` (${repo.suppressedUndocumented} of them not by the documented per-rule exception)` : '';
  return `${repo.suppressed} suppressed by eslint-disable${undocumented}`;
}

/** One block per repository: its findings (like ESLint's stylish output), then the summary by rule and family. */
export function formatAuditText(report: Report): string {
  const lines: string[] = [];
  for (const repo of report.repos) {
    const files = filesOf(report, repo);
    lines.push(`${repo.root}${repo.isGitRepo ? '' : ' (not a git repository)'}`);
    for (const file of files) {
      // Baselined findings are old debt the gate accepts: counted below, not listed.
      for (const site of file.sites) if (site.action === 'reported' && site.baselined !== true) lines.push(siteLine(file, site));
      lines.push(...undocumentedSuppressionLines(file));
    }
    lines.push(
      `  ${plural(repo.files, 'file')} scanned, ${plural(repo.findings, 'unbounded call')} in ${plural(
        files.filter((file) => file.status === 'findings').length,
        'file',
      )}, ${suppressedSummary(repo)}`,
    );
    lines.push(...table('by rule', repo.byRule), ...table('by client family', repo.byFamily), ...failureLines(files), '');
  }
  const baseline = report.baseline;
  if (baseline) {
    const resolved = baseline.resolved > 0 ? `, ${baseline.resolved} fixed since (${baseline.updated ? 'dropped' : 'drop them with --update-baseline'})` : '';
    lines.push(`baseline ${baseline.path}${baseline.updated ? ' (written)' : ''}: ${baseline.baselined} held, ${plural(baseline.new, 'new finding')}${resolved}`);
  }
  if (report.repos.length > 1) {
    const totals = report.totals;
    lines.push(`total: ${plural(report.repos.length, 'repository', 'repositories')}, ${plural(totals.files, 'file')}, ${plural(totals.findings, 'unbounded call')}`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One block per repository: what was not fixed and why (the fixed sites are in the diff or git), then counts. */
export function formatFixText(report: Report): string {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would change' : 'changed';
  const fixedVerb = report.dryRun ? 'would be fixed' : 'fixed';
  for (const repo of report.repos) {
    const files = filesOf(report, repo);
    lines.push(`${repo.root}${report.dryRun ? ' (dry run: nothing written)' : ''}`);
    for (const file of files) {
      for (const site of file.sites) if (site.action === 'unfixable' || site.action === 'failed') lines.push(siteLine(file, site));
      lines.push(...undocumentedSuppressionLines(file));
      for (const site of file.sites) {
        for (const warning of site.warnings ?? []) lines.push(`  ${file.path}:${site.location.line}:${site.location.column}  warning  ${warning}`);
      }
    }
    lines.push(
      `  ${plural(repo.files, 'file')} scanned, ${repo.filesChanged} ${verb}; ${plural(repo.fixed, 'site')} ${fixedVerb}, ${repo.unfixable} unfixable, ${repo.skipped} skipped${
        repo.failed > 0 ? `, ${repo.failed} not written` : ''
      }; ${plural(repo.remaining, 'unbounded call')} left`,
    );
    lines.push(...table('by rule', repo.byRule), ...table('by client family', repo.byFamily), ...failureLines(files), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
