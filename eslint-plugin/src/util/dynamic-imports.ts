import { getStringIfConstant } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** An expression whose value is `module[path]` of a dynamically imported module. */
export interface DynamicImportRoot {
  readonly specifier: string;
  /** A node to follow with ReferenceTracker's `iteratePropertyReferences`. */
  readonly node: TSESTree.Node;
  /** Where below the module the node's value sits: `[]` for the module, `['request']` for a destructured `request`. */
  readonly path: readonly string[];
}

const cache = new WeakMap<object, readonly DynamicImportRoot[]>();

/**
 * Every `import('x')` with a constant specifier, and where its module object flows: `await import('x')` (a
 * value ReferenceTracker follows into `const http = …` and `const { request } = …`), and the parameter of
 * `import('x').then((m) => …)` or `.then(({ request }) => …)`. ReferenceTracker only knows import
 * declarations and `require`, so rules that follow modules add these roots. Computed once per file.
 */
export function dynamicImportRoots(sourceCode: SourceCode): readonly DynamicImportRoot[] {
  const cached = cache.get(sourceCode);
  if (cached) return cached;
  const roots: DynamicImportRoot[] = [];
  // Most files have no dynamic import: skip the walk unless the text has one.
  if (/\bimport\s*\(/u.test(sourceCode.text)) {
    for (const expression of importExpressions(sourceCode)) {
      const specifier = getStringIfConstant(expression.source as never, sourceCode.getScope(expression) as never);
      if (specifier !== null) roots.push(...rootsOf(sourceCode, expression, specifier));
    }
  }
  cache.set(sourceCode, roots);
  return roots;
}

function* importExpressions(sourceCode: SourceCode): Generator<TSESTree.ImportExpression> {
  const stack: TSESTree.Node[] = [sourceCode.ast];
  while (stack.length > 0) {
    const node = stack.pop() as TSESTree.Node;
    if (node.type === AST_NODE_TYPES.ImportExpression) yield node;
    for (const key of sourceCode.visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const candidate of Array.isArray(child) ? child : [child]) {
        if (candidate && typeof candidate === 'object' && typeof (candidate as TSESTree.Node).type === 'string') stack.push(candidate as TSESTree.Node);
      }
    }
  }
}

function rootsOf(sourceCode: SourceCode, expression: TSESTree.ImportExpression, specifier: string): DynamicImportRoot[] {
  const parent = expression.parent;
  if (parent.type === AST_NODE_TYPES.AwaitExpression) return [{ specifier, node: parent, path: [] }];
  // `import('x').then(callback)`: the callback's first parameter is the module.
  const member = parent.type === AST_NODE_TYPES.MemberExpression && parent.object === expression ? parent : undefined;
  const call = member?.parent;
  const isThen = member && !member.computed && member.property.type === AST_NODE_TYPES.Identifier && member.property.name === 'then';
  if (!isThen || call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return [];
  const callback = call.arguments[0];
  if (callback?.type !== AST_NODE_TYPES.ArrowFunctionExpression && callback?.type !== AST_NODE_TYPES.FunctionExpression) return [];
  const parameter = callback.params[0];
  if (!parameter) return [];
  return bindingRoots(sourceCode, parameter, specifier, []);
}

/** The references of a parameter (or of each destructured property of it), with the module path they hold. */
function bindingRoots(sourceCode: SourceCode, pattern: TSESTree.Parameter | TSESTree.Node, specifier: string, path: readonly string[]): DynamicImportRoot[] {
  if (pattern.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(sourceCode.getScope(pattern), pattern);
    return (variable?.references ?? []).filter((reference) => reference.isRead()).map((reference) => ({ specifier, node: reference.identifier, path }));
  }
  if (pattern.type !== AST_NODE_TYPES.ObjectPattern) return [];
  const roots: DynamicImportRoot[] = [];
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    const key = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : undefined;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (key !== undefined) roots.push(...bindingRoots(sourceCode, value, specifier, [...path, key]));
  }
  return roots;
}
