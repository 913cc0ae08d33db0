import { RuleTester } from '@typescript-eslint/rule-tester';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it, vi } from 'vitest';

import noRestrictedHttpApi, { type Options } from '../../src/rules/no-restricted-http-api.js';
import { testedRule } from '../support/tested-rule.js';

const rule = testedRule(noRestrictedHttpApi);

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// The first typed case builds a TypeScript program and the first undici import loads its declarations:
// seconds on an idle machine, tens of seconds on a busy one. A limit, not a speed goal.
vi.setConfig({ testTimeout: 120_000 });

const restricted = (api: string, message: string) => ({ messageId: 'restricted' as const, data: { api, message } });

const banRequest: Options = [{ module: 'node:http', name: 'request', message: 'use the deadline helper' }];
const banAgentClass: Options = [{ module: 'undici', pattern: '(Agent|Pool)', message: 'use the shared dispatcher factory' }];
const banDefaults: Options = [{ module: 'axios', name: 'defaults.timeout', message: 'set the timeout per instance' }];
const banFetch: Options = [{ global: 'fetch', message: 'use fetchWithDeadline' }];
const banModule: Options = [{ module: 'request', message: 'the request package is deprecated and has no deadline' }];

const ruleTester = new RuleTester();

ruleTester.run('no-restricted-http-api', rule, {
  valid: [
    // No options, no findings.
    "import http from 'node:http'; http.request('http://x');",
    // Matched on the resolved module, not the local name: these `request`s are not node:http's.
    { code: "import { request } from 'undici'; request('http://x');", options: banRequest },
    { code: "function request(url: string) { return url; } request('http://x');", options: banRequest },
    { code: "const http = { request() {} }; http.request();", options: banRequest },
    // Another member of the same module.
    { code: "import http from 'http'; http.get('http://x');", options: banRequest },
    // A pattern is anchored: `AgentOptions` is not `Agent`.
    { code: "import { type AgentOptions, errors } from 'undici'; const e = errors;", options: banAgentClass },
    // A local `fetch` shadows the global.
    { code: "function get(fetch: (url: string) => void) { fetch('http://x'); }", options: banFetch },
    // allowIn exempts matching files.
    { code: "import http from 'http'; http.request('http://x');", filename: 'src/deadline/request.ts', options: [{ ...banRequest[0]!, allowIn: ['src/deadline/**'] }] },
    // allowIn globs are minimatch globs, as ESLint's `files`: braces too.
    { code: "import http from 'http'; http.request('http://x');", filename: 'src/boot.ts', options: [{ ...banRequest[0]!, allowIn: ['src/{main,boot}.ts'] }] },
    // `type` entries need type information; without it they stay silent rather than guess.
    { code: "declare const client: { request(): void }; client.request();", options: [{ type: { from: 'package', package: 'undici', name: 'Dispatcher' }, name: 'request', message: 'x' }] },
  ],
  invalid: [
    // Dynamic imports resolve like import declarations.
    { code: "const http = await import('node:http'); http.request('http://x');", options: banRequest, errors: [restricted('node:http.request', 'use the deadline helper')] },
    // ESM default, namespace and named imports, with and without `node:`.
    { code: "import http from 'http'; http.request('http://x');", options: banRequest, errors: [restricted('node:http.request', 'use the deadline helper')] },
    { code: "import * as http from 'node:http'; http.request('http://x');", options: banRequest, errors: [restricted('node:http.request', 'use the deadline helper')] },
    {
      code: "import { request as send } from 'node:http'; send('http://x');",
      options: banRequest,
      // The import and the call through it are both uses.
      errors: [restricted('node:http.request', 'use the deadline helper'), restricted('node:http.request', 'use the deadline helper')],
    },
    // require, destructuring, alias, plain reference (not a call), write.
    { code: "const { request } = require('http');", options: banRequest, errors: [restricted('node:http.request', 'use the deadline helper')] },
    { code: "const h = require('node:http'); const alias = h; const r = alias.request;", options: banRequest, errors: [restricted('node:http.request', 'use the deadline helper')] },
    { code: "import http from 'http'; http.request = wrapped;", options: banRequest, errors: [restricted('node:http.request', 'use the deadline helper')] },
    { code: "import http from 'http'; (http as typeof import('http')).request!('x');", options: banRequest, errors: [restricted('node:http.request', 'use the deadline helper')] },
    // pattern over member names, constructors included.
    {
      code: "import { Agent, Pool } from 'undici'; const a = new Agent();",
      options: banAgentClass,
      errors: [restricted('undici.Agent', 'use the shared dispatcher factory'), restricted('undici.Pool', 'use the shared dispatcher factory'), restricted('undici.Agent', 'use the shared dispatcher factory')],
    },
    { code: "const undici = require('undici'); new undici.Pool('http://x');", options: banAgentClass, errors: [restricted('undici.Pool', 'use the shared dispatcher factory')] },
    // dotted member path: reads and writes.
    { code: "import axios from 'axios'; axios.defaults.timeout = 0;", options: banDefaults, errors: [restricted('axios.defaults.timeout', 'set the timeout per instance')] },
    { code: "const axios = require('axios').default; const { timeout } = axios.defaults;", options: banDefaults, errors: [restricted('axios.defaults.timeout', 'set the timeout per instance')] },
    // globals, directly, through globalThis, and through an alias.
    {
      code: "fetch('http://x'); globalThis.fetch('http://y'); const f = fetch; f('http://z');",
      options: banFetch,
      errors: [
        restricted('fetch', 'use fetchWithDeadline'),
        restricted('fetch', 'use fetchWithDeadline'),
        restricted('fetch', 'use fetchWithDeadline'),
        restricted('fetch', 'use fetchWithDeadline'),
      ],
    },
    { code: "window?.fetch('http://x');", options: banFetch, languageOptions: { globals: { window: 'readonly' } }, errors: [restricted('fetch', 'use fetchWithDeadline')] },
    // whole-module ban: import, require and process.getBuiltinModule.
    { code: "const fs = process.getBuiltinModule('node:fs');", options: [{ module: 'fs', message: 'use the storage layer' }], errors: [restricted('fs', 'use the storage layer')] },
    { code: "import request from 'request';", options: banModule, errors: [restricted('request', 'the request package is deprecated and has no deadline')] },
    { code: "const request = require('request'); request('http://x');", options: banModule, errors: [restricted('request', 'the request package is deprecated and has no deadline')] },
    // allowIn only exempts the files it names.
    {
      code: "import http from 'http'; http.request('http://x');",
      filename: 'src/jobs/poll.ts',
      options: [{ ...banRequest[0]!, allowIn: ['src/deadline/**'] }],
      errors: [restricted('node:http.request', 'use the deadline helper')],
    },
  ],
});

const typedRuleTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: { allowDefaultProject: ['*.ts*'] },
      tsconfigRootDir: fileURLToPath(new URL('../fixtures/typed', import.meta.url)),
    },
  },
});

const banDispatch: Options = [{ type: { from: 'package', package: 'undici', name: 'Dispatcher' }, name: 'request', message: 'call through the deadline helper' }];
const banLegacySend: Options = [{ type: { from: 'file', name: 'LegacyHttpClient' }, pattern: 'send|close', message: 'migrate to the bounded client' }];
const banResponseText: Options = [{ type: { from: 'lib', name: 'Promise' }, name: 'then', message: 'await instead' }];

typedRuleTester.run('no-restricted-http-api (type-aware)', rule, {
  valid: [
    // Same member name on a type that is not undici's Dispatcher.
    { code: "declare const client: { request(url: string): void }; client.request('http://x');", options: banDispatch },
    // A local type that merely shares the package type's name is not declared in the package.
    { code: "interface Dispatcher { request(): void } declare const d: Dispatcher; d.request();", options: banDispatch },
    // Another member of the banned type.
    { code: "import { Agent } from 'undici'; const agent = new Agent(); agent.close();", options: banDispatch },
    // `from: 'file'` does not match a package type with the same name.
    { code: "import type { Dispatcher } from 'undici'; declare const d: Dispatcher; d.close();", options: [{ type: { from: 'file', name: 'Dispatcher' }, name: 'close', message: 'x' }] },
  ],
  invalid: [
    // Instances whose creation is not visible (a parameter) and subclasses (Agent extends Dispatcher).
    {
      code: "import type { Dispatcher } from 'undici'; export function poll(dispatcher: Dispatcher) { return dispatcher.request({ path: '/', method: 'GET' }); }",
      options: banDispatch,
      errors: [restricted('Dispatcher.request', 'call through the deadline helper')],
    },
    {
      code: "import { Agent } from 'undici'; const agent = new Agent(); const { request } = agent; void agent.request({ path: '/', method: 'GET', origin: 'http://x' });",
      options: banDispatch,
      errors: [restricted('Dispatcher.request', 'call through the deadline helper'), restricted('Dispatcher.request', 'call through the deadline helper')],
    },
    // A union that contains the type, and optional chaining.
    {
      code: "import type { Pool } from 'undici'; declare const maybe: Pool | undefined; void maybe?.request({ path: '/', method: 'GET' });",
      options: banDispatch,
      errors: [restricted('Dispatcher.request', 'call through the deadline helper')],
    },
    // `from: 'file'` with a pattern over members.
    {
      code: "import type { LegacyHttpClient } from './legacy-client.js'; declare const c: LegacyHttpClient; void c.send('x'); c.close();",
      options: banLegacySend,
      errors: [restricted('LegacyHttpClient.send', 'migrate to the bounded client'), restricted('LegacyHttpClient.close', 'migrate to the bounded client')],
    },
    // `from: 'lib'`.
    { code: 'declare const p: Promise<number>; void p.then(String);', options: banResponseText, errors: [restricted('Promise.then', 'await instead')] },
  ],
});
