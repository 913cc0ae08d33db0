import { defineConfig } from 'vitest/config';

/**
 * The plugin's rule and rule-support tests, the codemods' transform tests and the cross-package tests import
 * ESLint, typescript-eslint, TypeScript or ts-morph, a few seconds per file on a loaded machine, and keep no state
 * of their own between files (RuleTester's hooks are set to the same values by every file; the detection caches
 * are keyed by source file; none mocks a module, fakes timers or changes directory). They share one module cache per worker
 * (`isolate: false`), so those imports are paid once per worker instead of once per file.
 * Files that mock a module (`vi.mock('@typescript-eslint/rule-tester')` in the tests built on every rule's
 * samples), fake timers or run the listener's servers keep their own isolated module graph.
 */
const sharedModuleTests = [
  'eslint-plugin/tests/rules/**/*.test.ts',
  'eslint-plugin/tests/util/**/*.test.ts',
  'eslint-plugin/tests/knowledge/**/*.test.ts',
  'codemods/tests/*.test.ts',
  'codemods/tests/transforms/**/*.test.ts',
  'test/**/*.test.ts',
];

/**
 * Test files under a shared folder above that still need their own module graph: typescript-eslint's parser keeps
 * per-process state about tsconfig roots (each adoption snippet is a separate repository), and the fix invariant
 * loads every rule test file's samples, which runs RuleTester suites inside its test.
 */
const isolatedAmongShared = ['test/docs-adoption-*.test.ts', 'test/fix-invariant.test.ts'];

const allTests = ['eslint-plugin/tests/**/*.test.ts', 'codemods/tests/**/*.test.ts', 'reference-listener/tests/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * One vitest run covers every package: each keeps its tests beside its sources in tests/, and tests that span
 * packages live in the root test/ folder. `skipped` leaves files out (vitest.quick.config.ts, `npm run test:quick`).
 */
export function testConfig(skipped: readonly string[] = []): ReturnType<typeof defineConfig> {
  return defineConfig({
    test: {
      // Two cores: two workers keep the machine responsive for the loopback servers the tests start.
      maxWorkers: 2,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      reporters: ['default', './test/support/plain-summary-reporter.ts'],
      projects: [
        { extends: true, test: { name: 'shared-modules', include: sharedModuleTests, exclude: ['**/node_modules/**', ...isolatedAmongShared, ...skipped], isolate: false } },
        // Every other file, once: a file the shared project runs is excluded here, not run twice.
        { extends: true, test: { name: 'isolated', include: allTests, exclude: ['**/node_modules/**', ...sharedModuleTests, ...skipped] } },
        { extends: true, test: { name: 'isolated-among-shared', include: isolatedAmongShared, exclude: ['**/node_modules/**', ...skipped] } },
      ],
    },
  });
}

export default testConfig();
