/**
 * The machine-readable report of `audit --format json`, `audit --report` and `fix --report`. Its shape is
 * a public contract described by ../report.schema.json: bump `reportSchemaVersion` on any change that
 * removes or renames a field, so that consumers can refuse a report they do not understand.
 */
import { relative, sep } from 'node:path';

import type { SuppressionKind } from './suppression.js';

export const reportSchemaVersion = 1;

/** Report paths are relative to the repo root, with forward slashes (the form SARIF and diffs use). */
export function toReportPath(repo: string, path: string): string {
  return relative(repo, path).split(sep).join('/');
}

export type Command = 'audit' | 'fix';

/**
 * - `clean`: no site found (or the text pre-filter ruled the file out without parsing it);
 * - `findings`: audit found unsuppressed sites;
 * - `fixed`: fix rewrote the file; `would-fix`: the same under --dry-run, nothing written;
 * - `unchanged`: fix found sites but changed nothing (all skipped or unfixable);
 * - `skipped`: the file was left as it is without being analysed or rewritten (`reason`: `not UTF-8`, `read-only`);
 * - `failed`: the file could not be read, analysed or written; `error` says why.
 */
export type FileStatus = 'clean' | 'findings' | 'fixed' | 'would-fix' | 'unchanged' | 'skipped' | 'failed';

/**
 * `reported`/`suppressed` come from audit; `fixed`/`skipped`/`unfixable` from fix; `failed`: fix rewrote the site
 * but could not write the file, so it is still there.
 */
export type SiteAction = 'reported' | 'suppressed' | 'fixed' | 'skipped' | 'unfixable' | 'failed';

export interface SiteLocation {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface SiteRecord {
  ruleId: string;
  messageId: string;
  action: SiteAction;
  reason: string;
  location: SiteLocation;
  family?: string;
  /** audit: the key the baseline and SARIF match the finding by (see fingerprint.ts); no line number in it. */
  fingerprint?: string;
  /** audit: the reported code, whitespace collapsed, shortened for reading. */
  snippet?: string;
  /** audit --baseline: the baseline holds this finding, so it does not fail the gate. */
  baselined?: boolean;
  transform?: string;
  warnings?: string[];
  /** Suppressed sites: `documented` (the per-rule line comment with a reason), `blanket` or `undocumented`. */
  suppression?: SuppressionKind;
}

/** Files discovered but not linted, because ESLint with the same patterns and config would not lint them. */
export interface LeftOut {
  files: number;
  byReason: Record<string, number>;
}

export interface FileRecord {
  /** Relative to the repo root, with forward slashes (the form SARIF and diffs use). */
  path: string;
  /** The repo root this file was summarised under. */
  repo: string;
  status: FileStatus;
  sites: SiteRecord[];
  /** fix only: unsuppressed sites the rules still report in the new text (what --check counts). */
  remaining?: number;
  /** Status `skipped`: why, in one word (`not UTF-8`, `read-only`); `message` says it for a human, naming the file. */
  reason?: 'not UTF-8' | 'read-only';
  message?: string;
  error?: string;
  /** `--type-aware` only: `checked` when linted with type information, `none` when no tsconfig includes the file. */
  types?: 'checked' | 'none';
}

export interface Summary {
  files: number;
  filesWithSites: number;
  filesChanged: number;
  filesFailed: number;
  filesSkipped: number;
  findings: number;
  suppressed: number;
  /** Suppressed by a comment that is not the documented per-rule exception (a blanket eslint-disable…). */
  suppressedUndocumented: number;
  fixed: number;
  skipped: number;
  unfixable: number;
  /** Sites fixed in a text that could not be written: still there. */
  failed: number;
  remaining: number;
  warnings: number;
  byRule: Record<string, number>;
  byFamily: Record<string, number>;
}

export interface RepoSummary extends Summary {
  root: string;
  isGitRepo: boolean;
}

export interface Report {
  schemaVersion: typeof reportSchemaVersion;
  tool: { name: 'bounded-http'; version: string };
  command: Command;
  dryRun: boolean;
  options: Record<string, string | number | boolean | string[]>;
  exitCode: number;
  /** Wall-clock and CPU time (all threads) of the run: differs from run to run, so comparisons leave it out. */
  /** `analysisThreads`: threads that parsed files (0 when the pre-filter settled every file). */
  timing: { elapsedMs: number; cpuMs: number; analysisThreads: number };
  repos: RepoSummary[];
  totals: Summary;
  files: FileRecord[];
  /** audit --baseline / --update-baseline: how this run compares with the baseline file. */
  baseline?: BaselineSummary;
  /** `--ignore-pattern` / `--eslint-config`: files discovered but not linted, by reason. */
  leftOut?: LeftOut;
}

export interface BaselineSummary {
  path: string;
  format: 'bounded-http' | 'eslint-suppressions';
  entries: number;
  baselined: number;
  new: number;
  resolved: number;
  updated: boolean;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function summarise(files: readonly FileRecord[]): Summary {
  const summary: Summary = {
    files: files.length,
    filesWithSites: 0,
    filesChanged: 0,
    filesFailed: 0,
    filesSkipped: 0,
    findings: 0,
    suppressed: 0,
    suppressedUndocumented: 0,
    fixed: 0,
    skipped: 0,
    unfixable: 0,
    failed: 0,
    remaining: 0,
    warnings: 0,
    byRule: {},
    byFamily: {},
  };
  for (const file of files) {
    if (file.sites.length > 0) summary.filesWithSites += 1;
    if (file.status === 'fixed' || file.status === 'would-fix') summary.filesChanged += 1;
    if (file.status === 'failed') summary.filesFailed += 1;
    if (file.status === 'skipped') summary.filesSkipped += 1;
    summary.remaining += file.remaining ?? 0;
    for (const site of file.sites) {
      if (site.action === 'reported') summary.findings += 1;
      else if (site.action === 'suppressed') summary.suppressed += 1;
      else summary[site.action] += 1;
      // fix skips a suppressed site: it counts as skipped, and as suppressed.
      if (site.action !== 'suppressed' && site.suppression !== undefined) summary.suppressed += 1;
      if (site.suppression !== undefined && site.suppression !== 'documented') summary.suppressedUndocumented += 1;
      summary.warnings += site.warnings?.length ?? 0;
      // Suppressed sites are exceptions the gate does not report: they do not count against a rule or family.
      if (site.action !== 'suppressed') {
        increment(summary.byRule, site.ruleId);
        if (site.family) increment(summary.byFamily, site.family);
      }
    }
  }
  return summary;
}

