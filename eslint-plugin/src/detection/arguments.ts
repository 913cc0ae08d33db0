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
  if (node.type === 'SpreadElement') return 'unknown';
  const expression = unwrap(node);
  switch (expression.type) {
    case 'ObjectExpression':
      return 'object';
    case 'TemplateLiteral':
    case 'BinaryExpression':
      return 'url';
    case 'Literal':
      return typeof expression.value === 'string' ? 'url' : 'unknown';
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return 'function';
    case 'NewExpression':
      return unwrap(expression.callee).type === 'Identifier' && (unwrap(expression.callee) as TSESTree.Identifier).name === 'URL' ? 'url' : 'unknown';
    case 'Identifier': {
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
    case 'MemberExpression':
      return !expression.computed && expression.property.type === 'Identifier' && URL_NAME.test(expression.property.name) ? 'url' : 'unknown';
    case 'CallExpression': {
      const callee = unwrap(expression.callee);
      const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : '';
      return /url|uri|href|endpoint|^format$|^toString$|^String$|^resolve$|^join$/i.test(name) ? 'url' : 'unknown';
    }
    default:
      return 'unknown';
  }
}
