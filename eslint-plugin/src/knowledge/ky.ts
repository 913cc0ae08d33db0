import { RESPONSE_BODY_READERS, SIGNAL_BOUND, at, methodsOf } from './shared.js';
import type { BoundTemplate, ClientFamily, InstanceShape } from './types.js';

/** ky's own `timeout` is a deadline (retries included), so an instance can carry it for every call. */
const KY_INSTANCE_BOUND: BoundTemplate = { kind: 'option', path: ['timeout'] };

const KY_METHODS = methodsOf(['get', 'post', 'put', 'patch', 'delete', 'head'], at(1));

const kyInstance: InstanceShape = { call: at(1), methods: KY_METHODS, factories: ['create', 'extend'] };

/** ky: bounded by a 10 s `timeout` unless the caller sets `timeout: false` without a `totalTimeout`. */
export const kyFamily: ClientFamily = {
  id: 'ky',
  displayName: 'ky',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['ky'],
      builtin: false,
      entries: [
        { path: [], kind: 'call', options: at(1) },
        ...Object.entries(KY_METHODS).map(([method, options]) => ({ path: [method], kind: 'call' as const, options })),
      ],
      factories: [
        { path: ['create'], kind: 'call', options: at(0), instance: kyInstance, reportWhenNoCallSeen: true, bound: KY_INSTANCE_BOUND },
        { path: ['extend'], kind: 'call', options: at(0), instance: kyInstance, reportWhenNoCallSeen: true, bound: KY_INSTANCE_BOUND },
      ],
    },
  ],
  signalOptions: ['signal'],
  timers: [
    { path: ['timeout'], kind: 'deadline', disabledBy: ['false', 'infinity'], note: "ky's timeout covers getting a response, retries included" },
    { path: ['totalTimeout'], kind: 'deadline', disabledBy: ['false', 'infinity'], note: 'covers the whole call' },
  ],
  defaultTimers: [{ path: ['timeout'], kind: 'deadline', disabledBy: [], note: 'ky defaults to a 10 s timeout' }],
  chainBounds: [],
  timeoutNeedsHandler: false,
  // ky resolves to a `Response` (https://github.com/sindresorhus/ky#readme: `await ky(url).json()`).
  responseBodyReaders: RESPONSE_BODY_READERS,
  bound: SIGNAL_BOUND,
  hazard: 'ky with `timeout: false` has no deadline',
};

