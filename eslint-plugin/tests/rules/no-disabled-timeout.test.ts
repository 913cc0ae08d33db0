import unwrappedRule from '../../src/rules/no-disabled-timeout.js';
import { ruleTester, ruleTesterWithGlobals, testable } from '../rule-tester.js';

const rule = testable(unwrappedRule);

ruleTester.run('no-disabled-timeout', rule, {
  valid: [
    'import axios from "axios"; axios.get(url, { timeout: 5000 });',
    'import { Agent } from "undici"; new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000, connect: { timeout: 5000 } });',
    'import got from "got"; got(url, { timeout: { request: 10_000, connect: 1000 } });',
    'fetch(url, { signal: AbortSignal.timeout(5000) });',
    // Not a client's options: nothing to say.
    'const settings = { timeout: 0 }; export default settings;',
    'setTimeout(run, 0);',
    'server.setTimeout(0);',
    'import axios from "axios"; axios.defaults.timeout = 5000;',
    // Unknown values are not guessed.
    'import axios from "axios"; axios.get(url, { timeout: config.timeout });',
    { code: 'import axios from "axios"; axios.get(url, { timeout: 60_000 });', options: [{ maxMs: 60_000 }] },
    'import superagent from "superagent"; await superagent.get(url).timeout(5000);',
    'import ky from "ky"; ky.get(url, { timeout: 10_000 });',
    // Switched off next to a real deadline: ky's documented way to use your own signal.
    'import ky from "ky"; ky.get(url, { timeout: false, signal: AbortSignal.timeout(120_000) });',
    'import axios from "axios"; axios.get(url, { timeout: 0, signal: AbortSignal.timeout(10_000) });',
  ],
  invalid: [
    { code: 'import axios from "axios"; axios.get(url, { timeout: 0 });', errors: [{ messageId: 'disabled', data: { option: 'timeout: 0', client: 'axios' }, column: 45 }] },
    { code: 'const axios = require("axios"); axios.post(url, body, { timeout: Infinity });', errors: [{ messageId: 'disabled', column: 57 }] },
    { code: 'import axios from "axios";\nconst NO_TIMEOUT = 0;\naxios({ url, timeout: NO_TIMEOUT });', errors: [{ messageId: 'disabled', line: 3, column: 14 }] },
    { code: 'import axios from "axios"; const api = axios.create({ timeout: undefined });', errors: [{ messageId: 'disabled' }] },
    { code: 'import axios from "axios"; axios.defaults.timeout = 0;', errors: [{ messageId: 'disabled', column: 28 }] },
    { code: 'import axios from "axios"; const api = axios.create({ timeout: 5000 }); api.defaults.timeout = 0;', errors: [{ messageId: 'disabled', column: 73 }] },
    {
      code: 'import { Agent as UndiciAgent } from "undici"; new UndiciAgent({ headersTimeout: 0, bodyTimeout: 0, connect: { timeout: null } });',
      errors: [{ messageId: 'disabled', column: 66 }, { messageId: 'disabled', column: 85 }, { messageId: 'disabled', column: 112 }],
    },
    { code: 'import { request } from "undici"; request(url, { bodyTimeout: 0 });', errors: [{ messageId: 'disabled' }] },
    { code: 'import { Pool } from "undici"; new Pool(origin, { connectTimeout: false });', errors: [{ messageId: 'disabled' }] },
    { code: 'import got from "got"; got(url, { timeout: { request: 0 } });', errors: [{ messageId: 'disabled', column: 46 }] },
    { code: 'import got from "got"; got.extend({ timeout: { socket: Infinity } });', errors: [{ messageId: 'disabled' }] },
    { code: 'import ky from "ky"; ky.get(url, { timeout: false });', errors: [{ messageId: 'disabled' }] },
    { code: 'import http from "node:http"; http.get(url, { timeout: 0 });', errors: [{ messageId: 'disabled' }] },
    {
      code: 'import http from "http"; const req = http.request(url, { method: "GET" }); req.setTimeout(0);',
      errors: [{ messageId: 'disabled', column: 76 }],
    },
    { code: 'import { HttpClient } from "@actions/http-client"; new HttpClient("ua", [], { socketTimeout: 0 });', errors: [{ messageId: 'disabled' }] },
    { code: 'import superagent from "superagent"; await superagent.get(url).timeout(0);', errors: [{ messageId: 'disabled' }] },
    { code: 'fetch(url, { signal: AbortSignal.timeout(Infinity) });', errors: [{ messageId: 'neverFiringSignal', column: 22 }] },
    // A const options object declared earlier is followed to the offending property.
    { code: 'import axios from "axios";\nconst options = { timeout: 0 };\naxios.get(url, options);', errors: [{ messageId: 'disabled', line: 2 }] },
    // maxMs.
    {
      code: 'import axios from "axios"; axios.get(url, { timeout: 600_000 });',
      options: [{ maxMs: 60_000 }],
      errors: [{ messageId: 'aboveMax', data: { option: 'timeout: 600_000', value: '600000', maxMs: '60000' } }],
    },
    { code: 'fetch(url, { signal: AbortSignal.timeout(3_600_000) });', options: [{ maxMs: 60_000 }], errors: [{ messageId: 'aboveMax' }] },
    // TS-only syntax and optional chaining.
    { code: 'import axios from "axios"; axios?.get(url, { timeout: 0 as number } satisfies object);', errors: [{ messageId: 'disabled' }] },
    // TODO(false negative): a timeout computed at run time from configuration cannot be known.
    // { code: 'import axios from "axios"; axios.get(url, { timeout: Number(process.env.TIMEOUT) });', errors: [{ messageId: 'disabled' }] },
  ],
});

ruleTesterWithGlobals.run('no-disabled-timeout with declared globals', rule, {
  valid: ['fetch(url, { signal: AbortSignal.timeout(1000) });'],
  invalid: [{ code: 'fetch(url, { signal: AbortSignal.timeout(Infinity) });', errors: [{ messageId: 'neverFiringSignal' }] }],
});
