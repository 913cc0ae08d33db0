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
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // Plain-JS scripts and configs run directly under Node; type-aware rules need a TS program they are not in.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  boundedHttp.configs.recommended,
);
