import type { Transform } from './types.js';
import { reportedRequest } from './util/callee.js';
import { calleeName } from './util/syntax.js';
import { signalEveryInstanceCall } from './util/instance-calls.js';
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
      const idleOnly = site.messageId === 'idleOnlyInstance';
      const configured = idleOnly ? { edits: [] } : addPlainOptions(request.call, resolved.options, context, timeout);
      if ('unfixable' in configured) return { action: 'unfixable', reason: configured.unfixable };
      // The instance's timeout is a socket-idle timer, which strict reports next: its calls need a signal each.
      const perCall = idleOnly || context.strict ? signalEveryInstanceCall(request.call, 'axios', context) : { edits: [] };
      if ('unfixable' in perCall && configured.edits.length === 0) return { action: 'unfixable', reason: perCall.unfixable };
      const edits = [...configured.edits, ...('edits' in perCall ? perCall.edits : [])];
      const reason = [
        ...(configured.edits.length > 0 ? [`added timeout to the ${what} config`] : []),
        ...('edits' in perCall && perCall.edits.length > 0 ? [`added a deadline signal to every call on the ${what} instance in this file`] : []),
      ].join('; ');
      return resultOf(
        { edits },
        reason,
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
