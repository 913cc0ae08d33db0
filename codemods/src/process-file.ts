import { targetAllowsAbortSignalAny } from 'eslint-plugin-bounded-http/node-target';
import { statSync } from 'node:fs';

import { auditSiteRecords } from './audit-records.js';
import { isInTypeScriptProject } from './tsconfig-members.js';
import { type FileJob, type FileOutcome, type FileTask, failedOutcome, type RuleConfig } from './file-job.js';
import { findSites, type Site } from './find-sites.js';
import type { FixResult, FixSeams, SiteOutcome } from './fix-file.js';
import { readSource } from './read-source.js';
import { type FileRecord, type SiteRecord, toReportPath } from './report.js';
import { suppressionOf } from './suppression.js';

function fixSiteRecord(outcome: SiteOutcome, site: Site | undefined): SiteRecord {
  const record: SiteRecord = {
    ruleId: outcome.ruleId,
    messageId: outcome.messageId,
    action: outcome.action,
    reason: outcome.reason,
    location: { line: outcome.line, column: outcome.column },
  };
  const suppression = site ? suppressionOf(site) : undefined;
  if (suppression) record.suppression = suppression.kind;
  if (site?.family !== undefined) record.family = site.family;
  if (outcome.transform !== undefined) record.transform = outcome.transform;
  if (outcome.warnings !== undefined && outcome.warnings.length > 0) record.warnings = [...outcome.warnings];
  return record;
}

/** Whether nobody may write the file: fix then reports it rather than replacing it through a rename. */
function isReadOnly(path: string): boolean {
  return (statSync(path).mode & 0o222) === 0;
}

/** The file is left exactly as it is, for `reason`; its sites stay what the rules say they are. */
function skipped(record: FileRecord, reason: 'not UTF-8' | 'read-only', message: string): FileOutcome {
  record.status = 'skipped';
  record.reason = reason;
  record.message = `${record.path}: ${message}`;
  return { record };
}

/**
 * Creates the per-file worker function for one run, for the files `screenFile` left to parse (it parses
 * whatever it is given). It never throws: a file that cannot be read or analysed becomes a `failed` record
 * whose error names the file and the reason, and the run goes on. `seams` lets a test stand in for the
 * transforms (the CLI passes none).
 */
export async function createFileProcessor(task: FileTask, seams: FixSeams = {}): Promise<(job: FileJob) => FileOutcome> {
  // ts-morph and the transforms cost an audit nothing: they are loaded only to fix, the diff only to preview.
  const fixSites = task.command === 'fix' ? (await import('./fix-file.js')).fixSites : undefined;
  const { createTwoFilesPatch } = task.command === 'fix' && task.dryRun ? await import('diff') : { createTwoFilesPatch: undefined };
  // The plugin's own Node-target reader, so the fix and the rules' suggestions agree on `AbortSignal.any`.
  const allowAbortSignalAny = (filePath: string): boolean => task.command === 'fix' && targetAllowsAbortSignalAny(filePath, task.nodeVersion);
  // fix --strict runs the strict preset, as fixFile itself would.
  const ruleConfig: RuleConfig = task.command === 'fix' ? (task.fixOptions.strict ? 'strict' : 'recommended') : task.config;
  // `--opaque-options`: the fix must find what the audit under the same flag finds.
  const opaqueOptions = (task.command === 'fix' ? task.fixOptions.opaqueOptions : task.opaqueOptions) ?? 'ignore';

  return (job) => {
    const path = toReportPath(job.repo, job.path);
    const record: FileRecord = { path, repo: job.repo, status: 'clean', sites: [] };
    const fail = (stage: string, error: unknown): FileOutcome => failedOutcome(job, stage, error);

    let text: string;
    try {
      const source = readSource(job.path);
      if (source.notUtf8 !== undefined) {
        const what = task.command === 'fix' ? 'so fix leaves it as it is' : 'so it is not audited (a lint run would read it as UTF-8 and see other characters)';
        return skipped(record, 'not UTF-8', `not UTF-8: ${source.notUtf8}, ${what}; convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8) and run again`);
      }
      text = source.text;
    } catch (error) {
      return fail('could not read the file', error);
    }

    // Analyse once: for fix the same sites drive the rewrite and tell the suppressed exceptions from what is left.
    let sites: Site[];
    try {
      // A file no tsconfig includes is linted without types at once (see tsconfig-members.ts).
      let typed = task.typeAware === true && isInTypeScriptProject(job.path, job.repo);
      const typeAware = typed ? { tsconfigRootDir: job.repo, onUntyped: () => (typed = false) } : undefined;
      sites = findSites(text, job.path, { config: ruleConfig, opaqueOptions, cwd: job.repo, ...(job.rules ? { rules: job.rules } : {}), ...(typeAware ? { typeAware } : {}) });
      if (task.typeAware) record.types = typed ? 'checked' : 'none';
    } catch (error) {
      return fail('could not analyse the file', error);
    }
    if (task.command === 'audit') {
      record.sites = auditSiteRecords(sites, text);
      if (sites.some((site) => !site.suppressed)) record.status = 'findings';
      return { record };
    }
    if (sites.length === 0 || !fixSites) return { record };

    // fixSites lints its rewrite again, under recommended and strict: a site either still reports is not `fixed`.
    let result: FixResult;
    try {
      result = fixSites(text, job.path, sites, { ...task.fixOptions, allowAbortSignalAny: allowAbortSignalAny(job.path) }, seams);
    } catch (error) {
      return fail('could not fix the file', error);
    }
    record.sites = result.outcomes.map((outcome, index) => fixSiteRecord(outcome, sites[index]));
    const remainingIfUnwritten = sites.filter((site) => !site.suppressed).length;
    if (!result.changed) {
      record.status = 'unchanged';
      record.remaining = remainingIfUnwritten;
      return { record };
    }
    try {
      if (isReadOnly(job.path)) {
        for (const site of record.sites) {
          if (site.action === 'fixed') Object.assign(site, { action: 'skipped', reason: `the file is read-only; this site would be fixed: ${site.reason}` });
        }
        record.remaining = remainingIfUnwritten;
        return skipped(record, 'read-only', 'read-only, so fix leaves it as it is rather than replacing it; make it writable (chmod u+w) and run fix again');
      }
    } catch (error) {
      return fail('could not read the file\'s permissions', error);
    }
    record.remaining = result.remaining;
    record.status = task.dryRun ? 'would-fix' : 'fixed';
    if (!createTwoFilesPatch) return { record, newText: result.text, remainingIfUnwritten };
    return { record, diff: createTwoFilesPatch(`a/${path}`, `b/${path}`, text, result.text, undefined, undefined, { context: 3 }) };
  };
}
