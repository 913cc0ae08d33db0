import { nodeHttpFamily } from './node-http.js';
import { afterUrl } from './shared.js';
import type { ClientFamily, RequestEntry } from './types.js';

const requestAndGet = (prefix: readonly string[]): RequestEntry[] => [
  { path: [...prefix, 'request'], kind: 'call', options: afterUrl(1) },
  { path: [...prefix, 'get'], kind: 'call', options: afterUrl(1) },
];

/**
 * follow-redirects: drop-in `http`/`https` whose `request`/`get` take node:http's options and follow redirects.
 * Checked in follow-redirects@1.16.3 `index.js`: the options (`timeout` included) go to the native
 * `http.request` of every hop, so `timeout` is node's socket-idle timer that only emits `'timeout'`
 * (re-emitted on the redirectable request, line 52) and destroys nothing; `signal` reaches the native request.
 * `req.setTimeout(ms)` (lines 216-280) runs a timer only until the response arrives and destroys the socket
 * after `ms` of idleness: a time-to-headers plus idle bound, never a deadline for the body.
 */
export const followRedirectsFamily: ClientFamily = {
  ...nodeHttpFamily,
  id: 'follow-redirects',
  displayName: 'follow-redirects',
  sources: [
    {
      kind: 'module',
      specifiers: ['follow-redirects'],
      builtin: false,
      entries: [...requestAndGet(['http']), ...requestAndGet(['https'])],
      factories: [],
    },
    { kind: 'module', specifiers: ['follow-redirects/http', 'follow-redirects/https'], builtin: false, entries: requestAndGet([]), factories: [] },
  ],
  hazard: "follow-redirects takes node:http's options: no timeout by default, and `timeout` only emits 'timeout'",
};
