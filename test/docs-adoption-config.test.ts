import { ESLint as ESLint10 } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { ESLint as ESLint9 } from 'eslint-v9';
import { describe, expect, it } from 'vitest';

import { repoPath } from './support/repo-paths.js';

// docs/adoption.md tells users to write these eslint.config.js files (the page copies them verbatim from
// test/fixtures/adoption/, which the code-block test enforces). Here they are loaded by ESLint 9 and ESLint 10 as a
// user's repository would load them, from their own folder, resolving the plugin by its package name.

const eslintVersions = [
  { name: 'ESLint 10', create: (cwd: string) => new ESLint10({ cwd }) },
  { name: 'ESLint 9', create: (cwd: string) => new ESLint9({ cwd }) },
] as const;
const setups = [
  { name: 'plain JavaScript', folder: repoPath('test', 'fixtures', 'adoption'), file: 'service.js' },
  { name: 'TypeScript with typescript-eslint', folder: repoPath('test', 'fixtures', 'adoption', 'typescript'), file: 'service.ts' },
] as const;
const recommendedRules = Object.keys(boundedHttp.configs.recommended.rules ?? {});

describe.each(eslintVersions)('the adoption snippets under $name', ({ create }) => {
  // Loading typescript-eslint cold takes seconds on a shared machine; the timeout is headroom only.
  it.each(setups)('$name: loads the recommended preset and lints the file', { timeout: 90_000 }, async ({ folder, file }) => {
    const eslint = create(folder);
    const config = (await eslint.calculateConfigForFile(file)) as { plugins?: Record<string, unknown>; rules?: Record<string, unknown> };
    expect(Object.keys(config.plugins ?? {})).toContain('bounded-http');
    const enabled = Object.entries(config.rules ?? {})
      .filter(([ruleId]) => ruleId.startsWith('bounded-http/'))
      .map(([ruleId, setting]): [string, unknown] => [ruleId, Array.isArray(setting) ? (setting as unknown[])[0] : setting]);
    expect(enabled).toEqual(recommendedRules.map((ruleId) => [ruleId, 2]));

    const [result] = await eslint.lintFiles([file]);
    expect(result?.messages.filter((message) => message.fatal === true)).toEqual([]);
    // The unbounded fetch on line 3 is found once no-unbounded-fetch ships; the bounded one on line 8 never is.
    const fetchFindings = (result?.messages ?? []).filter((message) => message.ruleId === 'bounded-http/no-unbounded-fetch');
    const expectedLines = recommendedRules.includes('bounded-http/no-unbounded-fetch') ? [3] : [];
    expect(fetchFindings.map((message) => message.line)).toEqual(expectedLines);
  });
});
