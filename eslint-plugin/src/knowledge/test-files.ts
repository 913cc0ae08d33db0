/**
 * Where test code lives, as globs matched against a file's path relative to the ESLint working directory.
 * `no-global-agent` skips these files by default (`ignoreTestFiles`): a test process is not the production
 * process whose shared agents the rule protects, and tests routinely replace globals they restore afterwards.
 *
 * Storybook stories (`*.stories.*`) are deliberately not here: every story of a Storybook shares one preview
 * page, so a story that replaces `fetch` changes it for the stories rendered after it.
 *
 * @packageDocumentation
 */
export const DEFAULT_TEST_FILE_PATTERNS: readonly string[] = [
  '**/*.{test,spec}.*',
  '**/__tests__/**',
  '**/__mocks__/**',
  '**/test/**',
  '**/tests/**',
  // Framework setup files, the usual home of global mocks: `vitest.setup.ts`, `jest.setup.js`, CRA's `setupTests.ts`.
  '**/{vitest,jest}.setup.*',
  '**/setupTests.*',
];
