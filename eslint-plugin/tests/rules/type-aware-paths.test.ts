import { RuleTester } from '@typescript-eslint/rule-tester';
import path from 'node:path';
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

typedRuleTester.run('no-unbounded-fetch (options read through their types)', testedRule(noUnboundedFetch), {
  valid: [
    // A base that does not resolve (a checkout without node_modules) leaves the interface open: never absent.
    "import type { MissingOptions } from 'not-installed'; interface Init extends MissingOptions { method: string } export function load(url: string, init: Init) { return fetch(url, init); }",
    "import type { MissingOptions } from 'not-installed'; interface Init<T> extends MissingOptions { method: T } export function load(url: string, init: Init<string>) { return fetch(url, init); }",
    "import type { MissingOptions } from 'not-installed'; class Init implements MissingOptions { method = 'GET' } export function load(url: string) { return fetch(url, new Init()); }",
    // An unresolved type in an intersection or a spread is `any`: unknown.
    "import type { MissingOptions } from 'not-installed'; export function load(url: string, init: MissingOptions & { method: string }) { return fetch(url, init); }",
    "import { settings } from 'not-installed'; export function load(url: string) { return fetch(url, { method: 'GET', ...settings() }); }",
    // A helper declared to return RequestInit: its signal is optional, so unknown.
    'declare function defaults(): RequestInit; export function load(url: string) { return fetch(url, { ...defaults(), method: "POST" }); }',
    'declare function defaults(): RequestInit; export function load(url: string) { return fetch(url, Object.assign({}, defaults(), { method: "POST" })); }',
    // An index signature can hold anything.
    'declare const extra: Record<string, unknown>; export function load(url: string) { return fetch(url, Object.assign({ method: "GET" }, extra)); }',
    // A literal whose signal is assigned later may be bounded.
    'export function load(url: string, budget?: number) { const init: RequestInit = { method: "GET" }; if (budget) init.signal = AbortSignal.timeout(budget); return fetch(url, init); }',
    // Object.assign into the literal, or a computed key: the literal is not the whole story.
    'declare const extra: RequestInit; export function load(url: string) { const init: RequestInit = { method: "GET" }; Object.assign(init, extra); return fetch(url, init); }',
    'export function load(url: string, key: string) { const init: Record<string, unknown> = { method: "GET" }; init[key] = 1; return fetch(url, init); }',
    // A required signal in a generic interface counts as present.
    { code: 'interface Init<T> { method: T; signal: AbortSignal } export function load(url: string, init: Init<string>) { return fetch(url, init); }', options: [{ opaqueOptions: 'report' }] },
  ],
  invalid: [
    // A spread of a closed type inside a literal (syntax-only: opaque, silent).
    {
      code: 'declare function jsonHeaders(): { headers: Record<string, string> }; export function load(url: string) { return fetch(url, { method: "GET", ...jsonHeaders() }); }',
      errors: [unbounded('noDeadline', `declare function jsonHeaders(): { headers: Record<string, string> }; export function load(url: string) { return fetch(url, { method: "GET", ...jsonHeaders(), ${SIGNAL} }); }`)],
    },
    // Object.assign of closed types only.
    {
      code: 'declare const base: { method: string }; export function load(url: string) { return fetch(url, Object.assign({}, base, { headers: {} })); }',
      errors: [unbounded('noDeadline', `declare const base: { method: string }; export function load(url: string) { return fetch(url, { ...Object.assign({}, base, { headers: {} }), ${SIGNAL} }); }`)],
    },
    // A closed interface (generic, and extending a closed one) with no signal.
    {
      code: 'interface Base { method: string } interface Init<T> extends Base { body: T } export function load(url: string, init: Init<string>) { return fetch(url, init); }',
      errors: [unbounded('noDeadline', `interface Base { method: string } interface Init<T> extends Base { body: T } export function load(url: string, init: Init<string>) { return fetch(url, { ...init, ${SIGNAL} }); }`)],
    },
    // Annotated RequestInit, initialised from a literal, other keys assigned later: read from the literal.
    {
      code: 'export function post(url: string, body?: string) { const init: RequestInit = { method: "POST" }; if (body) init.body = body; return fetch(url, init); }',
      errors: [unbounded('noDeadline', `export function post(url: string, body?: string) { const init: RequestInit = { method: "POST" }; if (body) init.body = body; return fetch(url, { ...init, ${SIGNAL} }); }`)],
    },
  ],
});

typedRuleTester.run('no-unbounded-client (options read through their types)', testedRule(noUnboundedClient), {
  valid: [
    // A helper declared to return AxiosRequestConfig: its timeout and signal are optional, so unknown.
    "import axios, { type AxiosRequestConfig } from 'axios'; declare function getAxiosSettings(): AxiosRequestConfig; export function load() { return axios.get('/x', { headers: {}, ...getAxiosSettings() }); }",
    "import axios, { type AxiosRequestConfig } from 'axios'; declare function getAxiosSettings(): AxiosRequestConfig; export function load() { return axios.get('/x', getAxiosSettings()); }",
    // A timeout assigned later.
    "import axios, { type AxiosRequestConfig } from 'axios'; export function load(ms?: number) { const config: AxiosRequestConfig = { headers: {} }; if (ms) config.timeout = ms; return axios.get('/x', config); }",
  ],
  invalid: [
    {
      code: "import axios from 'axios'; declare function getAxiosSettings(): { headers: Record<string, string> }; export function load() { return axios.get('/x', { ...getAxiosSettings(), method: 'get' }); }",
      errors: [unbounded('noDeadline', `import axios from 'axios'; declare function getAxiosSettings(): { headers: Record<string, string> }; export function load() { return axios.get('/x', { ...getAxiosSettings(), method: 'get', ${SIGNAL} }); }`)],
    },
    {
      code: "import axios, { type AxiosRequestConfig } from 'axios'; export function load(auth?: string) { const config: AxiosRequestConfig = { headers: {} }; if (auth) config.headers = { auth }; return axios.get('/x', config); }",
      errors: [unbounded('noDeadline', `import axios, { type AxiosRequestConfig } from 'axios'; export function load(auth?: string) { const config: AxiosRequestConfig = { headers: {} }; if (auth) config.headers = { auth }; return axios.get('/x', { ...config, ${SIGNAL} }); }`)],
    },
  ],
});

/** Where the wrapper fixtures sit, as the wrapper messages name it (relative to the working directory). */
const WRAPPERS_FILE = path.relative(process.cwd(), fileURLToPath(new URL('../fixtures/typed-clients/wrappers/net.ts', import.meta.url))).replaceAll('\\', '/');
const IMPORT_WRAPPERS =
  "import { ApiClient, arrowProxy, boundedFetch, download, fetchDestructured, fetchWithOptions, fetchWithSignal, getJson, httpProxy, makeLoader } from './wrappers/net';";

function reaches(messageId: 'wrapperNoDeadline' | 'wrapperNoSignal' | 'wrapperUnboundable', callee: string, inner = 'fetch', file = WRAPPERS_FILE) {
  return { messageId, data: messageId === 'wrapperNoDeadline' ? { callee, inner, file, hint: '`signal: AbortSignal.timeout(ms)`' } : { callee, inner, file } };
}

typedRuleTester.run('no-unbounded-fetch (calls followed into wrappers)', testedRule(noUnboundedFetch), {
  valid: [
    // The call hands the wrapper what bounds the request inside.
    `${IMPORT_WRAPPERS} export function load(url: string, signal: AbortSignal) { return httpProxy(url, { signal }); }`,
    `${IMPORT_WRAPPERS} export function load(url: string, signal: AbortSignal) { return fetchWithSignal(url, signal); }`,
    `${IMPORT_WRAPPERS} export function load(url: string, signal: AbortSignal) { return fetchWithOptions(url, { signal, retries: 2 }); }`,
    `${IMPORT_WRAPPERS} export function load(url: string, signal: AbortSignal) { return fetchDestructured(url, { signal }); }`,
    // Options the call cannot show stay trusted, as for fetch itself.
    `${IMPORT_WRAPPERS} export function load(url: string, init: RequestInit) { return arrowProxy(url, init); }`,
    // The wrapper adds its own deadline.
    `${IMPORT_WRAPPERS} export function load(url: string) { return boundedFetch(url); }`,
    // The request is in a function the callee returns, not in the callee.
    `${IMPORT_WRAPPERS} export function load(url: string) { return makeLoader()(url); }`,
    // A module of the program without requests, and library functions.
    "import { format } from './wrappers/not-a-client'; export function show(value: number) { return format(value) + JSON.stringify([value].map(String)); }",
    // A wrapper in the same file that bounds its request.
    'function load(url: string) { return fetch(url, { signal: AbortSignal.timeout(1000) }); } export function use(url: string) { return load(url); }',
    // A spread argument list says nothing about which argument lands where.
    `${IMPORT_WRAPPERS} export function load(args: [string, RequestInit]) { return httpProxy(...args); }`,
  ],
  invalid: [
    // The options the wrapper forwards have no signal.
    {
      code: `${IMPORT_WRAPPERS} export function load(url: string) { return httpProxy(url); }`,
      errors: [{ ...reaches('wrapperNoDeadline', 'httpProxy'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `${IMPORT_WRAPPERS} export function load(url: string) { return httpProxy(url, { ${SIGNAL} }); }` }] }],
    },
    {
      code: `${IMPORT_WRAPPERS} export function load(url: string) { return httpProxy(url, { method: 'POST' }); }`,
      errors: [{ ...reaches('wrapperNoDeadline', 'httpProxy'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `${IMPORT_WRAPPERS} export function load(url: string) { return httpProxy(url, { method: 'POST', ${SIGNAL} }); }` }] }],
    },
    // Through a namespace import and a method of an exported class.
    {
      code: "import * as net from './wrappers/net'; export function load(url: string) { return net.httpProxy(url, { method: 'GET' }); }",
      errors: [{ ...reaches('wrapperNoDeadline', 'net.httpProxy'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `import * as net from './wrappers/net'; export function load(url: string) { return net.httpProxy(url, { method: 'GET', ${SIGNAL} }); }` }] }],
    },
    {
      code: `${IMPORT_WRAPPERS} export function load(client: ApiClient, url: string) { return client.load(url, {}); }`,
      errors: [{ ...reaches('wrapperNoDeadline', 'client.load'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `${IMPORT_WRAPPERS} export function load(client: ApiClient, url: string) { return client.load(url, { ${SIGNAL} }); }` }] }],
    },
    // Only the options' signal is forwarded: a call without one, or with other options only.
    {
      code: `${IMPORT_WRAPPERS} export async function load(url: string) { await fetchWithOptions(url); await fetchWithOptions(url, { retries: 1 }); await fetchDestructured(url); }`,
      errors: [
        { ...reaches('wrapperNoDeadline', 'fetchWithOptions'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `${IMPORT_WRAPPERS} export async function load(url: string) { await fetchWithOptions(url, { ${SIGNAL} }); await fetchWithOptions(url, { retries: 1 }); await fetchDestructured(url); }` }] },
        { ...reaches('wrapperNoDeadline', 'fetchWithOptions'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `${IMPORT_WRAPPERS} export async function load(url: string) { await fetchWithOptions(url); await fetchWithOptions(url, { retries: 1, ${SIGNAL} }); await fetchDestructured(url); }` }] },
        { ...reaches('wrapperNoDeadline', 'fetchDestructured'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `${IMPORT_WRAPPERS} export async function load(url: string) { await fetchWithOptions(url); await fetchWithOptions(url, { retries: 1 }); await fetchDestructured(url, { ${SIGNAL} }); }` }] },
      ],
    },
    // A signal parameter left out, or passed as undefined.
    {
      code: `${IMPORT_WRAPPERS} export async function load(url: string) { await fetchWithSignal(url); await fetchWithSignal(url, undefined); }`,
      errors: [reaches('wrapperNoSignal', 'fetchWithSignal'), reaches('wrapperNoSignal', 'fetchWithSignal')],
    },
    // TODO(false negative): one level is followed: the wrapper call inside `twice` is reported, `twice(url)` is not.
    {
      code: `${IMPORT_WRAPPERS} function twice(url: string) { return httpProxy(url, { method: 'GET' }).then((r) => r); } export function load(url: string) { return twice(url); }`,
      errors: [{ ...reaches('wrapperNoDeadline', 'httpProxy'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `${IMPORT_WRAPPERS} function twice(url: string) { return httpProxy(url, { method: 'GET', ${SIGNAL} }).then((r) => r); } export function load(url: string) { return twice(url); }` }] }],
    },
    // Nothing the caller passes can bound it.
    { code: `${IMPORT_WRAPPERS} export function load(url: string) { return getJson(url); }`, errors: [reaches('wrapperUnboundable', 'getJson')] },
    // A wrapper in the same file; its own request is reported where it stands as well.
    {
      code: 'function getText(url: string) { return fetch(url).then((r) => r.text()); } export function use(url: string) { return getText(url); }',
      errors: [
        unbounded('noDeadline', `function getText(url: string) { return fetch(url, { ${SIGNAL} }).then((r) => r.text()); } export function use(url: string) { return getText(url); }`),
        reaches('wrapperUnboundable', 'getText', 'fetch', 'this file'),
      ],
    },
    {
      code: 'const proxy = (url: string, init?: RequestInit) => fetch(url, init); export function use(url: string) { return proxy(url); }',
      errors: [{ ...reaches('wrapperNoDeadline', 'proxy', 'fetch', 'this file'), suggestions: [{ messageId: 'addDeadline', data: { bound: SIGNAL }, output: `const proxy = (url: string, init?: RequestInit) => fetch(url, init); export function use(url: string) { return proxy(url, { ${SIGNAL} }); }` }] }],
    },
  ],
});

typedRuleTester.run('no-unbounded-node-request (calls followed into wrappers and re-exports)', testedRule(noUnboundedNodeRequest), {
  valid: [
    // Options a JavaScript module builds: its inferred type (`{ host, method }`) is no contract, so not read as absent.
    "import http from 'node:http'; import { outgoingOptions } from './wrappers/legacy-options.js'; export function load(host: string) { return http.request(outgoingOptions(host)); }",
    "import { get, request } from './wrappers/net'; export function load(url: string) { get(url, { signal: AbortSignal.timeout(1000) }, (res) => res.resume()); return request(url, { signal: AbortSignal.timeout(1000) }); }",
  ],
  invalid: [
    // `request`/`get` re-exported from node:https by a module of the program are node:https's.
    {
      code: "import { get } from './wrappers/net'; export function load(url: string) { return get(url, (res) => res.resume()); }",
      errors: [unbounded('noDeadline', `import { get } from './wrappers/net'; export function load(url: string) { return get(url, { ${SIGNAL} }, (res) => res.resume()); }`)],
    },
    // A request inside a callback of the wrapper (a promise executor) belongs to the wrapper.
    { code: `${IMPORT_WRAPPERS} export function load(url: string) { return download(url); }`, errors: [reaches('wrapperUnboundable', 'download', 'https.get')] },
  ],
});

/** A program whose setup.ts sets axios.defaults.timeout and undici's global dispatcher for every module. */
const programDefaultsTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: true,
      tsconfigRootDir: fileURLToPath(new URL('../fixtures/typed-program-defaults', import.meta.url)),
    },
  },
});

programDefaultsTester.run('no-unbounded-client (program-wide defaults)', testedRule(noUnboundedClient), {
  valid: [
    // axios.defaults.timeout set in setup.ts bounds the default export's calls here (syntax-only: reported).
    "import axios from 'axios'; export function load() { return axios.get('/x'); }",
    "import { request } from 'undici'; export function load(url: string) { return request(url); }",
  ],
  invalid: [
    // A call that switches the bound off itself is still reported.
    {
      code: "import axios from 'axios'; export function load() { return axios.get('/x', { timeout: 0 }); }",
      errors: [unbounded('disabledTimer', `import axios from 'axios'; export function load() { return axios.get('/x', { timeout: 0, ${SIGNAL} }); }`)],
    },
  ],
});

programDefaultsTester.run('no-unbounded-fetch (program-wide defaults)', testedRule(noUnboundedFetch), {
  valid: [
    // setGlobalDispatcher(new Agent({ headersTimeout, bodyTimeout })) in setup.ts: global fetch inherits it.
    'export function load(url: string) { return fetch(url); }',
  ],
  invalid: [
    // node-fetch does not run on undici's global dispatcher.
    {
      code: "import fetch from 'node-fetch'; export function load(url: string) { return fetch(url); }",
      errors: [unbounded('noDeadline', `import fetch from 'node-fetch'; export function load(url: string) { return fetch(url, { ${SIGNAL} }); }`)],
    },
  ],
});
