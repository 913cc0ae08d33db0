import type { TSESLint } from '@typescript-eslint/utils';

/** Every rule of the plugin, keyed by its public name. One rule per file in this folder. */
export const rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> = {};
