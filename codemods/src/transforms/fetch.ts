import { findRequestEntry } from 'eslint-plugin-bounded-http/knowledge';
import { type CallExpression, type NewExpression, Node } from 'ts-morph';

import type { Transform, TransformContext, TransformResult } from './types.js';
import { reportedRequest } from './util/callee.js';
import { replaceNode } from './util/edits.js';
import { addSignalOption, type Outcome, resultOf } from './util/options.js';
import { calleeName, findProperty, isNullish, unwrap } from './util/syntax.js';

const RULES = new Set(['no-unbounded-fetch', 'no-idle-only-timeout', 'no-unbounded-client']);

function isRequestConstructor(call: CallExpression | NewExpression): call is NewExpression {
  return Node.isNewExpression(call) && /^(?:globalThis\.|window\.|self\.)?Request$/u.test(call.getExpression().getText());
}

/** Standard fetch ignores `timeout:`; the user meant a deadline, so it becomes the signal's delay. */
function convertIgnoredTimeout(call: CallExpression | NewExpression, context: TransformContext): Outcome | undefined {
  const init = call.getArguments()[1];
  const object = init ? unwrap(init) : undefined;
  if (!object || !Node.isObjectLiteralExpression(object) || findProperty(object, 'signal')) return undefined;
  const timeout = findProperty(object, 'timeout');
  if (!Node.isPropertyAssignment(timeout)) return undefined;
  const value = timeout.getInitializerOrThrow();
  const disabled = isNullish(value) || /^(?:0|false|Infinity)$/u.test(value.getText());
  const delay = disabled ? context.timeoutText : value.getText();
  return { edits: [replaceNode(timeout, `signal: AbortSignal.timeout(${delay})`)] };
}

function toResult(outcome: Outcome, what: string): TransformResult {
  return resultOf(outcome, `added a deadline signal to ${what}`, `${what} already has a signal this transform cannot combine; add the deadline by hand`);
}

/**
 * fetch family (global, undici, node-fetch, cross-fetch, `new Request`): `signal: AbortSignal.timeout(ms)`,
 * combined with any signal the caller already passes, never replacing it.
 */
export const fetchTransform: Transform = {
  name: 'fetch',
  appliesTo(site, node) {
    if (!RULES.has(site.ruleId)) return false;
    return reportedRequest(site.ruleId, node)?.familyId === 'fetch';
  },
  fix(site, node, context) {
    const request = reportedRequest(site.ruleId, node);
    if (!request) return { action: 'unfixable', reason: 'no call found at the reported location' };
    const { call } = request;
    const entry = findRequestEntry('fetch', []);
    if (!entry) return { action: 'unfixable', reason: 'the knowledge base has no fetch entry' };
    const what = `${calleeName(call)}(...)`;
    if (isRequestConstructor(call)) return toResult(addSignalOption(call, entry.options, context), what);
    const [input, init] = call.getArguments();
    // fetch(new Request(url, init)): an init on fetch would replace the Request's own signal; bound the Request.
    const requestArgument = input ? unwrap(input) : undefined;
    if (!init && requestArgument && Node.isNewExpression(requestArgument) && isRequestConstructor(requestArgument)) {
      return toResult(addSignalOption(requestArgument, entry.options, context), 'new Request(...)');
    }
    const converted = convertIgnoredTimeout(call, context);
    if (converted) {
      const result = toResult(converted, what);
      return result.action === 'fixed' ? { ...result, reason: 'replaced the timeout option, which standard fetch ignores, with a deadline signal' } : result;
    }
    return toResult(addSignalOption(call, entry.options, context), what);
  },
};
