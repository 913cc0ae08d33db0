import { SIGNAL_BOUND, afterUrl, at } from './shared.js';
import type { ClientFamily, InstanceShape } from './types.js';

const defaultedFetch: InstanceShape = { call: at(1), methods: {}, factories: ['defaults'], factoryOptions: { defaults: afterUrl(1) } };

/**
 * make-fetch-happen (npm's fetch): `fetch(url, options)` and `fetch.defaults([url,] options)`. Checked in
 * make-fetch-happen@16.0.1 `lib/index.js` (options reach minipass-fetch's `Request`) and minipass-fetch@6.0.1
 * (its dependency): `lib/index.js` lines 122-154 reject the request `timeout` ms after it starts unless the
 * response has arrived, and `lib/body.js` lines 136-165 start a second `timeout` timer for reading the body
 * (`json()`, `text()`, ...). Neither resets on data, so `timeout` bounds the whole call (at most twice over);
 * a falsy value (`0`) sets no timer. `signal` is honoured by minipass-fetch. No timeout by default.
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
          bound: { kind: 'option', path: ['timeout'] },
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
  bound: SIGNAL_BOUND,
  hazard: 'make-fetch-happen has no timeout by default',
};
