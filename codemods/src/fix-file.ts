/**
 * Rewrites the sites findSites reports, and only those: the rules decide what is unbounded, the transforms
 * (one per file in ./transforms) decide how to bound it. All edits are computed on the untouched syntax tree
 * first and applied as text at the end, so nothing is reformatted and no ts-morph node goes stale.
 */
import path from 'node:path';
import { Project, ts } from 'ts-morph';

import { applyScriptViewEdits, scriptViewOf } from './framework-files.js';
import { findSites, type PresetName, type Site, SourceParseError } from './find-sites.js';
import { transforms } from './transforms/index.js';
import type { ClientTarget, Edit, ImportNeed, Transform, TransformContext } from './transforms/types.js';
import { ImportSpecError, parseImportSpec } from './import-spec.js';
import { importEdits } from './transforms/util/imports.js';
import { detectStyle } from './transforms/util/style.js';
import { nodeAtRange } from './transforms/util/syntax.js';
import { suppressionOf } from './suppression.js';

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
    if (error instanceof ImportSpecError) throw new FixFileError(filePath, `${error.message}; for example: ${error.option} "${error.example}"`);
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

/** The text with every edit applied, in one pass: the edits never overlap (fixSite refuses those that would). */
function applyEdits(text: string, edits: readonly Edit[]): string {
  // Among insertions at one offset, the one accepted first must end up first.
  const ordered = edits.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.start - b.edit.start || a.order - b.order);
  const pieces: string[] = [];
  let copied = 0;
  for (const { edit } of ordered) {
    pieces.push(text.slice(copied, edit.start), edit.text);
    copied = edit.end;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/**
 * Fixes every finding of the plugin in one file. Returns the new text (BOM and line endings as they were)
 * and one outcome per finding. Throws FixFileError when the file does not parse, an option is invalid, or
 * the rewrite would not parse: the caller then writes nothing.
 */
export function fixFile(text: string, filePath: string, options: FixOptions): FixResult {
  let sites: Site[];
  try {
    sites = findSites(text, filePath, { config: presetOf(options), opaqueOptions: options.opaqueOptions ?? 'ignore' });
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
  /**
   * Unsuppressed findings the rules (the preset of the fix: `strict` under --strict, else `recommended`) report
   * in `text`: what --check counts. Every site reported `fixed` is absent from them, and from `strict`'s.
   */
  remaining: number;
}

/** Stand-ins for a test: transforms that emit what no real one does (text that does not parse, a fix the rules reject). */
export interface FixSeams {
  transforms?: readonly Transform[];
}

/** The preset the fix runs: the one whose findings are the sites. */
function presetOf(options: Pick<FixOptions, 'strict'>): PresetName {
  return options.strict ? 'strict' : 'recommended';
}

/** The presets a rewrite is checked under: a site is fixed only when neither still reports it. */
const verifyingPresets: readonly PresetName[] = ['recommended', 'strict'];

/** What fixSite decided for one site, with the edits and imports that make it so. */
interface SitePlan {
  decision: Decision;
  edits: Edit[];
  imports: ImportNeed[];
}

/**
 * fixFile for sites already found (the CLI's audit pass has them): `sites` must come from findSites on the
 * same text, under the fix's preset.
 *
 * The rules are the judge: the rewritten text is linted again under `recommended` and `strict`, and a site that
 * either still reports is not fixed. Its edits are undone (except those another fixed site made too), it is
 * reported `unfixable` with the finding that remains, and the smaller rewrite is checked again, until the rules
 * report none of the sites left as fixed.
 */
export function fixSites(text: string, filePath: string, sites: readonly Site[], options: FixOptions, seams: FixSeams = {}): FixResult {
  const view = scriptViewOf(text, filePath);
  if (view) {
    // A .vue/.svelte component: rewrite its script view, then carry the edits back into the <script> blocks only.
    const result = fixSites(view.text, view.filename, sites, options, seams);
    if (!result.changed) return { ...result, text };
    const component = applyScriptViewEdits(text, view, result.text);
    if (component === undefined) throw new FixFileError(filePath, 'the rewrite would edit outside the <script> blocks; the file was left unchanged, please report this case');
    return { ...result, text: component };
  }
  const unsuppressed = sites.filter((site) => !site.suppressed).length;
  if (sites.length === 0) return { text, changed: false, outcomes: [], remaining: 0 };
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  const bodySites = sites.map((site) => ({ ...site, range: [site.range[0] - bom.length, site.range[1] - bom.length] as [number, number] }));

  const sourceFile = project.createSourceFile(path.resolve(filePath), body, { overwrite: true, scriptKind: scriptKindOf(filePath) });
  try {
    const context = contextFor(sourceFile, filePath, options);
    const accepted: Edit[] = [];
    const plans = bodySites.map((site) => fixSite(site, context, options, accepted, seams.transforms ?? transforms));
    const outcomes: SiteOutcome[] = plans.map(({ decision }, index) => {
      const site = bodySites[index] as Site;
      return { ruleId: site.ruleId, messageId: site.messageId, line: site.line, column: site.column, ...decision };
    });
    const lintOptions = { opaqueOptions: options.opaqueOptions ?? 'ignore' } as const;
    const anchors = new AnchorsOfOriginal(text, filePath, bodySites, presetOf(options), lintOptions.opaqueOptions, bom.length);
    for (;;) {
      const fixedIndices = plans.flatMap((plan, index) => (plan.decision.action === 'fixed' ? [index] : []));
      if (fixedIndices.length === 0) return { text, changed: false, outcomes, remaining: unsuppressed };
      const edits = uniqueEdits(fixedIndices.flatMap((index) => plans[index]?.edits ?? []));
      edits.push(...importEdits(sourceFile, fixedIndices.flatMap((index) => plans[index]?.imports ?? []), context.style, context.rootDir));
      const newBody = applyEdits(body, edits);
      const syntaxError = firstSyntaxError(newBody, filePath);
      if (syntaxError) {
        throw new FixFileError(filePath, `the rewrite would not parse (${syntaxError}); the file was left unchanged, please report this case`);
      }
      const newText = bom + newBody;
      const findings = new Map<PresetName, Site[]>();
      for (const preset of verifyingPresets) findings.set(preset, unsuppressedFindings(newText, filePath, preset, lintOptions.opaqueOptions, bom.length));
      const stillReported = new Map<number, { preset: PresetName; finding: Site }>();
      const located = anchors.after(edits);
      for (const [preset, presetFindings] of findings) {
        for (const finding of presetFindings) {
          const index = located.siteOf(finding, (candidate) => plans[candidate]?.decision.action === 'fixed');
          if (index !== undefined && plans[index]?.decision.action === 'fixed' && !stillReported.has(index)) stillReported.set(index, { preset, finding });
        }
      }
      if (stillReported.size === 0) {
        return { text: newText, changed: newBody !== body, outcomes, remaining: findings.get(presetOf(options))?.length ?? 0 };
      }
      for (const [index, { preset, finding }] of stillReported) {
        const plan = plans[index];
        const outcome = outcomes[index];
        if (!plan || !outcome) continue;
        const reason = `not fixed: the rules still report it after the rewrite (${preset}: ${finding.ruleId}: ${finding.message}); its rewrite was undone, fix it by hand`;
        plan.decision = { action: 'unfixable', reason, ...(plan.decision.transform === undefined ? {} : { transform: plan.decision.transform }) };
        outcomes[index] = { ruleId: outcome.ruleId, messageId: outcome.messageId, line: outcome.line, column: outcome.column, ...plan.decision };
      }
    }
  } finally {
    project.removeSourceFile(sourceFile);
  }
}

/** The unsuppressed findings of `preset` in `text`, with ranges in the text without its BOM. */
function unsuppressedFindings(text: string, filePath: string, preset: PresetName, opaqueOptions: 'ignore' | 'report', bomLength: number): Site[] {
  let found: Site[];
  try {
    found = findSites(text, filePath, { config: preset, opaqueOptions });
  } catch (error) {
    if (error instanceof SourceParseError) {
      throw new FixFileError(filePath, `the rewrite would not parse (${String(error.line)}:${String(error.column)} ${error.reason.replace(/\.$/u, '')}); the file was left unchanged, please report this case`);
    }
    throw error;
  }
  return found.filter((site) => !site.suppressed).map((site) => ({ ...site, range: [site.range[0] - bomLength, site.range[1] - bomLength] }));
}

/** Edits once each, in the order they were accepted (several sites may ask for the very same edit). */
function uniqueEdits(edits: readonly Edit[]): Edit[] {
  const unique: Edit[] = [];
  for (const edit of edits) if (!unique.some((kept) => sameEdit(kept, edit))) unique.push(edit);
  return unique;
}

/**
 * Where an offset of the original text is in the rewritten one. A range's start stays before text inserted
 * at it and its end goes after, so a mapped range holds everything the rewrite put at its edges.
 */
function mapOffset(offset: number, edits: readonly Edit[], side: 'start' | 'end'): number {
  let shift = 0;
  for (const edit of edits) {
    const delta = edit.text.length - (edit.end - edit.start);
    if (edit.end < offset || (edit.end === offset && (edit.start < offset || side === 'end'))) shift += delta;
    else if (edit.start < offset && offset < edit.end) return edit.start + shift + (side === 'end' ? edit.text.length : 0);
  }
  return offset + shift;
}

function mapRange(range: readonly [number, number], edits: readonly Edit[]): [number, number] {
  return [mapOffset(range[0], edits, 'start'), mapOffset(range[1], edits, 'end')];
}

function contains(outer: readonly [number, number], inner: readonly [number, number]): boolean {
  return outer[0] <= inner[0] && inner[1] <= outer[1];
}

/**
 * Tells, for a finding in the rewritten text, which site of the original it is about. The candidates are the sites
 * and, when the innermost site around a finding is not an exact match, the original's findings under the other
 * presets too: a strict-only finding that was already there (a request inside a fixed call's callback) belongs to
 * itself, not to the fixed call around it.
 */
class AnchorsOfOriginal {
  #others: Array<{ ruleId: string; range: [number, number] }> | undefined;

  constructor(
    private readonly text: string,
    private readonly filePath: string,
    private readonly sites: readonly Site[],
    private readonly preset: PresetName,
    private readonly opaqueOptions: 'ignore' | 'report',
    private readonly bomLength: number,
  ) {}

  /**
   * The anchors' ranges moved to where `edits` put them, and `siteOf(finding, isFixed)`: the site a finding of the
   * rewrite is about. A finding no site holds and the original did not have (the rewrite moved a finding: a call's
   * idle-only timeout now reported on the instance it is made on) is charged to the nearest fixed site, so that
   * undoing sites one at a time ends with no finding the rewrite made.
   */
  after(edits: readonly Edit[]): { siteOf(finding: Site, isFixed: (index: number) => boolean): number | undefined } {
    const ordered = [...edits].sort((a, b) => a.start - b.start);
    const mapped = this.sites.map((site) => mapRange(site.range, ordered));
    let others: Array<{ ruleId: string; range: [number, number] }> | undefined;
    const othersMapped = (): Array<{ ruleId: string; range: [number, number] }> =>
      (others ??= this.#originalOthers().map((other) => ({ ruleId: other.ruleId, range: mapRange(other.range, ordered) })));
    const size = (range: readonly [number, number]): number => range[1] - range[0];
    const same = (a: readonly [number, number], b: readonly [number, number]): boolean => a[0] === b[0] && a[1] === b[1];
    return {
      siteOf: (finding, isFixed) => {
        const exact = mapped.findIndex((range, index) => this.sites[index]?.ruleId === finding.ruleId && same(range, finding.range));
        if (exact !== -1) return exact;
        let innermost: number | undefined;
        mapped.forEach((range, index) => {
          const best = innermost === undefined ? undefined : mapped[innermost];
          if (contains(range, finding.range) && (!best || size(range) < size(best))) innermost = index;
        });
        // A new finding inside a site that was not fixed (a dispatcher inside setGlobalDispatcher(...)) is not that
        // site's: its rewrite did nothing. Look for the fixed site inside the finding instead.
        if (innermost !== undefined && (isFixed(innermost) || this.sites[innermost]?.ruleId === finding.ruleId)) {
          const around = mapped[innermost] as [number, number];
          const closer = othersMapped().some(({ range }) => contains(range, finding.range) && contains(around, range) && size(range) < size(around));
          return closer ? undefined : innermost;
        }
        let largest: number | undefined;
        mapped.forEach((range, index) => {
          const best = largest === undefined ? undefined : mapped[largest];
          if (contains(finding.range, range) && (!best || size(range) > size(best))) largest = index;
        });
        if (largest !== undefined) return largest;
        if (othersMapped().some((other) => other.ruleId === finding.ruleId && same(other.range, finding.range))) return undefined;
        let nearest: number | undefined;
        let nearestDistance = Number.POSITIVE_INFINITY;
        mapped.forEach((range, index) => {
          const distance = Math.max(range[0] - finding.range[1], finding.range[0] - range[1], 0);
          if (isFixed(index) && distance < nearestDistance) [nearest, nearestDistance] = [index, distance];
        });
        return nearest;
      },
    };
  }

  /** The original's findings under the presets other than the fix's, linted once and only when asked. */
  #originalOthers(): Array<{ ruleId: string; range: [number, number] }> {
    this.#others ??= verifyingPresets
      .filter((preset) => preset !== this.preset)
      .flatMap((preset) => unsuppressedFindings(this.text, this.filePath, preset, this.opaqueOptions, this.bomLength))
      .map((other) => ({ ruleId: other.ruleId, range: other.range }));
    return this.#others;
  }
}

type Decision = Omit<SiteOutcome, 'ruleId' | 'messageId' | 'line' | 'column'>;

function fixSite(site: Site, context: TransformContext, options: FixOptions, accepted: Edit[], candidates: readonly Transform[]): SitePlan {
  const plan = (decision: Decision, edits: Edit[] = [], imports: ImportNeed[] = []): SitePlan => ({ decision, edits, imports });
  if (site.suppressed) return plan({ action: 'skipped', reason: suppressedReason(site) });
  const node = nodeAtRange(context.sourceFile, site.range[0], site.range[1]);
  if (!node) return plan({ action: 'unfixable', reason: 'the reported location is not in the file' });
  const transform = candidates.find((candidate) => candidate.appliesTo(site, node, context));
  if (!transform) return plan({ action: 'unfixable', reason: `no transform rewrites this finding; fix it by hand: ${site.message}` });
  if (options.transforms && !options.transforms.includes(transform.name)) {
    return plan({ action: 'skipped', reason: `the ${transform.name} transform is not selected by --transforms`, transform: transform.name });
  }
  const result = transform.fix(site, node, context);
  if (result.action !== 'fixed') return plan({ action: result.action, reason: result.reason, transform: transform.name });
  const fresh = result.edits.filter((edit) => !accepted.some((kept) => sameEdit(kept, edit)));
  if (fresh.some((edit) => accepted.some((kept) => overlaps(kept, edit)))) {
    return plan({ action: 'unfixable', reason: 'overlaps another rewrite in this file; run fix again to finish it', transform: transform.name });
  }
  accepted.push(...fresh);
  const imports = [...(result.imports ?? [])];
  if (context.timeoutImport && result.edits.some((edit) => edit.text.includes(context.timeoutText))) imports.push(context.timeoutImport);
  const decision: Decision = { action: 'fixed', reason: result.reason, transform: transform.name };
  if (result.warnings?.length) decision.warnings = result.warnings;
  return plan(decision, result.edits, imports);
}

function suppressedReason(site: Site): string {
  return suppressionOf(site)?.reason ?? `an eslint-disable comment for ${site.ruleId} covers this call, left as it is`;
}
