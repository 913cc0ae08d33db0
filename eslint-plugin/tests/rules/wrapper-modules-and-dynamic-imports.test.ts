// Without type information (issue 15 item 2, syntax part): the project's own wrapper modules and dynamic imports.
import clientRule from '../../src/rules/no-unbounded-client.js';
import fetchRule from '../../src/rules/no-unbounded-fetch.js';
import nodeRequestRule from '../../src/rules/no-unbounded-node-request.js';
import { DEADLINE, ruleTester, testable } from '../rule-tester.js';

const noDeadline = (output: string) => ({ messageId: 'noDeadline' as const, suggestions: [{ messageId: 'addDeadline' as const, data: { bound: DEADLINE }, output }] });

ruleTester.run('no-unbounded-fetch (wrapper modules, dynamic imports)', testable(fetchRule), {
  valid: [
    "import { fetch } from './http'; await fetch(url, { signal: AbortSignal.timeout(5000) });",
    "import { fetch } from '@/shared/net'; await fetch(url, init);",
    // A package's `fetch` is that package's business: only the project's own modules are read as wrappers.
    "import { fetch } from '@org/net'; await fetch(url);",
    "import { fetch } from 'some-sdk'; await fetch(url);",
    // Another name from the wrapper, or a default import, is not assumed to be fetch.
    "import { request, fetchJson } from './http'; await fetchJson(url); await request(url);",
    "import fetch from './fetch'; await fetch(url);",
    // Type-only imports load nothing.
    "import type { fetch } from './http'; declare const f: typeof fetch;",
    "const { fetch } = await import('undici'); await fetch(url, { signal: AbortSignal.timeout(5000) });",
  ],
  invalid: [
    { code: "import { fetch } from './http'; await fetch(url);", errors: [noDeadline(`import { fetch } from './http'; await fetch(url, { ${DEADLINE} });`)] },
    { code: "import { fetch } from '../lib/http.js'; await fetch(url, { method: 'POST' });", errors: [noDeadline(`import { fetch } from '../lib/http.js'; await fetch(url, { method: 'POST', ${DEADLINE} });`)] },
    { code: "import { fetch as apiFetch } from '@/shared/net'; await apiFetch(`/api/${id}`);", errors: [noDeadline(`import { fetch as apiFetch } from '@/shared/net'; await apiFetch(\`/api/\${id}\`, { ${DEADLINE} });`)] },
    { code: "import { fetch } from '~/utils/fetch'; export const load = () => fetch?.('/a');", errors: [noDeadline(`import { fetch } from '~/utils/fetch'; export const load = () => fetch?.('/a', { ${DEADLINE} });`)] },
    { code: "import { fetch } from '#net'; await fetch(url, { headers });", errors: [noDeadline(`import { fetch } from '#net'; await fetch(url, { headers, ${DEADLINE} });`)] },
    { code: "const { fetch } = require('./net'); fetch(url);", errors: [noDeadline(`const { fetch } = require('./net'); fetch(url, { ${DEADLINE} });`)] },
    { code: "import { fetch } from '$lib/api'; await fetch(url, { timeout: 5000 } as RequestInit);", errors: [{ messageId: 'ignoredTimeout', suggestions: [{ messageId: 'replaceIgnoredTimeout', output: "import { fetch } from '$lib/api'; await fetch(url, { signal: AbortSignal.timeout(5000) } as RequestInit);" }] }] },
    // Dynamic imports of undici's fetch.
    { code: "const { fetch } = await import('undici'); await fetch(url);", errors: [noDeadline(`const { fetch } = await import('undici'); await fetch(url, { ${DEADLINE} });`)] },
    { code: "import('undici').then(({ fetch: undiciFetch }) => undiciFetch(url));", errors: [noDeadline(`import('undici').then(({ fetch: undiciFetch }) => undiciFetch(url, { ${DEADLINE} }));`)] },
  ],
});

ruleTester.run('no-unbounded-node-request (wrapper modules, dynamic imports)', testable(nodeRequestRule), {
  valid: [
    // The project's own `request`/`get` used like a promise: a wrapper that may bound its calls.
    "import { request } from './http'; const body = await request(url);",
    "import { get } from '@/lib/https'; get(url).then(render);",
    // Used like node's ClientRequest, but bounded.
    "import { get } from './http'; get(url, { signal: AbortSignal.timeout(5000) }, (res) => res.resume());",
    // Not an http module of the project's own.
    "import { request } from './api'; request(options, (res) => res.resume());",
    "const http = await import('node:http'); http.get(url, { signal: AbortSignal.timeout(5000) });",
    "const { default: https } = await import('https'); https.request({ ...options }, onResponse);",
  ],
  invalid: [
    {
      code: "import { request } from './http'; const req = request({ host, path }); req.end();",
      errors: [noDeadline(`import { request } from './http'; const req = request({ host, path, ${DEADLINE} }); req.end();`)],
    },
    { code: "import { get } from '@/lib/https'; get(url, (res) => res.pipe(out));", errors: [noDeadline(`import { get } from '@/lib/https'; get(url, { ${DEADLINE} }, (res) => res.pipe(out));`)] },
    { code: "const { request } = require('../http.js'); request({ host, path }).on('response', handle).end();", errors: [noDeadline(`const { request } = require('../http.js'); request({ host, path, ${DEADLINE} }).on('response', handle).end();`)] },
    // Dynamic imports of node:http(s).
    { code: "const http = await import('node:http'); http.get(url, onResponse);", errors: [noDeadline(`const http = await import('node:http'); http.get(url, { ${DEADLINE} }, onResponse);`)] },
    { code: "const { request } = await import('https'); request(url).end();", errors: [noDeadline(`const { request } = await import('https'); request(url, { ${DEADLINE} }).end();`)] },
    { code: "(await import('node:https')).get(url);", errors: [noDeadline(`(await import('node:https')).get(url, { ${DEADLINE} });`)] },
    { code: "import('node:http').then((http) => http.request(url).end());", errors: [noDeadline(`import('node:http').then((http) => http.request(url, { ${DEADLINE} }).end());`)] },
    { code: "import('node:http').then(function ({ get }) { get(url); });", errors: [noDeadline(`import('node:http').then(function ({ get }) { get(url, { ${DEADLINE} }); });`)] },
  ],
});

ruleTester.run('no-unbounded-client (dynamic imports)', testable(clientRule), {
  valid: [
    "const { request } = await import('undici'); await request(url, { signal: AbortSignal.timeout(5000) });",
    "const { default: axios } = await import('axios'); await axios.get(url, { timeout: 5000 });",
    // A specifier computed at run time is not followed.
    'const { request } = await import(moduleName); await request(url);',
  ],
  invalid: [
    { code: "const { request } = await import('undici'); await request(url);", errors: [noDeadline(`const { request } = await import('undici'); await request(url, { ${DEADLINE} });`)] },
    { code: "import('undici').then(({ request }) => request(url));", errors: [noDeadline(`import('undici').then(({ request }) => request(url, { ${DEADLINE} }));`)] },
    { code: "const axios = (await import('axios')).default; await axios.get(url);", errors: [noDeadline(`const axios = (await import('axios')).default; await axios.get(url, { ${DEADLINE} });`)] },
    { code: "const got = (await import('got')).default; const client = got.extend({ prefixUrl });", errors: [{ messageId: 'unboundedInstance', suggestions: [{ messageId: 'addDeadline', output: "const got = (await import('got')).default; const client = got.extend({ prefixUrl, timeout: { request: 30_000 } });" }] }] },
  ],
});
// TODO(false negative): `import { request } from './http'` used as a promise is left alone even when './http' re-exports node:http's (needs types).
// TODO(false negative): `const mod = import('undici'); (await mod).request(url)` — the import's promise stored first — is not followed.
