import type { TSESLint } from '@typescript-eslint/utils';
import { createRequire } from 'node:module';

import { rules } from './rules/index.js';

const require = createRequire(import.meta.url);
const { name, version } = require('../package.json') as { name: string; version: string };

type Plugin = TSESLint.FlatConfig.Plugin & {
  configs: Record<'recommended' | 'strict' | 'all', TSESLint.FlatConfig.Config>;
};

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

type RuleDocs = { recommended?: unknown; strictOptions?: Record<string, unknown> } | undefined;

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
plugin.configs.strict = preset(
  'strict',
  rulesWhere((docs) => docs?.recommended === 'recommended' || docs?.recommended === 'strict', true),
);
plugin.configs.all = preset('all', rulesWhere(() => true, true));

export default plugin;
export { rules };
// `require('eslint-plugin-bounded-http')` (CommonJS configs on Node >= 20.19, eslint-doc-generator) would
// otherwise get the module namespace, whose `default` holds the plugin; this hands them the plugin itself.
export { plugin as 'module.exports' };
