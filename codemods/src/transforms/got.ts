import { locateOptionsArgument } from 'eslint-plugin-bounded-http/knowledge';
import { Node } from 'ts-morph';

import type { Transform } from './types.js';
import { reportedRequest } from './util/callee.js';
import { addProperties, insertArgument, replaceNode } from './util/edits.js';
import { argumentKind, type Outcome, resultOf } from './util/options.js';
import { calleeName, constObjectLiteral, findProperty, isDisablingValue, isNullish, unwrap } from './util/syntax.js';

const RULES = new Set(['no-unbounded-client', 'no-idle-only-timeout']);

/**
 * got: `timeout: { request: ms }`, got's only total deadline, added beside any phase timeouts already in
 * `timeout` (lookup, connect...), on calls and on `got.extend` configs.
 */
export const gotTransform: Transform = {
  name: 'got',
  appliesTo(site, node) {
    return RULES.has(site.ruleId) && reportedRequest(site.ruleId, node)?.familyId === 'got';
  },
  fix(site, node, context) {
    const request = reportedRequest(site.ruleId, node);
    const resolved = request?.resolved;
    if (!request || !resolved) return { action: 'unfixable', reason: 'no got call found at the reported location' };
    const what = `${calleeName(request.call)}(...)`;
    const requestTimeout = `request: ${context.timeoutText}`;
    const outcome = ((): Outcome => {
      const args = request.call.getArguments();
      const location = locateOptionsArgument(resolved.options, args.map(argumentKind));
      if (!location) return { unfixable: `cannot tell whether ${args[0]?.getText() ?? 'the first argument'} is a URL or the options; add timeout.request by hand` };
      if (!location.present) return { edits: [insertArgument(request.call, location.index, location.padding, `{ timeout: { ${requestTimeout} } }`)] };
      const argument = args[location.index];
      const options = argument ? unwrap(argument) : undefined;
      const object = options && (Node.isObjectLiteralExpression(options) ? options : constObjectLiteral(options));
      if (!object) return { unfixable: `the options come from ${options?.getText() ?? 'an expression'}; add timeout: { request: ms } where they are built` };
      const timeout = findProperty(object, 'timeout');
      if (!timeout) return { edits: addProperties(object, [`timeout: { ${requestTimeout} }`], context.style) };
      const value = Node.isPropertyAssignment(timeout) ? unwrap(timeout.getInitializerOrThrow()) : undefined;
      if (value && isNullish(value)) return { edits: [replaceNode(value, `{ ${requestTimeout} }`)] };
      if (!value || !Node.isObjectLiteralExpression(value)) return { edits: [] };
      const existing = findProperty(value, 'request');
      if (Node.isPropertyAssignment(existing) && isDisablingValue(existing.getInitializerOrThrow())) {
        return { edits: [replaceNode(existing.getInitializerOrThrow(), context.timeoutText)] };
      }
      return existing ? { edits: [] } : { edits: addProperties(value, [requestTimeout], context.style) };
    })();
    return resultOf(outcome, `added timeout.request to ${what}`, `${what} has a timeout this transform cannot extend; add timeout.request by hand`);
  },
};
