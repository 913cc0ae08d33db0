import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';

import { distance as levenshtein } from 'fastest-levenshtein';

import { UsageError } from './usage-error.js';

const require = createRequire(import.meta.url);
export const toolVersion = (require('../package.json') as { version: string }).version;

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** The flags every command accepts. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  jobs: { type: 'string', short: 'j' },
  report: { type: 'string' },
  'opaque-options': { type: 'string' },
} as const satisfies OptionSpecs;

/** The flags that choose which files are linted and how: the same on audit and fix. */
export const targetOptions = {
  'ignore-pattern': { type: 'string', multiple: true },
  'eslint-config': { type: 'string' },
  'type-aware': { type: 'boolean' },
} as const satisfies OptionSpecs;

/** What the target-selection flags asked for. */
export interface TargetFlags {
  ignorePatterns: string[];
  /** `true`: each repository's own flat config, looked up as ESLint does; a string: that config file. */
  eslintConfig: string | true | undefined;
  typeAware: boolean;
}

/** A flat config file's name: what `--eslint-config <file>` takes as its value rather than as a path to audit. */
const configFileName = /(?:^|[\\/])eslint\.config\.[cm]?[jt]s$|\.[cm]?[jt]s$/u;

/**
 * `--eslint-config` takes an optional file, which util.parseArgs cannot express: the next argument is its value
 * when it names a JS/TS file (`--eslint-config eslint.config.mjs`), else the flag stands alone and each
 * repository's own config is looked up (`--eslint-config src` audits src with it). `--eslint-config=<file>`
 * always works.
 */
export function withOptionalConfigValue(args: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg !== '--eslint-config') {
      result.push(arg);
      continue;
    }
    const next = args[index + 1];
    if (next !== undefined && !next.startsWith('-') && configFileName.test(next) && existsSync(resolve(next))) {
      result.push(`--eslint-config=${next}`);
      index += 1;
    } else {
      result.push('--eslint-config=');
    }
  }
  return result;
}

export function parseTargetFlags(values: { 'ignore-pattern'?: string[]; 'eslint-config'?: string; 'type-aware'?: boolean }): TargetFlags {
  const ignorePatterns = values['ignore-pattern'] ?? [];
  for (const pattern of ignorePatterns) {
    if (pattern.trim() === '') throw new UsageError('--ignore-pattern is empty', 'for example: --ignore-pattern "**/*.test.ts" (ESLint\'s flat-config glob syntax, relative to the current folder)');
  }
  const written = values['eslint-config'];
  return { ignorePatterns, eslintConfig: written === undefined ? undefined : written === '' ? true : written, typeAware: values['type-aware'] ?? false };
}

export type OpaqueOptions = 'ignore' | 'report';

/**
 * `--opaque-options ignore|report`. `ignore` (the default) matches the presets, which trust options they cannot
 * read without types (`fetch(url, init)`); `report` finds those calls too, and fix bounds them.
 */
export function parseOpaqueOptions(value: string | undefined): OpaqueOptions {
  return parseChoice<OpaqueOptions>('--opaque-options', value ?? 'ignore', ['ignore', 'report']);
}

/** The closest known flag to a mistyped one, when it is close enough to be what was meant. */
function closestFlag(written: string, known: readonly string[]): string | undefined {
  let best: { flag: string; distance: number } | undefined;
  for (const flag of known) {
    const distance = levenshtein(written, flag);
    if (!best || distance < best.distance) best = { flag, distance };
  }
  // A third of the flag's length: `--dryrun` and `--baseline-update` are typos, `--verbose` is not `--report`.
  return best && best.distance <= Math.max(2, Math.floor(best.flag.length / 3)) ? best.flag : undefined;
}

/**
 * Runs a util.parseArgs call, turning its errors into usage errors that name the flag and point to --help.
 * `options` (the parseArgs option specs) lets an unknown flag get a "did you mean".
 */
export function parseCommandLine<Parsed>(command: string, args: readonly string[], parse: () => Parsed, options: OptionSpecs = {}): Parsed {
  try {
    return parse();
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown?.[1]) {
      const written = unknown[1].split('=')[0] ?? unknown[1];
      const meant = closestFlag(written, Object.keys(options).map((name) => `--${name}`));
      // `audit --strict` / `fix --config strict`: the preset has one spelling on both commands.
      throw new UsageError(`unknown option ${written} for '${command}'`, meant ? `did you mean ${meant}? (see bounded-http ${command} --help)` : `remove ${written} or check its spelling`);
    }
    // `--jobs -1`: parseArgs will not take a value that starts with a dash, and asks whether one was forgotten.
    const ambiguous = /argument for '(-[\w-]+)'/.exec(message);
    if (ambiguous?.[1]) {
      const written = ambiguous[1];
      const flag = longFlags[written] ?? written;
      const given = args[args.indexOf(written) + 1] ?? '';
      const limit = wholeNumberLimits[flag];
      if (limit !== undefined) parseWholeNumber(flag, given, { max: limit });
      throw new UsageError(`${flag} must be followed by its value, got '${given}'`, `a value that starts with a dash is written ${flag}=${given}`);
    }
    const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
    if (missing?.[1]) throw new UsageError(`${missing[1]} needs a value`, exampleOf[missing[1]] ?? 'give each option the value it expects');
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''), 'give each option the value it expects');
  }
}

const longFlags: Readonly<Record<string, string>> = { '-j': '--jobs' };
const wholeNumberLimits: Readonly<Record<string, number>> = { '--jobs': 64, '--timeout-ms': 2_147_483_647 };

/** A correct example for the flags whose values are checked here. */
const exampleOf: Readonly<Record<string, string>> = {
  '--jobs': 'for example: --jobs 2',
  '--timeout-ms': 'for example: --timeout-ms 30000 (30 seconds)',
};

function parseWholeNumber(flag: string, value: string, limits: { max: number }): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > limits.max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${limits.max}, got '${value}'`, exampleOf[flag] ?? `for example: ${flag} 1`);
  }
  return Number(value);
}

/** `--jobs`: the most analysis threads, 1 to 64; the default when absent. */
export function parseJobs(value: string | undefined, fallback: () => number): number {
  return value === undefined ? fallback() : parseWholeNumber('--jobs', value, { max: wholeNumberLimits['--jobs'] ?? 64 });
}

/** The deadline fix inserts when no `--timeout-ms` is given. */
const defaultTimeoutMs = 30_000;

/** `--timeout-ms`: the deadline in milliseconds, up to what a timer can hold (2^31 - 1). */
export function parseTimeoutMs(value: string | undefined): number {
  return value === undefined ? defaultTimeoutMs : parseWholeNumber('--timeout-ms', value, { max: wholeNumberLimits['--timeout-ms'] ?? 2_147_483_647 });
}

export function parseChoice<const Choice extends string>(flag: string, value: string, choices: readonly Choice[]): Choice {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got '${value}'`, `for example: ${flag} ${choices[0]}`);
  }
  return value as Choice;
}

/** The paths to process, defaulting to the current folder; each must exist. */
export function resolvePaths(command: string, positionals: readonly string[]): string[] {
  const given = positionals.length > 0 ? positionals : ['.'];
  return given.map((path) => {
    const absolute = resolve(path);
    if (!existsSync(absolute)) {
      throw new UsageError(`path not found: ${path}`, `pass existing files or folders, e.g. bounded-http ${command} src`);
    }
    return absolute;
  });
}
