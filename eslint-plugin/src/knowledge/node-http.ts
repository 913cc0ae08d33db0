import { DISABLED_BY_ANY_OFF_VALUE, SIGNAL_BOUND, afterUrl } from './shared.js';
import type { ClientFamily } from './types.js';

/**
 * `http.request`/`http.get` and their https twins. The `timeout` option is a socket-idle timer that only
 * emits `'timeout'`; it aborts nothing unless a handler destroys the request.
 */
export const nodeHttpFamily: ClientFamily = {
  id: 'node-http',
  displayName: 'node:http',
  rule: 'node-request',
  sources: [
    {
      kind: 'module',
      specifiers: ['http', 'node:http', 'https', 'node:https'],
      builtin: true,
      entries: [
        { path: ['request'], kind: 'call', options: afterUrl(1) },
        { path: ['get'], kind: 'call', options: afterUrl(1) },
      ],
      factories: [],
    },
  ],
  signalOptions: ['signal'],
  timers: [
    {
      path: ['timeout'],
      kind: 'idle',
      disabledBy: DISABLED_BY_ANY_OFF_VALUE,
      note: "socket-idle timer: emits 'timeout' after that much silence and aborts nothing by itself",
    },
  ],
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: true,
  bound: SIGNAL_BOUND,
  hazard: "node:http has no timeout by default and `timeout` only emits 'timeout'",
};
