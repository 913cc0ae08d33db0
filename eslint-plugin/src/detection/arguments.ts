import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { ArgumentKind } from '../knowledge/index.js';
import { constantInitializer, isFunction, resolveVariable, staticValue, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** Names that hold a URL, not an options object, in real code (`url`, `targetUrl`, `endpoint`, `href`). */
const URL_NAME = /(?:url|uri|href|endpoint|link|address|path)s?$/i;

/** Names that hold a callback (`onResponse`, `callback`, `handleReply`, `done`). */
const CALLBACK_NAME = /^(?:cb|callback|done|next|resolve|reject|handler|listener)$|^on[A-Z]|^handle[A-Z]|(?:Callback|Handler|Listener)$/;

/**
 * How an argument reads without types: enough to tell `http.get(url, cb)` from `http.get(options, cb)`.
 * A name that could be either stays `unknown`, and the call's options count as opaque.
 */
export function argumentKindOf(sourceCode: SourceCode, node: TSESTree.CallExpressionArgument, depth = 0): ArgumentKind {
  if (node.type === AST_NODE_TYPES.SpreadElement) return 'unknown';
  const expression = unwrap(node);
  switch (expression.type) {
    case AST_NODE_TYPES.ObjectExpression:
      return 'object';
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.BinaryExpression:
      return 'url';
    case AST_NODE_TYPES.Literal:
      return typeof expression.value === 'string' ? 'url' : 'unknown';
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
      return 'function';
    case AST_NODE_TYPES.NewExpression:
      return unwrap(expression.callee).type === AST_NODE_TYPES.Identifier && (unwrap(expression.callee) as TSESTree.Identifier).name === 'URL' ? 'url' : 'unknown';
    case AST_NODE_TYPES.Identifier: {
      const known = staticValue(sourceCode, expression);
      if (typeof known?.value === 'string') return 'url';
      const variable = resolveVariable(sourceCode, expression);
      if (variable?.defs.some((definition) => definition.type === 'FunctionName')) return 'function';
      const initializer = depth < 3 ? constantInitializer(sourceCode, expression) : undefined;
      if (initializer) {
        const kind = argumentKindOf(sourceCode, initializer, depth + 1);
        if (kind !== 'unknown') return kind;
        if (isFunction(unwrap(initializer))) return 'function';
      }
      if (CALLBACK_NAME.test(expression.name)) return 'function';
      return URL_NAME.test(expression.name) ? 'url' : 'unknown';
    }
    case AST_NODE_TYPES.MemberExpression:
      // `process.env.HTTPS_PROXY`: environment values are strings.
      if (isProcessEnv(expression.object)) return 'url';
      return !expression.computed && expression.property.type === AST_NODE_TYPES.Identifier && URL_NAME.test(expression.property.name) ? 'url' : 'unknown';
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrap(expression.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : '';
      return /url|uri|href|endpoint|^format$|^toString$|^String$|^resolve$|^join$/i.test(name) ? 'url' : 'unknown';
    }
    default:
      return 'unknown';
  }
}

function isProcessEnv(node: TSESTree.Node): boolean {
  const object = unwrap(node);
  return (
    object.type === AST_NODE_TYPES.MemberExpression &&
    !object.computed &&
    object.property.type === AST_NODE_TYPES.Identifier &&
    object.property.name === 'env' &&
    unwrap(object.object).type === AST_NODE_TYPES.Identifier &&
    (unwrap(object.object) as TSESTree.Identifier).name === 'process'
  );
}
