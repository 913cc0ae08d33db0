import { describe, expect, it } from 'vitest';

import { findSites } from '../src/find-sites.js';
import { FixFileError, type FixOptions, fixFile, fixSites, formatMilliseconds, transformNames } from '../src/fix-file.js';
import { transforms } from '../src/transforms/index.js';
import type { Transform } from '../src/transforms/types.js';

const options: FixOptions = { timeoutMs: 30_000, strict: false, allowAbortSignalAny: true };
const twoCalls = "import axios from 'axios';\nexport const a = () => fetch('https://a.example');\nexport const b = () => axios.get('https://b.example');\n";

function errorOf(run: () => unknown): FixFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof FixFileError) return error;
    throw error;
  }
  throw new Error('expected a FixFileError');
}

describe('fixFile', () => {
  it('returns the very same text when the plugin finds nothing', () => {
    const text = "export const load = () => fetch('https://a.example', { signal: AbortSignal.timeout(5_000) });\n";
    expect(fixFile(text, 'src/load.ts', options)).toEqual({ text, changed: false, outcomes: [], remaining: 0 });
  });

  it('names the file and the position when the file does not parse, and fixes nothing', () => {
    const error = errorOf(() => fixFile('export const load = () => fetch(;\n', 'src/broken.ts', options));
    expect(error.filePath).toBe('src/broken.ts');
    expect(error.message).toMatch(/^src\/broken\.ts: cannot parse the file \(1:\d+ .+\); fix the syntax error first$/u);
  });

  it('applies only the transforms chosen with --transforms and reports the others as skipped', () => {
    const result = fixFile(twoCalls, 'src/two.ts', { ...options, transforms: ['fetch'] });
    expect(result.text).toContain("fetch('https://a.example', { signal: AbortSignal.timeout(30_000) })");
    expect(result.text).toContain("axios.get('https://b.example')");
    expect(result.outcomes.map(({ action, transform }) => [action, transform])).toEqual([
      ['fixed', 'fetch'],
      ['skipped', 'axios'],
    ]);
    expect(result.outcomes[1]?.reason).toBe('the axios transform is not selected by --transforms');
    expect(result.remaining).toBe(1);
  });

  it('rejects an unknown transform name, listing the known ones', () => {
    expect(errorOf(() => fixFile(twoCalls, 'src/two.ts', { ...options, transforms: ['fecth'] })).reason).toBe(
      `--transforms: unknown transform "fecth"; known: ${transformNames.join(', ')}`,
    );
  });

  it('rejects a --timeout-import that is not "NAME from MODULE", naming the option', () => {
    const error = errorOf(() => fixFile(twoCalls, 'src/two.ts', { ...options, timeoutExpr: 'HTTP_TIMEOUT_MS', timeoutImport: './config.js' }));
    expect(error.reason).toBe(`--timeout-import must look like "NAME from PATH", got './config.js'; for example: --timeout-import "HTTP_TIMEOUT_MS from './src/config.js'"`);
  });

  it('rejects --timeout-import without --timeout-expr', () => {
    expect(errorOf(() => fixFile(twoCalls, 'src/two.ts', { ...options, timeoutImport: 'T from ./t.js' })).reason).toContain('--timeout-import needs --timeout-expr');
  });

  it('rejects a timeout that is not a positive whole number of milliseconds', () => {
    expect(errorOf(() => fixFile(twoCalls, 'src/two.ts', { ...options, timeoutMs: 0 })).reason).toContain('--timeout-ms must be a positive whole number');
  });

  it('writes the deadline with digit separators', () => {
    expect(formatMilliseconds(30_000)).toBe('30_000');
    expect(formatMilliseconds(1_500_000)).toBe('1_500_000');
    expect(formatMilliseconds(250)).toBe('250');
  });

  it('uses the configured milliseconds', () => {
    expect(fixFile(twoCalls, 'src/two.ts', { ...options, timeoutMs: 2_500 }).text).toContain("fetch('https://a.example', { signal: AbortSignal.timeout(2_500) })");
  });
});

describe('findings no transform rewrites', () => {
  it('are reported unfixable with the rule message, and the file is left as it is', () => {
    const text = "import http from 'node:http';\nexport const agent = http.globalAgent;\n";
    const result = fixFile(text, 'src/legacy.ts', options);
    expect(result).toMatchObject({ text, changed: false });
    expect(result.outcomes.map(({ ruleId, action }) => [ruleId, action])).toEqual([['no-global-agent', 'unfixable']]);
    for (const outcome of result.outcomes) expect(outcome.reason).toMatch(/^no transform rewrites this finding; fix it by hand: /u);
  });

  it('a disabled total deadline the rule blames is restored, in agreement with no-disabled-timeout', () => {
    const text = "import ky from 'ky';\nexport const load = () => ky.get('https://a.example', { timeout: false });\n";
    const result = fixFile(text, 'src/ky.ts', options);
    expect(result.text).toBe("import ky from 'ky';\nexport const load = () => ky.get('https://a.example', { timeout: 30_000 });\n");
    expect(result.outcomes.map(({ ruleId, messageId, action, transform }) => [ruleId, messageId, action, transform])).toEqual([
      ['no-unbounded-client', 'disabledTimer', 'fixed', 'ky'],
      ['no-disabled-timeout', 'disabled', 'fixed', 'disabled-timeout'],
    ]);
  });
});

/**
 * A fetch "fix" that bounds nothing: `signal: undefined`, the kind of rewrite a transform that misreads the options
 * (a `const` literal mutated later, issue 16.7) makes. The rules still report the call afterwards.
 */
const signalUndefined: Transform = {
  name: 'fetch',
  appliesTo: (site) => site.ruleId === 'no-unbounded-fetch',
  fix: (site) => ({ action: 'fixed', reason: 'added a signal', edits: [{ start: site.range[1] - 1, end: site.range[1] - 1, text: ', { signal: undefined }' }] }),
};

/** Fixes with `transforms` in place of the real ones, for the file's own sites. */
function fixWith(text: string, candidates: readonly Transform[], fixOptions: FixOptions = options): ReturnType<typeof fixSites> {
  const sites = findSites(text, 'src/load.ts', { config: fixOptions.strict ? 'strict' : 'recommended' });
  return fixSites(text, 'src/load.ts', sites, fixOptions, { transforms: candidates });
}

describe('a site is fixed only when the rules no longer report it', () => {
  it('a rewrite the rules still report is undone and reported unfixable, naming the finding', () => {
    const text = "export const load = (url: string) => fetch(url);\n";
    const result = fixWith(text, [signalUndefined]);
    expect(result).toMatchObject({ text, changed: false, remaining: 1 });
    expect(result.outcomes).toEqual([
      expect.objectContaining({ ruleId: 'no-unbounded-fetch', action: 'unfixable', transform: 'fetch' }),
    ]);
    expect(result.outcomes[0]?.reason).toMatch(/^not fixed: the rules still report it after the rewrite \(recommended: no-unbounded-fetch: .+\); its rewrite was undone, fix it by hand$/u);
  });

  it('undoes only that site: the other sites of the file keep their rewrite', () => {
    const text = "import axios from 'axios';\nexport const load = (url: string) => fetch(url);\nexport const list = () => axios.get('/jobs', { signal: AbortSignal.timeout(1_000) }).then(() => fetch('/b'));\n";
    // The real transforms for the second fetch, the bogus one for the first.
    let calls = 0;
    const firstBogus: Transform = { ...signalUndefined, appliesTo: (site, node, context) => signalUndefined.appliesTo(site, node, context) && (calls += 1) === 1 };
    const result = fixWith(text, [firstBogus, ...transforms]);
    expect(result.outcomes.map(({ line, action }) => [line, action])).toEqual([
      [2, 'unfixable'],
      [3, 'fixed'],
    ]);
    expect(result.text).toBe(text.replace("fetch('/b')", "fetch('/b', { signal: AbortSignal.timeout(30_000) })"));
    expect(result.remaining).toBe(1);
  });

  it('strict is a judge too: an axios call gets the signal its message names, which strict accepts', () => {
    // axios's `timeout` is idle-only in Node (strict's no-idle-only-timeout): the template is a signal instead.
    const text = "import axios from 'axios';\nexport const list = () => axios.get('/jobs');\n";
    const result = fixFile(text, 'src/list.ts', options);
    expect(result.text).toBe("import axios from 'axios';\nexport const list = () => axios.get('/jobs', { signal: AbortSignal.timeout(30_000) });\n");
    expect(result.outcomes[0]).toMatchObject({ action: 'fixed', transform: 'axios' });
    expect(findSites(result.text, 'src/list.ts', { config: 'strict' })).toEqual([]);
  });

  it('a strict finding that was there before, inside a fixed call, belongs to itself: the call stays fixed', () => {
    const text = [
      "import http from 'node:http';",
      'const controller = new AbortController();',
      'export const ping = (url: string) =>',
      "  http.get(url, (res) => { void fetch('/log', { signal: controller.signal }); res.resume(); }).on('error', () => {});",
      '',
    ].join('\n');
    const strictBefore = findSites(text, 'src/ping.ts', { config: 'strict' }).map((site) => site.ruleId);
    expect(strictBefore).toContain('no-unbounded-fetch');
    const result = fixFile(text, 'src/ping.ts', options);
    expect(result.outcomes.map(({ ruleId, action }) => [ruleId, action])).toEqual([['no-unbounded-node-request', 'fixed']]);
    expect(result.text).toContain('http.get(url, { signal: AbortSignal.timeout(30_000) }, (res) =>');
  });
});

describe('eslint-disable comments', () => {
  const text = [
    '// eslint-disable-next-line bounded-http/no-unbounded-fetch -- long-poll, bounded by the broker',
    'export const poll = (url: string) => fetch(url);',
    '// eslint-disable-next-line bounded-http/no-unbounded-fetch',
    'export const noReason = (url: string) => fetch(url);',
    'export const lineBlanket = (url: string) => fetch(url); // eslint-disable-line',
    '/* eslint-disable */',
    'export const blanket = (url: string) => fetch(url);',
    '',
  ].join('\n');

  it('only the per-rule line comment with a reason is the documented exception; a blanket one is said to be blanket', () => {
    const sites = findSites(text, 'src/poll.ts', { config: 'recommended' });
    expect(sites.map(({ line, suppressed, suppression }) => [line, suppressed, suppression])).toEqual([
      [2, true, 'documented'],
      [4, true, 'undocumented'],
      [5, true, 'blanket'],
      [7, true, 'blanket'],
    ]);
    const result = fixFile(text, 'src/poll.ts', options);
    expect(result.text).toBe(text);
    expect(result.outcomes.map(({ action }) => action)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    const [documented, noReason, lineBlanket, blanket] = result.outcomes.map(({ reason }) => reason);
    expect(documented).toContain('the documented exception');
    for (const reason of [noReason, lineBlanket, blanket]) expect(reason).not.toContain('the documented exception (');
    expect(blanket).toMatch(/^a blanket eslint-disable comment \(it names no rule\) hides this call: that is not the documented exception; name the rule and say why \(\/\/ eslint-disable-next-line bounded-http\/no-unbounded-fetch -- /u);
    expect(lineBlanket).toBe(blanket);
    expect(noReason).toMatch(/^an eslint-disable comment hides this call, but not in the documented form/u);
  });
});

describe('a finding the rewrite moves elsewhere', () => {
  it('is charged to the fixed site nearest to it: a call on an idle-only instance is fixed with a signal, not an idle timeout', () => {
    const text = "import axios from 'axios';\nconst api = axios.create({ timeout: 5000 });\nexport const slow = () => api.get('/slow', { timeout: 0 });\n";
    const result = fixFile(text, 'src/slow.ts', options);
    expect(result.text).toContain("api.get('/slow', { timeout: 30_000, signal: AbortSignal.timeout(30_000) })");
    expect(findSites(result.text, 'src/slow.ts', { config: 'strict' })).toEqual([]);
  });
});
