// The client families added as knowledge entries (issue 15): follow-redirects, ofetch/$fetch, make-fetch-happen,
// needle, wretch and redaxios, through each rule that reports them.
import idleRule from '../../src/rules/no-idle-only-timeout.js';
import clientRule from '../../src/rules/no-unbounded-client.js';
import nodeRequestRule from '../../src/rules/no-unbounded-node-request.js';
import { DEADLINE, ruleTester, ruleTesterWithGlobals, testable } from '../rule-tester.js';

const noDeadline = (output: string, bound = DEADLINE) => ({
  messageId: 'noDeadline' as const,
  suggestions: [{ messageId: 'addDeadline' as const, data: { bound }, output }],
});

const WRETCH_LINK = '`.options({ signal: AbortSignal.timeout(ms) })`';

const CUSTOM_FETCH = 'fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(30_000) })';

ruleTester.run('no-unbounded-node-request (follow-redirects)', testable(nodeRequestRule), {
  valid: [
    'import { https } from "follow-redirects"; https.get(url, { signal: AbortSignal.timeout(5000) }, onResponse);',
    'const { http } = require("follow-redirects"); const req = http.request({ host, timeout: 5000 }); req.on("timeout", () => req.destroy());',
    'import followRedirects from "follow-redirects"; followRedirects.https.request(url, { ...options });',
    'import https from "follow-redirects/https"; https.get(url, { signal: AbortSignal.timeout(5000) });',
    // Another package's `http` export is not follow-redirects'.
    'import { http } from "msw"; http.get("/user", resolver);',
  ],
  invalid: [
    {
      code: 'import { https } from "follow-redirects"; https.get(url, (res) => res.pipe(out));',
      errors: [noDeadline(`import { https } from "follow-redirects"; https.get(url, { ${DEADLINE} }, (res) => res.pipe(out));`)],
    },
    {
      code: 'const fr = require("follow-redirects"); fr.http.request({ host, path });',
      errors: [noDeadline(`const fr = require("follow-redirects"); fr.http.request({ host, path, ${DEADLINE} });`)],
    },
    {
      code: 'import { https as secure } from "follow-redirects"; secure.request(url, { maxRedirects: 3, timeout: 5000 }).end();',
      errors: [{ messageId: 'timeoutWithoutHandler', suggestions: [{ messageId: 'addDeadline', output: `import { https as secure } from "follow-redirects"; secure.request(url, { maxRedirects: 3, timeout: 5000, ${DEADLINE} }).end();` }] }],
    },
    {
      code: 'const http = require("follow-redirects/http"); http.get(url, onResponse);',
      errors: [noDeadline(`const http = require("follow-redirects/http"); http.get(url, { ${DEADLINE} }, onResponse);`)],
    },
    {
      code: 'import { https } from "follow-redirects"; https?.get(url);',
      errors: [noDeadline(`import { https } from "follow-redirects"; https?.get(url, { ${DEADLINE} });`)],
    },
  ],
});

ruleTester.run('no-unbounded-client (new families)', testable(clientRule), {
  valid: [
    // ofetch: `timeout` bounds the wait for the headers (a phase timer: only strict wants more), a signal everything.
    'import { ofetch } from "ofetch"; await ofetch(url, { timeout: 5000 });',
    'import { $fetch } from "ofetch"; await $fetch(url, { signal: AbortSignal.timeout(5000) });',
    'import { $fetch } from "ofetch"; await $fetch.raw(url, { timeout: 5000 });',
    'import { ofetch } from "ofetch"; const api = ofetch.create({ baseURL, timeout: 10_000 }); await api("/users");',
    'import { ofetch } from "ofetch"; await ofetch(url, options);',
    // Nuxt auto-imports `$fetch`: a global.
    'await $fetch("/api/items", { timeout: 5000 });',
    // A local `$fetch` is not ofetch's.
    'const $fetch = (url: string) => cache.get(url); await $fetch("/a");',
    // make-fetch-happen: `timeout` is a deadline (request, then body read).
    'import fetch from "make-fetch-happen"; await fetch(url, { timeout: 10_000 });',
    'const fetch = require("make-fetch-happen").defaults({ cachePath, timeout: 30_000 }); await fetch(url);',
    'import makeFetch from "make-fetch-happen"; const cached = makeFetch.defaults(registry, { timeout: 5000 }); await cached("/pkg");',
    // needle: phase timers count in recommended, a signal bounds the whole request.
    'import needle from "needle"; needle.get(url, { response_timeout: 5000 }, done);',
    'const needle = require("needle"); await needle("post", url, data, { signal: AbortSignal.timeout(5000) });',
    'import needle from "needle"; needle.post(url, data, { open_timeout: 1000, read_timeout: 5000 }, done);',
    // wretch: a signal in its options, or the abort addon's `.setTimeout()` on the resolver.
    'import wretch from "wretch"; await wretch(url, { signal: AbortSignal.timeout(5000) }).get().json();',
    'import wretch from "wretch"; await wretch(url).options({ signal: AbortSignal.timeout(5000) }).get().json();',
    'import wretch from "wretch"; import AbortAddon from "wretch/addons/abort"; await wretch(url).addon(AbortAddon()).get().setTimeout(5000).json();',
    'import wretch from "wretch"; const api = wretch(base).auth(token).options({ signal }); await api.url("/a").get().json();',
    // `.signal(controller)` may carry a deadline: not readable without following the controller.
    'import wretch from "wretch"; await wretch(url).addon(AbortAddon()).signal(controller).get().json();',
    // A base instance that makes no call here is configuration.
    'import wretch from "wretch"; export const api = wretch(base).headers({ accept: "application/json" });',
    // redaxios: only a custom fetch can carry a signal.
    'import redaxios from "redaxios"; await redaxios.get(url, { fetch: timedFetch });',
    'import axios from "redaxios"; const api = axios.create({ baseURL, fetch: timedFetch }); await api.get("/a");',
    { code: 'import needle from "needle"; needle.get(url, done);', options: [{ clients: { needle: false } }] },
  ],
  invalid: [
    {
      code: 'import { ofetch } from "ofetch"; await ofetch(url);',
      errors: [noDeadline(`import { ofetch } from "ofetch"; await ofetch(url, { ${DEADLINE} });`)],
    },
    {
      code: 'import { $fetch as get } from "ofetch"; await get.raw(url, { method: "POST" });',
      errors: [noDeadline(`import { $fetch as get } from "ofetch"; await get.raw(url, { method: "POST", ${DEADLINE} });`)],
    },
    {
      code: 'await $fetch("/api/items", { query });',
      errors: [noDeadline(`await $fetch("/api/items", { query, ${DEADLINE} });`)],
    },
    {
      // `timeout: 0` sets no timer.
      code: 'const { ofetch } = require("ofetch"); await ofetch(url, { timeout: 0 });',
      errors: [{ messageId: 'disabledTimer', suggestions: [{ messageId: 'addDeadline', output: `const { ofetch } = require("ofetch"); await ofetch(url, { timeout: 0, ${DEADLINE} });` }] }],
    },
    {
      // ofetch's `timeout` at creation would end at the headers: each call needs its own signal.
      code: 'import { ofetch } from "ofetch"; const api = ofetch.create({ baseURL });',
      errors: [{ messageId: 'unboundedInstancePerCall', suggestions: [] }],
    },
    {
      code: 'import fetch from "make-fetch-happen"; await fetch(url, { cachePath });',
      // `timeout` is make-fetch-happen's total deadline, and @types/make-fetch-happen has no `signal` option.
      errors: [noDeadline('import fetch from "make-fetch-happen"; await fetch(url, { cachePath, timeout: 30_000 });', 'timeout: 30_000')],
    },
    {
      code: 'const fetch = require("make-fetch-happen").defaults({ cachePath });',
      errors: [{ messageId: 'unboundedInstance', suggestions: [{ messageId: 'addDeadline', output: 'const fetch = require("make-fetch-happen").defaults({ cachePath, timeout: 30_000 });' }] }],
    },
    {
      code: 'import needle from "needle"; needle.get(url, done);',
      errors: [noDeadline(`import needle from "needle"; needle.get(url, { ${DEADLINE} }, done);`)],
    },
    {
      code: 'const needle = require("needle"); await needle("get", url);',
      errors: [noDeadline(`const needle = require("needle"); await needle("get", url, null, { ${DEADLINE} });`)],
    },
    {
      code: 'import needle from "needle"; needle.post(url, data, { response_timeout: 0 }, done);',
      errors: [{ messageId: 'disabledTimer', suggestions: [{ messageId: 'addDeadline', output: `import needle from "needle"; needle.post(url, data, { response_timeout: 0, ${DEADLINE} }, done);` }] }],
    },
    // The request inherits everything from the instance, so it is reported where the instance is built. Its request
    // methods take no options, so the message names the link `bounded-http fix` writes before them, not "pass a signal to each call".
    {
      code: 'import wretch from "wretch"; await wretch(url).get().json();',
      errors: [{ messageId: 'unboundedInstancePerRequest', data: { callee: 'wretch', calls: 'the call made on it here has', hint: WRETCH_LINK }, suggestions: [] }],
    },
    {
      code: 'import wretch from "wretch"; const api = wretch(base).auth(token); await api.url("/users").post(user).json();',
      errors: [{ messageId: 'unboundedInstancePerRequest', data: { callee: 'api.url', calls: 'the call made on it here has', hint: WRETCH_LINK }, suggestions: [] }],
    },
    {
      code: 'const wretch = require("wretch"); wretch(url, { headers }).url("/a").headers(h).get().text();',
      errors: [{ messageId: 'unboundedInstancePerRequest', data: { callee: 'wretch(url,{headers}).url("/a").headers', calls: 'the call made on it here has', hint: WRETCH_LINK }, suggestions: [] }],
    },
    {
      code: 'import redaxios from "redaxios"; await redaxios.get(url, { timeout: 5000 });',
      errors: [noDeadline(`import redaxios from "redaxios"; await redaxios.get(url, { timeout: 5000, ${CUSTOM_FETCH} });`, CUSTOM_FETCH)],
    },
    {
      // redaxios drops `signal` too.
      code: 'import axios from "redaxios"; await axios.post(url, body, { signal: AbortSignal.timeout(5000) });',
      errors: [noDeadline(`import axios from "redaxios"; await axios.post(url, body, { signal: AbortSignal.timeout(5000), ${CUSTOM_FETCH} });`, CUSTOM_FETCH)],
    },
    {
      code: 'import redaxios from "redaxios"; export const api = redaxios.create({ baseURL });',
      errors: [{ messageId: 'unboundedInstance', suggestions: [{ messageId: 'addDeadline', output: `import redaxios from "redaxios"; export const api = redaxios.create({ baseURL, ${CUSTOM_FETCH} });` }] }],
    },
  ],
});

// Declared globals: `$fetch` is Nuxt's auto-import, shadowed by nothing.
ruleTesterWithGlobals.run('no-unbounded-client (ofetch global)', testable(clientRule), {
  valid: ['globalThis.$fetch("/a", { timeout: 5000 });', 'await $fetch.native("/a", { signal: AbortSignal.timeout(5000) });'],
  invalid: [{ code: 'await globalThis.$fetch("/a");', errors: [noDeadline(`await globalThis.$fetch("/a", { ${DEADLINE} });`)] }],
});

ruleTester.run('no-idle-only-timeout (new families)', testable(idleRule), {
  valid: [
    'import { ofetch } from "ofetch"; await ofetch(url, { timeout: 5000, signal: AbortSignal.timeout(30_000) });',
    'import fetch from "make-fetch-happen"; await fetch(url, { timeout: 10_000 });',
    'import needle from "needle"; needle.get(url, { read_timeout: 5000, signal: AbortSignal.timeout(30_000) }, done);',
  ],
  invalid: [
    {
      code: 'import { ofetch } from "ofetch"; await ofetch(url, { timeout: 5000 });',
      errors: [{ messageId: 'idleOnly', suggestions: [{ messageId: 'addDeadline', output: `import { ofetch } from "ofetch"; await ofetch(url, { timeout: 5000, ${DEADLINE} });` }] }],
    },
    {
      code: 'import needle from "needle"; needle.get(url, { open_timeout: 1000, response_timeout: 5000 }, done);',
      errors: [{ messageId: 'idleOnly', suggestions: [{ messageId: 'addDeadline', output: `import needle from "needle"; needle.get(url, { open_timeout: 1000, response_timeout: 5000, ${DEADLINE} }, done);` }] }],
    },
  ],
});
// TODO(false negative): `needle.defaults({ response_timeout })` sets process-wide needle defaults; calls are read without them.
// TODO(false negative): wretch's `.resolve((r) => r.setTimeout(ms))` on a base instance bounds later calls; not followed.
// TODO(false negative): `needle(url, data, options)` (URL first) reads its options at the method-first position.
