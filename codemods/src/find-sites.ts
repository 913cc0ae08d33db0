/**
 * Where the plugin's rules say a call is unbounded. This is the codemods' only notion of "bounded": the
 * transforms rewrite exactly the sites returned here, so the CLI and the lint gate cannot drift apart.
 */
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { type SiteDescriptor, siteDescriptorsOf, siteKey } from 'eslint-plugin-bounded-http/detection';
import type { FamilyId } from 'eslint-plugin-bounded-http/knowledge';
import path from 'node:path';

import { scriptViewOf } from './framework-files.js';
import { reportingOpaqueOptions } from './opaque-options.js';
import { lineStartsOf, offsetOf } from './text-positions.js';
import { classifySuppression, disableCommentsOf, type SuppressionKind } from './suppression.js';

/** One finding of a bounded-http rule, located in the file's original text. */
export interface Site {
  /** Rule name without the plugin prefix, e.g. `no-unbounded-fetch`. */
  ruleId: string;
  messageId: string;
  message: string;
  /** 1-based, as ESLint reports it. */
  line: number;
  /** 1-based, as ESLint reports it. */
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets of the reported node in the text. */
  range: [number, number];
  /** The client family of the finding, from its descriptor. */
  family?: FamilyId;
  /**
   * What the plugin's detection engine recorded for this finding in the same lint pass: where the options
   * sit, the culprit, the reason. Absent for rules that describe no request (`no-global-agent`). Its
   * offsets are in the text without a BOM, as the fix step's are.
   */
  descriptor?: SiteDescriptor;
  /** An `eslint-disable` comment covers the site. */
  suppressed: boolean;
  /** When suppressed: whether by the documented per-rule exception (long-polls) or by another comment. */
  suppression?: SuppressionKind;
}

export type PresetName = 'recommended' | 'strict';

export interface FindSitesOptions {
  config: PresetName;
  /**
   * `report`: also report calls whose options cannot be read without types (`fetch(url, init)`), which the
   * presets trust. The fix step can bound them (spreading the options and keeping their signal).
   */
  opaqueOptions?: 'ignore' | 'report';
  /**
   * `--eslint-config`: the bounded-http rules the target's own config turns on for this file (`bounded-http/`
   * names, the target's options), instead of the preset.
   */
  rules?: Linter.RulesRecord;
  /**
   * `--type-aware`: lint with type information from the TypeScript project service, rooted at the target's
   * repository (the preset becomes `recommended-type-checked`, or `strict` with types). A file no tsconfig
   * includes is linted without types, and `onUntyped` hears of it.
   */
  typeAware?: { readonly tsconfigRootDir: string; readonly onUntyped?: () => void };
  /** The repository root, which the rules read paths relative to (ESLint's cwd when run there). */
  cwd?: string;
}

/** The file cannot be parsed, so nothing in it can be audited or fixed. */
export class SourceParseError extends Error {
  constructor(
    readonly filePath: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${filePath}:${line}:${column}: cannot parse the file: ${reason}`);
    this.name = 'SourceParseError';
  }
}

const pluginPrefix = 'bounded-http/';
/** typescript-eslint's fatal error for a file outside every tsconfig the project service knows. */
const notInProject = /was not found by the project service/u;
const lintedExtensions = ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'];

// Rooted at the repository, as `npx eslint` run there would be: the rules read paths relative to the cwd
// (no-global-agent's test-file globs, no-restricted-http-api's allowIn), so a checkout under a folder named
// `tests` must not make every file a test file. A file outside the given root (a temp copy) gets the file
// system root, so that it is inside the cwd.
const lintersByRoot = new Map<string, Linter>();

function linterFor(absolutePath: string, repoRoot: string | undefined): Linter {
  const inside = repoRoot !== undefined && !path.relative(repoRoot, absolutePath).startsWith('..') && !path.isAbsolute(path.relative(repoRoot, absolutePath));
  const root = inside ? repoRoot : path.parse(absolutePath).root;
  let linter = lintersByRoot.get(root);
  if (!linter) {
    linter = new Linter({ configType: 'flat', cwd: root });
    lintersByRoot.set(root, linter);
  }
  return linter;
}
const configsByPreset = new Map<string, Linter.Config[]>();

/** The rules to run: the target's own (`--eslint-config`), else the preset, typed with `--type-aware`. */
function rulesConfigFor(preset: PresetName, rules: Linter.RulesRecord | undefined, typed: boolean): Linter.Config {
  if (rules) return { plugins: { 'bounded-http': boundedHttp }, rules };
  return boundedHttp.configs[typed && preset === 'recommended' ? 'recommended-type-checked' : preset];
}

function configFor(preset: PresetName, jsx: boolean, opaqueOptions: 'ignore' | 'report', rules?: Linter.RulesRecord, typeAware?: FindSitesOptions['typeAware']): Linter.Config[] {
  const key = `${preset}:${String(jsx)}:${opaqueOptions}:${rules ? JSON.stringify(rules) : ''}:${typeAware?.tsconfigRootDir ?? ''}`;
  let config = configsByPreset.get(key);
  if (!config) {
    // Without types, typescript-estree's maps between its ESTree nodes and TypeScript's are read by nothing (the
    // plugin reads them only beside a program, util/type-info.ts), yet they keep TypeScript's whole AST alive
    // through the lint: on a 1 MB file the heap held after linting fell from 448 to 342 MB without them, and
    // the lint took 3.7 s instead of 5.2 s. With --type-aware the rules need them.
    const typedParserOptions = typeAware ? { projectService: true, tsconfigRootDir: typeAware.tsconfigRootDir } : { preserveNodeMaps: false };
    const ruleSet = rulesConfigFor(preset, rules, typeAware !== undefined);
    config = [
      // The CLI decides which files to audit; a file it passes in is audited even under node_modules.
      { ignores: ['!**/node_modules/'] },
      {
        // The target repository's own ESLint config is deliberately ignored: the audit is zero-config.
        files: [`**/*.{${lintedExtensions.join(',')}}`],
        languageOptions: {
          parser: tsParser,
          sourceType: 'module',
          ecmaVersion: 'latest',
          parserOptions: { ecmaFeatures: { jsx }, ...typedParserOptions },
        },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
      },
      ruleSet,
    ];
    if (opaqueOptions === 'report' && !rules) config.push({ rules: reportingOpaqueOptions(ruleSet.rules ?? {}) as Linter.RulesRecord });
    configsByPreset.set(key, config);
  }
  return config;
}

/**
 * True for the fatal messages ESLint raises about configuration comments (`/* eslint-env *\/`, `/* eslint … *\/`,
 * `/* global … *\/`): they point at a block comment that starts with one of those directive words. A parse error
 * never does: ESLint reports it where the parser stopped, which is never the start of a comment.
 */
function isInlineConfigProblem(message: Linter.LintMessage, source: string): boolean {
  const directive = /\/\*\s*(?:eslint-env|eslint|globals?|exported)\b/uy;
  directive.lastIndex = offsetOf(lineStartsOf(source), message.line, message.column);
  return directive.test(source);
}

function toSite(message: Linter.LintMessage, lineStarts: readonly number[], suppressed: boolean): Site | undefined {
  if (!message.ruleId?.startsWith(pluginPrefix)) return undefined;
  const ruleId = message.ruleId.slice(pluginPrefix.length);
  const endLine = message.endLine ?? message.line;
  const endColumn = message.endColumn ?? message.column;
  const site: Site = {
    ruleId,
    messageId: message.messageId ?? '',
    message: message.message,
    line: message.line,
    column: message.column,
    endLine,
    endColumn,
    range: [offsetOf(lineStarts, message.line, message.column), offsetOf(lineStarts, endLine, endColumn)],
    suppressed,
  };
  return site;
}

/**
 * Runs the plugin's preset in-process on one file and returns its findings, suppressed ones included.
 * Throws SourceParseError when the file does not parse.
 */
export function findSites(text: string, filePath: string, options: FindSitesOptions): Site[] {
  // A .vue/.svelte component is read through its script view: same offsets, only the <script> blocks' code.
  const view = scriptViewOf(text, filePath);
  if (view) return findSites(view.text, view.filename, options);
  const absolutePath = path.resolve(filePath);
  const linter = linterFor(absolutePath, options.cwd);
  const extension = path.extname(filePath).slice(1).toLowerCase();
  if (!lintedExtensions.includes(extension)) return [];
  const jsx = extension === 'tsx' || extension === 'jsx' || extension === 'js';
  // The parser strips a BOM itself, but ESLint's columns are relative to the text without it.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const bomLength = text.length - source.length;
  const config = configFor(options.config, jsx, options.opaqueOptions ?? 'ignore', options.rules, options.typeAware);
  const messages = linter.verify(source, config, { filename: absolutePath });
  // typescript-eslint's project service has no program for a file no tsconfig includes (a config file, a
  // script): that file is audited as it would be without --type-aware, not failed.
  if (options.typeAware && messages.some((message) => message.fatal === true && notInProject.test(message.message))) {
    options.typeAware.onUntyped?.();
    const untyped: FindSitesOptions = { config: options.config };
    if (options.cwd !== undefined) untyped.cwd = options.cwd;
    if (options.opaqueOptions) untyped.opaqueOptions = options.opaqueOptions;
    if (options.rules) untyped.rules = options.rules;
    return findSites(text, filePath, untyped);
  }
  // A fatal message is a parse error, or one of the target's own configuration comments that ESLint 10
  // rejects (`/* eslint-env */`, a malformed `/* eslint */`). Only the first means the file cannot be audited;
  // the zero-config audit does not read the target's configuration, so the second is no concern of it.
  const fatal = messages.find((message) => message.fatal === true && !isInlineConfigProblem(message, source));
  if (fatal) throw new SourceParseError(filePath, fatal.line, fatal.column, fatal.message);
  const suppressedMessages = (linter as unknown as { getSuppressedMessages(): Linter.LintMessage[] }).getSuppressedMessages();
  const lineStarts = lineStartsOf(source);
  // The rules recorded a descriptor per finding on the SourceCode they linted, which is the linter's last one;
  // its eslint-disable comments tell a documented exception from a blanket one.
  const sourceCode = linter.getSourceCode();
  const disableComments = sourceCode ? disableCommentsOf(sourceCode) : [];
  const descriptors = new Map<string, SiteDescriptor>();
  for (const descriptor of siteDescriptorsOf(sourceCode ?? {})) {
    descriptors.set(siteKey(descriptor.ruleId, descriptor.messageId, descriptor.range), descriptor);
  }
  const sites: Site[] = [];
  for (const [list, suppressed] of [
    [messages, false],
    [suppressedMessages, true],
  ] as const) {
    for (const message of list) {
      const site = toSite(message, lineStarts, suppressed);
      if (!site) continue;
      if (suppressed) site.suppression = classifySuppression(disableComments, site.ruleId, site.line);
      const descriptor = descriptors.get(siteKey(site.ruleId, site.messageId, site.range));
      if (descriptor) {
        site.descriptor = descriptor;
        if (descriptor.familyId !== null) site.family = descriptor.familyId;
      }
      site.range = [site.range[0] + bomLength, site.range[1] + bomLength];
      sites.push(site);
    }
  }
  // The Linter keeps the last file's SourceCode, and the plugin's engine its per-file analysis, until the next file
  // (hundreds of bytes of heap per byte of source). Linting an empty module under the same config lets both go, so a
  // large file's AST is not still held while the next one (fix's rewrite, checked again) is parsed: on a 512 kB file
  // fixSites' peak heap fell from 843 to about 450 MB. The descriptors and comments above are read by then.
  // Without types: under the project service, the empty module would replace the file's text in the program
  // that the next files are type-checked against.
  const emptyConfig = options.typeAware ? configFor(options.config, jsx, options.opaqueOptions ?? 'ignore', options.rules) : config;
  linter.verify('export {};\n', emptyConfig, { filename: absolutePath });
  return sites.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
}
