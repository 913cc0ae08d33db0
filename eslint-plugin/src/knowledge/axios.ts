import { DISABLED_BY_ANY_OFF_VALUE, SIGNAL_BOUND, afterUrl, at, methodsOf } from './shared.js';
import type { InstanceShape, OptionsPosition } from './types.js';
import type { ClientFamily } from './types.js';

/** `get/delete/head/options(url, config)` but `post/put/patch(url, data, config)`; `request(config)`. */
const AXIOS_METHODS: Record<string, OptionsPosition> = {
  ...methodsOf(['get', 'delete', 'head', 'options'], at(1)),
  ...methodsOf(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm'], at(2)),
  request: at(0),
};

const axiosInstance: InstanceShape = {
  call: afterUrl(1),
  methods: AXIOS_METHODS,
  factories: ['create'],
  defaultsPath: ['defaults'],
};

/** axios: no timeout by default; `timeout` is a socket-idle timer in Node (`req.setTimeout`). */
export const axiosFamily: ClientFamily = {
  id: 'axios',
  displayName: 'axios',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['axios'],
      builtin: false,
      entries: [
        { path: [], kind: 'call', options: afterUrl(1) },
        ...Object.entries(AXIOS_METHODS).map(([method, options]) => ({ path: [method], kind: 'call' as const, options })),
      ],
      factories: [
        {
          path: ['create'],
          kind: 'call',
          options: at(0),
          instance: axiosInstance,
          // No `bound`: an instance's `timeout` is idle-only in Node, so each call on it needs its own signal.
          reportWhenNoCallSeen: true,
        },
      ],
      defaultsPath: ['defaults'],
    },
  ],
  signalOptions: ['signal', 'cancelToken'],
  timers: [
    {
      path: ['timeout'],
      kind: 'idle',
      disabledBy: DISABLED_BY_ANY_OFF_VALUE,
      note: 'in Node axios implements `timeout` with req.setTimeout, a socket-idle timer',
    },
  ],
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: SIGNAL_BOUND,
  hazard: 'axios has no timeout by default',
};
