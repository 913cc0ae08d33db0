import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

import { rules } from '../../src/rules/index.js';

const require = createRequire(import.meta.url);
const pluginRoot = fileURLToPath(new URL('../..', import.meta.url));
const docsUrlPrefix = 'https://github.com/bounded-http/bounded-http/blob/main/eslint-plugin/';
const runFile = promisify(execFile);

describe('rule documentation', () => {
  const ruleNames = Object.keys(rules);

  it('registers at least one rule, so the checks below check something', () => {
    expect(ruleNames.length).toBeGreaterThan(0);
  });

  it.each(ruleNames)('%s has a doc page with incorrect/correct examples and "When not to use it"', (ruleName) => {
    const docPath = `${pluginRoot}docs/rules/${ruleName}.md`;
    expect(existsSync(docPath), `missing eslint-plugin/docs/rules/${ruleName}.md`).toBe(true);
    const doc = readFileSync(docPath, 'utf8');
    expect(doc).toMatch(/\*\*incorrect\*\*/u);
    expect(doc).toMatch(/\*\*correct\*\*/u);
    expect(doc).toMatch(/^## Options$/mu);
    expect(doc).toMatch(/^## When not to use it$/mu);
  });

  it.each(ruleNames)('%s meta.docs.url points at a file that exists in this repository', (ruleName) => {
    const url = rules[ruleName]?.meta.docs?.url ?? '';
    expect(url.startsWith(docsUrlPrefix), url).toBe(true);
    expect(existsSync(`${pluginRoot}${url.slice(docsUrlPrefix.length)}`), url).toBe(true);
  });

  // eslint-doc-generator reads the built plugin; `npm test` builds before vitest runs.
  it('has a README rule table and doc headers that eslint-doc-generator considers current (run `npm run docs:rules`)', async () => {
    const bin = require.resolve('eslint-doc-generator/package.json').replace(/package\.json$/u, 'dist/bin/eslint-doc-generator.js');
    const result = await runFile(process.execPath, [bin, '--check'], { cwd: pluginRoot }).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
