// The repository lints itself with typescript-eslint's type-checked rules and with its own plugin
// (dogfooding): every outbound call in this repo must carry a deadline, like everyone else's.
import boundedHttp from 'eslint-plugin-bounded-http';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', 'bench-out/**', '.cache/**', '**/tests/fixtures/**', 'examples/**', 'test/fixtures/**'],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'vitest.quick.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // Plain-JS scripts and configs run directly under Node; type-aware rules need a TS program they are not in.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The plugin also runs where ESLint is not loaded (oxlint's JS host, the codemods' main thread). The root of
    // @typescript-eslint/utils (its TSESLint namespace) and the scope manager load ESLint and some 300 modules,
    // 130 ms in every oxlint process: values come from the light entry points, and scope definitions are compared
    // as the strings their DefinitionType enum holds (`definition.type === 'Variable'`, which tsc checks).
    files: ['eslint-plugin/src/**/*.ts'],
    rules: {
      // The string comparisons above are deliberate; tsc still rejects a string no DefinitionType member holds.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@typescript-eslint/utils', allowTypeImports: true, message: "Import values from '@typescript-eslint/types', '@typescript-eslint/utils/ast-utils' or '/eslint-utils': the root loads ESLint." },
            { name: '@typescript-eslint/scope-manager', allowTypeImports: true, message: 'Compare definition types as strings: the scope manager loads some 180 modules.' },
          ],
        },
      ],
    },
  },
  boundedHttp.configs.recommended,
);
