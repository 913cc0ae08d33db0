import { NO_OPTIONS, SIGNAL_BOUND, at, methodsOf } from './shared.js';
import type { ClientFamily, InstanceShape } from './types.js';

/** The request methods of a wretch instance: `wretch(url).get()` sends; everything before only configures. */
const WRETCH_METHODS = methodsOf(['get', 'delete', 'put', 'post', 'patch', 'head', 'opts', 'fetch'], NO_OPTIONS);

/** Builder methods returning a new instance that keeps the options and signal set so far. */
const WRETCH_BUILDERS = [
  'url',
  'options',
  'signal',
  'headers',
  'auth',
  'accept',
  'content',
  'addon',
  'catcher',
  'catcherFallback',
  'customError',
  'resolve',
  'defer',
  'middlewares',
  'errorType',
  'polyfills',
  'json',
  'body',
  'formData',
  'formUrl',
  'query',
];

const wretchInstance: InstanceShape = {
  methods: WRETCH_METHODS,
  factories: WRETCH_BUILDERS,
  // `.options({ signal })` merges fetch options; `.signal(controller)` (abort addon) sets the controller's signal,
  // read as opaque options: a bound may be there. Every other builder takes no options.
  factoryOptions: Object.fromEntries(WRETCH_BUILDERS.map((name) => [name, name === 'options' || name === 'signal' ? at(0) : NO_OPTIONS])),
  // The request methods take no fetch options: each request's signal goes in an `.options({ signal })` just before it.
  requestOptionsBuilder: 'options',
};

/**
 * wretch: `wretch(url, options)` builds an immutable instance; `.get()`/`.post()`/... send the request and
 * return a resolver. Checked in wretch@3.0.9 `dist/core.js` (`fetch()` merges the instance's `_options`,
 * `signal` included, into the `fetch` call) and `dist/addons/abort.js`: the abort addon adds `.signal(controller)`
 * on the instance and `.setTimeout(ms)` on the resolver, which aborts the request's controller `ms` after it
 * is called and is never cleared when the response arrives, so it also bounds the body read: a deadline.
 * wretch itself sets no timeout, and a `timeout` key is handed to `fetch`, which ignores it.
 */
export const wretchFamily: ClientFamily = {
  id: 'wretch',
  displayName: 'wretch',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['wretch'],
      builtin: false,
      entries: [],
      factories: [{ path: [], kind: 'call', options: at(1), instance: wretchInstance, reportWhenNoCallSeen: false }],
    },
  ],
  signalOptions: ['signal'],
  timers: [],
  defaultTimers: [],
  chainBounds: ['setTimeout'],
  timeoutNeedsHandler: false,
  bound: SIGNAL_BOUND,
  hazard: 'wretch has no timeout: only a signal (`.options({ signal })`) or the abort addon\'s `.setTimeout(ms)` bounds a call',
};
