import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { constantInitializer, descendants, enclosingFunction, outermostValue, resolveVariable, staticValue, unwrap } from './ast.js';
import { timerReach } from './body-read.js';
import { cancelPathOf, queryFunctionOf } from './cancel-paths.js';

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
 * - `timer-ends-at-headers`: such a controller whose timer is cleared (in `finally`, in `.finally()`, or after
 *   the response arrives) while the response is returned unread: the caller reads the body with no deadline;
 * - `query-signal`: the signal a framework hands a request function (TanStack Query's `queryFn`), aborted only
 *   when the query is cancelled;
 * - `cancel-only`: a controller aborted only on a cancellation path (an effect cleanup, a teardown hook, an
 *   event handler), never on a timer;
 * - `no-deadline`: a signal that nothing aborts on a timer.
 */
export type SignalKind =
  | 'nullish'
  | 'deadline'
  | 'timer-controller'
  | 'timer-cleared-early'
  | 'timer-ends-at-headers'
  | 'query-signal'
  | 'cancel-only'
  | 'no-deadline';

/** A signal's kind, with what a message needs to name it. */
export interface SignalClass {
  readonly kind: SignalKind;
  /** `query-signal`/`cancel-only`: where it is aborted or who hands it (`` the `useEffect` cleanup ``, `` `queryFn` ``). */
  readonly via?: string;
  /** `timer-ends-at-headers`: what the call does with its response, and when the timer is cleared. */
  readonly how?: string;
  readonly when?: string;
}

export interface SignalSettings {
  /** Function names whose result is a deadline signal (`withDeadline`, `deadlineSignalFactories`). */
  readonly deadlineSignalFactories: readonly string[];
}

/** The request whose signal is classified, so a timer's reach can be judged against its body read. */
export interface SignalRequest {
  readonly call: Node;
  /** The response's body readers when the call resolves at the headers (knowledge: `responseBodyReaders`). */
  readonly bodyReaders: readonly string[] | undefined;
}

const MAX_DEPTH = 5;

const NO_DEADLINE: SignalClass = { kind: 'no-deadline' };
const DEADLINE: SignalClass = { kind: 'deadline' };

/** Classifies a `signal` value; `request` (the call it is passed to) lets a timer's reach be judged. */
export function classifySignal(sourceCode: SourceCode, node: Node, settings: SignalSettings, request?: SignalRequest, depth = 0): SignalClass {
  const expression = unwrap(node);
  const known = staticValue(sourceCode, expression);
  if (known && (known.value === undefined || known.value === null)) return { kind: 'nullish' };
  if (depth > MAX_DEPTH) return NO_DEADLINE;
  const next = (child: Node): SignalClass => classifySignal(sourceCode, child, settings, request, depth + 1);
  switch (expression.type) {
    case AST_NODE_TYPES.CallExpression:
      return classifyCall(expression, settings, next);
    case AST_NODE_TYPES.Identifier:
      return classifyIdentifier(sourceCode, expression, next);
    case AST_NODE_TYPES.MemberExpression:
      return classifyMember(sourceCode, expression, next, request);
    case AST_NODE_TYPES.LogicalExpression:
      return weakest([next(expression.left), next(expression.right)]);
    case AST_NODE_TYPES.ConditionalExpression:
      return weakest([next(expression.consequent), next(expression.alternate)]);
    default:
      return NO_DEADLINE;
  }
}

const STRENGTH: Record<SignalKind, number> = {
  deadline: 3,
  'timer-controller': 2,
  'timer-cleared-early': 1,
  'timer-ends-at-headers': 1,
  'query-signal': 0,
  'cancel-only': 0,
  'no-deadline': 0,
  nullish: -1,
};

/** Every branch that yields a signal must carry a deadline (`signal ?? AbortSignal.timeout(5000)` does). */
function weakest(classes: SignalClass[]): SignalClass {
  const signals = classes.filter((signal) => signal.kind !== 'nullish');
  if (signals.length === 0) return { kind: 'nullish' };
  return signals.reduce((a, b) => (STRENGTH[a.kind] <= STRENGTH[b.kind] ? a : b));
}

function strongest(classes: SignalClass[]): SignalClass {
  return classes.reduce<SignalClass>((a, b) => (STRENGTH[a.kind] >= STRENGTH[b.kind] ? a : b), NO_DEADLINE);
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

function classifyCall(call: TSESTree.CallExpression, settings: SignalSettings, next: (child: Node) => SignalClass): SignalClass {
  const { object, name } = calleeName(call.callee);
  if (object === 'AbortSignal' && name === 'timeout') return DEADLINE;
  if (object === 'AbortSignal' && name === 'any') {
    const list = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if (list?.type !== AST_NODE_TYPES.ArrayExpression) return NO_DEADLINE;
    return strongest(list.elements.map((element) => (element && element.type !== AST_NODE_TYPES.SpreadElement ? next(element) : NO_DEADLINE)));
  }
  if (name !== undefined && settings.deadlineSignalFactories.includes(name)) return DEADLINE;
  return NO_DEADLINE;
}

function isParameterVariable(variable: TSESLint.Scope.Variable | null): boolean {
  if (!variable) return false;
  return variable.defs.some((definition) => definition.type === 'Parameter');
}

/**
 * A parameter is the caller's duty, so it counts as a deadline, except where the caller is a framework known to
 * hand a cancel-only signal (TanStack Query's `queryFn` context).
 */
function parameterSignal(sourceCode: SourceCode, parameter: TSESLint.Scope.Variable): SignalClass {
  const queryFunction = queryFunctionOf(sourceCode, parameter);
  return queryFunction ? { kind: 'query-signal', via: queryFunction } : DEADLINE;
}

/** `signal` is a parameter, destructured from one, or a `const` holding something we can classify. */
function classifyIdentifier(sourceCode: SourceCode, identifier: TSESTree.Identifier, next: (child: Node) => SignalClass): SignalClass {
  const variable = resolveVariable(sourceCode, identifier);
  if (!variable) return NO_DEADLINE;
  if (isParameterVariable(variable)) return parameterSignal(sourceCode, variable);
  const definition = variable.defs[0];
  if (definition?.type === 'Variable') {
    const declarator = definition.node;
    if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && declarator.init) {
      // `const { signal } = options` where options is a parameter: still the caller's duty.
      const source = unwrap(declarator.init);
      const sourceVariable = source.type === AST_NODE_TYPES.Identifier ? resolveVariable(sourceCode, source) : null;
      if (sourceVariable && isParameterVariable(sourceVariable)) return parameterSignal(sourceCode, sourceVariable);
      return NO_DEADLINE;
    }
  }
  const initializer = constantInitializer(sourceCode, identifier);
  return initializer ? next(initializer) : NO_DEADLINE;
}

/** `options.signal` (caller's duty) or `controller.signal` (a deadline when a timer aborts the controller). */
function classifyMember(sourceCode: SourceCode, member: TSESTree.MemberExpression, next: (child: Node) => SignalClass, request: SignalRequest | undefined): SignalClass {
  const object = unwrap(member.object);
  if (object.type !== AST_NODE_TYPES.Identifier) return NO_DEADLINE;
  const variable = resolveVariable(sourceCode, object);
  if (!variable) return NO_DEADLINE;
  if (isParameterVariable(variable)) return parameterSignal(sourceCode, variable);
  const initializer = constantInitializer(sourceCode, object);
  const created = initializer ? unwrap(initializer) : undefined;
  if (created?.type === AST_NODE_TYPES.NewExpression && unwrap(created.callee).type === AST_NODE_TYPES.Identifier && (unwrap(created.callee) as TSESTree.Identifier).name === 'AbortController') {
    return controllerTimer(sourceCode, variable, created, request);
  }
  if (created) return next(created).kind === 'deadline' ? DEADLINE : NO_DEADLINE;
  return NO_DEADLINE;
}

function isInside(node: Node, container: Node): boolean {
  return node.range[0] >= container.range[0] && node.range[1] <= container.range[1];
}

/**
 * Looks for `setTimeout(() => controller.abort(), ms)` in the function that created the controller. A timer
 * scheduled only from a cancellation path (`return () => setTimeout(() => controller.abort())` in an effect)
 * is no deadline; a controller aborted only on such paths is `cancel-only`.
 */
function controllerTimer(sourceCode: SourceCode, controller: TSESLint.Scope.Variable, creation: Node, request: SignalRequest | undefined): SignalClass {
  const scope = enclosingFunction(creation);
  const aborts = controller.references.filter((reference) => {
    // `controller.abort()`, also `controller!.abort()` and `controller?.abort()`.
    const object = outermostValue(reference.identifier);
    const parent = object.parent;
    return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === object && !parent.computed && parent.property.type === AST_NODE_TYPES.Identifier && parent.property.name === 'abort';
  });
  if (aborts.length === 0) return NO_DEADLINE;
  const timerAborts = new Set<TSESLint.Scope.Reference>();
  const cancelPaths: string[] = [];
  for (const node of descendants(scope, sourceCode.visitorKeys)) {
    if (node.type !== AST_NODE_TYPES.CallExpression || calleeName(node.callee).name !== 'setTimeout') continue;
    const timerCallback = node.arguments[0] ? timerCallbackBody(sourceCode, node.arguments[0]) : undefined;
    const inTimer = timerCallback ? aborts.filter(({ identifier }) => isInside(identifier, timerCallback)) : [];
    if (inTimer.length === 0) continue;
    const cancelPath = cancelPathOf(sourceCode, node, scope);
    if (cancelPath) {
      inTimer.forEach((reference) => timerAborts.add(reference));
      cancelPaths.push(cancelPath);
      continue;
    }
    return timerKind(sourceCode, node, scope, aborts, request);
  }
  for (const abort of aborts) {
    if (timerAborts.has(abort)) continue;
    const cancelPath = cancelPathOf(sourceCode, abort.identifier, scope);
    if (!cancelPath) return NO_DEADLINE;
    cancelPaths.push(cancelPath);
  }
  return { kind: 'cancel-only', via: [...new Set(cancelPaths)].join(' and ') };
}

/** The function a timer runs: written inline, or a local function named there (`setTimeout(onTimeout, ms)`). */
function timerCallbackBody(sourceCode: SourceCode, callback: Node): Node {
  const expression = unwrap(callback);
  if (expression.type !== AST_NODE_TYPES.Identifier) return callback;
  const definition = resolveVariable(sourceCode, expression)?.defs[0];
  if (definition?.type === 'FunctionName') return definition.node;
  return constantInitializer(sourceCode, expression) ?? callback;
}

/** A timer that aborts the controller: how far its deadline reaches, given where it is cleared. */
function timerKind(sourceCode: SourceCode, setTimeoutCall: TSESTree.CallExpression, scope: Node, aborts: readonly TSESLint.Scope.Reference[], request: SignalRequest | undefined): SignalClass {
  const clears = timerClears(sourceCode, setTimeoutCall, scope, aborts);
  if (request?.bodyReaders) {
    const reach = timerReach(sourceCode, request.call, clears, request.bodyReaders);
    if (reach.kind === 'ends-at-headers') return { kind: 'timer-ends-at-headers', how: reach.how, when: reach.when };
    return reach.kind === 'cleared-early' ? { kind: 'timer-cleared-early' } : { kind: 'timer-controller' };
  }
  return clears.some((clear) => !insideFinally(clear)) ? { kind: 'timer-cleared-early' } : { kind: 'timer-controller' };
}

/**
 * The `clearTimeout(timer)` calls of the timer, except those next to an abort of the same controller (an effect
 * cleanup that clears the timer and aborts the request ends the call anyway).
 */
function timerClears(sourceCode: SourceCode, setTimeoutCall: TSESTree.CallExpression, scope: Node, aborts: readonly TSESLint.Scope.Reference[]): TSESTree.CallExpression[] {
  const declarator = unwrap(setTimeoutCall).parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator && declarator?.type !== AST_NODE_TYPES.AssignmentExpression) return [];
  const timerName = declarator.type === AST_NODE_TYPES.VariableDeclarator ? declarator.id : declarator.left;
  if (timerName.type !== AST_NODE_TYPES.Identifier) return [];
  const clears: TSESTree.CallExpression[] = [];
  for (const node of descendants(scope, sourceCode.visitorKeys)) {
    if (node.type !== AST_NODE_TYPES.CallExpression || calleeName(node.callee).name !== 'clearTimeout') continue;
    const argument = node.arguments[0];
    if (argument?.type !== AST_NODE_TYPES.Identifier || argument.name !== timerName.name) continue;
    const around = enclosingFunction(node);
    if (around !== scope && aborts.some(({ identifier }) => enclosingFunction(identifier) === around)) continue;
    clears.push(node);
  }
  return clears;
}

function insideFinally(node: Node): boolean {
  for (let current: Node | undefined = node; current?.parent; current = current.parent) {
    if (current.parent.type === AST_NODE_TYPES.TryStatement && current.parent.finalizer === current) return true;
  }
  return false;
}
