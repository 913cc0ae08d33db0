/**
 * The site descriptors the rules record for tools (`eslint-plugin-bounded-http/detection`): what a rewrite
 * needs to know about each finding, read by the same engine and in the same pass as the rule's verdict.
 */
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

import { type SiteDescriptor, siteDescriptorsOf, siteKey } from '../../src/detection/index.js';
import { getFamily, renderBound } from '../../src/knowledge/index.js';
import plugin from '../../src/index.js';

const linter = new Linter({ configType: 'flat' });

function describeFindings(code: string, options: { strict?: boolean; opaqueOptions?: 'report' } = {}): { descriptors: readonly SiteDescriptor[]; messages: Linter.LintMessage[] } {
  const preset = options.strict ? plugin.configs.strict : plugin.configs.recommended;
  const reportOpaque: Linter.Config = options.opaqueOptions
    ? { rules: Object.fromEntries(['no-unbounded-fetch', 'no-unbounded-node-request', 'no-unbounded-client'].map((rule) => [`bounded-http/${rule}`, ['error', { opaqueOptions: 'report' }]])) }
    : {};
  const messages = linter.verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, preset, reportOpaque], { filename: 'file.ts' });
  return { descriptors: siteDescriptorsOf(linter.getSourceCode() ?? {}), messages };
}

/** The one descriptor of the only finding of `ruleId`. */
function only(code: string, ruleId: string, options: Parameters<typeof describeFindings>[1] = {}): SiteDescriptor {
  const { descriptors } = describeFindings(code, options);
  const matching = descriptors.filter((descriptor) => descriptor.ruleId === ruleId);
  expect(matching).toHaveLength(1);
  return matching[0] as SiteDescriptor;
}

const text = (code: string, range: readonly [number, number]): string => code.slice(range[0], range[1]);

describe('site descriptors', () => {
  it('match every finding of the request rules by rule, message id and the reported range', () => {
    const code = "import axios from 'axios';\nfetch(url);\naxios.get(url, { timeout: 0 });\n";
    const { descriptors, messages } = describeFindings(code);
    const bounded = messages.filter((message) => message.ruleId?.startsWith('bounded-http/'));
    expect(bounded.length).toBeGreaterThan(0);
    const keys = new Set(descriptors.map((descriptor) => siteKey(descriptor.ruleId, descriptor.messageId, descriptor.range)));
    for (const message of bounded) {
      const descriptor = descriptors.find((candidate) => `bounded-http/${candidate.ruleId}` === message.ruleId && candidate.messageId === message.messageId);
      expect(descriptor, message.message).toBeDefined();
      if (descriptor) expect(keys.has(siteKey(descriptor.ruleId, descriptor.messageId, descriptor.range))).toBe(true);
    }
  });

  it('say where the options go: before node’s response callback in http.get(targetPath, cb)', () => {
    const code = "import http from 'node:http';\nhttp.get(targetPath, (response) => response.resume());\n";
    const descriptor = only(code, 'no-unbounded-node-request');
    expect(descriptor).toMatchObject({ familyId: 'node-http', role: 'call', method: 'get', reason: 'no-bound' });
    expect(descriptor.options.kind).toBe('insert');
    if (descriptor.options.kind === 'insert') expect(text(code, descriptor.options.before ?? [0, 0])).toBe('(response) => response.resume()');
  });

  it('place axios options by method, with undefined placeholders for a missing body', () => {
    expect(only("import axios from 'axios';\naxios.post(url);\n", 'no-unbounded-client').options).toEqual({ kind: 'insert', index: 2, placeholders: ['undefined'], before: undefined });
  });

  it('mark a spread argument list as unknowable, and fetch(url, undefined) as a placeholder to replace', () => {
    expect(only('fetch(...args);\n', 'no-unbounded-fetch', { opaqueOptions: 'report' }).options).toEqual({ kind: 'unknowable', why: 'spread-arguments' });
    const code = 'fetch(url, undefined);\n';
    const placeholder = only(code, 'no-unbounded-fetch').options;
    expect(placeholder.kind).toBe('placeholder');
    if (placeholder.kind === 'placeholder') expect(text(code, placeholder.range)).toBe('undefined');
  });

  it('read a named options object through scope, not by name', () => {
    const code = 'function other() { const init = { signal: s }; return init; }\nexport function load() { const init = { method: "GET" }; return fetch(url, init); }\n';
    const slot = only(code, 'no-unbounded-fetch').options;
    expect(slot.kind).toBe('argument');
    if (slot.kind !== 'argument' || slot.value.kind !== 'const') throw new Error(`expected a const options object, got ${JSON.stringify(slot)}`);
    expect(text(code, slot.value.literal.range)).toBe('{ method: "GET" }');
    expect(slot.value.literal.signal).toBeUndefined();
  });

  it('say whether an opaque options name may be nullish: an untyped parameter may, a typed required one not', () => {
    const untyped = only('export function load(url, init) { return fetch(url, init); }\n', 'no-unbounded-fetch', { opaqueOptions: 'report' }).options;
    const typed = only('export function load(url: string, init: RequestInit) { return fetch(url, init); }\n', 'no-unbounded-fetch', { opaqueOptions: 'report' }).options;
    expect(untyped).toMatchObject({ kind: 'argument', value: { kind: 'opaque', repeatable: true, mayBeNullish: true } });
    expect(typed).toMatchObject({ kind: 'argument', value: { kind: 'opaque', repeatable: true, mayBeNullish: false } });
  });

  it('name a Request passed to fetch, whose own signal a new init would replace', () => {
    const code = 'export function send(request: Request) { return fetch(request); }\n';
    const descriptor = only(code, 'no-unbounded-fetch', { opaqueOptions: 'report' });
    expect(descriptor.requestObject).toMatchObject({ kind: 'reference', repeatable: true });
    if (descriptor.requestObject) expect(text(code, descriptor.requestObject.range)).toBe('request');
  });

  it('blame a disabled value by the knowledge base’s notion, Number.POSITIVE_INFINITY included', () => {
    const code = 'fetch(url, { timeout: Number.POSITIVE_INFINITY });\n';
    const descriptor = only(code, 'no-unbounded-fetch');
    expect(descriptor.reason).toBe('ignored-timeout');
    expect(descriptor.culprit).toMatchObject({ kind: 'ignored-timeout', valueDisables: true });
    const disabled = only("import ky from 'ky';\nky.get(url, { timeout: false });\n", 'no-unbounded-client').culprit;
    expect(disabled).toMatchObject({ kind: 'disabled-value', valueDisables: true, valueWrittenHere: true, timer: { path: ['timeout'], kind: 'deadline' } });
  });

  it('describe a signal by what a rewrite must keep: computed signals are not repeatable', () => {
    const slot = only('fetch(url, { signal: requestSignal() });\n', 'no-unbounded-fetch', { strict: true }).options;
    expect(slot).toMatchObject({ kind: 'argument', value: { kind: 'literal', signal: { nullish: false, definite: false, repeatable: false } } });
  });

  it('list the calls on an axios instance, and whether the instance escapes the file', () => {
    const local = only("import axios from 'axios';\nconst api = axios.create({ baseURL });\napi.get('/a');\napi.post('/b', body);\n", 'no-unbounded-client');
    expect(local).toMatchObject({ role: 'instance-factory', method: 'create', instanceEscapes: false });
    expect(local.instanceCalls?.map((call) => call.method)).toEqual(['get', 'post']);
    const exported = only("import axios from 'axios';\nexport const api = axios.create({ baseURL });\napi.get('/a');\n", 'no-unbounded-client');
    expect(exported.instanceEscapes).toBe(true);
  });

  it('do not call an instance escaping when it is only called in place: a method on it, or itself when callable', () => {
    const chained = only("import wretch from 'wretch';\nawait wretch(url).get().json();\n", 'no-unbounded-client');
    expect(chained).toMatchObject({ role: 'instance-factory', instanceEscapes: false });
    expect(chained.instanceCalls?.map((call) => call.method)).toEqual(['get']);
    const callable = only("import { ofetch } from 'ofetch';\nconst api = ofetch.create({ baseURL });\nawait api('/a');\n", 'no-unbounded-client');
    expect(callable).toMatchObject({ instanceEscapes: false });
    expect(callable.instanceCalls).toHaveLength(1);
    const passedOn = only("import { ofetch } from 'ofetch';\nconst api = ofetch.create({ baseURL });\nawait api('/a');\nregister(api);\n", 'no-unbounded-client');
    expect(passedOn.instanceEscapes).toBe(true);
  });

  it('call an undici dispatcher a dispatcher', () => {
    expect(only("import { Pool } from 'undici';\nconst pool = new Pool(origin);\nawait pool.request({ path: '/' });\n", 'no-unbounded-client').role).toBe('dispatcher');
  });

  it('describe no-disabled-timeout’s findings too: defaults assignments and never-firing signals', () => {
    expect(only("import axios from 'axios';\naxios.defaults.timeout = 0;\n", 'no-disabled-timeout')).toMatchObject({ role: 'defaults-assignment', familyId: 'axios', reason: 'disabled-value' });
    expect(only('export const s = AbortSignal.timeout(Infinity);\n', 'no-disabled-timeout')).toMatchObject({ role: 'timer-call', familyId: null, reason: 'never-firing-signal' });
  });
});

describe('the message hint and the bound template agree', () => {
  it.each([
    ["import axios from 'axios';\naxios.get(url);\n", 'axios'],
    ['fetch(url);\n', 'fetch'],
    ["import got from 'got';\nawait got(url);\n", 'got'],
    ["import superagent from 'superagent';\nawait superagent.get(url);\n", 'superagent'],
  ] as const)('%s', (code, familyId) => {
    const { messages } = describeFindings(code);
    const message = messages.find((candidate) => candidate.ruleId?.startsWith('bounded-http/no-unbounded'));
    expect(message?.message).toContain(`\`${renderBound(getFamily(familyId).bound, 'ms')}\``);
  });
});
