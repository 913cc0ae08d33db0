/**
 * The fleet view: many audit reports (one per repository, typically one per CI matrix job) merged into one
 * summary by repository, rule and client family, with the baseline delta where the audits ran with one.
 * Reads only the JSON reports; never re-scans anything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { reportSchemaVersion, type Report } from './report.js';
import { UsageError } from './usage-error.js';

export const fleetVersion = 1;

export interface FleetFinding {
  path: string;
  line: number;
  column: number;
  ruleId: string;
  family?: string;
  message: string;
  snippet?: string;
  /** Held by the repository's baseline: old debt its gate accepts. */
  baselined: boolean;
}

export interface FleetRepo {
  /** The repository's folder name; the report file's name is added when two repositories share one. */
  name: string;
  /** The report file it came from, as given. */
  report: string;
  /** The audit's exit code: 0 clean, 1 findings, 3 files failed. */
  exitCode: number;
  files: number;
  filesFailed: number;
  findings: number;
  suppressed: number;
  /** Present when the audit ran with --baseline. */
  baseline?: { baselined: number; new: number; resolved: number };
  byRule: Record<string, number>;
  byFamily: Record<string, number>;
  list: FleetFinding[];
}

export interface FleetSummary {
  fleetVersion: typeof fleetVersion;
  tool: { name: 'bounded-http'; version: string };
  repos: FleetRepo[];
  totals: {
    repos: number;
    reposWithFindings: number;
    files: number;
    filesFailed: number;
    findings: number;
    suppressed: number;
    /** Summed over the repositories that ran with a baseline. */
    baseline?: { repos: number; baselined: number; new: number; resolved: number };
    byRule: Record<string, number>;
    byFamily: Record<string, number>;
  };
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}

/** Reads one audit report, refusing anything else with the file's name and what to do. */
export function readAuditReport(file: string): Report {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : `it is not JSON (${(error as Error).message})`;
    throw new UsageError(`cannot merge ${file}: ${reason}`, 'give the files bounded-http audit --report <file> (or --format json) wrote');
  }
  const report = parsed as Partial<Report> | null;
  if (typeof report !== 'object' || report === null || report.tool?.name !== 'bounded-http' || !Array.isArray(report.repos) || !Array.isArray(report.files)) {
    throw new UsageError(`cannot merge ${file}: it is not a bounded-http report`, 'give the files bounded-http audit --report <file> (or --format json) wrote');
  }
  if (report.schemaVersion !== reportSchemaVersion) {
    throw new UsageError(`cannot merge ${file}: report schemaVersion ${String(report.schemaVersion)} is not ${reportSchemaVersion}`, 'audit again with this version of bounded-http');
  }
  if (report.command !== 'audit') throw new UsageError(`cannot merge ${file}: it is a ${String(report.command)} report`, 'merge the reports of bounded-http audit, not fix');
  return report as Report;
}

/** Merges audit reports; each repository of each report is one row of the fleet. */
export function mergeReports(inputs: readonly { file: string; report: Report }[]): FleetSummary {
  const repos: FleetRepo[] = [];
  for (const { file, report } of inputs) {
    for (const repo of report.repos) {
      const files = report.files.filter((record) => record.repo === repo.root);
      const list: FleetFinding[] = files.flatMap((record) =>
        record.sites
          .filter((site) => site.action === 'reported')
          .map((site) => ({
            path: record.path,
            line: site.location.line,
            column: site.location.column,
            ruleId: site.ruleId,
            ...(site.family === undefined ? {} : { family: site.family }),
            message: site.reason,
            ...(site.snippet === undefined ? {} : { snippet: site.snippet }),
            baselined: site.baselined === true,
          })),
      );
      const baselined = list.filter((finding) => finding.baselined).length;
      repos.push({
        name: path.basename(repo.root),
        report: file,
        exitCode: report.exitCode,
        files: repo.files,
        filesFailed: repo.filesFailed,
        findings: repo.findings,
        suppressed: repo.suppressed,
        // One report's baseline covers all its repositories; its resolved count cannot be split by repository.
        ...(report.baseline === undefined
          ? {}
          : { baseline: { baselined, new: list.length - baselined, resolved: report.repos.length === 1 ? report.baseline.resolved : 0 } }),
        byRule: { ...repo.byRule },
        byFamily: { ...repo.byFamily },
        list,
      });
    }
  }
  // Matrix jobs often check out into folders of the same name: tell them apart by their report files.
  const seen = new Map<string, number>();
  for (const repo of repos) seen.set(repo.name, (seen.get(repo.name) ?? 0) + 1);
  for (const repo of repos) if ((seen.get(repo.name) ?? 0) > 1) repo.name = `${repo.name} (${path.basename(repo.report, '.json')})`;
  repos.sort((a, b) => b.findings - a.findings || a.name.localeCompare(b.name));

  const byRule: Record<string, number> = {};
  const byFamily: Record<string, number> = {};
  for (const repo of repos) {
    add(byRule, repo.byRule);
    add(byFamily, repo.byFamily);
  }
  const withBaseline = repos.filter((repo) => repo.baseline !== undefined);
  const sum = (pick: (repo: FleetRepo) => number): number => repos.reduce((total, repo) => total + pick(repo), 0);
  return {
    fleetVersion,
    tool: { name: 'bounded-http', version: inputs[0]?.report.tool.version ?? '' },
    repos,
    totals: {
      repos: repos.length,
      reposWithFindings: repos.filter((repo) => repo.findings > 0).length,
      files: sum((repo) => repo.files),
      filesFailed: sum((repo) => repo.filesFailed),
      findings: sum((repo) => repo.findings),
      suppressed: sum((repo) => repo.suppressed),
      ...(withBaseline.length === 0
        ? {}
        : {
            baseline: {
              repos: withBaseline.length,
              baselined: sum((repo) => repo.baseline?.baselined ?? 0),
              new: sum((repo) => repo.baseline?.new ?? 0),
              resolved: sum((repo) => repo.baseline?.resolved ?? 0),
            },
          }),
      byRule,
      byFamily,
    },
  };
}
