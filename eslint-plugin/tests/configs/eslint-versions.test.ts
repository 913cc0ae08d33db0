import tsParser from '@typescript-eslint/parser';
import * as eslint10 from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import * as eslint9 from 'eslint-v9';
import { describe, expect, it } from 'vitest';

// The built plugin, as users load it, under both ESLint majors the peer range promises (^9 || ^10).
const versions = [
  { label: 'ESLint 10', api: eslint10 as unknown as typeof eslint9, expectedMajor: '10' },
  { label: 'ESLint 9', api: eslint9, expectedMajor: '9' },
];
const configNames = ['recommended', 'strict', 'all'] as const;

const snippet = [
  "import http from 'node:http';",
  "import { request as send } from 'node:http';",
  'http.globalAgent.maxSockets = 1;',
  "send('http://127.0.0.1:1');",
].join('\n');

type FlatConfig = eslint9.Linter.Config;

function configsFor(configName: (typeof configNames)[number]): FlatConfig[] {
  return [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
    { files: ['**/*.ts'], ...(boundedHttp.configs[configName] as FlatConfig) },
    {
      // Options go through each major's own schema validation.
      files: ['**/*.ts'],
      rules: { 'bounded-http/no-restricted-http-api': ['error', { module: 'http', name: 'request', message: 'use the deadline helper' }] },
    },
  ];
}

describe.each(versions)('$label', ({ api, expectedMajor }) => {
  it('is the ESLint major under test', () => {
    expect(api.ESLint.version.split('.')[0]).toBe(expectedMajor);
  });

  it.each(configNames)('Linter loads the %s config and reports through it', (configName) => {
    const linter = new api.Linter({ configType: 'flat' });
    const messages = linter.verify(snippet, configsFor(configName), { filename: 'snippet.ts' });
    expect(messages.filter((message) => message.fatal === true)).toEqual([]);
    const ruleIds = messages.map((message) => message.ruleId);
    expect(ruleIds).toContain('bounded-http/no-global-agent');
    expect(ruleIds).toContain('bounded-http/no-restricted-http-api');
    expect(messages.find((message) => message.ruleId === 'bounded-http/no-global-agent')?.message).toMatch(/^use of `http\.globalAgent` is forbidden: /u);
  });

  it.each(configNames)('ESLint loads the %s config with every registered rule of that preset', async (configName) => {
    const engine = new api.ESLint({ overrideConfigFile: true, overrideConfig: configsFor(configName) });
    const [result] = await engine.lintText(snippet, { filePath: 'snippet.ts' });
    expect(result?.messages.filter((message) => message.fatal === true)).toEqual([]);
    expect(result?.messages.map((message) => message.ruleId)).toContain('bounded-http/no-global-agent');
    const enabled = Object.keys(boundedHttp.configs[configName].rules ?? {});
    const config = (await engine.calculateConfigForFile('snippet.ts')) as { rules: Record<string, unknown> };
    for (const ruleId of enabled) expect(config.rules, ruleId).toHaveProperty([ruleId]);
    expect(enabled.length).toBeGreaterThan(0);
  });
});
