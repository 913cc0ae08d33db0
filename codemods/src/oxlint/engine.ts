/**
 * `bounded-http audit --engine oxlint`: the same rules, hosted by oxlint (its `jsPlugins`), with a report
 * identical to the ESLint engine's. oxlint parses and walks the files in native threads; the rules run in
 * its JavaScript host, wrapped by host-plugin.ts so that each finding's descriptor (family, message id) comes
 * back beside oxlint's JSON output.
 *
 * Files oxlint cannot host the same way go to the ESLint engine instead, counted in `handedToEslint`:
 * - files holding an `eslint` comment directive: a finding an `eslint-disable` comment hides must be reported
 *   as suppressed and classified (documented exception or not), and oxlint reports nothing of what it hides;
 * - Vue and Svelte components (the ESLint engine reads their script blocks at their own offsets), files that
 *   start with a BOM, and files that are not UTF-8;
 * - files oxlint fails to parse (a BOM before `#!`, say): the ESLint engine either parses them or reports them
 *   `failed` with its own reason, exactly as an ESLint-engine run would. None is skipped silently.
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
import type { SitesLine } from './host-plugin.js';

/** Files per oxlint invocation: far below any command-line length limit, few enough processes to start. */
const filesPerRun = 2_000;

/** A comment that configures ESLint or silences it: the ESLint engine must see that file. */
const eslintDirective = /\/[*/]\s*eslint(?:-disable|-enable|\s)/u;

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
  return source.text.startsWith('\uFEFF') || eslintDirective.test(source.text);
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

/** Per rule, its message ids with a pattern that matches the messages rendered from each. */
type MessageMatchers = ReadonlyMap<string, readonly { id: string; pattern: RegExp }[]>;

/**
 * The message id of a finding no descriptor describes (`no-global-agent`, `no-restricted-http-api` record
 * none): the id whose template renders the message, placeholders matching anything.
 */
async function messageMatchers(): Promise<MessageMatchers> {
  const { rules: pluginRules } = await import('eslint-plugin-bounded-http');
  const matchers = new Map<string, { id: string; pattern: RegExp }[]>();
  for (const [name, rule] of Object.entries(pluginRules)) {
    const messages = Object.entries((rule.meta.messages ?? {})).map(([id, template]) => {
      const parts = template.split(/\{\{\s*\w+\s*\}\}/u).map((part) => part.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'));
      return { id, pattern: new RegExp(`^${parts.join('[\\s\\S]*?')}$`, 'u') };
    });
    matchers.set(name, messages);
  }
  return matchers;
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
    for (const job of hosted) repos.set(job.repo, [...(repos.get(job.repo) ?? []), job]);
    for (const [repo, repoJobs] of repos) {
      for (let start = 0; start < repoJobs.length; start += filesPerRun) {
        const found = await runOxlint(oxlint, configPath, repoJobs.slice(start, start + filesPerRun).map((job) => job.path), threads, sitesFile, repo);
        for (const diagnostic of found) diagnostics.push({ ...diagnostic, filename: resolve(repo, diagnostic.filename) });
      }
    }
    const descriptors = new Map<string, SitesLine['sites'][number]>();
    for (const line of readFileSync(sitesFile, 'utf8').split('\n')) {
      if (line === '') continue;
      const entry = JSON.parse(line) as SitesLine;
      for (const site of entry.sites) descriptors.set(`${resolve(entry.file)}\u0000${site.ruleId}\u0000${String(site.range[0])}`, site);
    }
    const matchers = await messageMatchers();
    const findings = new Map<string, OxlintDiagnostic[]>();
    const unparsed = new Set<string>();
    for (const diagnostic of diagnostics) {
      const file = resolve(diagnostic.filename);
      if (diagnostic.code === undefined || !diagnostic.code.startsWith('bounded-http(')) unparsed.add(file);
      else findings.set(file, [...(findings.get(file) ?? []), diagnostic]);
    }
    for (const [file, job] of byPath) {
      if (unparsed.has(file)) {
        handedToEslint.push(job);
        continue;
      }
      onOutcome({ record: recordOf(job, findings.get(file) ?? [], descriptors, matchers) });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return { handedToEslint };
}

function recordOf(job: FileJob, diagnostics: readonly OxlintDiagnostic[], descriptors: ReadonlyMap<string, SitesLine['sites'][number]>, matchers: MessageMatchers): FileRecord {
  const record: FileRecord = { path: toReportPath(job.repo, job.path), repo: job.repo, status: 'clean', sites: [] };
  if (diagnostics.length === 0) return record;
  const bytes = readFileSync(job.path);
  const text = bytes.toString('utf8');
  const lineStarts = lineStartsOf(text);
  // oxlint counts UTF-8 bytes; ESLint, the descriptors and the report count UTF-16 code units.
  const toTextOffset = (byteOffset: number): number => bytes.subarray(0, byteOffset).toString('utf8').length;
  const sites: Site[] = diagnostics.map((diagnostic) => {
    const ruleId = (diagnostic.code ?? '').slice('bounded-http('.length, -1);
    const span = diagnostic.labels?.[0]?.span ?? { offset: 0, length: 0, line: 1, column: 1 };
    const range: [number, number] = [toTextOffset(span.offset), toTextOffset(span.offset + span.length)];
    const start = positionOf(lineStarts, range[0]);
    const end = positionOf(lineStarts, range[1]);
    const descriptor = descriptors.get(`${resolve(job.path)}\u0000${ruleId}\u0000${String(range[0])}`);
    const site: Site = {
      ruleId,
      messageId: descriptor?.messageId ?? matchers.get(ruleId)?.find((matcher) => matcher.pattern.test(diagnostic.message))?.id ?? '',
      message: diagnostic.message,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      range,
      suppressed: false,
    };
    if (descriptor?.familyId) site.family = descriptor.familyId as NonNullable<Site['family']>;
    return site;
  });
  sites.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  record.sites = auditSiteRecords(sites, text);
  record.status = 'findings';
  return record;
}
