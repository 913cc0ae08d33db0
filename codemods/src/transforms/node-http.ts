import { type CallExpression, type NewExpression, Node, SyntaxKind } from 'ts-morph';

import type { RenderingRule } from './family.js';
import { calleeName, descendantsOfKind, nodeAtRange } from './util/syntax.js';

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
 * node:http's rendering rule: an abort makes the request emit `'error'`, which crashes the process without a
 * listener, so a fixed request with no `'error'` listener in sight carries a warning.
 */
export const nodeHttpRendering: RenderingRule = (result, site, context) => {
  const range = site.descriptor?.range;
  const call = range ? nodeAtRange(context.sourceFile, range[0], range[1]) : undefined;
  if (!call || (!Node.isCallExpression(call) && !Node.isNewExpression(call)) || hasErrorListener(call)) return result;
  return {
    ...result,
    warnings: [`${calleeName(call)}(...) has no 'error' listener: when the deadline aborts it, the 'error' event crashes the process; add req.on('error', ...)`],
  };
};
