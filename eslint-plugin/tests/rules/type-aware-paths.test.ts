import { RuleTester } from '@typescript-eslint/rule-tester';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';

import noUnboundedClient from '../../src/rules/no-unbounded-client.js';
import noUnboundedFetch from '../../src/rules/no-unbounded-fetch.js';
import noUnboundedNodeRequest from '../../src/rules/no-unbounded-node-request.js';
import { testedRule } from '../support/tested-rule.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/**
 * Every type-aware path of the core rules, with type information from the typed-clients fixture program
 * (Node and DOM globals, stub declarations of axios, got and ky). Each case says what the syntax-only mode
 * does with the same code, so the difference is what types add.
 */
const typedRuleTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: true,
      tsconfigRootDir: fileURLToPath(new URL('../fixtures/typed-clients', import.meta.url)),
    },
  },
});

const SIGNAL = 'signal: AbortSignal.timeout(30_000)';
const GOT_DEADLINE = 'timeout: { request: 30_000 }';

function unbounded(messageId: 'noDeadline' | 'disabledTimer', output: string, bound = SIGNAL) {
  return { messageId, suggestions: [{ messageId: 'addDeadline' as const, data: { bound }, output }] };
}

typedRuleTester.run('no-unbounded-fetch (type-aware paths)', testedRule(noUnboundedFetch), {
  valid: [
    // Options typed elsewhere: a required `signal` counts as present (syntax-only with opaqueOptions: 'report' reports it).
    { code: 'export function load(url: string, init: { signal: AbortSignal }) { return fetch(url, init); }', options: [{ opaqueOptions: 'report' }] },
    // ...also in an intersection where one side requires it.
    { code: 'export function load(url: string, init: RequestInit & { signal: AbortSignal }) { return fetch(url, init); }', options: [{ opaqueOptions: 'report' }] },
    // An optional `signal` stays unknown: trusted by default, as without types.
    'export function load(url: string, init: RequestInit) { return fetch(url, init); }',
    // A Request object may carry a signal, whatever the parameter is called (syntax-only reports `target`).
    'export function load(target: Request) { return fetch(target); }',
    // fetch stored on a property and typed `typeof fetch`, with a deadline.
    'export function load(config: { fetch: typeof fetch }, url: string) { return config.fetch(url, { signal: AbortSignal.timeout(1000) }); }',
    // A property named fetch that is not the fetch function.
    'export function load(cache: { fetch(key: string): string }) { return cache.fetch("k"); }',
    // TODO(false negative): a fetch-typed value under a name without "fetch" in it is not asked about (hot path).
    'export function load(get: typeof fetch, url: string) { return get(url); }',
  ],
  invalid: [
    // Options from a call whose closed type has no signal (silent without types: opaque).
    {
      code: 'declare function buildInit(): { method: string }; export function load(url: string) { return fetch(url, buildInit()); }',
      errors: [unbounded('noDeadline', `declare function buildInit(): { method: string }; export function load(url: string) { return fetch(url, { ...buildInit(), ${SIGNAL} }); }`)],
    },
    // An optional signal is unknown: reported only with opaqueOptions: 'report'.
    {
      code: 'export function load(url: string, init: RequestInit) { return fetch(url, init); }',
      options: [{ opaqueOptions: 'report' }],
      errors: [unbounded('noDeadline', `export function load(url: string, init: RequestInit) { return fetch(url, { ...init, ${SIGNAL} }); }`)],
    },
    // A string named like a Request is no Request (syntax-only trusts the name `input`).
    {
      code: 'export function load(input: string) { return fetch(input); }',
      errors: [unbounded('noDeadline', `export function load(input: string) { return fetch(input, { ${SIGNAL} }); }`)],
    },
    // fetch-like callees recognised by type: `this.fetch(...)` and `config.fetch(...)` (invisible without types).
    {
      code: 'export class Api { constructor(private readonly fetch: typeof globalThis.fetch) {} load(url: string) { return this.fetch(url); } }',
      errors: [unbounded('noDeadline', `export class Api { constructor(private readonly fetch: typeof globalThis.fetch) {} load(url: string) { return this.fetch(url, { ${SIGNAL} }); } }`)],
    },
    {
      code: "export function load(config: { fetchImpl?: typeof fetch }, url: string) { return config.fetchImpl?.(url, { method: 'GET' }); }",
      errors: [unbounded('noDeadline', `export function load(config: { fetchImpl?: typeof fetch }, url: string) { return config.fetchImpl?.(url, { method: 'GET', ${SIGNAL} }); }`)],
    },
  ],
});

typedRuleTester.run('no-unbounded-node-request (type-aware paths)', testedRule(noUnboundedNodeRequest), {
  valid: [
    // Typed options whose type requires a signal.
    "import http from 'node:http'; export function get(target: URL, options: { signal: AbortSignal }) { return http.get(target, options, (res) => res.resume()); }",
  ],
  invalid: [
    // The argument's type says URL, so the callback follows no options (syntax-only: ambiguous, silent).
    {
      code: "import http from 'node:http'; export function get(target: URL) { return http.get(target, (res) => res.resume()); }",
      errors: [unbounded('noDeadline', `import http from 'node:http'; export function get(target: URL) { return http.get(target, { ${SIGNAL} }, (res) => res.resume()); }`)],
    },
  ],
});

typedRuleTester.run('no-unbounded-client (type-aware paths)', testedRule(noUnboundedClient), {
  valid: [
    // An instance created out of sight may be bounded by its defaults: ignored by default.
    "import type { AxiosInstance } from 'axios'; export function load(api: AxiosInstance) { return api.get('/x'); }",
    "import type { Got } from 'got'; export class Repo { constructor(private client: Got) {} load(url: string) { return this.client.get(url); } }",
    // With `report`, a call that carries its own bound is fine.
    { code: "import type { AxiosInstance } from 'axios'; export function load(api: AxiosInstance, signal: AbortSignal) { return api.post('/x', {}, { signal }); }", options: [{ unknownInstances: 'report' }] },
    { code: "import type { Got } from 'got'; export class Repo { constructor(private client: Got) {} load(url: string) { return this.client.get(url, { timeout: { request: 1000 } }); } }", options: [{ unknownInstances: 'report' }] },
    // ky's 10 s default timeout bounds a call on any ky instance.
    { code: "import type { KyInstance } from 'ky'; export function load(api: KyInstance) { return api.get('x'); }", options: [{ unknownInstances: 'report' }] },
    // Typed config requiring a signal, passed to the module's own call (syntax-only with report: reported).
    { code: "import axios, { type AxiosRequestConfig } from 'axios'; export function load(config: AxiosRequestConfig & { signal: AbortSignal }) { return axios.get('/x', config); }", options: [{ opaqueOptions: 'report' }] },
    // TODO(false negative): calling an out-of-sight instance itself (`api(config)`) is not asked about its type;
    // only method calls are (`api.get(...)`), to keep type queries off every call in the file.
    { code: "import type { AxiosInstance } from 'axios'; export function load(api: AxiosInstance) { return api({ url: '/x' }); }", options: [{ unknownInstances: 'report' }] },
    // A method with a client's name on an unrelated type.
    { code: "interface Store { get(key: string): string } export function load(store: Store) { return store.get('x'); }", options: [{ unknownInstances: 'report' }] },
  ],
  invalid: [
    // Instances typed AxiosInstance, Got or Dispatcher with `unknownInstances: 'report'`.
    {
      code: "import type { AxiosInstance } from 'axios'; export function load(api: AxiosInstance) { return api.get('/x'); }",
      options: [{ unknownInstances: 'report' }],
      errors: [unbounded('noDeadline', `import type { AxiosInstance } from 'axios'; export function load(api: AxiosInstance) { return api.get('/x', { ${SIGNAL} }); }`)],
    },
    {
      code: "import type { Got } from 'got'; export class Repo { constructor(private client: Got) {} load(url: string) { return this.client.get(url); } }",
      options: [{ unknownInstances: 'report' }],
      errors: [unbounded('noDeadline', `import type { Got } from 'got'; export class Repo { constructor(private client: Got) {} load(url: string) { return this.client.get(url, { ${GOT_DEADLINE} }); } }`, GOT_DEADLINE)],
    },
    {
      code: "import type { Dispatcher } from 'undici'; export function poll(d: Dispatcher) { return d.request({ path: '/', method: 'GET' }); }",
      options: [{ unknownInstances: 'report' }],
      errors: [unbounded('noDeadline', `import type { Dispatcher } from 'undici'; export function poll(d: Dispatcher) { return d.request({ path: '/', method: 'GET', ${SIGNAL} }); }`)],
    },
    // A subclass of Dispatcher, stored on `this`.
    {
      code: "import type { Pool } from 'undici'; export class Poller { constructor(private readonly pool: Pool) {} poll() { return this.pool.request({ path: '/', method: 'GET' }); } }",
      options: [{ unknownInstances: 'report' }],
      errors: [unbounded('noDeadline', `import type { Pool } from 'undici'; export class Poller { constructor(private readonly pool: Pool) {} poll() { return this.pool.request({ path: '/', method: 'GET', ${SIGNAL} }); } }`)],
    },
    // A call that switches its own bound off is reported even under the default `ignore`.
    {
      code: "import type { AxiosInstance } from 'axios'; export function load(api: AxiosInstance) { return api.get('/x', { timeout: 0 }); }",
      errors: [unbounded('disabledTimer', `import type { AxiosInstance } from 'axios'; export function load(api: AxiosInstance) { return api.get('/x', { timeout: 0, ${SIGNAL} }); }`)],
    },
    {
      code: "import type { KyInstance } from 'ky'; export function load(api: KyInstance) { return api.get('x', { timeout: false }); }",
      errors: [unbounded('disabledTimer', "import type { KyInstance } from 'ky'; export function load(api: KyInstance) { return api.get('x', { timeout: 30_000 }); }", 'timeout: 30_000')],
    },
    // Options from a call whose closed type has neither signal nor timeout (syntax-only: opaque, silent).
    {
      code: "import axios from 'axios'; declare function base(): { headers: Record<string, string> }; export function load() { return axios.get('/x', base()); }",
      errors: [unbounded('noDeadline', `import axios from 'axios'; declare function base(): { headers: Record<string, string> }; export function load() { return axios.get('/x', { ...base(), ${SIGNAL} }); }`)],
    },
  ],
});
