/**
 * `bounded-http audit --engine oxlint`: the same rules, hosted by oxlint (its `jsPlugins`), with a report
 * identical to the ESLint engine's. oxlint parses and walks the files in native threads; the rules run in
 * its JavaScript host, wrapped by host-plugin.ts so that every finding comes back beside oxlint's JSON output
 * with what that output lacks (message id, family), suppressed ones included: oxlint applies `eslint-disable`
 * comments as ESLint does and prints only what they leave, so a finding the host saw and oxlint did not print
 * is suppressed, classified by the same reader of disable comments as the ESLint engine's.
 *
 * Files oxlint cannot host the same way go to the ESLint engine instead, counted in `handedToEslint`:
 * - files holding a comment that only one of the two reads and that can change a finding (`hasHostSpecificComment`);
 * - Vue and Svelte components (the ESLint engine reads their script blocks at their own offsets), files that
 *   start with a BOM, and files that are not UTF-8;
 * - files oxlint fails to parse (a BOM before `#!`, say), whose disable comments it reads differently (see
 *   `SitesLine.disputed`), or whose output names a finding the host did not see: the ESLint engine either
 *   parses them or reports them `failed` with its own reason, exactly as an ESLint-engine run would.
 * None is skipped silently.
 *
 * Runs on the main thread: oxlint is a child process, and nothing here loads ESLint or the parser.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { auditSiteRecords } from '../audit-records.js';
import type { FileJob, FileOutcome, FileTask } from '../file-job.js';
import type { Site } from '../find-sites.js';
import { readSource } from '../read-source.js';
import { lineStartsOf, positionOf } from '../text-positions.js';
import { type FileRecord, toReportPath } from '../report.js';
import { UsageError } from '../usage-error.js';
import type { ReportedFinding, SitesLine } from './host-plugin.js';

/** Files per oxlint invocation: far below any command-line length limit, few enough processes to start. */
const filesPerRun = 2_000;

/**
 * Comments only one of the two linters reads, in a form that can change this plugin's findings: an ESLint
 * configuration comment that names one of its rules (`/* eslint bounded-http/no-unbounded-fetch: off *\/`), which
 * oxlint does not read; an `oxlint-disable` comment that names one of its rules or none, which ESLint does not
 * read; an `eslint-disable-line` block comment over several lines, which ESLint rejects and oxlint obeys. The
 * ESLint engine must see such a file. An `oxlint-disable` naming only other rules (common in packages linted with
 * oxlint) changes nothing here, nor does a `/* global … *\/` comment, tslib's banner among them: the rules find a
 * global's references whether or not a comment declares it (the engine test holds both). The other
 * `eslint-disable` forms are the host plugin's to check (`readDifferently` there).
 */
const hostSpecificComments = /\/\*\s*eslint\s((?:[^*]|\*(?!\/))*)\*\/|\/\/\s*oxlint-(?:disable|enable)\S*([^\n]*)|\/\*\s*oxlint-(?:disable|enable)\S*((?:[^*]|\*(?!\/))*)\*\/|\/\*\s*eslint-disable-line(?:[^*]|\*(?!\/))*\n/gu;

function hasHostSpecificComment(text: string): boolean {
  for (const match of text.matchAll(hostSpecificComments)) {
    const [, eslintConfig, oxlintLine, oxlintBlock] = match;
    if (eslintConfig !== undefined) {
      if (eslintConfig.includes('bounded-http/')) return true;
      continue;
    }
    const oxlintDirective = oxlintLine ?? oxlintBlock;
    // The multi-line `eslint-disable-line` block.
    if (oxlintDirective === undefined) return true;
    const ruleList = oxlintDirective.split(/\s-{2,}\s/u)[0] ?? '';
    if (ruleList.trim() === '' || ruleList.includes('bounded-http/')) return true;
  }
  return false;
}

interface OxlintDiagnostic {
  message: string;
  code?: string;
  filename: string;
  labels?: { span: { offset: number; length: number; line: number; column: number } }[];
}

/** The oxlint the target installed, else the one installed next to this package; undefined when neither is. */
export function resolveOxlint(cwd: string): string | undefined {
  for (const from of [join(cwd, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      // Its exports hide bin/: the manifest says where the command is.
      const manifestPath = createRequire(from).resolve('oxlint/package.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
      const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['oxlint'];
      if (bin !== undefined) return join(dirname(manifestPath), bin);
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}

/** Why the ESLint engine must analyse this file rather than oxlint, or undefined when oxlint can. */
function needsEslint(job: FileJob): boolean {
  const extension = extname(job.path).toLowerCase();
  if (extension === '.vue' || extension === '.svelte') return true;
  let source: ReturnType<typeof readSource>;
  try {
    source = readSource(job.path);
  } catch {
    // Unreadable: the ESLint engine's processor reports it failed, with its reason.
    return true;
  }
  if (source.notUtf8 !== undefined) return true;
  return source.text.startsWith('\uFEFF') || hasHostSpecificComment(source.text);
}

async function runOxlint(oxlint: string, configPath: string, files: readonly string[], threads: number, sitesFile: string, cwd: string): Promise<OxlintDiagnostic[]> {
  const args = [oxlint, '-c', configPath, '--format', 'json', '--no-ignore', '--disable-nested-config', `--threads=${String(threads)}`, ...files];
  const stdout = await new Promise<string>((resolvePromise, reject) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, BOUNDED_HTTP_OXLINT_SITES: sitesFile } }, (error, out, stderr) => {
      // Exit 1 means findings; anything that printed no JSON is oxlint failing.
      if (out.trimStart().startsWith('{')) resolvePromise(out);
      else reject(new Error(`oxlint failed${error ? ` (${error.message.split('\n')[0] ?? ''})` : ''}: ${stderr.trim() || out.trim()}`));
    });
  });
  return (JSON.parse(stdout) as { diagnostics: OxlintDiagnostic[] }).diagnostics;
}

/** The preset's rules as oxlint config entries, with what --opaque-options asks for. */
async function ruleEntries(task: FileTask & { command: 'audit' }): Promise<Record<string, unknown>> {
  const [{ default: plugin }, { reportingOpaqueOptions }] = await Promise.all([import('eslint-plugin-bounded-http'), import('../opaque-options.js')]);
  const entries: Record<string, unknown> = { ...plugin.configs[task.config].rules };
  return task.opaqueOptions === 'report' ? { ...entries, ...reportingOpaqueOptions(entries) } : entries;
}

export interface OxlintRun {
  /** Files the ESLint engine must analyse instead (see the header). */
  handedToEslint: FileJob[];
}

/**
 * Audits `jobs` (already screened by the pre-filter) with oxlint and hands each outcome to `onOutcome`; returns
 * the files the ESLint engine must analyse.
 */
export async function auditWithOxlint(jobs: readonly FileJob[], task: FileTask & { command: 'audit' }, threads: number, onOutcome: (outcome: FileOutcome) => void): Promise<OxlintRun> {
  const oxlint = resolveOxlint(process.cwd());
  if (oxlint === undefined) throw new UsageError('--engine oxlint needs oxlint, which is not installed', 'npm install --save-dev oxlint, or use --engine eslint (or auto)');
  const handedToEslint: FileJob[] = [];
  const hosted: FileJob[] = [];
  for (const job of jobs) (needsEslint(job) ? handedToEslint : hosted).push(job);
  if (hosted.length === 0) return { handedToEslint };

  const folder = mkdtempSync(join(tmpdir(), 'bounded-http-oxlint-'));
  try {
    const configPath = join(folder, '.oxlintrc.json');
    const hostPlugin = fileURLToPath(new URL('./host-plugin.js', import.meta.url));
    // oxlint's own rules off: only the bounded-http rules, as the ESLint engine runs them.
    writeFileSync(configPath, JSON.stringify({ categories: { correctness: 'off' }, plugins: [], jsPlugins: [hostPlugin], rules: await ruleEntries(task) }));
    const byPath = new Map(hosted.map((job) => [resolve(job.path), job]));
    const diagnostics: OxlintDiagnostic[] = [];
    const sitesFile = join(folder, 'sites.jsonl');
    writeFileSync(sitesFile, '');
    // One run per repository, from its root, as the ESLint engine lints from there: the rules read paths
    // relative to the cwd (no-global-agent's test-file globs). oxlint's filenames are relative to it.
    const repos = new Map<string, FileJob[]>();
    for (const job of hosted) listOf(repos, job.repo).push(job);
    for (const [repo, repoJobs] of repos) {
      for (let start = 0; start < repoJobs.length; start += filesPerRun) {
        const found = await runOxlint(oxlint, configPath, repoJobs.slice(start, start + filesPerRun).map((job) => job.path), threads, sitesFile, repo);
        for (const diagnostic of found) diagnostics.push({ ...diagnostic, filename: resolve(repo, diagnostic.filename) });
      }
    }
    const reported = new Map<string, ReportedFinding[]>();
    // Files oxlint failed to parse, or whose disable comments it reads differently from ESLint.
    const forEslint = new Set<string>();
    for (const line of readFileSync(sitesFile, 'utf8').split('\n')) {
      if (line === '') continue;
      const entry = JSON.parse(line) as SitesLine;
      const file = resolve(entry.file);
      listOf(reported, file).push(...entry.findings);
      if (entry.disputed) forEslint.add(file);
    }
    const printed = new Map<string, OxlintDiagnostic[]>();
    for (const diagnostic of diagnostics) {
      const file = resolve(diagnostic.filename);
      if (diagnostic.code === undefined || !diagnostic.code.startsWith('bounded-http(')) forEslint.add(file);
      else listOf(printed, file).push(diagnostic);
    }
    for (const [file, job] of byPath) {
      const record = forEslint.has(file) ? undefined : recordOf(job, reported.get(file) ?? [], printed.get(file) ?? []);
      if (record === undefined) handedToEslint.push(job);
      else onOutcome({ record });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return { handedToEslint };
}

/** The list `map` holds under `key`, created empty on first use. */
function listOf<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/**
 * The file's record from what the host saw and what oxlint printed; undefined when oxlint printed a finding the
 * host did not see, which would be a defect of this engine: the ESLint engine then audits the file.
 */
function recordOf(job: FileJob, findings: readonly ReportedFinding[], diagnostics: readonly OxlintDiagnostic[]): FileRecord | undefined {
  const record: FileRecord = { path: toReportPath(job.repo, job.path), repo: job.repo, status: 'clean', sites: [] };
  if (findings.length === 0 && diagnostics.length === 0) return record;
  const bytes = readFileSync(job.path);
  const text = bytes.toString('utf8');
  const lineStarts = lineStartsOf(text);
  // oxlint prints UTF-8 byte offsets; the host, ESLint and the report count UTF-16 code units. In an ASCII file
  // (most) they are the same, and the prefix need not be decoded again for every finding.
  const ascii = bytes.length === text.length;
  const toTextOffset = (byteOffset: number): number => (ascii ? byteOffset : bytes.subarray(0, byteOffset).toString('utf8').length);
  const unprinted = new Map<string, number>();
  const keyOf = (ruleId: string, range: readonly [number, number]): string => `${ruleId}\u0000${String(range[0])}:${String(range[1])}`;
  for (const diagnostic of diagnostics) {
    const span = diagnostic.labels?.[0]?.span;
    if (span === undefined) return undefined;
    const key = keyOf((diagnostic.code ?? '').slice('bounded-http('.length, -1), [toTextOffset(span.offset), toTextOffset(span.offset + span.length)]);
    unprinted.set(key, (unprinted.get(key) ?? 0) + 1);
  }
  const sites: Site[] = [];
  for (const finding of findings) {
    const key = keyOf(finding.ruleId, finding.range);
    const copies = unprinted.get(key) ?? 0;
    // Printed: oxlint reports it. Not printed: a disable comment hides it.
    const suppressed = copies === 0;
    if (!suppressed) unprinted.set(key, copies - 1);
    const start = positionOf(lineStarts, finding.range[0]);
    const end = positionOf(lineStarts, finding.range[1]);
    const site: Site = {
      ruleId: finding.ruleId,
      messageId: finding.messageId,
      message: finding.message,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      range: [finding.range[0], finding.range[1]],
      suppressed,
    };
    if (suppressed) site.suppression = finding.suppression;
    if (finding.familyId !== null) site.family = finding.familyId as NonNullable<Site['family']>;
    sites.push(site);
  }
  if ([...unprinted.values()].some((copies) => copies > 0)) return undefined;
  sites.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  record.sites = auditSiteRecords(sites, text);
  if (sites.some((site) => !site.suppressed)) record.status = 'findings';
  return record;
}
