import { describe, expect, it } from 'vitest';

import { findSites, SourceParseError } from '../src/find-sites.js';

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

  it("ignores the target's own ESLint configuration comments, which the zero-config audit does not read", () => {
    // ESLint 10 turns `/* eslint-env */` and a malformed `/* eslint */` comment into fatal messages, though the
    // file parses: real packages still carry them (debug's browser.js), and the audit must still see the call.
    const withEslintEnv = '/* eslint-env browser */\nexport const load = () => fetch(url);\n';
    expect(findSites(withEslintEnv, 'src/legacy.js', { config: 'recommended' }).map((site) => site.ruleId)).toEqual(['no-unbounded-fetch']);
    const withBadInlineConfig = '/* eslint no-console: [ */\nexport const load = () => fetch(url);\n';
    expect(findSites(withBadInlineConfig, 'src/legacy.ts', { config: 'recommended' }).map((site) => site.ruleId)).toEqual(['no-unbounded-fetch']);
  });

  it('parses TSX without a config in the target', () => {
    expect(findSites('export const view = <div>{String(1)}</div>;\n', 'view.tsx', { config: 'strict' })).toEqual([]);
  });
});
