import { readFileSync } from 'node:fs';

import { targetAllowsAbortSignalAny } from 'eslint-plugin-bounded-http/node-target';

import { findSites, type Site, SourceParseError } from './find-sites.js';
import { fingerprintsOf, normaliseSnippet } from './fingerprint.js';
import type { FixOptions, FixResult, SiteOutcome } from './fix-file.js';
import { toReportPath, type FileRecord, type SiteRecord } from './report.js';
import { failedOutcome } from './screen-file.js';
import { describeError } from './usage-error.js';

export type RuleConfig = 'recommended' | 'strict';

/** What to do with each file. Plain data, because it crosses into worker threads. */
export type FileTask =
  | { command: 'audit'; config: RuleConfig; opaqueOptions?: 'ignore' | 'report' }
  | {
      command: 'fix';
      fixOptions: Omit<FixOptions, 'allowAbortSignalAny'>;
      /** `--node-version`; otherwise engines.node of the nearest package.json decides per file. */
      nodeVersion?: string;
      dryRun: boolean;
    };

export interface FileJob {
  /** Absolute path. */
  path: string;
  /** The repo root the file is summarised under. */
  repo: string;
}

export interface FileOutcome {
  record: FileRecord;
  /** fix: the new text to write (the main thread writes it, atomically). */
  newText?: string;
  /** fix --dry-run: the unified diff of the change. */
  diff?: string;
}

/** Longest snippet a report carries: enough for a reader to recognise the call in a baseline or fleet page. */
const maxSnippetLength = 120;

function auditSiteRecords(sites: readonly Site[], text: string): SiteRecord[] {
  const code = (site: Site): string => text.slice(site.range[0], site.range[1]);
  const fingerprints = fingerprintsOf(sites.map((site) => ({ ruleId: site.ruleId, code: code(site) })));
  return sites.map((site, index) => {
    const snippet = normaliseSnippet(code(site));
    const record: SiteRecord = {
      ruleId: site.ruleId,
      messageId: site.messageId,
      action: site.suppressed ? 'suppressed' : 'reported',
      reason: site.suppressed ? `an eslint-disable comment covers it: ${site.message}` : site.message,
      location: { line: site.line, column: site.column, endLine: site.endLine, endColumn: site.endColumn },
      fingerprint: fingerprints[index] ?? '',
      snippet: snippet.length > maxSnippetLength ? `${snippet.slice(0, maxSnippetLength - 1)}…` : snippet,
    };
    if (site.family !== undefined) record.family = site.family;
    return record;
  });
}

function fixSiteRecord(outcome: SiteOutcome, family: string | undefined): SiteRecord {
  const record: SiteRecord = {
    ruleId: outcome.ruleId,
    messageId: outcome.messageId,
    action: outcome.action,
    reason: outcome.reason,
    location: { line: outcome.line, column: outcome.column },
  };
  if (family !== undefined) record.family = family;
  if (outcome.transform !== undefined) record.transform = outcome.transform;
  if (outcome.warnings !== undefined && outcome.warnings.length > 0) record.warnings = [...outcome.warnings];
  return record;
}

/**
 * Stand-ins for the steps the processor calls, so that a test can drive a path no real input reaches (a transform
 * that emits text that does not parse). The CLI passes none.
 */
export interface FileProcessorSeams {
  fixSites?: (text: string, filePath: string, sites: readonly Site[], options: FixOptions) => FixResult;
}

/**
 * Creates the per-file worker function for one run, for the files `screenFile` left to parse (it parses
 * whatever it is given). It never throws: a file that cannot be read or analysed becomes a `failed` record
 * whose error names the file and the reason, and the run goes on.
 */
export async function createFileProcessor(task: FileTask, seams: FileProcessorSeams = {}): Promise<(job: FileJob) => FileOutcome> {
  // ts-morph and the transforms cost an audit nothing: they are loaded only to fix, the diff only to preview.
  const fixSites = task.command === 'fix' ? (seams.fixSites ?? (await import('./fix-file.js')).fixSites) : undefined;
  const { createTwoFilesPatch } = task.command === 'fix' && task.dryRun ? await import('diff') : { createTwoFilesPatch: undefined };
  // The plugin's own Node-target reader, so the fix and the rules' suggestions agree on `AbortSignal.any`.
  const allowAbortSignalAny = (filePath: string): boolean => task.command === 'fix' && targetAllowsAbortSignalAny(filePath, task.nodeVersion);
  // fix --strict runs the strict preset, as fixFile itself would.
  const ruleConfig: RuleConfig = task.command === 'fix' ? (task.fixOptions.strict ? 'strict' : 'recommended') : task.config;
  // `--opaque-options`: the fix re-check must use it too, or an opaque call it could not bound would not count as left.
  const opaqueOptions = (task.command === 'fix' ? task.fixOptions.opaqueOptions : task.opaqueOptions) ?? 'ignore';

  return (job) => {
    const path = toReportPath(job.repo, job.path);
    const record: FileRecord = { path, repo: job.repo, status: 'clean', sites: [] };
    const fail = (stage: string, error: unknown): FileOutcome => failedOutcome(job, stage, error);

    let text: string;
    try {
      text = readFileSync(job.path, 'utf8');
    } catch (error) {
      return fail('could not read the file', error);
    }

    // Analyse once: for fix the same sites drive the rewrite and tell the suppressed exceptions from what is left.
    let sites: Site[];
    try {
      sites = findSites(text, job.path, { config: ruleConfig, opaqueOptions });
    } catch (error) {
      return fail('could not analyse the file', error);
    }
    if (task.command === 'audit') {
      record.sites = auditSiteRecords(sites, text);
      if (sites.some((site) => !site.suppressed)) record.status = 'findings';
      return { record };
    }
    if (sites.length === 0 || !fixSites) return { record };

    let result: FixResult;
    try {
      result = fixSites(text, job.path, sites, { ...task.fixOptions, allowAbortSignalAny: allowAbortSignalAny(job.path) });
    } catch (error) {
      return fail('could not fix the file', error);
    }
    record.sites = result.outcomes.map((outcome, index) => fixSiteRecord(outcome, sites[index]?.family));
    if (!result.changed) {
      record.status = 'unchanged';
      record.remaining = sites.filter((site) => !site.suppressed).length;
      return { record };
    }

    // The rules, run again on the new text, are the judge of what is left: one notion of "bounded".
    try {
      record.remaining = findSites(result.text, job.path, { config: ruleConfig, opaqueOptions }).filter((site) => !site.suppressed).length;
    } catch (error) {
      record.status = 'failed';
      // A bug in a transform, not in the file: say where the new text breaks, in report form, and ask for a report.
      const where = error instanceof SourceParseError ? `${error.line}:${error.column} ${error.reason.replace(/\.$/u, '')}` : describeError(error);
      record.error = `${path}: the fixed text does not parse, so the file was left unchanged: ${where}; please report this case`;
      return { record };
    }
    record.status = task.dryRun ? 'would-fix' : 'fixed';
    if (!createTwoFilesPatch) return { record, newText: result.text };
    return { record, diff: createTwoFilesPatch(`a/${path}`, `b/${path}`, text, result.text, undefined, undefined, { context: 3 }) };
  };
}
