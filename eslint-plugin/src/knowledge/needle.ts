import { SIGNAL_BOUND, at, methodsOf } from './shared.js';
import type { ClientFamily, DisablingValue, OptionsPosition, TimerOption } from './types.js';

/** `get/head(url, options, cb)`, `post/put/patch/delete(url, data, options, cb)`, `request(method, url, data, options, cb)`. */
const NEEDLE_METHODS: Record<string, OptionsPosition> = {
  ...methodsOf(['get', 'head'], at(1)),
  ...methodsOf(['post', 'put', 'patch', 'delete'], at(2)),
  request: at(3),
};

/** `milisecs <= 0` sets no timer; an unset key falls back to the default (10 s for `open_timeout`, 0 for the others). */
const OFF: readonly DisablingValue[] = ['zero', 'false', 'null'];

const phase = (key: string, disabledBy: readonly DisablingValue[], note: string): TimerOption => ({ path: [key], kind: 'phase', disabledBy, note });

/**
 * needle. Checked in needle@3.5.0 `lib/needle.js` (and its README "Request options"): one timer at a time
 * (`set_timeout`, lines 502-514) that destroys the request when it fires: `open_timeout` (alias `timeout`,
 * line 120; default 10 s) until the socket connects, then `response_timeout` (default 0: none) until the
 * headers, then `read_timeout` (default 0: none) for the whole body, set once on the response (line 523) and
 * not reset by data. Each covers one phase; the default leaves the wait for the response unbounded. `signal`
 * (line 196) aborts the whole request. The promise form is `needle(method, url, data, options)` (line 816).
 */
export const needleFamily: ClientFamily = {
  id: 'needle',
  displayName: 'needle',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['needle'],
      builtin: false,
      entries: [
        // A missing body is `null`: @types/needle@3.3.0 types it `BodyData` (`... | string | null`), and needle's
        // promise wrapper (line 816) hands it to `request` as it is, where `null` means no body.
        { path: [], kind: 'call', options: { kind: 'index', index: 3, placeholders: { 2: 'null' } } },
        ...Object.entries(NEEDLE_METHODS).map(([method, options]) => ({ path: [method], kind: 'call' as const, options })),
      ],
      factories: [],
    },
  ],
  signalOptions: ['signal'],
  timers: [
    phase('open_timeout', OFF, 'until the socket connects (default 10 s)'),
    phase('timeout', OFF, "needle's alias of `open_timeout`: until the socket connects"),
    phase('response_timeout', [...OFF, 'undefined'], 'from the connection until the response headers'),
    phase('read_timeout', [...OFF, 'undefined'], 'the body transfer, once the headers have arrived'),
  ],
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: SIGNAL_BOUND,
  hazard: "needle only bounds the connect phase by default (10 s `open_timeout`); the wait for the response is unbounded",
};
