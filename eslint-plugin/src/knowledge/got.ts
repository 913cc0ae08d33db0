import { DISABLED_BY_ANY_OFF_VALUE, afterUrl, at, methodsOf } from './shared.js';
import type { BoundTemplate, ClientFamily, InstanceShape, TimerOption } from './types.js';

const GOT_PHASES = ['lookup', 'connect', 'secureConnect', 'socket', 'send', 'response', 'read'];

const GOT_TIMERS: readonly TimerOption[] = [
  {
    path: ['timeout'],
    kind: 'deadline',
    scalarOnly: true,
    disabledBy: DISABLED_BY_ANY_OFF_VALUE,
    note: 'got <= 11 reads a number `timeout` as `timeout.request`',
  },
  {
    path: ['timeout', 'request'],
    kind: 'deadline',
    disabledBy: DISABLED_BY_ANY_OFF_VALUE,
    note: "got's only total deadline: from the start of the request to the end of the response",
  },
  ...GOT_PHASES.map(
    (phase): TimerOption => ({
      path: ['timeout', phase],
      kind: phase === 'socket' || phase === 'read' ? 'idle' : 'phase',
      disabledBy: DISABLED_BY_ANY_OFF_VALUE,
      note: `bounds the ${phase} phase only`,
    }),
  ),
];

/** `timeout: { request: ms }`: got's only total deadline, on calls and on `got.extend` configs alike. */
const GOT_BOUND: BoundTemplate = { kind: 'option', path: ['timeout', 'request'] };

const GOT_METHODS = methodsOf(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'paginate'], afterUrl(1));

const gotInstance: InstanceShape = { call: afterUrl(1), methods: GOT_METHODS, factories: ['extend'] };

/** got: no timeout by default; `timeout.request` is the only total deadline, other keys bound one phase. */
export const gotFamily: ClientFamily = {
  id: 'got',
  displayName: 'got',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['got'],
      builtin: false,
      entries: [
        { path: [], kind: 'call', options: afterUrl(1) },
        ...Object.entries(GOT_METHODS).map(([method, options]) => ({ path: [method], kind: 'call' as const, options })),
      ],
      factories: [{ path: ['extend'], kind: 'call', options: at(0), instance: gotInstance, reportWhenNoCallSeen: true, bound: GOT_BOUND }],
    },
  ],
  signalOptions: ['signal'],
  timers: GOT_TIMERS,
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: GOT_BOUND,
  hazard: 'got has no timeout by default',
};
