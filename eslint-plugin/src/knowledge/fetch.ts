import { DISABLED_BY_ANY_OFF_VALUE, RESPONSE_BODY_READERS, SIGNAL_BOUND, at } from './shared.js';
import type { ClientFamily, RequestEntry, TimerOption } from './types.js';

/** Standard fetch ignores `timeout`: a key that looks like a bound and is none. */
const STANDARD_FETCH_TIMERS: readonly TimerOption[] = [
  {
    path: ['timeout'],
    kind: 'ignored',
    disabledBy: [],
    note: 'standard fetch (global, undici, cross-fetch, isomorphic-fetch, node-fetch v3) ignores a `timeout` key',
  },
];

/** node-fetch v2 honours `timeout` for the whole request and response body. */
const NODE_FETCH_V2_TIMERS: readonly TimerOption[] = [
  {
    path: ['timeout'],
    kind: 'deadline',
    disabledBy: DISABLED_BY_ANY_OFF_VALUE,
    note: "node-fetch v2's `timeout` aborts the request and the body read (v3 removed it)",
  },
];

const fetchCall: RequestEntry = { path: [], kind: 'call', options: at(1) };
const nodeFetchCall: RequestEntry = { ...fetchCall, timers: NODE_FETCH_V2_TIMERS };

/**
 * The fetch family: the WHATWG `fetch(input, init)` wherever it comes from. Its only deadline is `signal`;
 * undici's 300 s `headersTimeout`/`bodyTimeout` behind Node's global fetch are idle timers.
 */
export const fetchFamily: ClientFamily = {
  id: 'fetch',
  displayName: 'fetch',
  rule: 'fetch',
  sources: [
    { kind: 'global', name: 'fetch', entries: [fetchCall], factories: [] },
    {
      kind: 'module',
      specifiers: ['undici'],
      builtin: false,
      entries: [{ ...fetchCall, path: ['fetch'] }],
      factories: [],
    },
    {
      kind: 'module',
      specifiers: ['node-fetch'],
      builtin: false,
      entries: [nodeFetchCall, { ...nodeFetchCall, path: ['default'] }],
      factories: [],
    },
    {
      kind: 'module',
      specifiers: ['cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch', 'unfetch'],
      builtin: false,
      entries: [fetchCall, { ...fetchCall, path: ['default'] }, { ...fetchCall, path: ['fetch'] }],
      factories: [],
    },
    {
      // ofetch re-exports the platform fetch, and `$fetch.native` is it too (ofetch@1.5.1 `dist/shared/*.mjs` line 336).
      kind: 'module',
      specifiers: ['ofetch', 'ofetch/node'],
      builtin: false,
      entries: [{ ...fetchCall, path: ['fetch'] }, { ...fetchCall, path: ['$fetch', 'native'] }, { ...fetchCall, path: ['ofetch', 'native'] }],
      factories: [],
    },
    { kind: 'global', name: '$fetch', entries: [{ ...fetchCall, path: ['native'] }], factories: [] },
  ],
  signalOptions: ['signal'],
  timers: STANDARD_FETCH_TIMERS,
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  requestObjectConstructor: 'Request',
  responseBodyReaders: RESPONSE_BODY_READERS,
  bound: SIGNAL_BOUND,
  hazard: "fetch has no overall deadline: undici's headersTimeout/bodyTimeout are idle timers a trickling peer never trips",
};
