import { ESLint as ESLint10 } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { ESLint as ESLint9 } from 'eslint-v9';
import { expect } from 'vitest';

/** The ESLint majors the adoption snippets must load under. */
export const eslintVersions = [
  { name: 'ESLint 10', create: (cwd: string) => new ESLint10({ cwd }) },
  { name: 'ESLint 9', create: (cwd: string) => new ESLint9({ cwd }) },
] as const;

export interface AdoptionSetup {
  name: string;
  /** The folder holding the snippet's eslint.config.js, loaded as a user's repository would load it. */
  folder: string;
  file: string;
  preset: 'recommended' | 'recommended-type-checked';
  /** The bounded-http findings expected in `file`, as `line rule`. */
  findings: string[];
  /** Lint eslint.config.js too (default true). */
  lintConfigFile?: boolean;
}

/**
 * Loads the snippet from its own folder, checks it enables exactly the preset's rules, and lints `file` and
 * eslint.config.js itself: a snippet that fails on itself ("not found by the project service") is no snippet.
 */
export async function checkAdoptionSetup(eslint: ESLint10 | ESLint9, setup: AdoptionSetup): Promise<void> {
  const config = (await eslint.calculateConfigForFile(setup.file)) as { plugins?: Record<string, unknown>; rules?: Record<string, unknown> };
  expect(Object.keys(config.plugins ?? {})).toContain('bounded-http');
  const enabled = Object.entries(config.rules ?? {})
    .filter(([ruleId]) => ruleId.startsWith('bounded-http/'))
    .map(([ruleId, setting]): [string, unknown] => [ruleId, Array.isArray(setting) ? (setting as unknown[])[0] : setting]);
  expect(enabled).toEqual(Object.keys(boundedHttp.configs[setup.preset].rules ?? {}).map((ruleId) => [ruleId, 2]));

  const results = await eslint.lintFiles(setup.lintConfigFile === false ? [setup.file] : [setup.file, 'eslint.config.js']);
  const problems = results.flatMap((result) => result.messages.filter((message) => message.fatal === true || (message.severity === 2 && !message.ruleId?.startsWith('bounded-http/'))));
  expect(problems).toEqual([]);
  const found = results.flatMap((result) => result.messages.filter((message) => message.ruleId?.startsWith('bounded-http/')).map((message) => `${message.line} ${message.ruleId ?? ''}`));
  expect(found).toEqual(setup.findings);
}
