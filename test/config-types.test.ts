import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { repoPath } from './support/repo-paths.js';
import { typeCheckVirtualFiles } from './support/typecheck.js';

// A user adds `boundedHttp.configs.recommended` to a `// @ts-check` eslint.config.js (or a typed
// eslint.config.ts) with ESLint's `defineConfig`, a `Linter.Config[]` or `tseslint.config`. Each must type-check
// under ESLint 10 and ESLint 9 (the `eslint-v9` alias): a preset typed with typescript-eslint's `FlatConfig`
// types fails there with TS2345, which the last case shows this check catches.

const tsconfig = repoPath('test', 'fixtures', 'config-types', 'tsconfig.json');
const at = (name: string): string => repoPath('test', 'fixtures', 'config-types', name);

const adoptionConfigs = ['eslint.config.js', 'typescript/eslint.config.js', 'type-checked/eslint.config.js'].map((file) => {
  const text = readFileSync(repoPath('test', 'fixtures', 'adoption', file), 'utf8');
  return { file, text: text.startsWith('// @ts-check') ? text : `// @ts-check\n${text}` };
});

const usages = {
  'eslint 10 defineConfig': `
import boundedHttp from 'eslint-plugin-bounded-http';
import { defineConfig } from 'eslint/config';
export default defineConfig(boundedHttp.configs.recommended, boundedHttp.configs['recommended-type-checked'], { plugins: { 'bounded-http': boundedHttp } });
`,
  'eslint 9 defineConfig': `
import boundedHttp from 'eslint-plugin-bounded-http';
import { defineConfig } from 'eslint-v9/config';
export default defineConfig(boundedHttp.configs.strict, boundedHttp.configs.all, { plugins: { 'bounded-http': boundedHttp } });
`,
  'a Linter.Config array': `
import type { Linter } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
const config: Linter.Config[] = [boundedHttp.configs.recommended, { rules: { 'bounded-http/no-disabled-timeout': ['error', { maxMs: 60_000 }] } }];
export default config;
`,
  'tseslint.config': `
import boundedHttp from 'eslint-plugin-bounded-http';
import tseslint from 'typescript-eslint';
export default tseslint.config(tseslint.configs.recommended, boundedHttp.configs.recommended);
`,
};

describe('the presets fit the config helpers users write', () => {
  // One program for every usage (a program costs seconds to build); a failure names its file.
  it('every adoption snippet, as a // @ts-check eslint.config.js, and every helper usage type-checks', { timeout: 90_000 }, () => {
    const files = new Map<string, string>([
      ...adoptionConfigs.map(({ file, text }): [string, string] => [at(`adoption-${file.replaceAll('/', '-')}`), text]),
      ...Object.entries(usages).map(([name, text]): [string, string] => [at(`${name.replaceAll(/\W+/g, '-')}.ts`), text]),
    ]);
    const result = typeCheckVirtualFiles(files, tsconfig);
    expect(result.checkedFiles).toEqual(expect.arrayContaining([...files.keys()]));
    expect(result.errors).toBe('');
  });

  it('would catch a preset typed with typescript-eslint FlatConfig types (the TS2345 users hit)', { timeout: 60_000 }, () => {
    const text = `
import type { TSESLint } from '@typescript-eslint/utils';
import { defineConfig } from 'eslint/config';
declare const preset: TSESLint.FlatConfig.Config;
export default defineConfig(preset);
`;
    const result = typeCheckVirtualFiles(new Map([[at('usage.ts'), text]]), tsconfig);
    expect(result.errors).toContain('TS2345');
  });
});
