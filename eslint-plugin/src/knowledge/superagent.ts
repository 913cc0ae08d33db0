import { NO_OPTIONS, methodsOf } from './shared.js';
import type { ClientFamily, InstanceShape } from './types.js';

const SUPERAGENT_METHODS = methodsOf(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options'], NO_OPTIONS);

const agentInstance: InstanceShape = { call: NO_OPTIONS, methods: SUPERAGENT_METHODS, factories: [] };

/**
 * superagent: a request is a chain; it is bounded only by `.timeout(ms)` or `.timeout({ deadline })` in that
 * chain (`.timeout({ response })` bounds the wait for the first byte only).
 */
export const superagentFamily: ClientFamily = {
  id: 'superagent',
  displayName: 'superagent',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['superagent'],
      builtin: false,
      entries: [
        { path: [], kind: 'call', options: NO_OPTIONS },
        ...Object.keys(SUPERAGENT_METHODS).map((method) => ({ path: [method], kind: 'call' as const, options: NO_OPTIONS })),
      ],
      factories: [{ path: ['agent'], kind: 'call', options: NO_OPTIONS, instance: agentInstance, reportWhenNoCallSeen: false }],
    },
  ],
  signalOptions: [],
  timers: [
    { path: ['deadline'], kind: 'deadline', disabledBy: ['zero', 'infinity', 'false', 'null', 'undefined'], note: 'the whole request' },
    { path: ['response'], kind: 'phase', disabledBy: ['zero', 'infinity', 'false', 'null', 'undefined'], note: 'time to the first byte only' },
  ],
  defaultTimers: [],
  chainBounds: ['timeout'],
  timeoutNeedsHandler: false,
  bound: { kind: 'chain', method: 'timeout', argumentPath: ['deadline'] },
  hazard: 'superagent has no timeout unless the chain calls .timeout()',
};
