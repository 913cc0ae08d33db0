import { defineConfig } from 'vitest/config';

// One vitest run covers every package: each keeps its tests beside its sources in tests/,
// and tests that span packages live in the root test/ folder.
export default defineConfig({
  test: {
    include: ['eslint-plugin/tests/**/*.test.ts', 'codemods/tests/**/*.test.ts', 'reference-listener/tests/**/*.test.ts', 'test/**/*.test.ts'],
    // Two cores: two workers keep the machine responsive for the loopback servers the tests start.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
