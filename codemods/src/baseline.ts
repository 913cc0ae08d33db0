/**
 * The ratchet: `audit --baseline <file>` fails only on findings the baseline does not hold, so a repository
 * with hundreds of old findings can gate new code today. Entries are keyed by file, rule and fingerprint
 * (fingerprint.ts), never by line, so unrelated edits leave them matched.
 *
 * The same option also reads ESLint's bulk-suppressions file (`eslint-suppressions.json`, ESLint 9.24 and
 * later): there an entry is a count per file and rule, and the first that many findings of the rule in the file
 * are held. It is coarser (a new finding in a file that lost an old one slips through), which is why the
 * native format exists; reading ESLint's lets a repository keep one file for both gates.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { BaselineSummary, FileRecord } from './report.js';
import { UsageError } from './usage-error.js';

export const baselineVersion = 1;

export interface BaselineEntry {
  /** Relative to the baseline file's folder, with forward slashes. */
  path: string;
  ruleId: string;
  fingerprint: string;
  /** For the reader of a diff of the baseline; not part of the key. */
  snippet: string;
}

export interface BaselineDocument {
  baselineVersion: typeof baselineVersion;
  tool: 'bounded-http';
  findings: BaselineEntry[];
}

type EslintSuppressions = Record<string, Record<string, { count: number }>>;

export type LoadedBaseline =
  | { format: 'bounded-http'; file: string; entries: BaselineEntry[] }
  | { format: 'eslint-suppressions'; file: string; counts: EslintSuppressions }
  | { format: 'none'; file: string };

const pluginPrefix = 'bounded-http/';

function badBaseline(file: string, what: string): UsageError {
  return new UsageError(`${file} is not a baseline: ${what}`, `write one with bounded-http audit --baseline ${file} --update-baseline`);
}

function isEntry(value: unknown): value is BaselineEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry['path'] === 'string' && typeof entry['ruleId'] === 'string' && typeof entry['fingerprint'] === 'string';
}

function isSuppressions(value: object): value is EslintSuppressions {
  return Object.values(value).every(
    (rules) => typeof rules === 'object' && rules !== null && Object.values(rules as object).every((entry) => typeof (entry as { count?: unknown } | null)?.count === 'number'),
  );
}

/** Reads a baseline; a missing file is an empty one only when the run is about to write it. */
export function readBaseline(file: string, updating: boolean): LoadedBaseline {
  if (!existsSync(file)) {
    if (updating) return { format: 'none', file };
    throw new UsageError(`the baseline ${file} does not exist`, `create it with bounded-http audit --baseline ${file} --update-baseline`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badBaseline(file, `it is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badBaseline(file, 'expected a JSON object');
  const document = parsed as Record<string, unknown>;
  if (document['tool'] === 'bounded-http') {
    if (document['baselineVersion'] !== baselineVersion) throw badBaseline(file, `baselineVersion ${String(document['baselineVersion'])} is not ${baselineVersion}`);
    const findings = document['findings'];
    if (!Array.isArray(findings) || !findings.every(isEntry)) throw badBaseline(file, 'findings must be a list of { path, ruleId, fingerprint, snippet }');
    return { format: 'bounded-http', file, entries: findings };
  }
  if (isSuppressions(document)) {
    if (updating) {
      throw new UsageError(`${file} is ESLint's bulk-suppressions file, which ESLint maintains`, `update it with eslint --suppress-rule 'bounded-http/*', or give --update-baseline a bounded-http baseline file`);
    }
    return { format: 'eslint-suppressions', file, counts: document };
  }
  throw badBaseline(file, 'expected { "tool": "bounded-http", "baselineVersion": 1, "findings": [...] } or an eslint-suppressions.json');
}

/** A finding's path as the baseline writes it: relative to the baseline's folder, forward slashes. */
function keyPath(baselineFile: string, record: FileRecord): string {
  return path.relative(path.dirname(path.resolve(baselineFile)), path.join(record.repo, record.path)).split(path.sep).join('/');
}

const entryKey = (filePath: string, ruleId: string, fingerprint: string): string => `${filePath}\u0000${ruleId}\u0000${fingerprint}`;

/**
 * Marks every reported site the baseline holds as `baselined` and counts the rest. Suppressed sites are
 * exceptions already and take no part.
 */
export function applyBaseline(records: readonly FileRecord[], baseline: LoadedBaseline): Omit<BaselineSummary, 'updated'> {
  let baselined = 0;
  let found = 0;
  if (baseline.format === 'none') {
    for (const record of records) found += record.sites.filter((site) => site.action === 'reported').length;
    return { path: baseline.file, format: 'bounded-http', entries: 0, baselined: 0, new: found, resolved: 0 };
  }
  if (baseline.format === 'bounded-http') {
    const held = new Set(baseline.entries.map((entry) => entryKey(entry.path, entry.ruleId, entry.fingerprint)));
    const matched = new Set<string>();
    for (const record of records) {
      const filePath = keyPath(baseline.file, record);
      for (const site of record.sites) {
        if (site.action !== 'reported') continue;
        found += 1;
        const key = entryKey(filePath, site.ruleId, site.fingerprint ?? '');
        if (!held.has(key)) continue;
        site.baselined = true;
        matched.add(key);
        baselined += 1;
      }
    }
    return { path: baseline.file, format: 'bounded-http', entries: held.size, baselined, new: found - baselined, resolved: held.size - matched.size };
  }
  const remaining = new Map<string, number>();
  let entries = 0;
  for (const [filePath, rules] of Object.entries(baseline.counts)) {
    for (const [ruleId, { count }] of Object.entries(rules)) {
      if (!ruleId.startsWith(pluginPrefix)) continue;
      remaining.set(`${filePath}\u0000${ruleId.slice(pluginPrefix.length)}`, count);
      entries += count;
    }
  }
  for (const record of records) {
    const filePath = keyPath(baseline.file, record);
    for (const site of record.sites) {
      if (site.action !== 'reported') continue;
      found += 1;
      const key = `${filePath}\u0000${site.ruleId}`;
      const left = remaining.get(key) ?? 0;
      if (left <= 0) continue;
      remaining.set(key, left - 1);
      site.baselined = true;
      baselined += 1;
    }
  }
  return { path: baseline.file, format: 'eslint-suppressions', entries, baselined, new: found - baselined, resolved: entries - baselined };
}

/** The baseline of this run's findings, sorted so that a change to it reads as a small diff. */
export function baselineOf(records: readonly FileRecord[], baselineFile: string): BaselineDocument {
  const findings: BaselineEntry[] = [];
  for (const record of records) {
    const filePath = keyPath(baselineFile, record);
    for (const site of record.sites) {
      if (site.action === 'reported') findings.push({ path: filePath, ruleId: site.ruleId, fingerprint: site.fingerprint ?? '', snippet: site.snippet ?? '' });
    }
  }
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { baselineVersion, tool: 'bounded-http', findings };
}

export function formatBaseline(document: BaselineDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
