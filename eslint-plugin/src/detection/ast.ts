import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

type Node = TSESTree.Node;
type Scope = TSESLint.Scope.Scope;

/** Strips what does not change a value at run time: TS wrappers, optional chains. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The outermost expression that still carries `node`'s value unchanged (TS wrappers, chains, `await`-free). */
export function outermostValue(node: Node): Node {
  let current = node;
  while (current.parent) {
    const parent = current.parent;
    if (
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      parent.type === AST_NODE_TYPES.ChainExpression
    ) {
      current = parent;
      continue;
    }
    return current;
  }
  return current;
}

/** The scope a node's identifiers resolve in. */
export function scopeOf(sourceCode: Readonly<TSESLint.SourceCode>, node: Node): Scope {
  return sourceCode.getScope(node);
}

/** The variable an identifier refers to, searched from its own scope outwards. */
export function resolveVariable(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | null {
  return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
}

/**
 * The initializer of a `const` binding (or a `let`/`var` written once, at its declaration), so a
 * value declared a few lines earlier can be read: `const options = { signal }; fetch(url, options)`.
 */
export function constantInitializer(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): TSESTree.Expression | undefined {
  const variable = resolveVariable(sourceCode, identifier);
  if (!variable || variable.defs.length !== 1) return undefined;
  const definition = variable.defs[0];
  if (definition?.type !== 'Variable') return undefined;
  const declarator = definition.node;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  const writes = variable.references.filter((reference) => reference.isWrite());
  if (writes.length > 1 || (writes.length === 1 && writes[0]?.identifier !== declarator.id)) return undefined;
  return declarator.init;
}

/** The static name of a member access or property key (`a.b`, `a['b']`, `{ b: 1 }`). */
export function propertyName(node: TSESTree.MemberExpression | TSESTree.Property, sourceCode: Readonly<TSESLint.SourceCode>): string | null {
  return ASTUtils.getPropertyName(node, sourceCode.getScope(node));
}

/** The static value of an expression (`0`, `NO_TIMEOUT`, `60 * 1000`), or `undefined` when unknown. */
export function staticValue(sourceCode: Readonly<TSESLint.SourceCode>, node: Node): { value: unknown } | undefined {
  if (node.type === AST_NODE_TYPES.Identifier && node.name === 'undefined') {
    const variable = resolveVariable(sourceCode, node);
    if (!variable || variable.defs.length === 0) return { value: undefined };
  }
  const result = ASTUtils.getStaticValue(node, sourceCode.getScope(node));
  return result ? { value: result.value } : undefined;
}

/** Depth-first walk over every descendant of `root` (not `root` itself), skipping types in `skip`. */
export function* descendants(
  root: Node,
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>,
  skip: (node: Node) => boolean = () => false,
): Generator<Node> {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const current = stack.pop() as Node;
    for (const key of visitorKeys[current.type] ?? []) {
      const child = (current as unknown as Record<string, unknown>)[key];
      const children = Array.isArray(child) ? child : [child];
      for (const candidate of children) {
        if (candidate && typeof candidate === 'object' && typeof (candidate as Node).type === 'string') {
          const childNode = candidate as Node;
          if (skip(childNode)) continue;
          yield childNode;
          stack.push(childNode);
        }
      }
    }
  }
}

export type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

export function isFunction(node: Node): node is FunctionNode {
  return node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.ArrowFunctionExpression;
}

/** The nearest function around `node`, or the Program. */
export function enclosingFunction(node: Node): FunctionNode | TSESTree.Program {
  let current: Node | undefined = node.parent;
  while (current) {
    if (isFunction(current) || current.type === AST_NODE_TYPES.Program) return current;
    current = current.parent;
  }
  throw new Error('bounded-http: node outside a Program');
}

/** The callee as written, shortened for messages (`this.client.get`, `fetch`). */
export function calleeText(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const text = sourceCode.getText(node.callee).replace(/\s+/g, '');
  return text.length > 60 ? `…${text.slice(-59)}` : text;
}

/** Whether `node` is a call or `new` of a member named `name` (`x.destroy()`, `req.abort()`). */
export function isMethodCall(node: Node, names: readonly string[]): node is TSESTree.CallExpression {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(node.callee);
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.property.type === AST_NODE_TYPES.Identifier &&
    names.includes(callee.property.name)
  );
}

export type { TSESTree };
