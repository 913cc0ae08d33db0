import unwrappedRule from '../../src/rules/no-unbounded-fetch.js';
import { DEADLINE, ruleTester, ruleTesterWithGlobals, testable } from '../rule-tester.js';

const rule = testable(unwrappedRule);

/** One `noDeadline` error whose only suggestion turns `code` into `output`. */
function noDeadline(output: string) {
  return { messageId: 'noDeadline' as const, suggestions: [{ messageId: 'addDeadline' as const, data: { bound: DEADLINE }, output }] };
}

const valid = [
  'fetch(url, { signal: AbortSignal.timeout(5000) });',
  'globalThis.fetch(url, { signal: controller.signal });',
  'window.fetch(url, { method: "POST", signal });',
  // A deadline added a few lines earlier.
  `const options = { method: 'GET', signal: AbortSignal.timeout(1000) };
   await fetch(url, options);`,
  `const base = { signal: AbortSignal.timeout(1000) };
   await fetch(url, { ...base, method: 'PUT' });`,
  // Opaque options: a parameter or a call result may carry the signal.
  'async function get(url: string, init: RequestInit) { return fetch(url, init); }',
  'fetch(url, { ...init, method: "POST" });',
  'fetch(url, buildInit());',
  // A plain reference that is not a call.
  'const f = fetch; export { f };',
  'const hasFetch = typeof fetch === "function";',
  // Not the global: shadowed, a method of something else, an unknown module.
  'function fetch(u: string) { return u; } fetch("x");',
  'api.fetch(url);',
  // The project's own `fetch` export is read as fetch (tests/rules/wrapper-modules-and-dynamic-imports.test.ts);
  // another package's is not.
  'import { fetch } from "my-fetch"; fetch(url);',
  // Wrappers that pass a caller's signal through.
  'export async function getJson(url: string, signal?: AbortSignal) { return (await fetch(url, { signal })).json(); }',
  'export const get = (url: string, { signal }: { signal?: AbortSignal } = {}) => fetch(url, { signal });',
  // A controller aborted by a timer in the same function.
  `async function load(url: string) {
     const controller = new AbortController();
     const timer = setTimeout(() => controller.abort(), 5000);
     try { return await (await fetch(url, { signal: controller.signal })).text(); } finally { clearTimeout(timer); }
   }`,
  // The request object carries the signal.
  'fetch(new Request(url, { signal: AbortSignal.timeout(1000) }));',
  'const request = new Request(url, { signal: AbortSignal.timeout(1000) }); fetch(request);',
  'export function send(request: Request) { return fetch(request); }',
  // The caller stops waiting on a timer (recommended only: the request itself runs on).
  'const body = await Promise.race([fetch(url).then((r) => r.json()), rejectAfter(5000)]);',
  'import pTimeout from "p-timeout"; await pTimeout(fetch(url), { milliseconds: 5000 });',
  'await withTimeout(fetch(url), 5000);',
  // node-fetch v2 honours `timeout`.
  'import nodeFetch from "node-fetch"; nodeFetch(url, { timeout: 5000 });',
  // A spread argument list may carry the init (or shift it): opaque, like a parameter.
  'fetch(...args);',
  'fetch(url, ...rest);',
  // Optional chaining and TS-only syntax.
  'fetch?.(url, { signal: AbortSignal.timeout(1000) });',
  '(fetch as typeof globalThis.fetch)(url, { signal: AbortSignal.timeout(1000) } satisfies RequestInit);',
  { code: 'const C = () => <button onClick={() => fetch(url, { signal: AbortSignal.timeout(1000) })} />;', filename: 'component.tsx' },
];

ruleTester.run('no-unbounded-fetch', rule, {
  valid,
  invalid: [
    { code: 'fetch(url);', errors: [noDeadline(`fetch(url, { ${DEADLINE} });`)] },
    { code: 'await fetch(url, { method: "POST" });', errors: [noDeadline(`await fetch(url, { method: "POST", ${DEADLINE} });`)] },
    { code: 'fetch(url, {});', errors: [noDeadline(`fetch(url, { ${DEADLINE} });`)] },
    { code: 'globalThis.fetch(url);', errors: [noDeadline(`globalThis.fetch(url, { ${DEADLINE} });`)] },
    { code: 'window.fetch(url);', errors: [noDeadline(`window.fetch(url, { ${DEADLINE} });`)] },
    { code: 'self.fetch(url);', errors: [noDeadline(`self.fetch(url, { ${DEADLINE} });`)] },
    { code: 'const { fetch: f } = globalThis; f(url);', errors: [noDeadline(`const { fetch: f } = globalThis; f(url, { ${DEADLINE} });`)] },
    // Aliases.
    { code: 'const get = fetch; get(url);', errors: [noDeadline(`const get = fetch; get(url, { ${DEADLINE} });`)] },
    // ESM named (renamed), default and namespace imports, and require with destructuring.
    {
      code: 'import { fetch as undiciFetch } from "undici"; await undiciFetch(url);',
      errors: [noDeadline(`import { fetch as undiciFetch } from "undici"; await undiciFetch(url, { ${DEADLINE} });`)],
    },
    { code: 'import * as undici from "undici"; undici.fetch(url);', errors: [noDeadline(`import * as undici from "undici"; undici.fetch(url, { ${DEADLINE} });`)] },
    { code: 'import nodeFetch from "node-fetch"; nodeFetch(url);', errors: [noDeadline(`import nodeFetch from "node-fetch"; nodeFetch(url, { ${DEADLINE} });`)] },
    { code: 'const { fetch: f } = require("undici"); f(url);', errors: [noDeadline(`const { fetch: f } = require("undici"); f(url, { ${DEADLINE} });`)] },
    { code: 'const fetch = require("node-fetch"); fetch(url);', errors: [noDeadline(`const fetch = require("node-fetch"); fetch(url, { ${DEADLINE} });`)] },
    { code: 'const f = require("node-fetch").default; f(url);', errors: [noDeadline(`const f = require("node-fetch").default; f(url, { ${DEADLINE} });`)] },
    { code: 'import crossFetch from "cross-fetch"; crossFetch(url);', errors: [noDeadline(`import crossFetch from "cross-fetch"; crossFetch(url, { ${DEADLINE} });`)] },
    { code: 'import fetch from "isomorphic-fetch"; fetch(url);', errors: [noDeadline(`import fetch from "isomorphic-fetch"; fetch(url, { ${DEADLINE} });`)] },
    // Optional chaining, TS wrappers, .jsx/.tsx.
    { code: 'fetch?.(url);', errors: [noDeadline(`fetch?.(url, { ${DEADLINE} });`)] },
    { code: '(fetch as typeof globalThis.fetch)(url);', errors: [noDeadline(`(fetch as typeof globalThis.fetch)(url, { ${DEADLINE} });`)] },
    { code: 'globalThis.fetch!(url);', errors: [noDeadline(`globalThis.fetch!(url, { ${DEADLINE} });`)] },
    {
      code: 'const C = () => <button onClick={() => fetch(url)} />;',
      filename: 'component.tsx',
      errors: [noDeadline(`const C = () => <button onClick={() => fetch(url, { ${DEADLINE} })} />;`)],
    },
    {
      code: 'const C = () => <button onClick={() => fetch(url)} />;',
      filename: 'component.jsx',
      errors: [noDeadline(`const C = () => <button onClick={() => fetch(url, { ${DEADLINE} })} />;`)],
    },
    // A const options object without a signal is followed.
    {
      code: 'const init = { method: "GET" };\nfetch(url, init);',
      errors: [noDeadline(`const init = { method: "GET" };\nfetch(url, { ...init, ${DEADLINE} });`)],
    },
    // Multi-line call.
    {
      code: 'await fetch(\n  url,\n  {\n    headers,\n  },\n);',
      errors: [noDeadline(`await fetch(\n  url,\n  {\n    headers, ${DEADLINE},\n  },\n);`)],
    },
    // A Request without a signal.
    { code: 'fetch(new Request(url));', errors: [noDeadline(`fetch(new Request(url), { ${DEADLINE} });`)] },
    // `timeout` is ignored by standard fetch.
    {
      code: 'fetch(url, { timeout: 5000 });',
      errors: [
        {
          messageId: 'ignoredTimeout',
          suggestions: [{ messageId: 'replaceIgnoredTimeout', data: { value: '5000' }, output: 'fetch(url, { signal: AbortSignal.timeout(5000) });' }],
        },
      ],
    },
    // A value that would switch a timer off becomes the default deadline, never a signal that cannot fire.
    {
      code: 'fetch(url, { timeout: Number.POSITIVE_INFINITY });',
      errors: [
        {
          messageId: 'ignoredTimeout',
          suggestions: [{ messageId: 'replaceIgnoredTimeout', data: { value: '30_000' }, output: 'fetch(url, { signal: AbortSignal.timeout(30_000) });' }],
        },
      ],
    },
    // A spread argument list: where the init goes is not known, so there is no suggestion.
    { code: 'fetch(...args);', options: [{ opaqueOptions: 'report' }], errors: [{ messageId: 'noDeadline', suggestions: [] }] },
    // A signal that is no signal.
    {
      code: 'fetch(url, { signal: undefined });',
      errors: [{ messageId: 'nullishSignal', suggestions: [{ messageId: 'addDeadline', data: { bound: DEADLINE }, output: `fetch(url, { ${DEADLINE} });` }] }],
    },
    {
      code: 'const NO_SIGNAL = null;\nfetch(url, { signal: NO_SIGNAL });',
      errors: [{ messageId: 'nullishSignal', suggestions: [{ messageId: 'addDeadline', output: `const NO_SIGNAL = null;\nfetch(url, { ${DEADLINE} });` }] }],
    },
    // node-fetch v2 with its timeout (a total deadline) switched off: a finite value restores it.
    {
      code: 'import nodeFetch from "node-fetch"; nodeFetch(url, { timeout: 0 });',
      errors: [{ messageId: 'disabledTimer', suggestions: [{ messageId: 'addDeadline', data: { bound: 'timeout: 30_000' }, output: 'import nodeFetch from "node-fetch"; nodeFetch(url, { timeout: 30_000 });' }] }],
    },
    // The same value through a shared constant is changed where it is declared; the call gets a signal.
    {
      code: 'import nodeFetch from "node-fetch";\nconst NO_TIMEOUT = 0;\nnodeFetch(url, { timeout: NO_TIMEOUT });',
      errors: [{ messageId: 'disabledTimer', suggestions: [{ messageId: 'addDeadline', output: `import nodeFetch from "node-fetch";\nconst NO_TIMEOUT = 0;\nnodeFetch(url, { timeout: NO_TIMEOUT, ${DEADLINE} });` }] }],
    },
    // A race needs something to race against, and strict wants the request itself bounded.
    { code: 'await Promise.race([fetch(url)]);', errors: [noDeadline(`await Promise.race([fetch(url, { ${DEADLINE} })]);`)] },
    { code: 'await log(fetch(url), "loading");', errors: [noDeadline(`await log(fetch(url, { ${DEADLINE} }), "loading");`)] },
    { code: 'await withTimeout(fetch(url), 5000);', options: [{ requireDeadlineSignal: true }], errors: [noDeadline(`await withTimeout(fetch(url, { ${DEADLINE} }), 5000);`)] },
    // Opaque options are reported on request.
    { code: 'fetch(url, init);', options: [{ opaqueOptions: 'report' }], errors: [noDeadline(`fetch(url, { ...init, ${DEADLINE} });`)] },
    // TODO(false negative): fetch reached through Function.prototype.call/apply is not followed.
    // { code: 'fetch.call(globalThis, url);', errors: [{ messageId: 'noDeadline' }] },
    // TODO(false negative): dynamic import of a fetch module is not followed.
    // { code: 'const { default: f } = await import("node-fetch"); f(url);', errors: [{ messageId: 'noDeadline' }] },
  ],
});

ruleTesterWithGlobals.run('no-unbounded-fetch with declared globals', rule, {
  valid: [
    'fetch(url, { signal: AbortSignal.timeout(5000) });',
    'const f = fetch;',
    'function fetch(u: string) { return u; } fetch("x");',
  ],
  invalid: [
    { code: 'fetch(url);', errors: [noDeadline(`fetch(url, { ${DEADLINE} });`)] },
    { code: 'const f = fetch; f(url);', errors: [noDeadline(`const f = fetch; f(url, { ${DEADLINE} });`)] },
    { code: 'globalThis.fetch(url);', errors: [noDeadline(`globalThis.fetch(url, { ${DEADLINE} });`)] },
  ],
});

const strict = [{ requireDeadlineSignal: true }] as const;

ruleTester.run('no-unbounded-fetch with requireDeadlineSignal', rule, {
  valid: [
    { code: 'fetch(url, { signal: AbortSignal.timeout(5000) });', options: strict },
    { code: 'fetch(url, { signal: AbortSignal.any([userSignal, AbortSignal.timeout(5000)]) });', options: strict },
    { code: 'export function get(url: string, signal: AbortSignal) { return fetch(url, { signal }); }', options: strict },
    { code: 'export function get(url: string, options: { signal: AbortSignal }) { return fetch(url, { signal: options.signal }); }', options: strict },
    { code: 'fetch(url, { signal: withDeadline(5000) });', options: [{ requireDeadlineSignal: true, deadlineSignalFactories: ['withDeadline'] }] },
    {
      code: `async function load(url: string) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5000);
        try { const response = await fetch(url, { signal: controller.signal }); return await response.text(); } finally { clearTimeout(timer); }
      }`,
      options: strict,
    },
    { code: 'const signal = AbortSignal.timeout(1000);\nfetch(url, { signal });', options: strict },
  ],
  invalid: [
    {
      code: 'const controller = new AbortController();\nfetch(url, { signal: controller.signal });',
      options: [{ requireDeadlineSignal: true, targetNodeVersion: '>=24' }],
      errors: [
        {
          messageId: 'signalWithoutDeadline',
          suggestions: [
            {
              messageId: 'combineSignals',
              output: 'const controller = new AbortController();\nfetch(url, { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(30_000)]) });',
            },
          ],
        },
      ],
    },
    {
      // AbortSignal.any does not exist before Node 18.17/20.3: no suggestion.
      code: 'const controller = new AbortController();\nfetch(url, { signal: controller.signal });',
      options: [{ requireDeadlineSignal: true, targetNodeVersion: '>=18.0.0' }],
      errors: [{ messageId: 'signalWithoutDeadline', suggestions: [] }],
    },
    {
      // It exists on Node 20, but a garbage collection loses the AbortSignal.timeout inside it (nodejs/node#57736):
      // a suggestion would write a deadline that may never fire.
      code: 'const controller = new AbortController();\nfetch(url, { signal: controller.signal });',
      options: [{ requireDeadlineSignal: true, targetNodeVersion: '>=20.19' }],
      errors: [{ messageId: 'signalWithoutDeadline', suggestions: [] }],
    },
    {
      // A timer cleared as soon as the headers arrive leaves the body read unbounded.
      code: `async function load(url: string) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5000);
        const response = await fetch(url, { signal: controller.signal });
        clearTimeout(timer);
        return response.text();
      }`,
      options: [{ requireDeadlineSignal: true, targetNodeVersion: '>=16' }],
      errors: [{ messageId: 'deadlineClearedEarly', suggestions: [] }],
    },
  ],
});

/** Strict on a target where AbortSignal.any is not offered (`>=16`), so errors carry no suggestion. */
const old = [{ requireDeadlineSignal: true, targetNodeVersion: '>=16' }] as const;
/** Strict on a target where AbortSignal.any keeps its deadline (`>=24`). */
const modern = [{ requireDeadlineSignal: true, targetNodeVersion: '>=24' }] as const;

// Signals that end on cancellation, never on a timer: a TanStack Query `queryFn`'s signal, a controller aborted
// only from an effect cleanup, a teardown hook or an event handler.
const cancelOnlyCode = {
  queryFnArrow: 'useQuery({ queryKey: ["todos"], queryFn: ({ signal }) => fetch("/api/todos", { signal }) });',
  queryFnContext: 'useQuery({ queryKey: ["todos"], queryFn: async (context) => (await fetch("/api/todos", { signal: context.signal })).json() });',
  queryFnMethod: 'const todos = queryOptions({ queryKey: ["todos"], async queryFn({ signal: querySignal }) { return (await fetch(url, { signal: querySignal })).json(); } });',
  queryFnShorthand: `const queryFn = async ({ signal }: { signal: AbortSignal }) => { const response = await fetch(url, { signal }); return response.json(); };
useInfiniteQuery({ queryKey: ['todos'], queryFn, initialPageParam: 0, getNextPageParam: () => null });`,
  queryFnDeclared: `async function fetchTodos(ctx: QueryFunctionContext) { const { signal } = ctx; return (await fetch(url, { signal })).json(); }`,
  queryFnPositional: 'useQuery(["todos"], ({ signal }) => fetch(url, { signal }).then((r) => r.json()));',
  queryFnOptional: 'useSuspenseQuery({ queryKey, queryFn: (ctx) => fetch(url, { signal: ctx?.signal } as RequestInit) });',
  effectCleanup: `function Todos() {
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/todos', { signal: controller.signal }).then((r) => r.json()).then(setTodos);
    return () => controller.abort();
  }, []);
  return null;
}`,
  effectCleanupBlock: `useLayoutEffect(() => {
  const controller = new AbortController();
  void fetch(url, { signal: controller.signal });
  return function cleanup() { controller.abort(); };
});`,
  deferredAbortInCleanup: `React.useEffect(() => {
  const controller = new AbortController();
  fetch(url, { signal: controller.signal });
  return () => { setTimeout(() => controller.abort(), 0); };
}, [url]);`,
  unmountHook: `const controller = new AbortController();
onUnmounted(() => controller.abort());
const response = await fetch(url, { signal: controller.signal });`,
  cancelHandler: `export function Search() {
  const controller = new AbortController();
  const onCancel = () => controller.abort();
  const onSearch = async () => { await fetch(url, { signal: controller.signal }); };
  return <><button onClick={onSearch}>Search</button><button onClick={onCancel}>Cancel</button></>;
}`,
  jsxHandler: `export const Upload = () => {
  const controller = new AbortController();
  const start = () => fetch(url, { method: 'POST', body, signal: controller.signal });
  return <button onClick={() => controller.abort()} onFocus={start}>Cancel</button>;
};`,
};

ruleTester.run('no-unbounded-fetch: cancel-only signals are no deadline in strict', rule, {
  valid: [
    // recommended counts any signal: unchanged.
    ...Object.values(cancelOnlyCode).map((code) => ({ code, filename: 'component.tsx' })),
    // Combined with a timeout, the query's signal keeps its cancellation and gains a deadline.
    { code: 'useQuery({ queryKey, queryFn: ({ signal }) => fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) }) });', options: strict },
    { code: 'useQuery({ queryKey, queryFn: ({ signal }) => { const both = AbortSignal.any([signal, AbortSignal.timeout(5000)]); return fetch(url, { signal: both }); } });', options: strict },
    // A parameter of any other function is still the caller's duty; `mutationFn` gets the caller's variables.
    { code: 'useMutation({ mutationFn: ({ signal, body }: { signal: AbortSignal; body: string }) => fetch(url, { method: "POST", body, signal }) });', options: strict },
    { code: 'const load = ({ signal }: { signal: AbortSignal }) => fetch(url, { signal }); export { load };', options: strict },
    // The query function's second parameter is not its context.
    { code: 'useQuery(["todos"], (context, { signal }) => fetch(url, { signal }));', options: strict },
    // A controller that is also aborted by a timer stays a deadline.
    {
      code: `useEffect(() => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5000);
        fetch(url, { signal: controller.signal }).then((r) => r.json()).then(setData).finally(() => clearTimeout(timer));
        return () => { clearTimeout(timer); controller.abort(); };
      }, []);`,
      options: strict,
      filename: 'component.tsx',
    },
    {
      code: `function Search() {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5000);
        const onCancel = () => controller.abort();
        return <button onClick={onCancel} data-p={fetch(url, { signal: controller.signal })} />;
      }`,
      options: strict,
      filename: 'component.tsx',
    },
    // A timer that runs a named local function which aborts the controller is a timer, not a handler.
    {
      code: `async function load(url: string) {
        const controller = new AbortController();
        const onTimeout = () => controller.abort();
        const timer = setTimeout(onTimeout, 5000);
        try { return await (await fetch(url, { signal: controller.signal })).json(); } finally { clearTimeout(timer); }
      }`,
      options: strict,
    },
    {
      code: `const nodeFetch = require('node-fetch');
      async function load(url) {
        const controller = new AbortController();
        function handleTimeout() { controller.abort(); }
        setTimeout(handleTimeout, 5000);
        return nodeFetch(url, { signal: controller.signal });
      }`,
      options: strict,
    },
  ],
  invalid: [
    ...(
      [
        ['queryFnArrow', 'querySignalWithoutDeadline', '`queryFn`'],
        ['queryFnContext', 'querySignalWithoutDeadline', '`queryFn`'],
        ['queryFnMethod', 'querySignalWithoutDeadline', '`queryFn`'],
        ['queryFnShorthand', 'querySignalWithoutDeadline', '`queryFn`'],
        ['queryFnDeclared', 'querySignalWithoutDeadline', '`queryFn`'],
        ['queryFnPositional', 'querySignalWithoutDeadline', 'the query function of `useQuery`'],
        ['queryFnOptional', 'querySignalWithoutDeadline', '`queryFn`'],
        ['effectCleanup', 'cancelOnlySignal', 'the `useEffect` cleanup'],
        ['effectCleanupBlock', 'cancelOnlySignal', 'the `useLayoutEffect` cleanup'],
        ['deferredAbortInCleanup', 'cancelOnlySignal', 'the `useEffect` cleanup'],
        ['unmountHook', 'cancelOnlySignal', '`onUnmounted`'],
        ['cancelHandler', 'cancelOnlySignal', 'the `onCancel` handler'],
        ['jsxHandler', 'cancelOnlySignal', 'the `onClick` handler'],
      ] as const
    ).map(([name, messageId, via]) => ({
      code: cancelOnlyCode[name],
      filename: 'component.tsx',
      options: old,
      errors: [{ messageId, data: { via, callee: 'fetch' }, suggestions: [] }],
    })),
    {
      // Where AbortSignal.any keeps its deadline, the suggestion combines the query's signal with a timeout.
      code: 'useQuery({ queryKey, queryFn: ({ signal }) => fetch(url, { signal }) });',
      options: [{ requireDeadlineSignal: true, targetNodeVersion: '>=24' }],
      errors: [
        {
          messageId: 'querySignalWithoutDeadline',
          suggestions: [{ messageId: 'combineSignals', output: 'useQuery({ queryKey, queryFn: ({ signal }) => fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) }) });' }],
        },
      ],
    },
    {
      // `signal ?? AbortSignal.timeout(...)`: the query always passes a signal, so the timeout never applies.
      code: 'useQuery({ queryKey, queryFn: ({ signal }) => fetch(url, { signal: signal ?? AbortSignal.timeout(5000) }) });',
      options: old,
      errors: [{ messageId: 'querySignalWithoutDeadline', suggestions: [] }],
    },
    {
      // A controller aborted on a path we do not recognise as a cancellation gets the generic message.
      code: 'const controller = new AbortController();\nprocess.on("SIGTERM", () => controller.abort());\nsignal.addEventListener("abort", () => controller.abort());\nfetch(url, { signal: controller.signal });',
      options: old,
      errors: [{ messageId: 'signalWithoutDeadline', suggestions: [] }],
    },
    {
      code: 'const controller = new AbortController();\nprocess.on("SIGTERM", () => controller.abort());\nfetch(url, { signal: controller.signal });',
      options: old,
      errors: [{ messageId: 'cancelOnlySignal', data: { via: "the `'SIGTERM'` listener", callee: 'fetch' }, suggestions: [] }],
    },
    // TODO(false negative): a cancel-only signal handed to a local helper whose parameter forwards it is still
    // counted as the caller's duty, because the helper's callers are not followed.
    // { code: 'async function load(signal: AbortSignal) { return fetch(url, { signal }); }\nuseEffect(() => { const c = new AbortController(); load(c.signal); return () => c.abort(); }, []);', options: old, errors: [{ messageId: 'cancelOnlySignal' }] },
    // TODO(false negative): a query function that hands its context to a helper (`queryFn: (ctx) => getTodos(ctx)`).
  ],
});

// A deadline that ends at the headers: the timer is cleared while the response is still unread.
const headersOnlyCode = {
  wrapper: `async function fetchWithTimeout(url: string) {
  const c = new AbortController();
  const t = setTimeout(() => c.abort(), 5000);
  try { return await fetch(url, { signal: c.signal }); } finally { clearTimeout(t); }
}`,
  wrapperUnawaited: `export function fetchWithTimeout(url: string, method = 'GET') {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    return fetch(url, { method, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}`,
  wrapperBinding: `export const fetchWithTimeout = async (href: string): Promise<Response> => {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 10_000);
  try {
    const response = await globalThis.fetch(href, { signal: controller.signal });
    if (!response.ok) throw new Error(String(response.status));
    return response;
  } finally {
    clearTimeout(timeout);
  }
};`,
  bodyReadUnawaited: `async function getJson(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch(url, { signal: controller.signal });
    return response.json();
  } finally {
    clearTimeout(timer);
  }
}`,
  bodyStream: `import { fetch as undiciFetch } from 'undici';
async function stream(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try { const response = await undiciFetch(url, { signal: controller.signal }); return response.body; } finally { clearTimeout(timer); }
}`,
  promiseFinally: `function fetchWithTimeout(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  return fetch(url, { signal: controller.signal }).finally(() => clearTimeout(timer));
}`,
  clearedThenReturned: `async function get(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  const response = await fetch(url, { signal: controller.signal });
  clearTimeout(timer);
  return response;
}`,
};

ruleTester.run('no-unbounded-fetch: a deadline that ends at the headers in strict', rule, {
  valid: [
    // recommended counts any signal: unchanged.
    ...Object.values(headersOnlyCode),
    // The body is read inside the try, before the finally clears the timer.
    {
      code: `async function getJson(url: string) {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 5000);
        try { return await (await fetch(url, { signal: c.signal })).json(); } finally { clearTimeout(t); }
      }`,
      options: strict,
    },
    {
      code: `async function getText(url: string) {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 5000);
        try { const r = await fetch(url, { signal: c.signal }); return await r.text(); } finally { clearTimeout(t); }
      }`,
      options: strict,
    },
    {
      code: `async function getJson(url: string) {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 5000);
        try { return await fetch(url, { signal: c.signal }).then((r) => r.json()); } finally { clearTimeout(t); }
      }`,
      options: strict,
    },
    // The timer is cleared after the body is read, or in a `.finally()` after the link that reads it.
    {
      code: `async function getJson(url: string) {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 5000);
        const r = await fetch(url, { signal: c.signal });
        const data = await r.json();
        clearTimeout(t);
        return data;
      }`,
      options: strict,
    },
    {
      code: `const getJson = (url: string) => {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 5000);
        return fetch(url, { signal: c.signal }).then((r) => r.json()).finally(() => clearTimeout(t));
      };`,
      options: strict,
    },
    // The response goes to a helper we do not follow: it may read the body in time.
    {
      code: `async function get(url: string) {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 5000);
        try { return await parse(await fetch(url, { signal: c.signal })); } finally { clearTimeout(t); }
      }`,
      options: strict,
    },
    // AbortSignal.timeout covers the body: nothing to clear.
    { code: 'async function fetchWithTimeout(url: string) { return fetch(url, { signal: AbortSignal.timeout(5000) }); }', options: strict },
    // The timer is never cleared: it covers whatever the caller does with the body.
    {
      code: `async function fetchWithTimeout(url: string) {
        const c = new AbortController();
        setTimeout(() => c.abort(), 5000);
        return fetch(url, { signal: c.signal });
      }`,
      options: strict,
    },
  ],
  invalid: [
    ...(
      [
        ['wrapper', 'returns its response unread', 'in `finally`'],
        ['wrapperUnawaited', 'returns its response unread', 'in `finally`'],
        ['wrapperBinding', 'returns its response unread', 'in `finally`'],
        ['bodyReadUnawaited', 'returns its body read without `await`', 'in `finally`'],
        ['bodyStream', 'returns its body stream', 'in `finally`'],
        ['promiseFinally', 'returns its response unread', 'in `.finally()`'],
        ['clearedThenReturned', 'returns its response unread', 'as soon as the response arrives'],
      ] as const
    ).map(([name, how, when]) => ({
      code: headersOnlyCode[name],
      // No suggestion even where AbortSignal.any is allowed: combining signals leaves the misplaced clearTimeout.
      options: modern,
      errors: [{ messageId: 'deadlineEndsAtHeaders' as const, data: { how, when, callee: name === 'bodyStream' ? 'undiciFetch' : name === 'wrapperBinding' ? 'globalThis.fetch' : 'fetch' }, suggestions: [] }],
    })),
    {
      // Optional chaining and TS-only syntax on the way.
      code: `async function get(url: string) {
        const c = new AbortController();
        const t = setTimeout(() => c!.abort(), 5000);
        try { return (await fetch?.(url, { signal: c.signal } satisfies RequestInit)) as Response; } finally { clearTimeout(t); }
      }`,
      options: old,
      errors: [{ messageId: 'deadlineEndsAtHeaders', data: { how: 'returns its response unread', when: 'in `finally`', callee: 'fetch' } }],
    },
    {
      // Through require, with an alias.
      code: `const nodeFetch = require('node-fetch');
async function get(url) {
  const c = new AbortController();
  const t = setTimeout(() => c.abort(), 5000);
  try { return await nodeFetch(url, { signal: c.signal }); } finally { clearTimeout(t); }
}`,
      options: old,
      errors: [{ messageId: 'deadlineEndsAtHeaders', data: { how: 'returns its response unread', when: 'in `finally`', callee: 'nodeFetch' } }],
    },
    // TODO(false negative): a spread of the caller's init makes the options opaque, even with `signal` after it.
    // { code: 'export function f(url: string, init: RequestInit) { const c = new AbortController(); const t = setTimeout(() => c.abort(), 5000); try { return fetch(url, { ...init, signal: c.signal }); } finally { clearTimeout(t); } }', options: old, errors: [{ messageId: 'deadlineEndsAtHeaders' }] },
    // TODO(false negative): the response assigned to an outer `let` and read after the `try`.
    // { code: 'async function g(url) { const c = new AbortController(); const t = setTimeout(() => c.abort(), 5000); let r; try { r = await fetch(url, { signal: c.signal }); } finally { clearTimeout(t); } return r.json(); }', options: old, errors: [{ messageId: 'deadlineEndsAtHeaders' }] },
  ],
});

ruleTesterWithGlobals.run('no-unbounded-fetch: strict signals with declared globals', rule, {
  valid: [{ code: headersOnlyCode.wrapper.replace('return await fetch(url, { signal: c.signal })', 'return await (await fetch(url, { signal: c.signal })).json()'), options: strict }],
  invalid: [
    { code: headersOnlyCode.wrapper, options: old, errors: [{ messageId: 'deadlineEndsAtHeaders' }] },
    { code: cancelOnlyCode.effectCleanup, filename: 'component.tsx', options: old, errors: [{ messageId: 'cancelOnlySignal' }] },
    { code: cancelOnlyCode.queryFnArrow, options: old, errors: [{ messageId: 'querySignalWithoutDeadline' }] },
  ],
});
