import { DISABLED_BY_ANY_OFF_VALUE, NO_OPTIONS, at, methodsOf } from './shared.js';
import type { ClientFamily } from './types.js';

const HTTP_CLIENT_METHODS = methodsOf(
  ['get', 'del', 'post', 'patch', 'put', 'head', 'options', 'request', 'requestRaw', 'sendStream', 'getJson', 'postJson', 'putJson', 'patchJson'],
  NO_OPTIONS,
);

/**
 * `@actions/http-client`: `new HttpClient(userAgent, handlers, requestOptions)`. Calls take no per-call
 * options, so the bound lives on the instance, and `socketTimeout` is only a socket-idle timer.
 */
export const actionsHttpClientFamily: ClientFamily = {
  id: 'actions-http-client',
  displayName: '@actions/http-client',
  rule: 'client',
  sources: [
    {
      kind: 'module',
      specifiers: ['@actions/http-client'],
      builtin: false,
      entries: [],
      factories: [
        {
          path: ['HttpClient'],
          kind: 'construct',
          options: at(2),
          instance: { methods: HTTP_CLIENT_METHODS, factories: [] },
          reportWhenNoCallSeen: true,
          // An idle timer: the only option the client has, so a hint for recommended users, never a fix.
          bound: { kind: 'option', path: ['socketTimeout'] },
        },
      ],
    },
  ],
  signalOptions: [],
  timers: [
    { path: ['socketTimeout'], kind: 'idle', disabledBy: DISABLED_BY_ANY_OFF_VALUE, note: 'socket-idle timer (req.setTimeout)' },
  ],
  defaultTimers: [],
  chainBounds: [],
  timeoutNeedsHandler: false,
  bound: { kind: 'option', path: ['socketTimeout'] },
  hazard: '@actions/http-client has no timeout by default and socketTimeout is an idle timer',
};
