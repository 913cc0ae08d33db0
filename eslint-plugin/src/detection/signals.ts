import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { constantInitializer, descendants, enclosingFunction, resolveVariable, staticValue, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/**
 * What a `signal` expression carries.
 * - `nullish`: `undefined`/`null` (no signal at all);
 * - `deadline`: `AbortSignal.timeout(...)`, `AbortSignal.any([...])` holding one, a configured factory, or a
 *   parameter of the enclosing function (the caller's duty);
 * - `timer-controller`: a controller aborted by a `setTimeout` in the same function;
 * - `timer-cleared-early`: such a controller whose timer is cleared outside a `finally`, typically as soon
 *   as the headers arrive, which leaves the body read unbounded;
 * - `no-deadline`: a signal that nothing aborts on a timer.
 */
export type SignalKind = 'nullish' | 'deadline' | 'timer-controller' | 'timer-cleared-early' | 'no-deadline';

export interface SignalSettings {
  /** Function names whose result is a deadline signal (`withDeadline`, `deadlineSignal`). */
  readonly deadlineSignalFactories: readonly string[];
}

const MAX_DEPTH = 5;

export function classifySignal(sourceCode: SourceCode, node: Node, settings: SignalSettings, depth = 0): SignalKind {
  const expression = unwrap(node);
  const known = staticValue(sourceCode, expression);
  if (known && (known.value === undefined || known.value === null)) return 'nullish';
  if (depth > MAX_DEPTH) return 'no-deadline';
  switch (expression.type) {
    case AST_NODE_TYPES.CallExpression:
      return classifyCall(sourceCode, expression, settings, depth);
    case AST_NODE_TYPES.Identifier:
      return classifyIdentifier(sourceCode, expression, settings, depth);
    case AST_NODE_TYPES.MemberExpression:
      return classifyMember(sourceCode, expression, settings, depth);
    case AST_NODE_TYPES.LogicalExpression:
      return weakest([classifySignal(sourceCode, expression.left, settings, depth + 1), classifySignal(sourceCode, expression.right, settings, depth + 1)]);
    case AST_NODE_TYPES.ConditionalExpression:
      return weakest([classifySignal(sourceCode, expression.consequent, settings, depth + 1), classifySignal(sourceCode, expression.alternate, settings, depth + 1)]);
    default:
      return 'no-deadline';
  }
}

const STRENGTH: Record<SignalKind, number> = { deadline: 3, 'timer-controller': 2, 'timer-cleared-early': 1, 'no-deadline': 0, nullish: -1 };

/** Every branch that yields a signal must carry a deadline (`signal ?? AbortSignal.timeout(5000)` does). */
function weakest(kinds: SignalKind[]): SignalKind {
  const signals = kinds.filter((kind) => kind !== 'nullish');
  if (signals.length === 0) return 'nullish';
  return signals.reduce((a, b) => (STRENGTH[a] <= STRENGTH[b] ? a : b));
}

function strongest(kinds: SignalKind[]): SignalKind {
  return kinds.reduce<SignalKind>((a, b) => (STRENGTH[a] >= STRENGTH[b] ? a : b), 'no-deadline');
}

function calleeName(callee: Node): { object: string | undefined; name: string | undefined } {
  const expression = unwrap(callee);
  if (expression.type === AST_NODE_TYPES.Identifier) return { object: undefined, name: expression.name };
  if (expression.type === AST_NODE_TYPES.MemberExpression && !expression.computed && expression.property.type === AST_NODE_TYPES.Identifier) {
    const object = unwrap(expression.object);
    const objectName = object.type === AST_NODE_TYPES.Identifier ? object.name : object.type === AST_NODE_TYPES.MemberExpression && object.property.type === AST_NODE_TYPES.Identifier ? object.property.name : undefined;
    return { object: objectName, name: expression.property.name };
  }
  return { object: undefined, name: undefined };
}

function classifyCall(sourceCode: SourceCode, call: TSESTree.CallExpression, settings: SignalSettings, depth: number): SignalKind {
  const { object, name } = calleeName(call.callee);
  if (object === 'AbortSignal' && name === 'timeout') return 'deadline';
  if (object === 'AbortSignal' && name === 'any') {
    const list = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if (list?.type !== AST_NODE_TYPES.ArrayExpression) return 'no-deadline';
    return strongest(
      list.elements.map((element) => (element && element.type !== AST_NODE_TYPES.SpreadElement ? classifySignal(sourceCode, element, settings, depth + 1) : 'no-deadline')),
    );
  }
  if (name !== undefined && settings.deadlineSignalFactories.includes(name)) return 'deadline';
  return 'no-deadline';
}

function isParameterVariable(variable: TSESLint.Scope.Variable | null): boolean {
  return variable?.defs.some((definition) => definition.type === TSESLint.Scope.DefinitionType.Parameter) ?? false;
}

/** `signal` is a parameter, destructured from one, or a `const` holding something we can classify. */
function classifyIdentifier(sourceCode: SourceCode, identifier: TSESTree.Identifier, settings: SignalSettings, depth: number): SignalKind {
  const variable = resolveVariable(sourceCode, identifier);
  if (!variable) return 'no-deadline';
  if (isParameterVariable(variable)) return 'deadline';
  const definition = variable.defs[0];
  if (definition?.type === TSESLint.Scope.DefinitionType.Variable) {
    const declarator = definition.node;
    if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && declarator.init) {
      // `const { signal } = options` where options is a parameter: still the caller's duty.
      const source = unwrap(declarator.init);
      if (source.type === AST_NODE_TYPES.Identifier && isParameterVariable(resolveVariable(sourceCode, source))) return 'deadline';
      return 'no-deadline';
    }
  }
  const initializer = constantInitializer(sourceCode, identifier);
  return initializer ? classifySignal(sourceCode, initializer, settings, depth + 1) : 'no-deadline';
}

/** `options.signal` (caller's duty) or `controller.signal` (a deadline when a timer aborts the controller). */
function classifyMember(sourceCode: SourceCode, member: TSESTree.MemberExpression, settings: SignalSettings, depth: number): SignalKind {
  const object = unwrap(member.object);
  if (object.type !== AST_NODE_TYPES.Identifier) return 'no-deadline';
  const variable = resolveVariable(sourceCode, object);
  if (!variable) return 'no-deadline';
  if (isParameterVariable(variable)) return 'deadline';
  const initializer = constantInitializer(sourceCode, object);
  const created = initializer ? unwrap(initializer) : undefined;
  if (created?.type === AST_NODE_TYPES.NewExpression && unwrap(created.callee).type === AST_NODE_TYPES.Identifier && (unwrap(created.callee) as TSESTree.Identifier).name === 'AbortController') {
    return controllerTimer(sourceCode, variable, created);
  }
  if (created) return classifySignal(sourceCode, created, settings, depth + 1) === 'deadline' ? 'deadline' : 'no-deadline';
  return 'no-deadline';
}

/** Looks for `setTimeout(() => controller.abort(), ms)` in the function that created the controller. */
function controllerTimer(sourceCode: SourceCode, controller: TSESLint.Scope.Variable, creation: Node): SignalKind {
  const scope = enclosingFunction(creation);
  const aborts = controller.references.filter((reference) => {
    const parent = reference.identifier.parent;
    return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier && !parent.computed && parent.property.type === AST_NODE_TYPES.Identifier && parent.property.name === 'abort';
  });
  if (aborts.length === 0) return 'no-deadline';
  for (const node of descendants(scope, sourceCode.visitorKeys)) {
    if (node.type !== AST_NODE_TYPES.CallExpression || calleeName(node.callee).name !== 'setTimeout') continue;
    const timerCallback = node.arguments[0];
    if (!timerCallback || !aborts.some(({ identifier }) => identifier.range[0] >= timerCallback.range[0] && identifier.range[1] <= timerCallback.range[1])) continue;
    return timerClearedEarly(sourceCode, node, scope) ? 'timer-cleared-early' : 'timer-controller';
  }
  return 'no-deadline';
}

/** `clearTimeout(timer)` outside a `finally` block: the deadline ends before the call does. */
function timerClearedEarly(sourceCode: SourceCode, setTimeoutCall: TSESTree.CallExpression, scope: Node): boolean {
  const declarator = unwrap(setTimeoutCall).parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator && declarator?.type !== AST_NODE_TYPES.AssignmentExpression) return false;
  const timerName = declarator.type === AST_NODE_TYPES.VariableDeclarator ? declarator.id : declarator.left;
  if (timerName.type !== AST_NODE_TYPES.Identifier) return false;
  for (const node of descendants(scope, sourceCode.visitorKeys)) {
    if (node.type !== AST_NODE_TYPES.CallExpression || calleeName(node.callee).name !== 'clearTimeout') continue;
    const argument = node.arguments[0];
    if (argument?.type !== AST_NODE_TYPES.Identifier || argument.name !== timerName.name) continue;
    if (!insideFinally(node)) return true;
  }
  return false;
}

function insideFinally(node: Node): boolean {
  for (let current: Node | undefined = node; current?.parent; current = current.parent) {
    if (current.parent.type === AST_NODE_TYPES.TryStatement && current.parent.finalizer === current) return true;
  }
  return false;
}
