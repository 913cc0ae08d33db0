import { findRequestEntry } from 'eslint-plugin-bounded-http/knowledge';
import { type CallExpression, type NewExpression, Node, SyntaxKind } from 'ts-morph';

import type { Transform } from './types.js';
import { reportedRequest } from './util/callee.js';
import { calleeName, descendantsOfKind } from './util/syntax.js';
import { addSignalOption, resultOf } from './util/options.js';

const RULES = new Set(['no-unbounded-node-request', 'no-idle-only-timeout']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

function isErrorListenerCall(node: Node): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  const [event] = node.getArguments();
  return (
    Node.isPropertyAccessExpression(callee) &&
    LISTENER_METHODS.has(callee.getName()) &&
    event !== undefined &&
    (Node.isStringLiteral(event) || Node.isNoSubstitutionTemplateLiteral(event)) &&
    event.getLiteralText() === 'error'
  );
}

/**
 * An abort makes the request emit `'error'`; without a listener that crashes the process. Looks for
 * `.on('error', ...)` chained on the call, or on the variable the request is stored in.
 */
function hasErrorListener(call: CallExpression | NewExpression): boolean {
  let current: Node = call;
  for (let parent = current.getParent(); Node.isPropertyAccessExpression(parent); parent = current.getParent()) {
    const chained = parent.getParent();
    if (!chained || !Node.isCallExpression(chained)) break;
    if (isErrorListenerCall(chained)) return true;
    current = chained;
  }
  const holder = current.getParent();
  if (!Node.isVariableDeclaration(holder) || !Node.isIdentifier(holder.getNameNode())) return false;
  const name = holder.getName();
  const scope = holder.getFirstAncestor((ancestor) => Node.isBlock(ancestor) || Node.isSourceFile(ancestor)) ?? call.getSourceFile();
  const [start, end] = [scope.getPos(), scope.getEnd()];
  return descendantsOfKind(call.getSourceFile(), SyntaxKind.CallExpression).some((node) => {
    if (node.getPos() < start || node.getEnd() > end || !isErrorListenerCall(node)) return false;
    const target = node.getExpression();
    return Node.isPropertyAccessExpression(target) && target.getExpression().getText() === name;
  });
}

/**
 * node:http and node:https `request`/`get`: `signal: AbortSignal.timeout(ms)` in the options, which are
 * inserted before the response callback when there are none (`http.get(url, cb)` → `http.get(url, { signal }, cb)`).
 */
export const nodeHttpTransform: Transform = {
  name: 'node-http',
  appliesTo(site, node) {
    return RULES.has(site.ruleId) && reportedRequest(site.ruleId, node)?.familyId === 'node-http';
  },
  fix(site, node, context) {
    const request = reportedRequest(site.ruleId, node);
    const position = request?.resolved?.options ?? findRequestEntry('node-http', ['request'])?.options;
    if (!request || !position) return { action: 'unfixable', reason: 'no node:http request found at the reported location' };
    const result = resultOf(
      addSignalOption(request.call, position, context),
      `added a deadline signal to ${calleeName(request.call)}(...)`,
      'the request already has a signal that this transform cannot combine; add the deadline by hand',
    );
    if (result.action === 'fixed' && !hasErrorListener(request.call)) {
      result.warnings = [
        `${calleeName(request.call)}(...) has no 'error' listener: when the deadline aborts it, the 'error' event crashes the process; add req.on('error', ...)`,
      ];
    }
    return result;
  },
};
