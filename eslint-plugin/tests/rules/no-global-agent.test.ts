import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

import { globalAgentApis } from '../../src/knowledge/global-state.js';
import noGlobalAgent from '../../src/rules/no-global-agent.js';
import { testedRule } from '../support/tested-rule.js';

const rule = testedRule(noGlobalAgent);

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();
const withDeclaredGlobals = { globals: { globalThis: 'readonly', fetch: 'writable', Symbol: 'readonly', require: 'readonly' } } as const;

const messageOf = (id: string): string => {
  const api = globalAgentApis.find((candidate) => candidate.id === id);
  if (!api) throw new Error(`no preset entry ${id}`);
  return api.message;
};
/** The expected error for the preset entry `id`, reported under the resolved API name `api`. */
const restricted = (api: string, id = api.replace(/\(.*$/u, '')) => ({
  messageId: 'restricted' as const,
  data: { api, message: messageOf(id) },
});
const agentMessage = (api: string) => restricted(api);

ruleTester.run('no-global-agent', rule, {
  valid: [
    // Per-request agents are the point.
    "import http from 'node:http'; http.get('http://x', { agent: new http.Agent({ keepAlive: true }) });",
    "import { Agent, request } from 'undici'; request('http://x', { dispatcher: new Agent() });",
    // A local variable named like the API is not the API.
    'const globalAgent = {}; globalAgent.maxSockets = 1;',
    "function f(http: { globalAgent: unknown }) { return http.globalAgent; }",
    // Other symbols, and Symbol.for with a non-constant argument, are not undici's.
    "Symbol.for('app.state'); Symbol.for(name);",
    // Reading global fetch is fine; only replacing it is banned.
    "const f = globalThis.fetch; fetch('http://x', { signal: AbortSignal.timeout(1000) });",
    // A local `fetch` shadows the global.
    'let fetch = () => 1; fetch = () => 2;',
    // Type-only imports load nothing.
    "import type { Agent } from 'node:http';",
    { code: "import { setGlobalDispatcher, Agent } from 'undici'; setGlobalDispatcher(new Agent());", options: [{ allow: ['undici.setGlobalDispatcher'] }] },
    { code: "import 'global-agent/bootstrap';", options: [{ allow: ['global-agent/bootstrap'] }] },
    { code: 'globalThis.fetch = wrapped;', options: [{ allow: ['globalThis.fetch'] }] },
    // TODO(false negative): `Object.assign(globalThis, { fetch: wrapped })` replaces fetch through a call.
    'Object.assign(globalThis, { fetch: wrapped });',
    // A built-in loaded at run time, but another member of it.
    "process.getBuiltinModule('node:http').request('http://x', { signal: AbortSignal.timeout(1000) });",
    // Calling or reading node:http's request functions is not patching them.
    "import http from 'node:http'; const original = http.request; http.request(url, { signal });",
    // Patching another object's `request`, or defining another member of the module.
    "import http from 'node:http'; const client = { request: http.request }; client.request = wrapped;",
    "import http from 'node:http'; Object.defineProperty(http, 'STATUS', { value: 1 });",
    "Object.defineProperty(window, 'request', { value: wrapped });",
    // Reading axios's defaults, or setting an instance's, is not a process-wide mutation.
    "import axios from 'axios'; const ms = axios.defaults.timeout;",
    "import axios from 'axios'; const api = axios.create(); api.defaults.timeout = 5000;",
    { code: "import axios from 'axios'; axios.defaults.timeout = 5000;", options: [{ allow: ['axios.defaults.timeout'] }] },

    // Test doubles: replacing a global with one is not a process-wide change, in any file (issue 13).
    'globalThis.fetch = vi.fn();',
    "import { vi } from 'vitest'; globalThis.fetch = vi.fn(async () => new Response('{}'));",
    "import { vi as v } from 'vitest'; globalThis.fetch = v.fn();",
    "import { vitest } from 'vitest'; window.fetch = vitest.fn().mockResolvedValue(new Response());",
    "import * as vitest from 'vitest'; global.fetch = vitest.vi.spyOn(api, 'fetch');",
    "import { fn } from '@vitest/spy'; globalThis.fetch = fn();",
    'global.fetch = jest.fn(() => Promise.resolve({ json: () => Promise.resolve({}) }));',
    "import { jest } from '@jest/globals'; globalThis.fetch = jest.fn<typeof fetch>();",
    "const { fn } = require('jest-mock'); globalThis.fetch = fn();",
    "const jestMock = require('jest-mock'); globalThis.fetch = jestMock.spyOn(client, 'fetch').mockImplementation(() => undefined);",
    "import sinon from 'sinon'; globalThis.fetch = sinon.stub().resolves(new Response());",
    "const sinon = require('sinon'); globalThis.fetch = sinon.fake.resolves(new Response());",
    "import { spy } from 'sinon'; globalThis.fetch = spy(realFetch);",
    "import * as sinon from 'sinon'; const sandbox = sinon.createSandbox(); globalThis.fetch = sandbox.stub();",
    "import createFetchMock from 'vitest-fetch-mock'; import { vi } from 'vitest'; globalThis.fetch = createFetchMock(vi);",
    "import fm from 'fetch-mock'; globalThis.fetch = fm.sandbox();",
    // Named as a double: mock, stub, spy, fake as whole words of the name, on a variable, a call or a property.
    'globalThis.fetch = mockFetch;',
    'globalThis.fetch = createMockFetch();',
    'globalThis.fetch = mockFetch.mockResolvedValue(new Response());',
    'globalThis.fetch = fetchMock;',
    'globalThis.fetch = helpers.fakeFetch;',
    'globalThis.fetch = mocks.fetch;',
    'globalThis.fetch = FETCH_STUB;',
    'fetch = fetchSpy;',
    // A double assigned in a file that is not a test file: still a double.
    { code: "import { vi } from 'vitest'; export function installFetchMock() { globalThis.fetch = vi.fn(); }", filename: 'src/testing-support/install-fetch.ts' },
    // Test-only helpers that replace a global are not recognised as writes at all: only tests call them.
    "vi.stubGlobal('fetch', tracedFetch);",
    "jest.spyOn(globalThis, 'fetch').mockImplementation(tracedFetch);",
    // A `const` holding a double.
    "import { vi } from 'vitest'; const fetchImpl = vi.fn(); globalThis.fetch = fetchImpl;",
    // TS-only syntax and optional chaining around the double.
    'globalThis.fetch = vi.fn() as unknown as typeof fetch;',
    'globalThis.fetch = vi.fn() satisfies typeof fetch;',
    'globalThis.fetch = <typeof fetch>(<unknown>jest.fn());',
    '(globalThis as any).fetch = mockFetch!;',
    'globalThis.fetch = mocks?.fetch;',
    'globalThis.fetch = vi.fn<typeof fetch>().mockResolvedValueOnce(new Response());',
    'globalThis.fetch ??= vi.fn();',
    // The same with the globals declared.
    { code: 'globalThis.fetch = vi.fn();', languageOptions: withDeclaredGlobals },
    { code: 'fetch = vi.fn();', languageOptions: { ...withDeclaredGlobals, parserOptions: { sourceType: 'script' } } },
    // Patching node:http with a double, by assignment or defineProperty.
    "import http from 'node:http'; http.request = vi.fn();",
    "const https = require('https'); https.get = jest.fn().mockReturnValue(fakeRequest);",
    "import http from 'node:http'; Object.defineProperty(http, 'request', { value: vi.fn(), writable: true });",
    "import http from 'http'; Object.defineProperty(http, 'get', { get: () => mockGet });",
    "import http from 'http'; Object.defineProperties(http, { request: { value: mockRequest }, get: { value: mockGet } });",
    // Test files are skipped by default: a test process is not production.
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'src/api.test.ts' },
    { code: "import https from 'node:https'; https.globalAgent.maxSockets = 1;", filename: 'src/__tests__/pool.ts' },
    { code: "import { setGlobalDispatcher, MockAgent } from 'undici'; setGlobalDispatcher(new MockAgent());", filename: 'test/setup.ts' },
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'packages/client/tests/helpers/fetch.ts' },
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'src/__mocks__/fetch.ts' },
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'vitest.setup.ts' },
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'e2e/login.spec.tsx', languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    // Replacement patterns apply instead of the defaults.
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'src/testing/fetch.ts', options: [{ testFilePatterns: ['src/testing/**'] }] },
    // A double stays unreported with the test-file skip off.
    { code: 'globalThis.fetch = vi.fn();', filename: 'src/api.test.ts', options: [{ ignoreTestFiles: false }] },
    // TODO(false negative): `Object.defineProperty(globalThis, 'fetch', …)` replaces fetch without an assignment.
    "Object.defineProperty(globalThis, 'fetch', { value: wrappedFetch });",
  ],
  invalid: [
    // http.globalAgent: default, namespace, named import, node: prefix, require, alias, destructuring.
    { code: "import http from 'http'; http.globalAgent.keepAlive = true;", errors: [agentMessage('http.globalAgent')] },
    { code: "import * as https from 'node:https'; const a = https.globalAgent;", errors: [agentMessage('https.globalAgent')] },
    { code: "import { globalAgent } from 'node:http'; globalAgent.maxSockets = 10;", errors: [agentMessage('http.globalAgent')] },
    { code: "import { globalAgent as shared } from 'https';", errors: [agentMessage('https.globalAgent')] },
    { code: "const http = require('node:http'); http.globalAgent = new http.Agent();", errors: [agentMessage('http.globalAgent')] },
    { code: "const { globalAgent } = require('http');", errors: [agentMessage('http.globalAgent')] },
    { code: "import http from 'node:http'; const client = http; const { globalAgent: agent } = client;", errors: [agentMessage('http.globalAgent')] },
    { code: "import http from 'http'; (http as any).globalAgent!.destroy();", errors: [agentMessage('http.globalAgent')] },
    { code: "import https from 'https'; https?.globalAgent;", errors: [agentMessage('https.globalAgent')] },
    // process.getBuiltinModule returns the module like an import.
    { code: "process.getBuiltinModule('http').globalAgent.maxSockets = 1;", errors: [agentMessage('http.globalAgent')] },
    { code: "const name = 'node:https'; const https = process.getBuiltinModule(name); const { globalAgent } = https;", errors: [agentMessage('https.globalAgent')] },
    // undici's global dispatcher.
    {
      code: "import { setGlobalDispatcher, Agent } from 'undici'; setGlobalDispatcher(new Agent({ headersTimeout: 0 }));",
      errors: [restricted('undici.setGlobalDispatcher'), restricted('undici.setGlobalDispatcher')],
    },
    { code: "const undici = require('undici'); const dispatcher = undici.getGlobalDispatcher();", errors: [restricted('undici.getGlobalDispatcher')] },
    { code: "import * as undici from 'undici'; const set = undici.setGlobalDispatcher;", errors: [restricted('undici.setGlobalDispatcher')] },
    { code: "globalThis[Symbol.for('undici.globalDispatcher.1')] = agent;", errors: [restricted('Symbol.for("undici.globalDispatcher.1")', 'undici.globalDispatcherSymbol')] },
    { code: "const key = 'undici.globalDispatcher.2'; const d = (globalThis as any)[Symbol.for(key)];", errors: [restricted('Symbol.for("undici.globalDispatcher.2")', 'undici.globalDispatcherSymbol')] },
    // global-agent packages, whole-module bans.
    { code: "import 'global-agent/bootstrap';", errors: [restricted('global-agent/bootstrap')] },
    { code: "require('global-agent/bootstrap');", errors: [restricted('global-agent/bootstrap')] },
    { code: "import { bootstrap } from 'global-agent'; bootstrap();", errors: [restricted('global-agent')] },
    { code: "const { createGlobalProxyAgent } = require('global-agent');", errors: [restricted('global-agent')] },
    // Replacing fetch, through every global object name and directly.
    { code: 'globalThis.fetch = wrappedFetch;', errors: [restricted('fetch', 'globalThis.fetch')] },
    { code: 'window.fetch = wrappedFetch; self.fetch = wrappedFetch; global.fetch = wrappedFetch;', errors: [restricted('fetch', 'globalThis.fetch'), restricted('fetch', 'globalThis.fetch'), restricted('fetch', 'globalThis.fetch')] },
    { code: 'fetch = wrappedFetch;', languageOptions: { parserOptions: { sourceType: 'script' } }, errors: [restricted('fetch', 'globalThis.fetch')] },
    // The same findings with the globals declared, as `languageOptions.globals` would.
    { code: 'globalThis.fetch = wrappedFetch;', languageOptions: withDeclaredGlobals, errors: [restricted('fetch', 'globalThis.fetch')] },
    { code: "globalThis[Symbol.for('undici.globalDispatcher.1')] = agent;", languageOptions: withDeclaredGlobals, errors: [restricted('Symbol.for("undici.globalDispatcher.1")', 'undici.globalDispatcherSymbol')] },
    { code: "const { globalAgent } = require('http');", languageOptions: withDeclaredGlobals, errors: [agentMessage('http.globalAgent')] },
    // `allow` drops only the named API.
    {
      code: "import http from 'http'; import { setGlobalDispatcher } from 'undici'; http.globalAgent; setGlobalDispatcher(a);",
      options: [{ allow: ['undici.setGlobalDispatcher'] }],
      errors: [agentMessage('http.globalAgent')],
    },
    // Dynamic imports are followed like import declarations.
    { code: "const http = await import('node:http'); http.globalAgent.maxSockets = 1;", errors: [agentMessage('http.globalAgent')] },
    { code: "const { setGlobalDispatcher } = await import('undici'); setGlobalDispatcher(agent);", errors: [restricted('undici.setGlobalDispatcher'), restricted('undici.setGlobalDispatcher')] },
    { code: "import('https').then((https) => { https.request = traced; });", errors: [restricted('https.request')] },
    // Monkey-patching node:http's request functions: assignment and defineProperty (issue 15 item 9).
    { code: "import https from 'node:https'; https.request = tracedRequest;", errors: [restricted('https.request')] },
    { code: "const http = require('http'); const original = http.get; http.get = (...args) => original(...args);", errors: [restricted('http.get')] },
    { code: "import * as http from 'http'; (http as any).request = traced;", errors: [restricted('http.request')] },
    { code: "import http from 'node:http'; Object.defineProperty(http, 'request', { value: traced });", errors: [restricted('http.request')] },
    { code: "const https = require('node:https'); Reflect.defineProperty(https, 'get', { value: traced });", errors: [restricted('https.get')] },
    { code: "Object.defineProperty(require('http'), 'request', { value: traced, writable: true });", errors: [restricted('http.request')] },
    { code: "import http from 'http'; Object.defineProperties(http, { request: { value: a }, get: { value: b } });", errors: [restricted('http.request'), restricted('http.get')] },
    { code: "const http = process.getBuiltinModule('node:http'); http.request = traced;", errors: [restricted('http.request')] },
    // axios.defaults.timeout: still a bound for no-unbounded-client in this module, but a process-wide mutation.
    { code: "import axios from 'axios'; axios.defaults.timeout = 15_000; axios.get(url);", errors: [restricted('axios.defaults.timeout')] },
    { code: "const axios = require('axios').default; axios.defaults.timeout = 0;", errors: [restricted('axios.defaults.timeout')] },
    { code: "import axios from 'axios'; axios.defaults!.timeout = 5000;", errors: [restricted('axios.defaults.timeout')] },

    // Not doubles: a wrapper, the real fetch restored, or a value picked at run time.
    { code: "import { vi } from 'vitest'; globalThis.fetch = (input, init) => mockFetch(input, init);", errors: [restricted('fetch', 'globalThis.fetch')] },
    { code: 'globalThis.fetch = originalFetch;', errors: [restricted('fetch', 'globalThis.fetch')] },
    { code: 'globalThis.fetch = process.env.CI ? vi.fn() : tracedFetch;', errors: [restricted('fetch', 'globalThis.fetch')] },
    // `mockup`, `stubborn`: other words; `vi.fn` read, not called; `mockRestore` returns nothing.
    { code: 'globalThis.fetch = mockupFetch;', errors: [restricted('fetch', 'globalThis.fetch')] },
    { code: 'globalThis.fetch = vi.fn;', errors: [restricted('fetch', 'globalThis.fetch')] },
    { code: "import { vi } from 'vitest'; let impl = vi.fn(); impl = tracedFetch; globalThis.fetch = impl;", errors: [restricted('fetch', 'globalThis.fetch')] },
    // A local `vi` is not vitest's.
    { code: 'const vi = { fn: () => tracedFetch }; globalThis.fetch = vi.fn();', errors: [restricted('fetch', 'globalThis.fetch')] },
    // A double read from the process-wide API is still a read of it.
    { code: "import http from 'node:http'; const agentSpy = vi.spyOn(http.globalAgent, 'destroy');", errors: [agentMessage('http.globalAgent')] },
    { code: "import http from 'node:http'; Object.defineProperty(http, 'request', { get() { return traced; } });", errors: [restricted('http.request')] },
    // A story shares its preview page with the stories after it: not skipped by default.
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'src/Button.stories.tsx', languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } }, errors: [restricted('fetch', 'globalThis.fetch')] },
    // A file that only looks like a test is not one.
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'src/latest/contest.ts', errors: [restricted('fetch', 'globalThis.fetch')] },
    // With the test-file skip off, a real change in a test file is reported.
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'src/api.test.ts', options: [{ ignoreTestFiles: false }], errors: [restricted('fetch', 'globalThis.fetch')] },
    {
      code: "import { setGlobalDispatcher, Agent } from 'undici'; setGlobalDispatcher(new Agent({ connections: 1 }));",
      filename: 'test/setup.ts',
      options: [{ ignoreTestFiles: false }],
      errors: [restricted('undici.setGlobalDispatcher'), restricted('undici.setGlobalDispatcher')],
    },
    // Replacement patterns drop the defaults.
    { code: 'globalThis.fetch = wrappedFetch;', filename: 'src/api.test.ts', options: [{ testFilePatterns: ['src/testing/**'] }], errors: [restricted('fetch', 'globalThis.fetch')] },
    // TSX/JSX files are parsed the same way.
    {
      code: "import http from 'http'; const App = () => <div>{String(http.globalAgent.maxSockets)}</div>;",
      filename: 'app.tsx',
      languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
      errors: [agentMessage('http.globalAgent')],
    },
  ],
});
