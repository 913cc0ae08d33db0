import { RuleTester } from '@typescript-eslint/rule-tester';
import { parse } from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { rules } from '../../src/rules/index.js';
import noRestrictedHttpApi from '../../src/rules/no-restricted-http-api.js';
import noUnboundedClient from '../../src/rules/no-unbounded-client.js';
import { testedRule } from '../support/tested-rule.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const NO_REQUEST = 'export const sum = (a: number, b: number) => a + b;\n';
const FETCH_CALL = 'export const load = (url: string) => fetch(url);\n';
/** Enough of a typescript-eslint parse with a program for `create()`; no listener runs. */
const TYPED_SERVICES = { program: {}, esTreeNodeToTSNodeMap: new WeakMap(), tsNodeToESTreeNodeMap: new WeakMap() };

/** The listeners a rule's `create()` returns for a file with `text`, with or without a program. */
function listenersFor(ruleName: string, text: string, typed: boolean, options: unknown[] = []): string[] {
  const rule = rules[ruleName];
  if (!rule) throw new Error(`no rule ${ruleName}`);
  const context = {
    id: `bounded-http/${ruleName}`,
    options,
    filename: 'file.ts',
    physicalFilename: 'file.ts',
    cwd: '/project',
    settings: {},
    languageOptions: {},
    sourceCode: { text, parserServices: typed ? TYPED_SERVICES : {}, getAllComments: () => parse(text, { comment: true, range: true }).comments ?? [] },
    report: () => undefined,
  } as unknown as TSESLint.RuleContext<string, readonly unknown[]>;
  return Object.keys(rule.create(context));
}

const knowledgeBaseRules = Object.keys(rules).filter((name) => name !== 'no-restricted-http-api');
const axiosGetBan = { module: 'axios', name: 'get', message: 'use the shared client' };
const typedGetBan = { type: { from: 'package' as const, package: 'got', name: 'Got' }, name: 'get', message: 'use the shared client' };

describe('create(): rules pay only where requests can be', () => {
  it('syntax-only: every rule returns no listeners for a file the knowledge-base pre-filter stops', () => {
    for (const ruleName of knowledgeBaseRules) expect(listenersFor(ruleName, NO_REQUEST, false), ruleName).toEqual([]);
  });

  it('syntax-only: every rule listens in a file the pre-filter lets through', () => {
    for (const ruleName of knowledgeBaseRules) expect(listenersFor(ruleName, FETCH_CALL, false), ruleName).not.toEqual([]);
  });

  it('syntax-only: a client named only in comments makes no candidate; in code, strings included, it does', () => {
    const prose = '/**\n * Fetch the page, as `fetch(url)` would.\n * @see require("axios")\n */\nexport const sum = (a: number, b: number) => a + b; // fetch later\n';
    for (const ruleName of knowledgeBaseRules) expect(listenersFor(ruleName, prose, false), ruleName).toEqual([]);
    // After a comment, on the same line; a comment's text inside a string is no comment; a computed global.
    const inCode = ['/* load */ export const load = (url: string) => fetch(url);\n', "const note = '// not a comment'; export const load = (url: string) => globalThis['fetch'](url);\n", "const u = 'http://x'; export const get = () => require('axios').get(u);\n"];
    for (const text of inCode) for (const ruleName of knowledgeBaseRules) expect(listenersFor(ruleName, text, false), `${ruleName}: ${text}`).not.toEqual([]);
  });

  it('no-restricted-http-api: an entry named only in a comment makes no candidate', () => {
    const leftPad = [{ module: 'left-pad', message: 'use String.prototype.padStart' }];
    expect(listenersFor('no-restricted-http-api', "// was: import pad from 'left-pad';\nexport {};\n", false, leftPad)).toEqual([]);
  });

  it('typed: rules that follow types listen in every file; no-global-agent, which resolves by name only, keeps the filter', () => {
    for (const ruleName of knowledgeBaseRules) {
      const listeners = listenersFor(ruleName, NO_REQUEST, true);
      if (ruleName === 'no-global-agent') expect(listeners, ruleName).toEqual([]);
      else expect(listeners, ruleName).not.toEqual([]);
    }
  });

  it('no-restricted-http-api: its own entries decide, not the knowledge base', () => {
    const leftPad = [{ module: 'left-pad', message: 'use String.prototype.padStart' }];
    expect(listenersFor('no-restricted-http-api', "import pad from 'left-pad';\n", false, leftPad)).not.toEqual([]);
    expect(listenersFor('no-restricted-http-api', "const pad = require('left-pad/index.js');\n", false, leftPad)).not.toEqual([]);
    // A request, but none of the banned APIs: nothing to listen for.
    expect(listenersFor('no-restricted-http-api', FETCH_CALL, false, leftPad)).toEqual([]);
    const angularHttp = [{ global: '$http', message: 'use the injected client' }];
    expect(listenersFor('no-restricted-http-api', '$http.get(url);\n', false, angularHttp)).not.toEqual([]);
    expect(listenersFor('no-restricted-http-api', 'my$http.get(url);\n', false, angularHttp)).toEqual([]);
    // `http` and `node:http` are the same module.
    expect(listenersFor('no-restricted-http-api', "import { get } from 'node:http';\n", false, [{ module: 'http', name: 'get', message: 'no' }])).not.toEqual([]);
  });

  it('no-restricted-http-api: a `type` entry makes every file a candidate with a program, and is inactive without one', () => {
    expect(listenersFor('no-restricted-http-api', NO_REQUEST, true, [typedGetBan])).not.toEqual([]);
    expect(listenersFor('no-restricted-http-api', NO_REQUEST, false, [typedGetBan])).toEqual([]);
    // Without a `type` entry, the text test stays sound with types.
    expect(listenersFor('no-restricted-http-api', NO_REQUEST, true, [axiosGetBan])).toEqual([]);
  });
});

// The same decision end to end: `api` comes from a local module (fixtures/typed-clients/api-client.ts), so this
// file names no client. With types the call is found and reported; without them it cannot be, and is not.
const IMPORTED_INSTANCE = "import { api } from './api-client'; export const load = () => api.get('/x');";

const typedRuleTester = new RuleTester({
  languageOptions: {
    parserOptions: { projectService: true, tsconfigRootDir: fileURLToPath(new URL('../fixtures/typed-clients', import.meta.url)) },
  },
});
const syntaxOnlyRuleTester = new RuleTester();

// The first typed case builds the fixture program: seconds on an idle machine, more than the default 30 s when a
// shared 2-core machine is loaded. Only the bound is generous; nothing here is timed.
describe('with types', { timeout: 180_000 }, () => {
  typedRuleTester.run('no-unbounded-client (typed: a file that names no client is still searched)', testedRule(noUnboundedClient), {
    valid: [],
    invalid: [
      {
        code: IMPORTED_INSTANCE,
        options: [{ unknownInstances: 'report' }],
        errors: [
          {
            messageId: 'noDeadline',
            suggestions: [
              {
                messageId: 'addDeadline',
                data: { bound: 'timeout: { request: 30_000 }' },
                output: "import { api } from './api-client'; export const load = () => api.get('/x', { timeout: { request: 30_000 } });",
              },
            ],
          },
        ],
      },
    ],
  });

  typedRuleTester.run('no-restricted-http-api (typed: a `type` entry is checked in a file that names no client)', testedRule(noRestrictedHttpApi), {
    valid: [],
    invalid: [{ code: IMPORTED_INSTANCE, options: [typedGetBan], errors: [{ messageId: 'restricted', data: { api: 'Got.get', message: 'use the shared client' } }] }],
  });
});

syntaxOnlyRuleTester.run('no-unbounded-client (syntax-only: the same file is stopped by the pre-filter)', testedRule(noUnboundedClient), {
  valid: [{ code: IMPORTED_INSTANCE, options: [{ unknownInstances: 'report' }] }],
  invalid: [],
});
