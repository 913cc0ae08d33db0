import { afterUrl, at } from './shared.js';
import type { BoundTemplate, ClientFamily, InstanceShape } from './types.js';

/** `timeout: ms`: a total deadline here (see below), on a call and on `.defaults()` alike. */
const TIMEOUT_BOUND: BoundTemplate = { kind: 'option', path: ['timeout'] };

const defaultedFetch: InstanceShape = { call: at(1), methods: {}, factories: ['defaults'], factoryOptions: { defaults: afterUrl(1) } };

/**
 * make-fetch-happen (npm's fetch): `fetch(url, options)` and `fetch.defaults([url,] options)`. Checked in
 * make-fetch-happen@16.0.1 `lib/remote.js` (options reach minipass-fetch's `Request`; `signal` is kept off the
 * agent, line 40) and minipass-fetch@6.0.1 (its dependency, `^6.0.0`): `lib/request.js` line 52 reads
 * `timeout` (default 0); `lib/index.js` lines 123-130 reject the request `timeout` ms after it gets a socket
 * unless the response has arrived (cleared at line 154), and `lib/body.js` lines 139-143 start a second
 * `timeout` timer for reading the body (`json()`, `text()`, ...), cleared only once the body is read (lines
 * 162, 165). Neither resets on data, so `timeout` bounds the whole call (at most twice over; with `retry`
 * set, `lib/remote.js` line 31 retries a `request-timeout`, each attempt timed afresh). A falsy value (`0`)
 * sets no timer. No timeout by default.
 *
 * The bound written is therefore `timeout: ms`, not a signal: minipass-fetch honours `signal` too, but
 * @types/make-fetch-happen@10.0.4 picks node-fetch's init without it, so a written `signal` would not
 * type-check in a TypeScript project, and `timeout` also covers the body read.
 */
export const makeFetchHappenFamily: ClientFamily = {
  id: 'make-fetch-happen',
  displayName: 'make-fetch-happen',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['make-fetch-happen'],
      builtin: false,
      entries: [{ path: [], kind: 'call', options: at(1) }],
      factories: [
        {
          path: ['defaults'],
          kind: 'call',
          options: afterUrl(1),
          instance: defaultedFetch,
          reportWhenNoCallSeen: true,
          bound: TIMEOUT_BOUND,
        },
      ],
    },
  ],
  signalOptions: ['signal'],
  timers: [
    {
      path: ['timeout'],
      kind: 'deadline',
      disabledBy: ['zero', 'false', 'null', 'undefined'],
      note: 'minipass-fetch times the request and then the body read, each for at most `timeout` ms',
    },
  ],
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: TIMEOUT_BOUND,
  hazard: 'make-fetch-happen has no timeout by default',
};
