import { describe, expect, it } from 'vitest';

import { FixFileError, type FixOptions, fixFile, formatMilliseconds, transformNames } from '../src/fix-file.js';

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
    expect(fixFile(text, 'src/load.ts', options)).toEqual({ text, changed: false, outcomes: [] });
  });

  it('names the file and the position when the file does not parse, and fixes nothing', () => {
    const error = errorOf(() => fixFile('export const load = () => fetch(;\n', 'src/broken.ts', options));
    expect(error.filePath).toBe('src/broken.ts');
    expect(error.message).toMatch(/^src\/broken\.ts: cannot parse the file \(1:\d+ .+\); fix the syntax error first$/u);
  });

  it('applies only the transforms chosen with --transforms and reports the others as skipped', () => {
    const result = fixFile(twoCalls, 'src/two.ts', { ...options, transforms: ['axios'] });
    expect(result.text).toContain("fetch('https://a.example')");
    expect(result.text).toContain("axios.get('https://b.example', { signal: AbortSignal.timeout(30_000) })");
    expect(result.outcomes.map(({ action, transform }) => [action, transform])).toEqual([
      ['skipped', 'fetch'],
      ['fixed', 'axios'],
    ]);
    expect(result.outcomes[0]?.reason).toBe('the fetch transform is not selected by --transforms');
  });

  it('rejects an unknown transform name, listing the known ones', () => {
    expect(errorOf(() => fixFile(twoCalls, 'src/two.ts', { ...options, transforms: ['fecth'] })).reason).toBe(
      `--transforms: unknown transform "fecth"; known: ${transformNames.join(', ')}`,
    );
  });

  it('rejects a --timeout-import that is not "NAME from MODULE", naming the option', () => {
    const error = errorOf(() => fixFile(twoCalls, 'src/two.ts', { ...options, timeoutExpr: 'HTTP_TIMEOUT_MS', timeoutImport: './config.js' }));
    expect(error.reason).toContain('--timeout-import "./config.js" is not of the form "NAME from MODULE"');
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
