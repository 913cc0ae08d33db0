/**
 * The codemods and the plugin say the same thing about the same call: the rule's message names the bound the
 * fix writes (both render the knowledge base's template), and both read the Node target with one reader.
 */
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import boundedHttp from 'eslint-plugin-bounded-http';
import { getFamily, renderBound, type FamilyId } from 'eslint-plugin-bounded-http/knowledge';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { findSites } from '../src/find-sites.js';
import { fixFile } from '../src/fix-file.js';
import { createFileProcessor } from '../src/process-file.js';

const options = { timeoutMs: 30_000, strict: false, allowAbortSignalAny: true };

describe('the rule message names what fix writes', () => {
  it.each<[FamilyId, string]>([
    ['fetch', "export const load = () => fetch('https://a.example');\n"],
    ['node-http', "import http from 'node:http';\nexport const ping = () => http.get('https://a.example', (response) => response.resume()).on('error', () => {});\n"],
    ['undici', "import { request } from 'undici';\nexport const load = () => request('https://a.example');\n"],
    ['axios', "import axios from 'axios';\nexport const load = () => axios.get('https://a.example');\n"],
    ['got', "import got from 'got';\nexport const load = () => got('https://a.example');\n"],
    ['superagent', "import superagent from 'superagent';\nexport const load = () => superagent.get('https://a.example');\n"],
  ])('%s', (familyId, text) => {
    const bound = getFamily(familyId).bound;
    const [site] = findSites(text, 'src/load.ts', { config: 'recommended' });
    expect(site?.message).toContain(`\`${renderBound(bound, 'ms')}\``);
    const fixed = fixFile(text, 'src/load.ts', options);
    expect(fixed.outcomes.map((outcome) => outcome.action)).toEqual(['fixed']);
    expect(fixed.text).toContain(renderBound(bound, '30_000'));
    // What the message promised is a bound for both presets: nothing is left to report.
    expect(findSites(fixed.text, 'src/load.ts', { config: 'recommended' })).toEqual([]);
    expect(findSites(fixed.text, 'src/load.ts', { config: 'strict' })).toEqual([]);
  });

  it('for a total deadline switched off (ky), both restore it', () => {
    const text = "import ky from 'ky';\nexport const load = () => ky.get('https://a.example', { timeout: false });\n";
    const site = findSites(text, 'src/load.ts', { config: 'recommended' }).find((candidate) => candidate.ruleId === 'no-unbounded-client');
    const hint = /Pass `([^`]+)`/u.exec(site?.message ?? '')?.[1];
    expect(hint).toBe('timeout: ms');
    expect(fixFile(text, 'src/load.ts', options).text).toContain(hint?.replace('ms', '30_000'));
  });
});

describe('one Node target for the rules and for fix', () => {
  const text = 'const controller = new AbortController();\nexport const load = (url: string) => fetch(url, { signal: controller.signal });\n';
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** A workspace whose root states `engines.node` and whose package `web` states none. */
  function workspace(engines: string): { root: string; file: string } {
    const root = mkdtempSync(path.join(tmpdir(), 'bounded-http-workspace-'));
    roots.push(root);
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, workspaces: ['packages/*'], engines: { node: engines } }));
    mkdirSync(path.join(root, 'packages/web/src'), { recursive: true });
    writeFileSync(path.join(root, 'packages/web/package.json'), JSON.stringify({ name: 'web' }));
    const file = path.join(root, 'packages/web/src/load.ts');
    writeFileSync(file, text);
    return { root, file };
  }

  async function bothSides(engines: string): Promise<{ suggestions: string[]; action: string | undefined; newText: string | undefined; reason: string | undefined }> {
    const { root, file } = workspace(engines);
    const linter = new Linter({ configType: 'flat', cwd: root });
    const [message] = linter.verify(text, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, boundedHttp.configs.strict], { filename: file });
    const processFile = await createFileProcessor({ command: 'fix', fixOptions: { timeoutMs: 30_000, strict: true }, dryRun: false });
    const outcome = processFile({ path: file, repo: root });
    const [site] = outcome.record.sites;
    return { suggestions: message?.suggestions?.map((suggestion) => suggestion.desc) ?? [], action: site?.action, newText: outcome.newText, reason: site?.reason };
  }

  it('in a workspace package without engines under a root with ^22.16 || >=24, both combine signals with AbortSignal.any', async () => {
    const result = await bothSides('^22.16 || >=24');
    expect(result.suggestions).toEqual([expect.stringContaining('AbortSignal.any')]);
    expect(result.action).toBe('fixed');
    expect(result.newText).toContain('signal: AbortSignal.any([controller.signal, AbortSignal.timeout(30_000)])');
  });

  it('under a root with >=20.19, where a garbage collection loses the timeout inside AbortSignal.any, neither does', async () => {
    const result = await bothSides('>=20.19');
    expect(result.suggestions).toEqual([]);
    expect(result.action).toBe('unfixable');
    expect(result.reason).toMatch(/garbage collection loses its AbortSignal\.timeout/u);
  });
});
