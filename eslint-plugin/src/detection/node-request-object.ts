import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { descendants, outermostValue, propertyName, staticValue, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/** What the code does with the `ClientRequest` a node:http call returns. */
export interface NodeRequestHandling {
  /** `req.setTimeout(ms[, cb])` calls on the request. */
  readonly setTimeoutCalls: readonly TSESTree.CallExpression[];
  /** A `'timeout'` listener or `setTimeout` callback that destroys or aborts the request. */
  readonly destroysOnTimeout: boolean;
}

const LISTENER_METHODS = ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'];
/** Methods of ClientRequest that return the request itself, so a chain keeps referring to it. */
const CHAINABLE = [...LISTENER_METHODS, 'setTimeout', 'setNoDelay', 'setSocketKeepAlive', 'end'];

/**
 * Follows the request object through chains (`http.get(...).on('timeout', ...)`) and variables
 * (`const req = http.request(...); req.setTimeout(5000, () => req.destroy())`).
 */
export function nodeRequestHandling(sourceCode: SourceCode, call: TSESTree.CallExpression | TSESTree.NewExpression): NodeRequestHandling {
  const setTimeoutCalls: TSESTree.CallExpression[] = [];
  let destroysOnTimeout = false;
  const pending: Node[] = [call];
  const seen = new Set<Node>();
  while (pending.length > 0) {
    const use = outermostValue(pending.pop() as Node);
    if (seen.has(use)) continue;
    seen.add(use);
    const parent = use.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === use) {
      const method = propertyName(parent, sourceCode);
      const methodCall = outermostValue(parent).parent;
      if (method === null || methodCall?.type !== AST_NODE_TYPES.CallExpression || outermostValue(parent) !== methodCall.callee) continue;
      if (method === 'setTimeout') {
        setTimeoutCalls.push(methodCall);
        if (methodCall.arguments[1] && destroysRequest(sourceCode, methodCall.arguments[1])) destroysOnTimeout = true;
      } else if (LISTENER_METHODS.includes(method)) {
        const event = methodCall.arguments[0] ? staticValue(sourceCode, methodCall.arguments[0]) : undefined;
        const listener = methodCall.arguments[1];
        if (event?.value === 'timeout' && listener && destroysRequest(sourceCode, listener)) destroysOnTimeout = true;
      }
      if (CHAINABLE.includes(method)) pending.push(methodCall);
      continue;
    }
    const target =
      parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === use
        ? parent.id
        : parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === use
          ? parent.left
          : undefined;
    if (target?.type !== AST_NODE_TYPES.Identifier) continue;
    const variable = findVariableByIdentifier(sourceCode, target);
    for (const reference of variable?.references ?? []) {
      if (reference.isRead()) pending.push(reference.identifier);
    }
  }
  return { setTimeoutCalls, destroysOnTimeout };
}

function findVariableByIdentifier(sourceCode: SourceCode, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
  for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(identifier); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
  }
  return undefined;
}

/**
 * A listener destroys the request when it calls `destroy`/`abort` on anything (`req.destroy()`,
 * `this.destroy()`, `controller.abort()`). A listener passed by name is given the benefit of the doubt.
 */
function destroysRequest(sourceCode: SourceCode, listener: TSESTree.CallExpressionArgument): boolean {
  const expression = unwrap(listener);
  if (expression.type === AST_NODE_TYPES.Identifier) return true;
  const touchesDestroy = (node: Node): boolean =>
    node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier && ['destroy', 'abort'].includes(node.property.name);
  if (touchesDestroy(expression)) return true;
  for (const node of descendants(expression, sourceCode.visitorKeys)) {
    if (touchesDestroy(node)) return true;
  }
  return false;
}
