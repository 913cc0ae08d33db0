import { RuleTester } from '@typescript-eslint/rule-tester';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';

import requireSignalPropagation from '../../src/rules/require-signal-propagation.js';
import { testedRule } from '../support/tested-rule.js';

const rule = testedRule(requireSignalPropagation);

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// Suggestions that use AbortSignal.any are offered only when the target Node version has it.
// AbortSignal.any keeps an AbortSignal.timeout through a garbage collection only from 22.16 / 24.
const modernNode = [{ targetNodeVersion: '>=24' }] as const;
const oldNode = [{ targetNodeVersion: '>=16.14' }] as const;

const missing = (callee: string, callerSignal: string) => ({ messageId: 'missingSignal' as const, data: { callee, callerSignal } });

const ruleTester = new RuleTester();

ruleTester.run('require-signal-propagation', rule, {
  valid: [
    // The signal itself, shorthand, under another key name, and through a const.
    'async function load(url: string, signal: AbortSignal) { return fetch(url, { signal }); }',
    'async function load(url: string, signal: AbortSignal) { return fetch(url, { method: "GET", signal: signal }); }',
    'async function load(url: string, signal: AbortSignal) { const init = { signal }; return fetch(url, init); }',
    // Combined with a deadline, inline or a few lines earlier; a helper that takes the signal.
    'async function load(url: string, signal: AbortSignal) { return fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) }); }',
    `async function load(url: string, signal: AbortSignal) {
       const bounded = AbortSignal.any([AbortSignal.timeout(5000), signal]);
       return fetch(url, { signal: bounded });
     }`,
    "import { anySignal } from 'any-signal'; async function load(url, parentSignal) { return fetch(url, { signal: anySignal([parentSignal, AbortSignal.timeout(1)]) }); }",
    'async function load(url: string, signal?: AbortSignal) { return fetch(url, { signal: signal ?? AbortSignal.timeout(5000) }); }',
    // An options parameter: its `signal`, destructured, or the whole object passed on (spread or as is).
    'async function load(url: string, options: { signal?: AbortSignal }) { return fetch(url, { signal: options.signal }); }',
    'async function load(url: string, options?: { signal?: AbortSignal }) { return fetch(url, { signal: options?.signal }); }',
    'async function load(url: string, init: RequestInit) { const { signal } = init; return fetch(url, { signal }); }',
    'async function load(url: string, init: RequestInit) { return fetch(url, init); }',
    'async function load(url: string, init: RequestInit) { return fetch(url, { ...init, method: "POST" }); }',
    'async function load(url, { signal }) { return fetch(url, { signal }); }',
    // A controller the caller's signal aborts: the pattern from before AbortSignal.any.
    `async function load(url, signal) {
       const controller = new AbortController();
       signal?.addEventListener('abort', () => controller.abort(), { once: true });
       const timer = setTimeout(() => controller.abort(), 5000);
       try { return await fetch(url, { signal: controller.signal }); } finally { clearTimeout(timer); }
     }`,
    // A signal we cannot follow (a call result, another object's property) is trusted.
    'async function load(url, signal) { return fetch(url, { signal: makeSignal() }); }',
    'async function load(url, signal) { return fetch(url, { signal: this.signal }); }',
    // Inside a callback of the function that received the signal.
    'async function loadAll(urls: string[], signal: AbortSignal) { return Promise.all(urls.map((url) => fetch(url, { signal }))); }',
    // Functions that receive no signal are not this rule's business (no-unbounded-fetch's).
    'async function load(url: string) { return fetch(url); }',
    // A parameter named like options whose `signal` is never read, and one annotated with another type.
    'async function load(url, options) { return fetch(url, { headers: options.headers }); }',
    'function stop(signal: NodeJS.Signals) { process.kill(process.pid, signal); return fetch("http://x/stopped"); }',
    // Not a request: a plain reference, and a local function named fetch.
    'function load(signal: AbortSignal) { const f = fetch; return f; }',
    'function load(signal: AbortSignal) { function fetch(url: string) { return url; } return fetch("http://x"); }',
    // axios's own cancellation option is a choice the function made.
    "import axios from 'axios'; function load(url: string, signal: AbortSignal, cancelToken: unknown) { return axios.get(url, { cancelToken }); }",
    // superagent takes no signal at all: nothing to propagate.
    "import request from 'superagent'; function load(url: string, signal: AbortSignal) { return request.get(url).timeout(5000); }",
    // The instance was created with the caller's signal.
    "import got from 'got'; function load(url: string, signal: AbortSignal) { const client = got.extend({ signal, timeout: { request: 5000 } }); return client.get(url); }",
    // A Request object carrying the signal.
    'function load(url: string, signal: AbortSignal) { return fetch(new Request(url, { signal })); }',
    // TODO(false negative): a signal passed through a property of an object built elsewhere is trusted.
    'async function load(url, signal) { const state = { other: AbortSignal.timeout(1) }; return fetch(url, { signal: state.other }); }',
    // TODO(false negative): the options object comes from a call; only types can tell it lacks the signal.
    'async function load(url, signal) { return fetch(url, buildInit()); }',
  ],
  invalid: [
    // No signal at all, through every way of reaching fetch.
    {
      code: 'async function load(url: string, signal: AbortSignal) { return fetch(url); }',
      options: modernNode,
      errors: [
        {
          ...missing('fetch', 'signal'),
          suggestions: [
            { messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'async function load(url: string, signal: AbortSignal) { return fetch(url, { signal: signal }); }' },
            {
              messageId: 'combineWithDeadline',
              data: { combined: 'AbortSignal.any([signal, AbortSignal.timeout(30_000)])' },
              output: 'async function load(url: string, signal: AbortSignal) { return fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) }); }',
            },
          ],
        },
      ],
    },
    {
      code: "import { fetch as undiciFetch } from 'undici'; export const load = async (url: string, abortSignal: AbortSignal) => undiciFetch(url, { method: 'GET' });",
      options: oldNode,
      errors: [
        {
          ...missing('undiciFetch', 'abortSignal'),
          suggestions: [
            {
              messageId: 'passCallerSignal',
              data: { callerSignal: 'abortSignal' },
              output: "import { fetch as undiciFetch } from 'undici'; export const load = async (url: string, abortSignal: AbortSignal) => undiciFetch(url, { method: 'GET', signal: abortSignal });",
            },
          ],
        },
      ],
    },
    {
      code: 'const f = globalThis.fetch; async function load(url, signal) { return f(url, { method: "GET" }); }',
      options: oldNode,
      errors: [{ ...missing('f', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'const f = globalThis.fetch; async function load(url, signal) { return f(url, { method: "GET", signal: signal }); }' }] }],
    },
    // An options parameter whose signal is read (to check `aborted`) but not passed on.
    {
      code: 'async function load(url, options) { if (options.signal?.aborted) return; return fetch(url, { method: "GET" }); }',
      options: modernNode,
      errors: [
        {
          ...missing('fetch', 'options?.signal'),
          suggestions: [
            { messageId: 'passCallerSignal', data: { callerSignal: 'options?.signal' }, output: 'async function load(url, options) { if (options.signal?.aborted) return; return fetch(url, { method: "GET", signal: options?.signal }); }' },
            {
              messageId: 'combineWithDeadline',
              data: { combined: 'options?.signal ? AbortSignal.any([options?.signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000)' },
              output:
                'async function load(url, options) { if (options.signal?.aborted) return; return fetch(url, { method: "GET", signal: options?.signal ? AbortSignal.any([options?.signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000) }); }',
            },
          ],
        },
      ],
    },
    // An options parameter annotated with a `signal` member, and a destructured one.
    {
      code: 'async function load(url: string, request: { signal: AbortSignal }) { return fetch(url); }',
      options: oldNode,
      errors: [{ ...missing('fetch', 'request.signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'request.signal' }, output: 'async function load(url: string, request: { signal: AbortSignal }) { return fetch(url, { signal: request.signal }); }' }] }],
    },
    {
      code: 'async function load(url, { signal, retries }) { return fetch(url, { method: "GET" }); }',
      options: oldNode,
      errors: [{ ...missing('fetch', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'async function load(url, { signal, retries }) { return fetch(url, { method: "GET", signal: signal }); }' }] }],
    },
    // `signal: undefined` is no signal.
    {
      code: 'async function load(url, signal) { return fetch(url, { signal: undefined }); }',
      options: oldNode,
      errors: [{ ...missing('fetch', 'signal'), suggestions: [] }],
    },
    // A fresh AbortSignal.timeout drops the caller's signal: inline, through a const, and by shadowing.
    {
      code: 'async function load(url: string, signal: AbortSignal) { return fetch(url, { signal: AbortSignal.timeout(5000) }); }',
      options: modernNode,
      errors: [
        {
          messageId: 'droppedSignal',
          data: { callee: 'fetch', callerSignal: 'signal', signal: 'AbortSignal.timeout(5000)' },
          suggestions: [
            {
              messageId: 'combineWithCallerSignal',
              data: { combined: 'AbortSignal.any([signal, AbortSignal.timeout(5000)])' },
              output: 'async function load(url: string, signal: AbortSignal) { return fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) }); }',
            },
            { messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'async function load(url: string, signal: AbortSignal) { return fetch(url, { signal: signal }); }' },
          ],
        },
      ],
    },
    {
      code: `async function load(url, options) {
         const deadline = AbortSignal.timeout(5000);
         return fetch(url, { ...options, signal: deadline });
       }`,
      options: oldNode,
      errors: [
        {
          messageId: 'droppedSignal',
          data: { callee: 'fetch', callerSignal: 'options?.signal', signal: 'deadline' },
          suggestions: [
            {
              messageId: 'passCallerSignal',
              data: { callerSignal: 'options?.signal' },
              output: `async function load(url, options) {
         const deadline = AbortSignal.timeout(5000);
         return fetch(url, { ...options, signal: options?.signal });
       }`,
            },
          ],
        },
      ],
    },
    // A local controller nothing links to the caller's signal.
    {
      code: 'async function load(url, signal) { const controller = new AbortController(); setTimeout(() => controller.abort(), 1000); return fetch(url, { signal: controller.signal }); }',
      options: oldNode,
      errors: [{ messageId: 'droppedSignal', data: { callee: 'fetch', callerSignal: 'signal', signal: 'controller.signal' }, suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'async function load(url, signal) { const controller = new AbortController(); setTimeout(() => controller.abort(), 1000); return fetch(url, { signal: signal }); }' }] }],
    },
    // Other families: node:http (options before the callback), undici, axios (config after data), got, ky.
    {
      code: "import https from 'node:https'; function get(url: string, signal: AbortSignal) { return https.get(url, (res) => res.resume()); }",
      options: oldNode,
      errors: [
        {
          ...missing('https.get', 'signal'),
          suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: "import https from 'node:https'; function get(url: string, signal: AbortSignal) { return https.get(url, { signal: signal }, (res) => res.resume()); }" }],
        },
      ],
    },
    {
      code: "const { request } = require('undici'); async function load(url, signal) { return request(url, { method: 'GET' }); }",
      options: oldNode,
      errors: [{ ...missing('request', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: "const { request } = require('undici'); async function load(url, signal) { return request(url, { method: 'GET', signal: signal }); }" }] }],
    },
    {
      code: "import axios from 'axios'; async function save(url: string, body: unknown, signal: AbortSignal) { return axios.post(url, body); }",
      options: oldNode,
      errors: [
        {
          ...missing('axios.post', 'signal'),
          suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: "import axios from 'axios'; async function save(url: string, body: unknown, signal: AbortSignal) { return axios.post(url, body, { signal: signal }); }" }],
        },
      ],
    },
    {
      code: "import * as axios from 'axios'; async function load(url: string, signal: AbortSignal) { return axios.default.get(url); }",
      options: oldNode,
      errors: [{ ...missing('axios.default.get', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: "import * as axios from 'axios'; async function load(url: string, signal: AbortSignal) { return axios.default.get(url, { signal: signal }); }" }] }],
    },
    {
      code: "import got from 'got'; async function load(url: string, signal: AbortSignal) { return got(url, { timeout: { request: 5000 } }); }",
      options: oldNode,
      errors: [{ ...missing('got', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: "import got from 'got'; async function load(url: string, signal: AbortSignal) { return got(url, { timeout: { request: 5000 }, signal: signal }); }" }] }],
    },
    {
      code: "import ky from 'ky'; const api = ky.create({ timeout: 5000 }); async function load(path: string, signal: AbortSignal) { return api.get(path, { retry: 0 }); }",
      options: oldNode,
      errors: [{ ...missing('api.get', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: "import ky from 'ky'; const api = ky.create({ timeout: 5000 }); async function load(path: string, signal: AbortSignal) { return api.get(path, { retry: 0, signal: signal }); }" }] }],
    },
    // A method and a class field arrow, with optional chaining and TS wrappers.
    {
      code: 'class Api { async load(url: string, signal: AbortSignal) { return globalThis.fetch?.(url, {}); } }',
      options: oldNode,
      errors: [{ ...missing('globalThis.fetch', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'class Api { async load(url: string, signal: AbortSignal) { return globalThis.fetch?.(url, { signal: signal }); } }' }] }],
    },
    {
      code: 'class Api { load = async (url: string, signal: AbortSignal) => fetch!(url, {} satisfies RequestInit); }',
      options: oldNode,
      errors: [{ ...missing('fetch!', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'class Api { load = async (url: string, signal: AbortSignal) => fetch!(url, { signal: signal } satisfies RequestInit); }' }] }],
    },
    // In a nested callback, the caller's signal is still in reach.
    {
      code: 'async function loadAll(urls: string[], signal: AbortSignal) { return Promise.all(urls.map((url) => fetch(url))); }',
      options: oldNode,
      errors: [{ ...missing('fetch', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'async function loadAll(urls: string[], signal: AbortSignal) { return Promise.all(urls.map((url) => fetch(url, { signal: signal }))); }' }] }],
    },
    // .tsx
    {
      code: 'export function Loader({ signal }: { signal: AbortSignal }) { void fetch("/data"); return <div />; }',
      filename: 'loader.tsx',
      options: oldNode,
      errors: [{ ...missing('fetch', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'export function Loader({ signal }: { signal: AbortSignal }) { void fetch("/data", { signal: signal }); return <div />; }' }] }],
    },
  ],
});

const typedRuleTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      // The folder's own tsconfig.json puts file.ts and react.tsx in a program with the client stubs.
      projectService: true,
      tsconfigRootDir: fileURLToPath(new URL('../fixtures/typed-clients', import.meta.url)),
    },
  },
});

typedRuleTester.run('require-signal-propagation (type-aware)', rule, {
  valid: [
    // A parameter named `signal` that is not an AbortSignal, and an options type without one.
    'export async function kill(signal: NodeJS.Signals) { process.kill(process.pid, signal); return fetch("http://x/killed"); }',
    'interface LoadOptions { retries: number } export async function load(url: string, options: LoadOptions) { return fetch(url, { method: "GET" }); }',
    // A typed options object that carries the caller's signal, built elsewhere.
    'export async function load(url: string, init: RequestInit) { const copy: RequestInit = { ...init }; return fetch(url, copy); }',
    // A Request object (which always has a signal) passed to fetch: it may carry the caller's.
    'export async function load(request: Request, signal: AbortSignal) { return fetch(request); }',
  ],
  invalid: [
    // Found by type, whatever the names: an AbortSignal under another name, an options type with one.
    {
      code: 'export async function load(url: string, cancel: AbortSignal) { return fetch(url); }',
      options: oldNode,
      errors: [{ ...missing('fetch', 'cancel'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'cancel' }, output: 'export async function load(url: string, cancel: AbortSignal) { return fetch(url, { signal: cancel }); }' }] }],
    },
    {
      code: 'interface Job { id: string; signal: AbortSignal } export async function run(job: Job) { return fetch(`http://x/jobs/${job.id}`); }',
      options: modernNode,
      errors: [
        {
          ...missing('fetch', 'job.signal'),
          suggestions: [
            { messageId: 'passCallerSignal', data: { callerSignal: 'job.signal' }, output: 'interface Job { id: string; signal: AbortSignal } export async function run(job: Job) { return fetch(`http://x/jobs/${job.id}`, { signal: job.signal }); }' },
            // The type proves the signal is always there, so no guard around AbortSignal.any.
            {
              messageId: 'combineWithDeadline',
              data: { combined: 'AbortSignal.any([job.signal, AbortSignal.timeout(30_000)])' },
              output: 'interface Job { id: string; signal: AbortSignal } export async function run(job: Job) { return fetch(`http://x/jobs/${job.id}`, { signal: AbortSignal.any([job.signal, AbortSignal.timeout(30_000)]) }); }',
            },
          ],
        },
      ],
    },
    // An options object whose type has no `signal` at all provably passes none.
    {
      code: 'export async function load(url: string, signal: AbortSignal) { const init: { method: string } = { method: "GET" }; const copy = { ...init }; return fetch(url, copy); }',
      options: oldNode,
      errors: [{ ...missing('fetch', 'signal'), suggestions: [{ messageId: 'passCallerSignal', data: { callerSignal: 'signal' }, output: 'export async function load(url: string, signal: AbortSignal) { const init: { method: string } = { method: "GET" }; const copy = { ...init }; return fetch(url, { ...copy, signal: signal }); }' }] }],
    },
    // A possibly-undefined signal gets a guard in the AbortSignal.any suggestion.
    {
      code: 'export async function load(url: string, options: { signal?: AbortSignal } = {}) { return fetch(url, { signal: AbortSignal.timeout(1000) }); }',
      options: modernNode,
      errors: [
        {
          messageId: 'droppedSignal',
          data: { callee: 'fetch', callerSignal: 'options.signal', signal: 'AbortSignal.timeout(1000)' },
          suggestions: [
            {
              messageId: 'combineWithCallerSignal',
              data: { combined: 'options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(1000)]) : AbortSignal.timeout(1000)' },
              output: 'export async function load(url: string, options: { signal?: AbortSignal } = {}) { return fetch(url, { signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(1000)]) : AbortSignal.timeout(1000) }); }',
            },
            { messageId: 'passCallerSignal', data: { callerSignal: 'options.signal' }, output: 'export async function load(url: string, options: { signal?: AbortSignal } = {}) { return fetch(url, { signal: options.signal }); }' },
          ],
        },
      ],
    },
  ],
});
