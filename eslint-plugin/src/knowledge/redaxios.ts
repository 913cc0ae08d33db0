import { afterUrl, at, methodsOf } from './shared.js';
import type { BoundTemplate, ClientFamily, InstanceShape, OptionsPosition } from './types.js';

/** axios's shape: `get/delete/head/options(url, config)`, `post/put/patch(url, data, config)`, `request(url, config)`. */
const REDAXIOS_METHODS: Record<string, OptionsPosition> = {
  ...methodsOf(['get', 'delete', 'head', 'options'], at(1)),
  ...methodsOf(['post', 'put', 'patch'], at(2)),
  request: afterUrl(1),
};

/** The one place a deadline can go: a `fetch` that passes a signal. */
const CUSTOM_FETCH: BoundTemplate = { kind: 'fetch-option', key: 'fetch' };

// An instance's `create` is the module's own `create`: it does not inherit the instance's defaults.
const redaxiosInstance: InstanceShape = { call: afterUrl(1), methods: REDAXIOS_METHODS, factories: [] };

/**
 * redaxios: axios's API over `fetch`. Checked in redaxios@0.5.1 `src/index.js` lines 152-240: the `fetch` call
 * receives only `method`, `body`, `headers` and `credentials`, so axios's `timeout` and a `signal` (or
 * `cancelToken`) are silently dropped. The only bound is a custom `fetch` option (`options.fetch || fetch`)
 * that adds a signal itself; it is listed with the signal options because it is where a signal can go.
 */
export const redaxiosFamily: ClientFamily = {
  id: 'redaxios',
  displayName: 'redaxios',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['redaxios'],
      builtin: false,
      entries: [
        { path: [], kind: 'call', options: afterUrl(1) },
        ...Object.entries(REDAXIOS_METHODS).map(([method, options]) => ({ path: [method], kind: 'call' as const, options })),
      ],
      factories: [{ path: ['create'], kind: 'call', options: at(0), instance: redaxiosInstance, reportWhenNoCallSeen: true, bound: CUSTOM_FETCH }],
    },
  ],
  signalOptions: ['fetch'],
  timers: [],
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: CUSTOM_FETCH,
  hazard: "redaxios drops `timeout` and `signal`: only a custom `fetch` option that adds a signal bounds a call",
};
