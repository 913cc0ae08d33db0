import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { CANCEL_PATHS, QUERY_FUNCTIONS } from '../knowledge/index.js';
import { type FunctionNode, isFunction, resolveVariable, staticValue, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/**
 * The cancellation path `node` runs on, as the user wrote it (`` the `useEffect` cleanup ``, `` the `onCancel` handler ``),
 * or undefined. Climbs the functions around `node` up to `stopAt` (the function that created the controller),
 * innermost first: `setTimeout(() => controller.abort())` scheduled from a cleanup still runs only on unmount.
 */
export function cancelPathOf(sourceCode: SourceCode, node: Node, stopAt: Node): string | undefined {
  for (let current: Node | undefined = node.parent; current && current !== stopAt; current = current.parent) {
    if (!isFunction(current)) continue;
    const path = cancelPathOfFunction(sourceCode, current);
    if (path) return path;
  }
  return undefined;
}

function calleeNameOf(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) return callee.property.name;
  return undefined;
}

function keyName(key: Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  return undefined;
}

/** The name a function is bound to: `const onCancel = () => ...`, `function handleStop()`, `{ onCancel() {} }`. */
function boundName(fn: FunctionNode): { name: string; variable?: TSESLint.Scope.Variable } | undefined {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return { name: fn.id.name };
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.id.type === AST_NODE_TYPES.Identifier) return { name: parent.id.name };
  if ((parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.value === fn && !parent.computed) {
    const name = keyName(parent.key);
    return name ? { name } : undefined;
  }
  return undefined;
}

/** Where `fn` (or the name it is bound to) is used as a JSX event handler: `<button onClick={cancel}>`. */
function jsxHandlerName(sourceCode: SourceCode, fn: FunctionNode): string | undefined {
  const direct = jsxAttributeOf(fn);
  if (direct) return direct;
  const declared = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator ? fn.parent.id : undefined;
  if (declared?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = resolveVariable(sourceCode, declared);
  for (const reference of variable?.references ?? []) {
    const name = jsxAttributeOf(reference.identifier);
    if (name) return name;
  }
  return undefined;
}

function jsxAttributeOf(node: Node): string | undefined {
  const container = node.parent;
  if (container?.type !== AST_NODE_TYPES.JSXExpressionContainer) return undefined;
  const attribute = container.parent;
  if (attribute?.type !== AST_NODE_TYPES.JSXAttribute || attribute.name.type !== AST_NODE_TYPES.JSXIdentifier) return undefined;
  return CANCEL_PATHS.eventHandlerName.test(attribute.name.name) ? attribute.name.name : undefined;
}

/** A function whose body runs only when something is cancelled or torn down. */
function cancelPathOfFunction(sourceCode: SourceCode, fn: FunctionNode): string | undefined {
  const parent = fn.parent;
  // `useEffect(() => { ...; return () => controller.abort(); })`, also `useEffect(() => () => ...)`.
  const returnedFrom = returningFunction(sourceCode, fn);
  if (returnedFrom?.parent?.type === AST_NODE_TYPES.CallExpression && returnedFrom.parent.arguments[0] === returnedFrom) {
    const hook = calleeNameOf(returnedFrom.parent);
    if (hook && CANCEL_PATHS.effectHooks.includes(hook)) return `the \`${hook}\` cleanup`;
  }
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.some((argument) => argument === fn)) {
    const callee = calleeNameOf(parent);
    if (callee && CANCEL_PATHS.teardownCallbacks.includes(callee) && parent.arguments[0] === fn) return `\`${callee}\``;
    if (callee && CANCEL_PATHS.listenerRegistrations.includes(callee) && parent.arguments[1] === fn && parent.arguments[0]) {
      const event = staticValue(sourceCode, parent.arguments[0]);
      if (typeof event?.value === 'string' && !CANCEL_PATHS.notCancelEvents.includes(event.value)) return `the \`'${event.value}'\` listener`;
    }
  }
  const attribute = jsxAttributeOf(fn);
  if (attribute) return `the \`${attribute}\` handler`;
  const bound = boundName(fn);
  if (bound && CANCEL_PATHS.teardownMethods.includes(bound.name) && (parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition)) {
    return `\`${bound.name}\``;
  }
  if (bound && CANCEL_PATHS.eventHandlerName.test(bound.name)) return `the \`${bound.name}\` handler`;
  // `const cancel = () => controller.abort(); <button onClick={cancel}>`.
  const jsx = jsxHandlerName(sourceCode, fn);
  return jsx ? `the \`${jsx}\` handler` : undefined;
}

/** The function that returns `fn`, directly (`return () => ...`, `() => () => ...`) or through a `const` it returns. */
function returningFunction(sourceCode: SourceCode, fn: FunctionNode): FunctionNode | undefined {
  let value: Node = fn;
  if (fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.id.type === AST_NODE_TYPES.Identifier) {
    const variable = resolveVariable(sourceCode, fn.parent.id);
    const returned = variable?.references.find((reference) => reference.identifier.parent?.type === AST_NODE_TYPES.ReturnStatement);
    if (!returned) return undefined;
    value = returned.identifier;
  }
  const parent = value.parent;
  if (parent && isFunction(parent) && parent.body === value) return parent;
  if (parent?.type !== AST_NODE_TYPES.ReturnStatement) return undefined;
  for (let current: Node | undefined = parent.parent; current; current = current.parent) if (isFunction(current)) return current;
  return undefined;
}

/**
 * The request function a parameter belongs to when a framework calls it with a cancel-only signal: the first
 * parameter of a TanStack Query `queryFn` (`queryFn: ({ signal }) => fetch(url, { signal })`, also declared apart
 * and passed as `useQuery({ queryFn })`, or annotated `QueryFunctionContext`). Returns the name to show.
 */
export function queryFunctionOf(sourceCode: SourceCode, parameter: TSESLint.Scope.Variable): string | undefined {
  const definition = parameter.defs.find((candidate) => candidate.type === 'Parameter');
  if (!definition) return undefined;
  const fn = definition.node as Node;
  if (!isFunction(fn)) return undefined;
  const first = fn.params[0];
  if (!first || definition.name.range[0] < first.range[0] || definition.name.range[1] > first.range[1]) return undefined;
  for (const knowledge of QUERY_FUNCTIONS) {
    if (annotatedAs(first, knowledge.contextTypes)) return `\`${knowledge.property}\``;
    const uses: Node[] = [fn];
    const declared = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator ? fn.parent.id : undefined;
    if (declared?.type === AST_NODE_TYPES.Identifier) uses.push(...(resolveVariable(sourceCode, declared)?.references.map((reference) => reference.identifier) ?? []));
    for (const use of uses) {
      const parent = use.parent;
      if (parent?.type === AST_NODE_TYPES.Property && parent.value === use && !parent.computed && keyName(parent.key) === knowledge.property) return `\`${knowledge.property}\``;
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[1] === use && parent.arguments[0]?.type !== AST_NODE_TYPES.ObjectExpression) {
        const callee = calleeNameOf(parent);
        if (callee && knowledge.positionalCallees.includes(callee)) return `the query function of \`${callee}\``;
      }
    }
  }
  return undefined;
}

function annotatedAs(parameter: TSESTree.Parameter, typeNames: readonly string[]): boolean {
  const target = parameter.type === AST_NODE_TYPES.AssignmentPattern ? parameter.left : parameter;
  const annotation = 'typeAnnotation' in target ? target.typeAnnotation?.typeAnnotation : undefined;
  if (annotation?.type !== AST_NODE_TYPES.TSTypeReference) return false;
  const name = annotation.typeName.type === AST_NODE_TYPES.Identifier ? annotation.typeName.name : annotation.typeName.type === AST_NODE_TYPES.TSQualifiedName ? annotation.typeName.right.name : undefined;
  return name !== undefined && typeNames.includes(name);
}
