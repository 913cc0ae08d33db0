import { DISABLED_BY_ANY_OFF_VALUE, SIGNAL_BOUND, afterUrl, at, methodsOf } from './shared.js';
import type { ClientFamily, FactoryEntry, OptionsPosition, TimerOption } from './types.js';

const UNDICI_TIMERS: readonly TimerOption[] = [
  {
    path: ['headersTimeout'],
    kind: 'idle',
    disabledBy: DISABLED_BY_ANY_OFF_VALUE,
    note: 'time until the response headers arrive; the body is not covered',
  },
  {
    path: ['bodyTimeout'],
    kind: 'idle',
    disabledBy: DISABLED_BY_ANY_OFF_VALUE,
    note: 'idle time between body chunks: a peer sending a byte every few seconds never trips it',
  },
  { path: ['connectTimeout'], kind: 'phase', disabledBy: DISABLED_BY_ANY_OFF_VALUE, note: 'TCP/TLS connect only' },
  { path: ['connect', 'timeout'], kind: 'phase', disabledBy: DISABLED_BY_ANY_OFF_VALUE, note: 'TCP/TLS connect only' },
];

/** Dispatcher instances: `dispatcher.request(options)` takes its options first. */
const dispatcherInstance = {
  methods: methodsOf(['request', 'stream', 'pipeline'], at(0)),
  factories: [],
} as const;

const DISPATCHER_CONSTRUCTORS = ['Agent', 'Pool', 'Client', 'BalancedPool', 'ProxyAgent', 'EnvHttpProxyAgent', 'RetryAgent'];

/**
 * What every dispatcher that opens connections runs when `headersTimeout`/`bodyTimeout` are unset: checked in
 * undici@7.30.2 `lib/dispatcher/client.js` lines 262-263 (`300e3` each). `RetryAgent` wraps another dispatcher.
 */
const DEFAULT_DISPATCHER_TIMERS: readonly TimerOption[] = [
  { path: ['headersTimeout'], kind: 'idle', disabledBy: [], note: "undici's default: 300 s until the response headers" },
  { path: ['bodyTimeout'], kind: 'idle', disabledBy: [], note: "undici's default: 300 s of silence between body chunks" },
];

/** Where each constructor takes its options: first (`Agent`), after an origin (`Pool`), or either (`ProxyAgent(url | options)`). */
function dispatcherOptions(name: string): OptionsPosition {
  if (name === 'Agent' || name === 'EnvHttpProxyAgent') return at(0);
  if (name === 'ProxyAgent') return afterUrl(1);
  return at(1);
}

const dispatcherFactories: FactoryEntry[] = DISPATCHER_CONSTRUCTORS.map((name) => ({
  path: [name],
  kind: 'construct',
  options: dispatcherOptions(name),
  instance: dispatcherInstance,
  reportWhenNoCallSeen: false,
  dispatcher: true,
  ...(name === 'RetryAgent' ? {} : { defaultTimers: DEFAULT_DISPATCHER_TIMERS }),
}));

/**
 * undici's request API (`request`, `stream`, `pipeline`) and its dispatcher constructors. undici's
 * `fetch` belongs to the fetch family. Only a `signal` is a deadline: header and body timeouts are idle timers.
 */
export const undiciFamily: ClientFamily = {
  id: 'undici',
  displayName: 'undici',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['undici'],
      builtin: false,
      entries: [
        { path: ['request'], kind: 'call', options: at(1) },
        { path: ['stream'], kind: 'call', options: at(1) },
        { path: ['pipeline'], kind: 'call', options: at(1) },
      ],
      factories: dispatcherFactories,
    },
  ],
  signalOptions: ['signal'],
  timers: UNDICI_TIMERS,
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: SIGNAL_BOUND,
  hazard: "undici's 300 s headersTimeout/bodyTimeout are idle timers; only a signal bounds the whole call",
};
