/**
 * Which files the target repository lints, and with which bounded-http rules: `--ignore-pattern` and
 * `--eslint-config`. Both are answered by ESLint's own `ESLint` class, never by a matcher of ours, so that the
 * CLI gate and the lint gate agree by construction: the same glob semantics, the same `files`/`ignores`
 * overrides, the same config lookup (ESLint 10 looks for `eslint.config.*` from each file's folder up).
 *
 * The main thread loads this module (and ESLint with it) only when one of the two flags is given.
 */
import { ESLint, type Linter } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

import { UsageError } from './usage-error.js';

/** The plugin's own name, which finds it in a target's config under whatever namespace it was registered. */
const pluginName = boundedHttp.meta.name;
const ownPrefix = 'bounded-http/';
const knownRules = new Set(Object.keys(boundedHttp.rules ?? {}));

export interface TargetConfigOptions {
  /** `--ignore-pattern`, as given: relative to the current folder, in ESLint's flat-config glob syntax. */
  ignorePatterns: readonly string[];
  /** `--eslint-config`: `true` to look each file's config up as ESLint does, or the path of one config file. */
  eslintConfig: string | true | undefined;
  /** The current folder, against which patterns and a config path are read. */
  cwd: string;
}

/** What the target's configuration says of one file. */
export type Selection =
  /** Not linted: ignored by a pattern or by the config, or no config object applies to it. */
  | { readonly kind: 'ignored'; readonly why: string }
  /** Linted; `rules` are the bounded-http rules the target's config turns on for it (with `--eslint-config`). */
  | { readonly kind: 'linted'; readonly rules?: Linter.RulesRecord };

export interface TargetConfig {
  select(file: string, repo: string): Promise<Selection>;
}

/**
 * A pattern relative to `cwd`, rewritten relative to `repo`, where the ESLint instance of that repository is
 * rooted (ESLint ignores whatever lies outside its cwd). When `cwd` is not inside `repo` (auditing a sibling
 * checkout), patterns are read relative to the repository root.
 */
function rebase(pattern: string, cwd: string, repo: string): string {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  const offset = relative(repo, cwd);
  if (offset === '' || offset.startsWith('..') || body.startsWith('**/')) return pattern;
  return `${negated ? '!' : ''}${offset.split(sep).join('/')}/${body.replace(/^\.\//u, '')}`;
}

/** The target's entries for the plugin's rules, renamed to `bounded-http/`, dropping the ones switched off. */
function boundedHttpRulesOf(config: Linter.Config): Linter.RulesRecord {
  const namespaces = Object.entries(config.plugins ?? {})
    .filter(([, plugin]) => (plugin as { meta?: { name?: string } } | undefined)?.meta?.name === pluginName)
    .map(([namespace]) => `${namespace}/`);
  const rules: Linter.RulesRecord = {};
  for (const [name, entry] of Object.entries(config.rules ?? {})) {
    const namespace = namespaces.find((candidate) => name.startsWith(candidate));
    if (namespace === undefined || entry === undefined) continue;
    const rule = name.slice(namespace.length);
    const severity = Array.isArray(entry) ? entry[0] : entry;
    if (!knownRules.has(rule) || severity === 0 || severity === 'off') continue;
    rules[`${ownPrefix}${rule}`] = entry;
  }
  return rules;
}

/** Every file the audit may discover: a config object that matches them, so that only ignores decide. */
const everySourceFile: Linter.Config = { files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,vue,svelte}'] };

export function createTargetConfig(options: TargetConfigOptions): TargetConfig {
  const configFile = typeof options.eslintConfig === 'string' ? resolve(options.cwd, options.eslintConfig) : undefined;
  if (configFile !== undefined && !existsSync(configFile)) {
    throw new UsageError(`--eslint-config ${options.eslintConfig as string}: no such file`, 'give the path of the flat config (eslint.config.js), or --eslint-config alone to use each repository\'s own');
  }
  const instances = new Map<string, ESLint>();
  const eslintFor = (repo: string): ESLint => {
    let eslint = instances.get(repo);
    if (!eslint) {
      const ignorePatterns = options.ignorePatterns.map((pattern) => rebase(pattern, options.cwd, repo));
      eslint =
        options.eslintConfig === undefined
          ? new ESLint({ cwd: repo, overrideConfigFile: true, overrideConfig: everySourceFile, ignorePatterns })
          : new ESLint({ cwd: repo, ...(configFile === undefined ? {} : { overrideConfigFile: configFile }), ignorePatterns });
      instances.set(repo, eslint);
    }
    return eslint;
  };
  return {
    async select(file, repo) {
      const eslint = eslintFor(repo);
      let config: Linter.Config | undefined;
      try {
        config = (await eslint.calculateConfigForFile(file)) as Linter.Config | undefined;
      } catch (error) {
        const reason = (error as Error).message;
        if ((error as { messageTemplate?: string }).messageTemplate === 'config-file-missing') {
          throw new UsageError(`--eslint-config: no eslint.config.* applies to ${file}`, 'run from a repository with a flat config, or name one: --eslint-config path/to/eslint.config.js');
        }
        throw new UsageError(`--eslint-config: ESLint could not load the configuration for ${file}: ${reason}`, 'fix the configuration so that `npx eslint` runs, or leave --eslint-config out');
      }
      if (config === undefined) return { kind: 'ignored', why: options.eslintConfig === undefined ? 'an --ignore-pattern' : 'the ESLint config' };
      if (options.eslintConfig === undefined) return { kind: 'linted' };
      const rules = boundedHttpRulesOf(config);
      if (Object.keys(rules).length === 0) return { kind: 'ignored', why: 'the ESLint config turns no bounded-http rule on for it' };
      return { kind: 'linted', rules };
    },
  };
}
