import unwrappedRule from '../../src/rules/no-idle-only-timeout.js';
import { DEADLINE, ruleTester, testable } from '../rule-tester.js';

const rule = testable(unwrappedRule);

function idleOnly(output: string) {
  return { messageId: 'idleOnly' as const, suggestions: [{ messageId: 'addDeadline' as const, data: { bound: DEADLINE }, output }] };
}

ruleTester.run('no-idle-only-timeout', rule, {
  valid: [
    'import axios from "axios"; axios.get(url, { timeout: 5000, signal: AbortSignal.timeout(10_000) });',
    'import got from "got"; got(url, { timeout: { request: 10_000, connect: 1000 } });',
    'import { request } from "undici"; request(url, { headersTimeout: 5000, signal: AbortSignal.timeout(10_000) });',
    'import superagent from "superagent"; await superagent.get(url).timeout({ response: 1000, deadline: 10_000 });',
    // Unbounded calls are the other rules' business.
    'import axios from "axios"; axios.get(url);',
    // Opaque options may hold a deadline.
    'import axios from "axios"; axios.get(url, { ...config, timeout: 5000 });',
    // undici dispatchers with their header and body timers set, or whose options cannot be read.
    'import { Agent } from "undici"; const agent = new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000 });',
    'import { Agent } from "undici"; const agent = new Agent(dispatcherOptions);',
    'import { Agent } from "undici"; const agent = new Agent({ ...shared, connectTimeout: 1000 });',
    // Switching a timer off is no-disabled-timeout's report.
    'import { Agent } from "undici"; const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 });',
    // A dispatcher that makes calls here is judged through them (no-unbounded-client reports unbounded ones).
    'import { Pool } from "undici"; const pool = new Pool(origin); await pool.request({ path: "/", method: "GET", signal: AbortSignal.timeout(5000) });',
    // RetryAgent wraps another dispatcher and has no timers of its own.
    'import { RetryAgent } from "undici"; const retrying = new RetryAgent(agent);',
    // Not undici's Agent.
    'import { Agent } from "node:https"; const agent = new Agent({ keepAlive: true });',
  ],
  invalid: [
    // undici dispatchers left on their 300 s idle defaults (issue 15 item 4), with or without a connect timeout.
    { code: 'import { Agent } from "undici"; const agent = new Agent(); await fetch(url, { dispatcher: agent, signal });', errors: [{ messageId: 'idleDefaults', suggestions: [] }] },
    { code: 'import { Agent, setGlobalDispatcher } from "undici"; setGlobalDispatcher(new Agent({ connectTimeout: 5000 }));', errors: [{ messageId: 'idleDefaults', suggestions: [] }] },
    { code: 'const { ProxyAgent } = require("undici"); export const dispatcher = new ProxyAgent(proxyUrl);', errors: [{ messageId: 'idleDefaults', suggestions: [] }] },
    { code: 'import * as undici from "undici"; const dispatcher = new undici.ProxyAgent(process.env.HTTPS_PROXY);', errors: [{ messageId: 'idleDefaults', suggestions: [] }] },
    { code: 'import { ProxyAgent } from "undici"; const dispatcher = new ProxyAgent({ uri: proxy, connect: { timeout: 5000 } });', errors: [{ messageId: 'idleDefaults', suggestions: [] }] },
    { code: 'import { EnvHttpProxyAgent as EnvAgent } from "undici"; const dispatcher = new EnvAgent();', errors: [{ messageId: 'idleDefaults', suggestions: [] }] },
    // Only one of the two timers set: the other is still on its default.
    {
      code: 'import { Agent } from "undici"; const agent = new Agent({ headersTimeout: 10_000 } satisfies Agent.Options);',
      errors: [{ messageId: 'idleDefaults', data: { callee: 'Agent', timers: "`bodyTimeout` (undici's default: 300 s of silence between body chunks)" }, suggestions: [] }],
    },
    { code: 'import { Agent } from "undici"; const agent = new Agent(); agent?.close();', errors: [{ messageId: 'idleDefaults', suggestions: [] }] },
    { code: 'import axios from "axios"; axios.get(url, { timeout: 5000 });', errors: [idleOnly(`import axios from "axios"; axios.get(url, { timeout: 5000, ${DEADLINE} });`)] },
    {
      code: 'import http from "node:http";\nconst req = http.get(url, { timeout: 5000 });\nreq.on("timeout", () => req.destroy());',
      errors: [idleOnly(`import http from "node:http";\nconst req = http.get(url, { timeout: 5000, ${DEADLINE} });\nreq.on("timeout", () => req.destroy());`)],
    },
    {
      code: 'import { request as undiciRequest } from "undici"; undiciRequest(url, { headersTimeout: 5000, bodyTimeout: 5000 });',
      errors: [idleOnly(`import { request as undiciRequest } from "undici"; undiciRequest(url, { headersTimeout: 5000, bodyTimeout: 5000, ${DEADLINE} });`)],
    },
    { code: 'import got from "got"; got(url, { timeout: { response: 5000 } });', errors: [{ messageId: 'idleOnly', suggestions: [] }] },
    { code: 'import superagent from "superagent"; await superagent.get(url).timeout({ response: 5000 });', errors: [{ messageId: 'idleOnly', suggestions: [{ messageId: 'addDeadline', output: 'import superagent from "superagent"; await superagent.get(url).timeout({ response: 5000 }).timeout({ deadline: 30_000 });' }] }] },
    // An instance bounded only by an idle timer is reported once, where it is created.
    { code: 'import axios from "axios"; const api = axios.create({ timeout: 5000 }); api.get("/a"); api.get("/b");', errors: [{ messageId: 'idleOnlyInstance', suggestions: [] }] },
    { code: 'import { HttpClient } from "@actions/http-client"; const client = new HttpClient("ua", [], { socketTimeout: 5000 });', errors: [{ messageId: 'idleOnlyInstance', suggestions: [] }] },
    // A signal without a deadline does not make an idle timer a deadline with requireDeadlineSignal.
    {
      code: 'import axios from "axios"; const controller = new AbortController(); axios.get(url, { timeout: 5000, signal: controller.signal });',
      options: [{ requireDeadlineSignal: true, targetNodeVersion: '^22.16 || >=24' }],
      errors: [
        {
          messageId: 'idleOnly',
          suggestions: [{ messageId: 'combineSignals', output: 'import axios from "axios"; const controller = new AbortController(); axios.get(url, { timeout: 5000, signal: AbortSignal.any([controller.signal, AbortSignal.timeout(30_000)]) });' }],
        },
      ],
    },
  ],
});
