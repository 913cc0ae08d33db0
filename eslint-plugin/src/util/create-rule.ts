import { ESLintUtils } from '@typescript-eslint/utils';

/** The `meta.docs` every rule of this plugin declares; eslint-doc-generator and the presets read it. */
export interface BoundedHttpRuleDocs {
  /** Which preset turns the rule on: `recommended` (and everything above it) or only `strict`/`all`. */
  recommended: 'recommended' | 'strict';
  /** True when the rule needs `parserServices.program`; a rule that merely uses types when present says false. */
  requiresTypeChecking?: boolean;
  /** Options the `strict` preset passes (e.g. `{ requireDeadlineSignal: true }`); `recommended` uses the defaults. */
  strictOptions?: Record<string, unknown>;
}

/** The one rule creator: every rule's `meta.docs.url` points at its page in `eslint-plugin/docs/rules/`. */
export const createRule = ESLintUtils.RuleCreator<BoundedHttpRuleDocs>(
  (name) => `https://github.com/bounded-http/bounded-http/blob/main/eslint-plugin/docs/rules/${name}.md`,
);
