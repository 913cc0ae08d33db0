import { SIGNAL_BOUND, at, methodsOf } from './shared.js';
import type { ClientFamily, FactoryEntry, InstanceShape, RequestEntry } from './types.js';

const ofetchInstance: InstanceShape = { call: at(1), methods: methodsOf(['raw'], at(1)), factories: ['create'] };

const createEntry = (path: readonly string[]): FactoryEntry => ({
  path,
  kind: 'call',
  options: at(0),
  instance: ofetchInstance,
  reportWhenNoCallSeen: true,
  // No bound at creation: the instance's `timeout` ends at the headers, and a signal would be shared by every call.
});

const callsOf = (prefix: readonly string[]): RequestEntry[] => [
  { path: prefix, kind: 'call', options: at(1) },
  { path: [...prefix, 'raw'], kind: 'call', options: at(1) },
];

/**
 * ofetch (`ofetch`, `$fetch`, and Nuxt's auto-imported global `$fetch`). Checked in ofetch@1.5.1
 * `dist/shared/ofetch.CWycOUEr.mjs` lines 261-289: `timeout` aborts a controller on a timer only while `fetch()`
 * waits for the response headers; the timer is cleared in the `finally` right after `await fetch`, and the
 * body is read afterwards (`await context.response.text()`) with no timer at all. So `timeout` bounds the time
 * to the headers only (a phase), not the body: a peer that sends headers and trickles the body holds the call.
 * `timeout` is skipped when a `signal` is passed, and a falsy value (`0`) sets no timer. A `signal` goes to
 * `fetch` and aborts the body read too. `$fetch.native` is the plain fetch (the fetch family).
 */
export const ofetchFamily: ClientFamily = {
  id: 'ofetch',
  displayName: 'ofetch',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['ofetch', 'ofetch/node'],
      builtin: false,
      entries: [...callsOf(['ofetch']), ...callsOf(['$fetch'])],
      factories: [createEntry(['ofetch', 'create']), createEntry(['$fetch', 'create'])],
    },
    { kind: 'global', name: '$fetch', entries: callsOf([]), factories: [createEntry(['create'])] },
  ],
  signalOptions: ['signal'],
  timers: [
    {
      path: ['timeout'],
      kind: 'phase',
      disabledBy: ['zero', 'false', 'null', 'undefined'],
      note: "ofetch's `timeout` is cleared once the response headers arrive; the body read has no timer",
    },
  ],
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: SIGNAL_BOUND,
  hazard: "ofetch has no timeout by default, and its `timeout` ends when the headers arrive: the body read is unbounded",
};
