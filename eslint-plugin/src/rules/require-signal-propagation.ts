import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { constantInitializer, isFunction, propertyName, resolveVariable, staticValue, unwrap, calleeText } from '../detection/ast.js';
import { callOptionsOf, requestObjectInit } from '../detection/bounds.js';
import { lookupOption, type OptionLookup } from '../detection/options.js';
import { getFileRequests, type RequestSite } from '../detection/request-sites.js';
import { createRule } from '../util/create-rule.js';
import { SUGGESTED_DEADLINE, addOptionFix } from '../util/suggestions.js';
import { DEFAULT_DEADLINE_MS } from '../knowledge/index.js';
import { targetAllowsAbortSignalAny } from '../util/node-target.js';
import { getTypeInfo, isAbortSignalType, mayBeNullish, propertyOfType, type TypeInfo } from '../util/type-info.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;
type Variable = TSESLint.Scope.Variable;
type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

export interface Options {
  /** The Node versions the code targets; decides whether suggestions may use `AbortSignal.any`. */
  targetNodeVersion?: string;
}

type MessageId = 'missingSignal' | 'droppedSignal' | 'passCallerSignal' | 'combineWithDeadline' | 'combineWithCallerSignal';

/** Without types, a parameter with one of these names is taken to hold the caller's AbortSignal. */
const SIGNAL_NAME = /^(?:signal|abortSignal|[a-z][A-Za-z0-9]*Signal)$/;
/** ...and one of these names to be an options object whose `signal` is the caller's. */
const OPTIONS_NAME = /^(?:options|opts|init|config|settings|params|ctx|context|[a-z][A-Za-z0-9]*(?:Options|Opts|Init|Config|Context))$/;

/** Where the caller's signal is, as seen from inside the function that received it. */
interface CallerSignal {
  /** As it reads in code: `signal`, `options.signal`, `options?.signal`. */
  readonly text: string;
  /** True unless the type (or annotation) proves it is always there; suggestions then guard `AbortSignal.any`. */
  readonly mayBeAbsent: boolean;
}

interface ReceivedSignals {
  /** Variables bound to the caller's signal (`signal`, `{ signal }`). */
  readonly signalVariables: ReadonlySet<Variable>;
  /** Parameters whose `.signal` is the caller's signal. */
  readonly optionsVariables: ReadonlySet<Variable>;
  /** The one to name in messages and suggestions. */
  readonly primary: CallerSignal;
}

/** What a request's `signal` option is relative to the caller's signal. */
type Propagation =
  | { readonly kind: 'derived' }
  | { readonly kind: 'missing' }
  /** A fresh `AbortSignal.timeout(...)` or a local controller nothing links to the caller's signal. */
  | { readonly kind: 'dropped'; readonly property: TSESTree.Property | undefined; readonly value: Node }
  /** Something we cannot follow (a call result, another object's property): trusted. */
  | { readonly kind: 'unknown' };

const MAX_DEPTH = 5;

/**
 * The contextcheck analogue: a function that was handed a cancellation signal must hand it on to every
 * request it starts. Otherwise cancelling the caller (or the caller's deadline expiring) leaves the request
 * running, and a peer that never answers holds it forever even though the caller did everything right.
 */
export default createRule<[Options], MessageId>({
  name: 'require-signal-propagation',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a function that receives an AbortSignal to pass it (or a signal derived from it) to every request it makes',
      // By parameter name without types (strict); by AbortSignal type with them.
      recommended: 'strict',
      recommendedTypeChecked: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    messages: {
      missingSignal:
        '`{{callee}}(...)` does not pass `{{callerSignal}}`, the AbortSignal this function receives, so cancelling the caller does not cancel the request. Pass `signal: {{callerSignal}}`.',
      droppedSignal:
        '`{{callee}}(...)` gets `signal: {{signal}}`, which drops `{{callerSignal}}`, the AbortSignal this function receives, so cancelling the caller does not cancel the request. Combine them with `AbortSignal.any([{{callerSignal}}, ...])`.',
      passCallerSignal: "Pass the caller's signal: `signal: {{callerSignal}}`.",
      combineWithDeadline: `Pass the caller's signal with a ${String(DEFAULT_DEADLINE_MS / 1000)} s deadline: \`signal: {{combined}}\`.`,
      combineWithCallerSignal: "Combine the caller's signal with this one: `signal: {{combined}}`.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          targetNodeVersion: {
            type: 'string',
            description:
              'Semver range of the Node versions the code runs on; decides whether suggestions may use AbortSignal.any. Defaults to engines.node of the nearest package.json that states it, up to the workspace or repository root.',
          },
        },
      },
    ],
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    let anyAllowed: boolean | undefined;
    const abortSignalAnyAllowed = (): boolean => (anyAllowed ??= targetAllowsAbortSignalAny(context.filename, options.targetNodeVersion));

    return {
      'Program:exit'() {
        const requests = getFileRequests(sourceCode);
        if (requests.sites.length === 0) return;
        const types = getTypeInfo(sourceCode);
        const received = new Map<FunctionNode, ReceivedSignals | null>();
        const receivedBy = (fn: FunctionNode): ReceivedSignals | null => {
          let found = received.get(fn);
          if (found === undefined) {
            found = receivedSignals(sourceCode, fn, types);
            received.set(fn, found);
          }
          return found;
        };

        for (const site of requests.sites) {
          if (!site.family.signalOptions.includes('signal') || site.position.kind === 'none') continue;
          const inScope = enclosingFunctions(site.node).map(receivedBy).filter((signals) => signals !== null);
          const innermost = inScope[0];
          if (!innermost) continue;
          const propagation = propagationOf(sourceCode, site, inScope, types);
          if (propagation.kind === 'missing') reportMissing(site, innermost.primary);
          else if (propagation.kind === 'dropped') reportDropped(site, innermost.primary, propagation.property, propagation.value);
        }
      },
    };

    function combined(callerSignal: CallerSignal, other: string): string {
      const both = `AbortSignal.any([${callerSignal.text}, ${other}])`;
      return callerSignal.mayBeAbsent ? `${callerSignal.text} ? ${both} : ${other}` : both;
    }

    function reportMissing(site: RequestSite, callerSignal: CallerSignal): void {
      const { options: callOptions, location } = callOptionsOf(sourceCode, site.node, site.position);
      const suggest: TSESLint.SuggestionReportDescriptor<MessageId>[] = [];
      const addSignal = (value: string): TSESLint.ReportFixFunction | undefined =>
        location && !callOptions.properties.has('signal') ? addOptionFix(sourceCode, site.node, location, `signal: ${value}`) : undefined;
      const pass = addSignal(callerSignal.text);
      if (pass) suggest.push({ messageId: 'passCallerSignal', data: { callerSignal: callerSignal.text }, fix: pass });
      if (abortSignalAnyAllowed()) {
        const value = combined(callerSignal, SUGGESTED_DEADLINE);
        const withDeadline = addSignal(value);
        if (withDeadline) suggest.push({ messageId: 'combineWithDeadline', data: { combined: value }, fix: withDeadline });
      }
      context.report({ node: site.node, messageId: 'missingSignal', data: { callee: calleeText(sourceCode, site.node), callerSignal: callerSignal.text }, suggest });
    }

    function reportDropped(site: RequestSite, callerSignal: CallerSignal, property: TSESTree.Property | undefined, value: Node): void {
      const valueText = sourceCode.getText(value);
      const suggest: TSESLint.SuggestionReportDescriptor<MessageId>[] = [];
      if (property) {
        if (abortSignalAnyAllowed()) {
          const both = combined(callerSignal, valueText);
          suggest.push({ messageId: 'combineWithCallerSignal', data: { combined: both }, fix: (fixer) => fixer.replaceText(property, `signal: ${both}`) });
        }
        suggest.push({ messageId: 'passCallerSignal', data: { callerSignal: callerSignal.text }, fix: (fixer) => fixer.replaceText(property, `signal: ${callerSignal.text}`) });
      }
      context.report({
        node: site.node,
        messageId: 'droppedSignal',
        data: { callee: calleeText(sourceCode, site.node), callerSignal: callerSignal.text, signal: valueText.length > 60 ? `${valueText.slice(0, 59)}…` : valueText },
        suggest,
      });
    }
  },
});

/** Every function around `node`, innermost first. */
function enclosingFunctions(node: Node): FunctionNode[] {
  const functions: FunctionNode[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) functions.push(current);
  }
  return functions;
}

/** The signals a function receives through its parameters, or null when it receives none. */
function receivedSignals(sourceCode: SourceCode, fn: FunctionNode, types: TypeInfo | undefined): ReceivedSignals | null {
  const signalVariables = new Set<Variable>();
  const optionsVariables = new Set<Variable>();
  let primary: CallerSignal | undefined;
  const note = (signal: CallerSignal): void => {
    primary ??= signal;
  };

  for (const parameter of fn.params) {
    const binding = parameter.type === AST_NODE_TYPES.TSParameterProperty ? parameter.parameter : parameter;
    const target = binding.type === AST_NODE_TYPES.AssignmentPattern ? binding.left : binding;
    const hasDefault = binding.type === AST_NODE_TYPES.AssignmentPattern;
    if (target.type === AST_NODE_TYPES.Identifier) {
      const variable = declaredVariable(sourceCode, fn, target.name);
      if (!variable) continue;
      const kind = parameterKind(sourceCode, target, variable, types);
      if (kind === 'signal') {
        signalVariables.add(variable);
        note({ text: target.name, mayBeAbsent: !hasDefault && identifierMayBeAbsent(sourceCode, target, types) });
      } else if (kind === 'options') {
        optionsVariables.add(variable);
        const objectMayBeAbsent = !hasDefault && identifierMayBeAbsent(sourceCode, target, types);
        note({ text: `${target.name}${objectMayBeAbsent ? '?.' : '.'}signal`, mayBeAbsent: objectMayBeAbsent || signalPropertyMayBeAbsent(target, types) });
      }
    } else if (target.type === AST_NODE_TYPES.ObjectPattern) {
      for (const property of target.properties) {
        if (property.type !== AST_NODE_TYPES.Property) continue;
        const key = propertyName(property, sourceCode);
        const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
        if (value.type !== AST_NODE_TYPES.Identifier || key === null) continue;
        const isSignal = types ? isAbortSignalType(types, types.typeOf(value)) : key === 'signal' || SIGNAL_NAME.test(key);
        if (!isSignal) continue;
        const variable = declaredVariable(sourceCode, fn, value.name);
        if (!variable) continue;
        signalVariables.add(variable);
        note({ text: value.name, mayBeAbsent: identifierMayBeAbsent(sourceCode, value, types) });
      }
    }
  }
  return primary ? { signalVariables, optionsVariables, primary } : null;
}

function declaredVariable(sourceCode: SourceCode, fn: FunctionNode, name: string): Variable | undefined {
  return sourceCode.getDeclaredVariables(fn).find((variable) => variable.name === name);
}

/**
 * With types: an `AbortSignal` parameter, or an object whose `signal` property is one. Without: by name,
 * and an options parameter only when the function reads its `signal` (or its annotation declares one).
 */
function parameterKind(sourceCode: SourceCode, identifier: TSESTree.Identifier, variable: Variable, types: TypeInfo | undefined): 'signal' | 'options' | undefined {
  if (types) {
    const type = types.typeOf(identifier);
    if (isAbortSignalType(types, type)) return 'signal';
    const signal = propertyOfType(types, type, 'signal');
    return (signal.state === 'required' || signal.state === 'optional') && isAbortSignalType(types, signal.type) ? 'options' : undefined;
  }
  const annotation = identifier.typeAnnotation ? sourceCode.getText(identifier.typeAnnotation.typeAnnotation) : undefined;
  if (SIGNAL_NAME.test(identifier.name)) return annotation === undefined || /\bAbortSignal\b/.test(annotation) ? 'signal' : undefined;
  if (annotation !== undefined && /\bsignal\??\s*:\s*AbortSignal\b/.test(annotation)) return 'options';
  if (!OPTIONS_NAME.test(identifier.name)) return undefined;
  if (annotation !== undefined && /\bRequestInit\b/.test(annotation)) return 'options';
  return variable.references.some((reference) => readsSignalOf(sourceCode, reference.identifier)) ? 'options' : undefined;
}

/**
 * `options.signal`, `options?.signal`, `const { signal } = options`, or `{ ...options, signal: x }` (which
 * passes the caller's signal on only to override it).
 */
function readsSignalOf(sourceCode: SourceCode, identifier: Node): boolean {
  const parent = identifier.parent;
  if (parent?.type === AST_NODE_TYPES.SpreadElement && parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
    return parent.parent.properties.some((property) => property.type === AST_NODE_TYPES.Property && propertyName(property, sourceCode) === 'signal');
  }
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier) return propertyName(parent, sourceCode) === 'signal';
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === identifier && parent.id.type === AST_NODE_TYPES.ObjectPattern) {
    return parent.id.properties.some((property) => property.type === AST_NODE_TYPES.Property && propertyName(property, sourceCode) === 'signal');
  }
  return false;
}

function identifierMayBeAbsent(sourceCode: SourceCode, identifier: TSESTree.Identifier, types: TypeInfo | undefined): boolean {
  if (types) return mayBeNullish(types, types.typeOf(identifier));
  return identifier.optional || !identifier.typeAnnotation || /\b(?:undefined|null)\b/.test(sourceCode.getText(identifier.typeAnnotation));
}

function signalPropertyMayBeAbsent(identifier: TSESTree.Identifier, types: TypeInfo | undefined): boolean {
  if (!types) return true;
  const signal = propertyOfType(types, types.typeOf(identifier), 'signal');
  return signal.state !== 'required' || mayBeNullish(types, signal.type);
}

/** What the request does with the caller's signal: its own options first, then a `Request` object, then its instance. */
function propagationOf(sourceCode: SourceCode, site: RequestSite, inScope: readonly ReceivedSignals[], types: TypeInfo | undefined): Propagation {
  const { options, location } = callOptionsOf(sourceCode, site.node, site.position);
  if (!location) return { kind: 'unknown' };
  const lookups: OptionLookup[] = [lookupOption(sourceCode, options, ['signal'])];
  if (site.family.requestObjectConstructor) {
    const requestInit = requestObjectInit(sourceCode, site.node.arguments[0], site.family.requestObjectConstructor);
    if (requestInit) lookups.push(lookupOption(sourceCode, requestInit, ['signal']));
    else if (types && site.node.arguments[0] && isRequestObject(types, site.node.arguments[0])) lookups.push({ state: 'unknown' });
  }
  for (let instance = site.instance; instance; instance = instance.parent) {
    lookups.push(lookupOption(sourceCode, callOptionsOf(sourceCode, instance.node, instance.factory.options).options, ['signal']));
  }
  // Another cancellation option (axios `cancelToken`): the function chose its own way to cancel.
  for (const key of site.family.signalOptions) {
    if (key !== 'signal' && lookupOption(sourceCode, options, [key]).state !== 'absent') return { kind: 'unknown' };
  }

  const set = lookups.find((lookup) => lookup.state === 'set');
  if (set?.state === 'set') return classifySignalValue(sourceCode, set.value, set.property, inScope, 0);
  if (lookups.some((lookup) => lookup.state === 'unknown')) {
    // With types, an options object whose type has no `signal` at all provably passes none.
    const argument = location.present ? site.node.arguments[location.index] : undefined;
    if (types && argument && argument.type !== AST_NODE_TYPES.SpreadElement && propertyOfType(types, types.typeOf(argument), 'signal').state === 'absent' && lookups.length === 1) {
      return { kind: 'missing' };
    }
    return { kind: 'unknown' };
  }
  return { kind: 'missing' };
}

function isRequestObject(types: TypeInfo, argument: TSESTree.CallExpressionArgument): boolean {
  if (argument.type === AST_NODE_TYPES.SpreadElement) return false;
  return propertyOfType(types, types.typeOf(argument), 'signal').state === 'required';
}

function classifySignalValue(sourceCode: SourceCode, value: Node, property: TSESTree.Property | undefined, inScope: readonly ReceivedSignals[], depth: number): Propagation {
  if (isDerived(sourceCode, value, inScope, depth)) return { kind: 'derived' };
  const known = staticValue(sourceCode, unwrap(value));
  if (known && (known.value === undefined || known.value === null)) return { kind: 'missing' };
  return isFresh(sourceCode, value, depth) ? { kind: 'dropped', property, value } : { kind: 'unknown' };
}

/** The caller's signal itself, or an expression that carries it: `AbortSignal.any([signal, ...])`, `signal ?? x`. */
function isDerived(sourceCode: SourceCode, node: Node, inScope: readonly ReceivedSignals[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const expression = unwrap(node);
  switch (expression.type) {
    case AST_NODE_TYPES.Identifier: {
      const variable = resolveVariable(sourceCode, expression);
      if (!variable) return false;
      if (inScope.some((signals) => signals.signalVariables.has(variable))) return true;
      if (destructuredSignalOf(sourceCode, variable, inScope)) return true;
      const initializer = constantInitializer(sourceCode, expression);
      return initializer !== undefined && isDerived(sourceCode, initializer, inScope, depth + 1);
    }
    case AST_NODE_TYPES.MemberExpression: {
      const object = unwrap(expression.object);
      if (object.type !== AST_NODE_TYPES.Identifier || propertyName(expression, sourceCode) !== 'signal') return false;
      const variable = resolveVariable(sourceCode, object);
      if (!variable) return false;
      if (inScope.some((signals) => signals.optionsVariables.has(variable))) return true;
      return isLinkedController(sourceCode, variable, inScope, depth);
    }
    case AST_NODE_TYPES.CallExpression:
      // `AbortSignal.any([signal, ...])`, `anySignal([signal, ...])`, `withTimeout(signal, ms)`.
      return expression.arguments.some((argument) => {
        if (argument.type === AST_NODE_TYPES.SpreadElement) return false;
        const inner = unwrap(argument);
        if (inner.type === AST_NODE_TYPES.ArrayExpression) {
          return inner.elements.some((element) => element !== null && element.type !== AST_NODE_TYPES.SpreadElement && isDerived(sourceCode, element, inScope, depth + 1));
        }
        return isDerived(sourceCode, inner, inScope, depth + 1);
      });
    case AST_NODE_TYPES.LogicalExpression:
      return isDerived(sourceCode, expression.left, inScope, depth + 1) || isDerived(sourceCode, expression.right, inScope, depth + 1);
    case AST_NODE_TYPES.ConditionalExpression:
      return isDerived(sourceCode, expression.consequent, inScope, depth + 1) || isDerived(sourceCode, expression.alternate, inScope, depth + 1);
    default:
      return false;
  }
}

/** `const { signal } = options` inside the function, where `options` is the caller's options parameter. */
function destructuredSignalOf(sourceCode: SourceCode, variable: Variable, inScope: readonly ReceivedSignals[]): boolean {
  const definition = variable.defs[0];
  if (definition?.type !== 'Variable' || definition.node.id.type !== AST_NODE_TYPES.ObjectPattern || !definition.node.init) return false;
  const source = unwrap(definition.node.init);
  if (source.type !== AST_NODE_TYPES.Identifier) return false;
  const sourceVariable = resolveVariable(sourceCode, source);
  if (!sourceVariable || !inScope.some((signals) => signals.optionsVariables.has(sourceVariable))) return false;
  return definition.node.id.properties.some(
    (property) => property.type === AST_NODE_TYPES.Property && property.value.type === AST_NODE_TYPES.Identifier && property.value.name === variable.name && propertyName(property, sourceCode) === 'signal',
  );
}

/**
 * `controller.signal` where the caller's signal aborts the controller:
 * `signal.addEventListener('abort', () => controller.abort())`, the pattern from before `AbortSignal.any`.
 */
function isLinkedController(sourceCode: SourceCode, controller: Variable, inScope: readonly ReceivedSignals[], depth: number): boolean {
  return controller.references.some((reference) => {
    // Up to the statement: the reference sits in the listener passed to `addEventListener`.
    for (let current: Node | undefined = reference.identifier.parent; current && current.type !== AST_NODE_TYPES.Program; current = current.parent) {
      if (current.type !== AST_NODE_TYPES.CallExpression) continue;
      const callee = unwrap(current.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee, sourceCode) === 'addEventListener' && isDerived(sourceCode, callee.object, inScope, depth + 1)) return true;
    }
    return false;
  });
}

/** A signal made here that cannot carry the caller's: `AbortSignal.timeout(ms)`, a local `new AbortController()`. */
function isFresh(sourceCode: SourceCode, node: Node, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const expression = unwrap(node);
  if (expression.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(expression.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || unwrap(callee.object).type !== AST_NODE_TYPES.Identifier || (unwrap(callee.object) as TSESTree.Identifier).name !== 'AbortSignal') return false;
    const method = propertyName(callee, sourceCode);
    if (method === 'timeout' || method === 'abort') return true;
    if (method !== 'any') return false;
    const list = expression.arguments[0] ? unwrap(expression.arguments[0]) : undefined;
    return list?.type === AST_NODE_TYPES.ArrayExpression && list.elements.every((element) => element !== null && element.type !== AST_NODE_TYPES.SpreadElement && isFresh(sourceCode, element, depth + 1));
  }
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const initializer = constantInitializer(sourceCode, expression);
    return initializer !== undefined && isFresh(sourceCode, initializer, depth + 1);
  }
  if (expression.type === AST_NODE_TYPES.MemberExpression && propertyName(expression, sourceCode) === 'signal') {
    const object = unwrap(expression.object);
    if (object.type !== AST_NODE_TYPES.Identifier) return false;
    const created = constantInitializer(sourceCode, object);
    const constructed = created ? unwrap(created) : undefined;
    return constructed?.type === AST_NODE_TYPES.NewExpression && unwrap(constructed.callee).type === AST_NODE_TYPES.Identifier && (unwrap(constructed.callee) as TSESTree.Identifier).name === 'AbortController';
  }
  return false;
}
