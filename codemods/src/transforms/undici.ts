import type { Transform } from './types.js';
import { reportedRequest } from './util/callee.js';
import { calleeName } from './util/syntax.js';
import { addSignalOption, resultOf } from './util/options.js';

const RULES = new Set(['no-unbounded-client', 'no-idle-only-timeout']);

/**
 * undici's request API (`request`, `stream`, `pipeline`, and the same methods on a dispatcher): a signal,
 * since `headersTimeout`/`bodyTimeout` are idle timers. Dispatcher constructors with disabled timers are the
 * disabled-timeout transform's; a dispatcher itself cannot carry a deadline.
 */
export const undiciTransform: Transform = {
  name: 'undici',
  appliesTo(site, node) {
    return RULES.has(site.ruleId) && reportedRequest(site.ruleId, node)?.familyId === 'undici';
  },
  fix(site, node, context) {
    const request = reportedRequest(site.ruleId, node);
    const resolved = request?.resolved;
    if (!request || !resolved) return { action: 'unfixable', reason: 'no undici call found at the reported location' };
    const what = `${calleeName(request.call)}(...)`;
    if (resolved.role === 'factory') {
      return {
        action: 'unfixable',
        reason: `${what} is a dispatcher: its timeouts are idle timers and it cannot hold a deadline; pass signal: AbortSignal.timeout(ms) on each request`,
      };
    }
    return resultOf(
      addSignalOption(request.call, resolved.options, context),
      `added a deadline signal to ${what}`,
      `${what} already has a signal this transform cannot combine; add the deadline by hand`,
    );
  },
};
