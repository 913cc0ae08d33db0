import { describe, expect, it } from 'vitest';

import { findSites, mayContainCandidates, SourceParseError } from '../src/find-sites.js';

describe('findSites', () => {
  it('locates each finding by offsets into the text, BOM and CRLF included', () => {
    const text = "\uFEFFconst url = 'https://a.example';\r\nexport const load = () => fetch(url);\r\n";
    const [site] = findSites(text, 'src/load.ts', { config: 'recommended' });
    expect(site).toMatchObject({ ruleId: 'no-unbounded-fetch', messageId: 'noDeadline', family: 'fetch', line: 2, suppressed: false });
    expect(text.slice(site?.range[0], site?.range[1])).toBe('fetch(url)');
  });

  it('returns the findings an eslint-disable comment covers, marked suppressed', () => {
    const text = [
      'declare const url: string;',
      '// eslint-disable-next-line bounded-http/no-unbounded-fetch -- long-poll, bounded by the broker',
      'export const poll = () => fetch(url);',
      'export const load = () => fetch(url);',
      '',
    ].join('\n');
    expect(findSites(text, 'src/poll.ts', { config: 'recommended' }).map((site) => [site.line, site.suppressed])).toEqual([
      [3, true],
      [4, false],
    ]);
  });

  it('names the client family of findings from rules that cover several families, from the plugin engine', () => {
    const text = [
      "import axios from 'axios';",
      "import { request as undiciRequest } from 'undici';",
      "import got from 'got';",
      'export const a = () => axios.get(\'/a\', { headers: {} });',
      'export const b = () => undiciRequest(\'http://b\');',
      'export const c = () => got(\'http://c\', { timeout: { request: 0 } });',
      '',
    ].join('\n');
    const families = findSites(text, 'src/clients.ts', { config: 'recommended' }).map((site) => [site.line, site.ruleId, site.family]);
    expect(families).toEqual(
      expect.arrayContaining([
        [4, 'no-unbounded-client', 'axios'],
        [5, 'no-unbounded-client', 'undici'],
        [6, 'no-disabled-timeout', 'got'],
      ]),
    );
  });

  it('reports options it cannot read only when asked to', () => {
    const text = 'export const load = (url: string, init?: RequestInit) => fetch(url, init);\n';
    expect(findSites(text, 'src/load.ts', { config: 'recommended' })).toEqual([]);
    expect(findSites(text, 'src/load.ts', { config: 'recommended', opaqueOptions: 'report' }).map((site) => site.ruleId)).toEqual(['no-unbounded-fetch']);
  });

  it('runs the strict preset when asked: an idle-only timeout is a finding there only', () => {
    const text = "import http from 'node:http';\nexport const get = (url: string) => http.get(url, { timeout: 5_000 }, (res) => res.resume()).on('timeout', function () { this.destroy(); });\n";
    expect(findSites(text, 'src/get.ts', { config: 'recommended' })).toEqual([]);
    expect(findSites(text, 'src/get.ts', { config: 'strict' }).map((site) => site.ruleId)).toEqual(['no-idle-only-timeout']);
  });

  it('ignores files that are not JavaScript or TypeScript', () => {
    expect(findSites('fetch(url)', 'README.md', { config: 'recommended' })).toEqual([]);
  });

  it('names the file and position when the file does not parse', () => {
    expect(() => findSites('const x = fetch(;\n', 'src/broken.ts', { config: 'recommended' })).toThrow(SourceParseError);
    expect(() => findSites('const x = fetch(;\n', 'src/broken.ts', { config: 'recommended' })).toThrow(/src\/broken\.ts:1:\d+/u);
  });

  it('parses TSX without a config in the target', () => {
    expect(findSites('export const view = <div>{String(1)}</div>;\n', 'view.tsx', { config: 'strict' })).toEqual([]);
  });
});

describe('mayContainCandidates', () => {
  it('lets through a file that names a client', () => {
    expect(mayContainCandidates('await fetch(url)')).toBe(true);
    expect(mayContainCandidates("import axios from 'axios'")).toBe(true);
  });

  it('filters out a file with no client word at all', () => {
    expect(mayContainCandidates('export const sum = (a: number, b: number) => a + b;\n')).toBe(false);
    expect(mayContainCandidates('const forgotten = skyline;\n')).toBe(false);
  });

  it('derives its words from the knowledge base, node: prefixes and scopes included', () => {
    expect(mayContainCandidates("import { request } from 'node:https';")).toBe(true);
    expect(mayContainCandidates("import { HttpClient } from '@actions/http-client';")).toBe(true);
    expect(mayContainCandidates("const response = await got.post(url, { json });")).toBe(true);
  });
});
