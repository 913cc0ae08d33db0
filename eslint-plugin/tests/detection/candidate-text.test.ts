import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it, vi } from 'vitest';

import { mayContainRequests } from '../../src/detection/candidate-text.js';
import plugin from '../../src/index.js';
import { loadRuleSamples, type RuleSample } from '../support/rule-samples.js';

// The corpus of the soundness test is every sample of every rule test file.
vi.mock('@typescript-eslint/rule-tester', async () => ({ RuleTester: (await import('../support/rule-samples.js')).RecordingRuleTester }));

describe('mayContainRequests', () => {
  it('lets through every way a module is reached: import, require, import(), re-export, subpath, node: prefix, scope', () => {
    expect(mayContainRequests("import axios from 'axios';")).toBe(true);
    expect(mayContainRequests('const https = require("node:https");')).toBe(true);
    expect(mayContainRequests('const { request } = await import(`undici`);')).toBe(true);
    expect(mayContainRequests("export { default } from 'got';")).toBe(true);
    expect(mayContainRequests("import { fetch } from 'undici/lib/fetch';")).toBe(true);
    expect(mayContainRequests("import { HttpClient } from '@actions/http-client';")).toBe(true);
    expect(mayContainRequests("const http = process.getBuiltinModule('http');")).toBe(true);
    expect(mayContainRequests("import 'global-agent/bootstrap';")).toBe(true);
  });

  it('lets through the globals the rules follow without an import', () => {
    expect(mayContainRequests('await fetch(url)')).toBe(true);
    expect(mayContainRequests('globalThis.fetch = wrapped;')).toBe(true);
    expect(mayContainRequests('AbortSignal.timeout(Infinity)')).toBe(true);
    expect(mayContainRequests("globalThis[Symbol.for('undici.globalDispatcher.1')]")).toBe(true);
  });

  it('stops text that only mentions a client: URLs, other words, an unimported name', () => {
    expect(mayContainRequests("const docs = 'https://example.com/http';\n")).toBe(false);
    expect(mayContainRequests('// see http://example.com for the got and axios docs\n')).toBe(false);
    expect(mayContainRequests("import { httpStatus } from './https-helpers.js';\n")).toBe(false);
    expect(mayContainRequests('const forgotten = skyline; const prefetched = true;\n')).toBe(false);
    expect(mayContainRequests('export const sum = (a: number, b: number) => a + b;\n')).toBe(false);
  });
});

describe('mayContainRequests is sound for the syntax-only presets', () => {
  function reportedByPreset(linter: Linter, sample: RuleSample, preset: 'recommended' | 'strict'): number | undefined {
    const jsx = /\.[jt]sx$/u.test(sample.filename ?? '') || (sample.languageOptions['parserOptions'] as { ecmaFeatures?: { jsx?: boolean } } | undefined)?.ecmaFeatures?.jsx === true;
    const messages = linter.verify(
      sample.code,
      [
        { files: ['**/*.ts', '**/*.tsx'], languageOptions: { ...sample.languageOptions, parser: tseslint.parser } },
        // typescript-eslint's FlatConfig.Config and ESLint's Linter.Config differ in details the linter ignores.
        { ...plugin.configs[preset], files: ['**/*.ts', '**/*.tsx'] },
      ],
      { filename: jsx ? 'react.tsx' : 'file.ts' },
    );
    if (messages.some((message) => message.fatal)) return undefined;
    return messages.filter((message) => message.ruleId?.startsWith('bounded-http/')).length;
  }

  it('never stops a sample of any rule test in which recommended or strict reports something', async () => {
    const samples = await loadRuleSamples();
    expect(samples.length).toBeGreaterThan(300);
    const linter = new Linter({ configType: 'flat' });
    const stoppedButReported: string[] = [];
    let samplesWithFindings = 0;
    let samplesStopped = 0;
    for (const sample of samples) {
      const candidate = mayContainRequests(sample.code);
      if (!candidate) samplesStopped += 1;
      for (const preset of ['recommended', 'strict'] as const) {
        const reported = reportedByPreset(linter, sample, preset);
        if (reported === undefined || reported === 0) continue;
        if (preset === 'strict') samplesWithFindings += 1;
        if (!candidate) stoppedButReported.push(`${sample.source} (${preset}): ${sample.code}`);
      }
    }
    expect(stoppedButReported).toEqual([]);
    // Neither half is vacuous: many samples are reported on, and the filter does stop some.
    expect(samplesWithFindings).toBeGreaterThan(200);
    expect(samplesStopped).toBeGreaterThan(0);
  }, 600_000);
});
