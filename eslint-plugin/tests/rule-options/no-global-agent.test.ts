import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import noGlobalAgent from '../../src/rules/no-global-agent.js';

/**
 * The option schema, through ESLint itself: it is the user's only feedback for a mistyped option. Kept out of
 * tests/rules/, whose files are imported as sample sources (tests/support/rule-samples.ts) and hold only RuleTester runs.
 */
describe('no-global-agent options', () => {
  const lint = (options: unknown): Linter.LintMessage[] =>
    new Linter().verify(
      'globalThis.fetch = wrappedFetch;',
      [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { 'bounded-http': { rules: { 'no-global-agent': noGlobalAgent } } }, rules: { 'bounded-http/no-global-agent': ['error', options] } }] as never,
      'src/api.test.ts',
    );

  it('rejects a non-boolean ignoreTestFiles, an empty pattern and an unknown option, naming the rule', () => {
    expect(() => lint({ ignoreTestFiles: 'no' })).toThrow(/no-global-agent[\s\S]*Value "no" should be boolean/u);
    expect(() => lint({ testFilePatterns: [''] })).toThrow(/no-global-agent[\s\S]*should NOT be shorter than 1 characters/u);
    expect(() => lint({ testFiles: ['x'] })).toThrow(/no-global-agent[\s\S]*should NOT have additional properties/u);
  });

  it('checks the test file once ignoreTestFiles is off', () => {
    expect(lint({}).map((message) => message.ruleId)).toEqual([]);
    expect(lint({ ignoreTestFiles: false }).map((message) => message.ruleId)).toEqual(['bounded-http/no-global-agent']);
  });
});
