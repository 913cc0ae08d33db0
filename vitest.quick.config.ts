import { testConfig } from './vitest.config.js';

/**
 * `npm run test:quick`, the inner loop: every test except the slowest end-to-end files (the CLIs run as
 * processes, the demo, the docs' before/after examples through the real fix, oxlint as a host, the crash sweep)
 * and the two checks that lint every rule's samples twice over. It runs against the last build: after changing
 * the plugin, `npm run build -w eslint-plugin` before testing the codemods, which load it from dist/. `npm test`
 * runs everything.
 */
export default testConfig([
  'codemods/tests/cli/**',
  'reference-listener/tests/cli.test.ts',
  'test/demo-codemods.test.ts',
  'test/docs-codemods-examples.test.ts',
  'eslint-plugin/tests/hosts/**',
  'eslint-plugin/tests/sweep/**',
  'eslint-plugin/tests/configs/type-checked-superset.test.ts',
  'eslint-plugin/tests/detection/candidate-text.test.ts',
]);
