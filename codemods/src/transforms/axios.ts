import type { Transform } from './types.js';
import { reportedRequest } from './util/callee.js';
import { calleeName } from './util/syntax.js';
import { addPlainOptions, addSignalOption, resultOf } from './util/options.js';

const RULES = new Set(['no-unbounded-client', 'no-idle-only-timeout']);

/**
 * axios: `timeout` on `axios.create` configs and on calls of the default export, at the argument position the
 * knowledge base gives per method (`get(url, config)`, `post(url, data, config)`). With `--strict` calls also
 * get a signal, because in Node axios's `timeout` is a socket-idle timer, not a deadline.
 */
export const axiosTransform: Transform = {
  name: 'axios',
  appliesTo(site, node) {
    return RULES.has(site.ruleId) && reportedRequest(site.ruleId, node)?.familyId === 'axios';
  },
  fix(site, node, context) {
    const request = reportedRequest(site.ruleId, node);
    const resolved = request?.resolved;
    if (!request || !resolved) return { action: 'unfixable', reason: 'no axios call found at the reported location' };
    const what = `${calleeName(request.call)}(...)`;
    const timeout = [{ key: 'timeout', value: context.timeoutText }];
    if (resolved.role === 'factory') {
      return resultOf(
        addPlainOptions(request.call, resolved.options, context, timeout),
        `added timeout to the ${what} config`,
        `${what} already has a timeout, a socket-idle timer; a deadline must be given per call: pass signal: AbortSignal.timeout(ms) to each request`,
      );
    }
    const withSignal = context.strict || site.ruleId === 'no-idle-only-timeout';
    const outcome = withSignal
      ? addSignalOption(request.call, resolved.options, context, resolved.role === 'instance' ? [] : timeout)
      : addPlainOptions(request.call, resolved.options, context, timeout);
    return resultOf(outcome, `added ${withSignal ? 'a deadline signal' : 'timeout'} to ${what}`, `${what} already has the options this transform adds; add a deadline by hand`);
  },
};
