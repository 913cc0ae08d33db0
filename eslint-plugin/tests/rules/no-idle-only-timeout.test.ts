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
  ],
  invalid: [
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
      options: [{ requireDeadlineSignal: true, targetNodeVersion: '>=20.3' }],
      errors: [
        {
          messageId: 'idleOnly',
          suggestions: [{ messageId: 'combineSignals', output: 'import axios from "axios"; const controller = new AbortController(); axios.get(url, { timeout: 5000, signal: AbortSignal.any([controller.signal, AbortSignal.timeout(30_000)]) });' }],
        },
      ],
    },
  ],
});
