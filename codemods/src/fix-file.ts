/**
 * Rewrites the sites findSites reports, and only those: the rules decide what is unbounded, the transforms
 * (one per file in ./transforms) decide how to bound it. All edits are computed on the untouched syntax tree
 * first and applied as text at the end, so nothing is reformatted and no ts-morph node goes stale.
 */
import path from 'node:path';
import { Project, ts } from 'ts-morph';

import { applyScriptViewEdits, scriptViewOf } from './framework-files.js';
import { findSites, type Site, SourceParseError } from './find-sites.js';
import { transforms } from './transforms/index.js';
import type { ClientTarget, Edit, ImportNeed, TransformContext } from './transforms/types.js';
import { ImportSpecError, importEdits, parseImportSpec } from './transforms/util/imports.js';
import { detectStyle } from './transforms/util/style.js';
import { nodeAtRange } from './transforms/util/syntax.js';

export interface FixOptions {
  /** The deadline in milliseconds (`--timeout-ms`, default 30000). */
  timeoutMs: number;
  /** An expression to use instead of the number (`--timeout-expr`), e.g. `HTTP_TIMEOUT_MS`. */
  timeoutExpr?: string;
  /** Where the expression comes from (`--timeout-import "HTTP_TIMEOUT_MS from './src/config.js'"`). */
  timeoutImport?: string;
  /** `--client "boundedFetch from ./src/lib/http.js"`: retrofit fetch calls to the repo's bounded client. */
  client?: string;
  /** `--strict`: run the strict preset and also give axios calls a signal. */
  strict: boolean;
  /** `--transforms a,b`: only these (names from transformNames); all when absent. */
  transforms?: string[];
  /** The target's Node version has `AbortSignal.any`, so an existing signal can be combined with a deadline. */
  allowAbortSignalAny: boolean;
  /** `report`: also fix calls whose options the presets cannot read (`fetch(url, init)`); see findSites. */
  opaqueOptions?: 'ignore' | 'report';
  /** Relative `--client` and `--timeout-import` paths are relative to this folder (default: the cwd). */
  rootDir?: string;
}

export interface SiteOutcome {
  ruleId: string;
  messageId: string;
  line: number;
  column: number;
  action: 'fixed' | 'skipped' | 'unfixable';
  reason: string;
  transform?: string;
  warnings?: string[];
}

/** The file could not be fixed; nothing was written. `reason` says why and what to do. */
export class FixFileError extends Error {
  constructor(
    readonly filePath: string,
    readonly reason: string,
  ) {
    super(`${filePath}: ${reason}`);
    this.name = 'FixFileError';
  }
}

/** The names `--transforms` accepts. */
export const transformNames: readonly string[] = transforms.map((transform) => transform.name);

const project = new Project({
  useInMemoryFileSystem: true,
  skipAddingFilesFromTsConfig: true,
  skipFileDependencyResolution: true,
  compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve },
});

/** `30_000` rather than `30000`: the deadline reads at a glance. */
export function formatMilliseconds(milliseconds: number): string {
  return String(milliseconds).replace(/\B(?=(?:\d{3})+$)/gu, '_');
}

function scriptKindOf(filePath: string): ts.ScriptKind {
  switch (path.extname(filePath).toLowerCase()) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

/** The first syntax error TypeScript finds in `text`, if any. */
function firstSyntaxError(text: string, filePath: string): string | undefined {
  const parsed = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false, scriptKindOf(filePath));
  const diagnostics = (parsed as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  const [first] = diagnostics;
  if (!first) return undefined;
  const { line, character } = parsed.getLineAndCharacterOfPosition(first.start ?? 0);
  return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`;
}

function contextFor(sourceFile: TransformContext['sourceFile'], filePath: string, options: FixOptions): TransformContext {
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new FixFileError(filePath, `--timeout-ms must be a positive whole number of milliseconds, got ${String(options.timeoutMs)}`);
  }
  for (const name of options.transforms ?? []) {
    if (!transformNames.includes(name)) {
      throw new FixFileError(filePath, `--transforms: unknown transform "${name}"; known: ${transformNames.join(', ')}`);
    }
  }
  const rootDir = path.resolve(options.rootDir ?? process.cwd());
  const context: TransformContext = {
    sourceFile,
    filePath,
    style: detectStyle(sourceFile),
    timeoutText: options.timeoutExpr ?? formatMilliseconds(options.timeoutMs),
    strict: options.strict,
    allowAbortSignalAny: options.allowAbortSignalAny,
    rootDir,
  };
  try {
    if (options.timeoutImport !== undefined) {
      if (options.timeoutExpr === undefined) throw new FixFileError(filePath, '--timeout-import needs --timeout-expr naming what it imports');
      context.timeoutImport = parseImportSpec('--timeout-import', options.timeoutImport);
    }
    if (options.client !== undefined) {
      const need = parseImportSpec('--client', options.client);
      const client: ClientTarget = { ...need, modulePath: need.from.startsWith('.') ? path.resolve(rootDir, need.from) : '' };
      context.client = client;
    }
  } catch (error) {
    if (error instanceof ImportSpecError) throw new FixFileError(filePath, error.message);
    throw error;
  }
  return context;
}

function overlaps(a: Edit, b: Edit): boolean {
  if (a.start === a.end && b.start === b.end) return false;
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  // Later offsets first; among insertions at one offset, the one accepted first must end up first.
  const ordered = edits.map((edit, order) => ({ edit, order })).sort((a, b) => b.edit.start - a.edit.start || b.order - a.order);
  let result = text;
  for (const { edit } of ordered) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/**
 * Fixes every finding of the plugin in one file. Returns the new text (BOM and line endings as they were)
 * and one outcome per finding. Throws FixFileError when the file does not parse, an option is invalid, or
 * the rewrite would not parse: the caller then writes nothing.
 */
export function fixFile(text: string, filePath: string, options: FixOptions): FixResult {
  let sites: Site[];
  try {
    sites = findSites(text, filePath, { config: options.strict ? 'strict' : 'recommended', opaqueOptions: options.opaqueOptions ?? 'ignore' });
  } catch (error) {
    if (error instanceof SourceParseError) throw new FixFileError(filePath, `cannot parse the file (${String(error.line)}:${String(error.column)} ${error.reason}); fix the syntax error first`);
    throw error;
  }
  return fixSites(text, filePath, sites, options);
}

export interface FixResult {
  text: string;
  changed: boolean;
  outcomes: SiteOutcome[];
}

/**
 * fixFile for sites already found (the CLI's audit pass has them): `sites` must come from findSites on the
 * same text.
 */
export function fixSites(text: string, filePath: string, sites: readonly Site[], options: FixOptions): FixResult {
  const view = scriptViewOf(text, filePath);
  if (view) {
    // A .vue/.svelte component: rewrite its script view, then carry the edits back into the <script> blocks only.
    const result = fixSites(view.text, view.filename, sites, options);
    if (!result.changed) return { ...result, text };
    const component = applyScriptViewEdits(text, view, result.text);
    if (component === undefined) throw new FixFileError(filePath, 'the rewrite would edit outside the <script> blocks; the file was left unchanged, please report this case');
    return { ...result, text: component };
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  if (sites.length === 0) return { text, changed: false, outcomes: [] };
  const bodySites = sites.map((site) => ({ ...site, range: [site.range[0] - bom.length, site.range[1] - bom.length] as [number, number] }));

  const sourceFile = project.createSourceFile(path.resolve(filePath), body, { overwrite: true, scriptKind: scriptKindOf(filePath) });
  try {
    const context = contextFor(sourceFile, filePath, options);
    const edits: Edit[] = [];
    const imports: ImportNeed[] = [];
    const outcomes: SiteOutcome[] = bodySites.map((site) => {
      const outcome = fixSite(site, context, options, edits, imports);
      return { ruleId: site.ruleId, messageId: site.messageId, line: site.line, column: site.column, ...outcome };
    });
    if (edits.length === 0) return { text, changed: false, outcomes };
    edits.push(...importEdits(sourceFile, imports, context.style, context.rootDir));
    const newBody = applyEdits(body, edits);
    const syntaxError = firstSyntaxError(newBody, filePath);
    if (syntaxError) {
      throw new FixFileError(filePath, `the rewrite would not parse (${syntaxError}); the file was left unchanged, please report this case`);
    }
    return { text: bom + newBody, changed: newBody !== body, outcomes };
  } finally {
    project.removeSourceFile(sourceFile);
  }
}

type Decision = Omit<SiteOutcome, 'ruleId' | 'messageId' | 'line' | 'column'>;

function fixSite(site: Site, context: TransformContext, options: FixOptions, edits: Edit[], imports: ImportNeed[]): Decision {
  if (site.suppressed) {
    return {
      action: 'skipped',
      reason: `an eslint-disable comment for ${site.ruleId} covers this call: the documented exception (e.g. a long-poll) is left as it is`,
    };
  }
  const node = nodeAtRange(context.sourceFile, site.range[0], site.range[1]);
  if (!node) return { action: 'unfixable', reason: 'the reported location is not in the file' };
  const transform = transforms.find((candidate) => candidate.appliesTo(site, node, context));
  if (!transform) return { action: 'unfixable', reason: `no transform rewrites this finding; fix it by hand: ${site.message}` };
  if (options.transforms && !options.transforms.includes(transform.name)) {
    return { action: 'skipped', reason: `the ${transform.name} transform is not selected by --transforms`, transform: transform.name };
  }
  const result = transform.fix(site, node, context);
  if (result.action !== 'fixed') return { action: result.action, reason: result.reason, transform: transform.name };
  const fresh = result.edits.filter((edit) => !edits.some((accepted) => sameEdit(accepted, edit)));
  if (fresh.some((edit) => edits.some((accepted) => overlaps(accepted, edit)))) {
    return { action: 'unfixable', reason: 'overlaps another rewrite in this file; run fix again to finish it', transform: transform.name };
  }
  edits.push(...fresh);
  imports.push(...(result.imports ?? []));
  if (context.timeoutImport && fresh.some((edit) => edit.text.includes(context.timeoutText))) imports.push(context.timeoutImport);
  const decision: Decision = { action: 'fixed', reason: result.reason, transform: transform.name };
  if (result.warnings?.length) decision.warnings = result.warnings;
  return decision;
}
