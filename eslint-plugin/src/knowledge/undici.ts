import { DISABLED_BY_ANY_OFF_VALUE, SIGNAL_BOUND, at, methodsOf } from './shared.js';
import type { ClientFamily, FactoryEntry, TimerOption } from './types.js';

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

/** `RetryAgent(dispatcher, options)` takes its options second; every other constructor second too when it takes an origin. */
const dispatcherFactories: FactoryEntry[] = DISPATCHER_CONSTRUCTORS.map((name) => ({
  path: [name],
  kind: 'construct',
  options: at(name === 'Agent' || name === 'EnvHttpProxyAgent' ? 0 : 1),
  instance: dispatcherInstance,
  reportWhenNoCallSeen: false,
  dispatcher: true,
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
