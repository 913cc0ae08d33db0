import type { TSESLint } from '@typescript-eslint/utils';
import type { ESLint, Linter } from 'eslint';
import { createRequire } from 'node:module';

import { rules } from './rules/index.js';

const require = createRequire(import.meta.url);
const { name, version } = require('../package.json') as { name: string; version: string };

/** The presets the plugin ships. */
export type PresetName = 'recommended' | 'recommended-type-checked' | 'strict' | 'all';

type Plugin = TSESLint.FlatConfig.Plugin & { configs: Record<PresetName, TSESLint.FlatConfig.Config> };

/**
 * The plugin as its users see it, in the types of the ESLint they installed (`eslint` is a peer dependency):
 * typescript-eslint's `FlatConfig` types are not assignable to ESLint's own (`languageOptions`, rule
 * `defaultOptions`), so a preset typed with them fails `defineConfig` with TS2345 in a `// @ts-check` config.
 * Typed this way it fits ESLint 9's and 10's `defineConfig`, a `Linter.Config[]` and `tseslint.config`;
 * `test/config-types/` checks all of them.
 */
export interface BoundedHttpPlugin extends ESLint.Plugin {
  meta: { name: string; version: string };
  configs: Record<PresetName, Linter.Config>;
}

const plugin: Plugin = {
  meta: { name, version },
  rules,
  configs: {} as Plugin['configs'],
};

/** Rule severities for a preset; rule names are the public contract. */
function preset(configName: string, ruleLevels: Record<string, TSESLint.FlatConfig.RuleEntry>): TSESLint.FlatConfig.Config {
  return {
    name: `bounded-http/${configName}`,
    plugins: { 'bounded-http': plugin },
    rules: Object.fromEntries(Object.entries(ruleLevels).map(([rule, level]) => [`bounded-http/${rule}`, level])),
  };
}

type RuleDocs = { recommended?: unknown; strictOptions?: Record<string, unknown>; recommendedTypeChecked?: boolean } | undefined;

/**
 * Every rule whose docs match, at `error`. With `useStrictOptions`, a rule that declares
 * `meta.docs.strictOptions` (e.g. `requireDeadlineSignal: true`) gets them.
 */
function rulesWhere(predicate: (docs: RuleDocs) => boolean, useStrictOptions = false): Record<string, TSESLint.FlatConfig.RuleEntry> {
  return Object.fromEntries(
    Object.entries(rules)
      .filter(([, rule]) => predicate(rule.meta.docs as RuleDocs))
      .map(([ruleName, rule]) => {
        const strictOptions = (rule.meta.docs as RuleDocs)?.strictOptions;
        return [ruleName, useStrictOptions && strictOptions ? (['error', strictOptions] as TSESLint.FlatConfig.RuleEntry) : 'error'];
      }),
  );
}

plugin.configs.recommended = preset('recommended', rulesWhere((docs) => docs?.recommended === 'recommended'));
// Same rules as `recommended`, plus the rules that type information makes precise enough for it. Every rule
// uses types when `parserOptions.projectService` (or `project`) provides them; none requires them.
plugin.configs['recommended-type-checked'] = preset(
  'recommended-type-checked',
  rulesWhere((docs) => docs?.recommended === 'recommended' || docs?.recommendedTypeChecked === true),
);
plugin.configs.strict = preset(
  'strict',
  rulesWhere((docs) => docs?.recommended === 'recommended' || docs?.recommended === 'strict', true),
);
plugin.configs.all = preset('all', rulesWhere(() => true, true));

const publicPlugin = plugin as unknown as BoundedHttpPlugin;

export default publicPlugin;
export { rules };
// `require('eslint-plugin-bounded-http')` (CommonJS configs on Node >= 20.19, eslint-doc-generator) would
// otherwise get the module namespace, whose `default` holds the plugin; this hands them the plugin itself.
export { publicPlugin as 'module.exports' };
