import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { disablingValueOf, type TimerOption } from '../knowledge/index.js';
import { getTypeInfo, mayBeNullish as typeMayBeNullish } from '../util/type-info.js';
import { constantInitializer, outermostValue, propertyName, resolveVariable, staticValue, unwrap } from './ast.js';
import { type BoundSettings, type BoundVerdict, callOptionsOf, evaluateBound, requestObjectOptions } from './bounds.js';
import { chainEnd } from './chain.js';
import { keysAssignedLater } from './options.js';
import { typedRequestObject } from './typed-options.js';
import type { FileRequests, InstanceSite, RequestSite } from './request-sites.js';
import type { Culprit, OptionsSlot, OptionsValue, RequestObject, SignalOption, SiteDescriptor, SiteReason } from './site-descriptor.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;
type Call = TSESTree.CallExpression | TSESTree.NewExpression;

/** Which rule reports, with which message: what a descriptor is matched to a lint message by. */
export interface ReportIds {
  readonly ruleId: string;
  readonly messageId: string;
}

const MAX_DEPTH = 4;

/** `context.id` without the plugin prefix (`bounded-http/no-unbounded-fetch` → `no-unbounded-fetch`). */
export function ruleNameOf(contextId: string): string {
  return contextId.slice(contextId.lastIndexOf('/') + 1);
}

/** The descriptor of a reported call. */
export function describeCall(sourceCode: SourceCode, site: RequestSite, verdict: BoundVerdict, ids: ReportIds, reason: SiteReason): SiteDescriptor {
  const requestObject = describeRequestObject(sourceCode, site);
  const chain = site.family.chainBounds.length > 0 ? { chainEnd: chainEnd(site.node).range[1] } : {};
  return {
    ...ids,
    range: site.node.range,
    familyId: site.family.id,
    role: 'call',
    method: site.method,
    options: describeSlot(sourceCode, site.node, verdict.callOptionsLocation, site.position.kind === 'none'),
    reason,
    culprit: culpritOf(sourceCode, verdict),
    ...(requestObject ? { requestObject } : {}),
    ...chain,
  };
}

/**
 * The descriptor of a reported instance creation. `instanceCalls` are the calls on it that have no deadline
 * of their own under `settings` (the rule's), each described as a call.
 */
export function describeInstance(
  sourceCode: SourceCode,
  requests: FileRequests,
  instance: InstanceSite,
  verdict: BoundVerdict,
  settings: BoundSettings,
  ids: ReportIds,
  reason: SiteReason,
): SiteDescriptor {
  const { location } = callOptionsOf(sourceCode, instance.node, instance.factory.options);
  const instanceCalls = instance.calls
    .map((call) => ({ call, callVerdict: evaluateBound(sourceCode, requests, call, settings) }))
    .filter(({ callVerdict }) => callVerdict.bound !== 'deadline')
    .map(({ call, callVerdict }) => describeCall(sourceCode, call, callVerdict, ids, callVerdict.reason ?? 'idle-only'));
  return {
    ...ids,
    range: instance.node.range,
    familyId: instance.family.id,
    role: instance.factory.dispatcher ? 'dispatcher' : 'instance-factory',
    method: instance.factory.path.at(-1) ?? null,
    options: describeSlot(sourceCode, instance.node, location, instance.factory.options.kind === 'none'),
    reason,
    culprit: culpritOf(sourceCode, verdict),
    instanceCalls,
    instanceEscapes: instanceEscapes(sourceCode, instance) || requests.instances.some((other) => other.parent === instance),
  };
}

/** A value `no-disabled-timeout` reports: a disabled or too large timer, a never-firing signal. */
export function describeTimerValue(
  sourceCode: SourceCode,
  reported: Node,
  value: Node,
  context: {
    readonly familyId: SiteDescriptor['familyId'];
    readonly role: SiteDescriptor['role'];
    readonly reason: 'disabled-value' | 'above-max' | 'never-firing-signal';
    readonly timer?: TimerOption;
  },
  ids: ReportIds,
): SiteDescriptor {
  return {
    ...ids,
    range: reported.range,
    familyId: context.familyId,
    role: context.role,
    method: null,
    options: { kind: 'none' },
    reason: context.reason,
    culprit: {
      kind: context.reason === 'above-max' ? 'above-max' : 'disabled-value',
      node: reported.range,
      value: unwrap(value).range,
      valueDisables: valueDisables(sourceCode, value),
      valueWrittenHere: writtenHere(sourceCode, value),
      ...timerOf(context.timer),
    },
  };
}

function describeSlot(sourceCode: SourceCode, call: Call, location: BoundVerdict['callOptionsLocation'], takesNoOptions: boolean): OptionsSlot {
  if (takesNoOptions) return { kind: 'none' };
  if (!location) {
    return call.arguments.some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)
      ? { kind: 'unknowable', why: 'spread-arguments' }
      : { kind: 'unknowable', why: 'ambiguous-first-argument' };
  }
  const argument = call.arguments[location.index];
  if (!location.present) return { kind: 'insert', index: location.index, placeholders: location.placeholders, before: argument?.range };
  if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return { kind: 'unknowable', why: 'spread-arguments' };
  if (isNullishLiteral(sourceCode, argument)) return { kind: 'placeholder', index: location.index, range: argument.range };
  return { kind: 'argument', index: location.index, value: describeOptionsValue(sourceCode, argument, 0) };
}

/** `undefined`, `null` or `void 0` written where the options go. */
function isNullishLiteral(sourceCode: SourceCode, node: Node): boolean {
  const expression = unwrap(node);
  if (expression.type === AST_NODE_TYPES.Literal) return expression.value === null;
  if (expression.type === AST_NODE_TYPES.UnaryExpression) return expression.operator === 'void';
  if (expression.type !== AST_NODE_TYPES.Identifier || expression.name !== 'undefined') return false;
  const known = staticValue(sourceCode, expression);
  return known !== undefined && known.value === undefined;
}

function describeOptionsValue(sourceCode: SourceCode, node: Node, depth: number): OptionsValue {
  const expression = unwrap(node);
  if (expression.type === AST_NODE_TYPES.ObjectExpression) return describeLiteral(sourceCode, expression, depth);
  if (expression.type === AST_NODE_TYPES.Identifier && depth < MAX_DEPTH) {
    const initializer = constantInitializer(sourceCode, expression);
    const literal = initializer ? unwrap(initializer) : undefined;
    if (literal?.type === AST_NODE_TYPES.ObjectExpression && keysAssignedLater(sourceCode, expression)?.size === 0) {
      return { kind: 'const', range: expression.range, literal: describeLiteral(sourceCode, literal, depth + 1) };
    }
  }
  return { kind: 'opaque', range: expression.range, repeatable: isRepeatable(expression), mayBeNullish: mayBeNullish(sourceCode, expression) };
}

function describeLiteral(sourceCode: SourceCode, literal: TSESTree.ObjectExpression, depth: number): OptionsValue & { kind: 'literal' } {
  let signal: SignalOption | undefined;
  const spreads: OptionsValue[] = [];
  for (const member of literal.properties) {
    if (member.type === AST_NODE_TYPES.SpreadElement) {
      spreads.push(describeOptionsValue(sourceCode, member.argument, depth + 1));
    } else if (propertyName(member, sourceCode) === 'signal') {
      signal = describeSignal(sourceCode, member);
    }
  }
  return { kind: 'literal', range: literal.range, signal, spreads };
}

function describeSignal(sourceCode: SourceCode, property: TSESTree.Property): SignalOption {
  const value = unwrap(property.value);
  const known = staticValue(sourceCode, value);
  return {
    property: property.range,
    value: value.range,
    shorthand: property.shorthand,
    nullish: known !== undefined && (known.value === undefined || known.value === null),
    definite: isControllerSignal(sourceCode, value),
    repeatable: isRepeatable(value),
  };
}

/** `controller.signal` where `controller` is bound, through scope, to `new AbortController()`. */
function isControllerSignal(sourceCode: SourceCode, value: Node): boolean {
  if (value.type !== AST_NODE_TYPES.MemberExpression || propertyName(value, sourceCode) !== 'signal') return false;
  const owner = unwrap(value.object);
  if (owner.type !== AST_NODE_TYPES.Identifier) return false;
  const initializer = constantInitializer(sourceCode, owner);
  const created = initializer ? unwrap(initializer) : undefined;
  if (created?.type !== AST_NODE_TYPES.NewExpression) return false;
  const callee = unwrap(created.callee);
  return callee.type === AST_NODE_TYPES.Identifier && callee.name === 'AbortController';
}

/** Read twice without a second side effect: a name, `this`, or a non-computed member chain of those. */
function isRepeatable(node: Node): boolean {
  const expression = unwrap(node);
  if (expression.type === AST_NODE_TYPES.Identifier || expression.type === AST_NODE_TYPES.ThisExpression) return true;
  if (expression.type === AST_NODE_TYPES.MemberExpression && !expression.computed) return isRepeatable(expression.object);
  return false;
}

/**
 * Whether an options value may be nullish at run time. With types: what the type says. Without: a
 * parameter may be, unless its annotation rules it out (no `?`, no `undefined`/`null` in it) or it has a
 * default; a `const` bound to an object literal, a `new` or a call of a known shape is not.
 */
function mayBeNullish(sourceCode: SourceCode, node: Node): boolean {
  const types = getTypeInfo(sourceCode);
  if (types) return typeMayBeNullish(types, types.typeOf(node));
  if (node.type !== AST_NODE_TYPES.Identifier) return true;
  const variable = resolveVariable(sourceCode, node);
  const definition = variable?.defs[0];
  if (!definition) return true;
  if (definition.type === 'Parameter') {
    const name = definition.name as TSESTree.Identifier;
    if (name.parent.type === AST_NODE_TYPES.AssignmentPattern && name.parent.left === name) return false;
    const annotation = name.typeAnnotation?.typeAnnotation;
    if (!annotation || name.optional) return true;
    return /\b(?:undefined|null|any|unknown)\b/u.test(sourceCode.getText(annotation));
  }
  const initializer = constantInitializer(sourceCode, node);
  const value = initializer ? unwrap(initializer) : undefined;
  return !(value?.type === AST_NODE_TYPES.ObjectExpression || value?.type === AST_NODE_TYPES.NewExpression);
}

function describeRequestObject(sourceCode: SourceCode, site: RequestSite): RequestObject | undefined {
  const constructorName = site.family.requestObjectConstructor;
  const input = site.node.arguments[0];
  if (!constructorName || !input || input.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const expression = unwrap(input);
  if (expression.type === AST_NODE_TYPES.NewExpression) {
    const callee = unwrap(expression.callee);
    if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== constructorName) return undefined;
    const { location } = callOptionsOf(sourceCode, expression, { kind: 'index', index: 1 });
    return { kind: 'constructed', range: expression.range, options: describeSlot(sourceCode, expression, location, false) };
  }
  if (!requestObjectOptions(sourceCode, site)) return undefined;
  return { kind: 'reference', range: expression.range, repeatable: isRepeatable(expression), certain: isCertainlyRequest(sourceCode, expression, constructorName) };
}

/** By type, by a `Request` annotation on the parameter, or bound through scope to `new Request(...)`. */
function isCertainlyRequest(sourceCode: SourceCode, expression: Node, constructorName: string): boolean {
  if (typedRequestObject(sourceCode, expression, constructorName) === 'request-object') return true;
  if (expression.type !== AST_NODE_TYPES.Identifier) return false;
  const definition = resolveVariable(sourceCode, expression)?.defs[0];
  if (definition?.type === 'Parameter') {
    const annotation = (definition.name as TSESTree.Identifier).typeAnnotation?.typeAnnotation;
    return annotation !== undefined && sourceCode.getText(annotation) === constructorName;
  }
  const initializer = constantInitializer(sourceCode, expression);
  const created = initializer ? unwrap(initializer) : undefined;
  if (created?.type !== AST_NODE_TYPES.NewExpression) return false;
  const callee = unwrap(created.callee);
  return callee.type === AST_NODE_TYPES.Identifier && callee.name === constructorName;
}

const CULPRIT_OF_REASON: Partial<Record<NonNullable<BoundVerdict['reason']>, Culprit['kind']>> = {
  'nullish-signal': 'nullish-signal',
  'signal-without-deadline': 'signal-without-deadline',
  'ignored-timeout': 'ignored-timeout',
  'disabled-timer': 'disabled-value',
  'timeout-without-handler': 'timeout-without-handler',
};

function culpritOf(sourceCode: SourceCode, verdict: BoundVerdict): Culprit | undefined {
  const kind = verdict.reason ? CULPRIT_OF_REASON[verdict.reason] : undefined;
  const node = kind === 'signal-without-deadline' ? verdict.signal?.property : verdict.culprit;
  if (!kind || !node) return undefined;
  // A property's value, a `defaults.timeout = 0` assignment's right side, or a chain argument itself.
  const value =
    node.type === AST_NODE_TYPES.Property ? node.value : node.type === AST_NODE_TYPES.AssignmentExpression ? node.right : node;
  return {
    kind,
    node: node.range,
    value: unwrap(value).range,
    valueDisables: valueDisables(sourceCode, value),
    valueWrittenHere: writtenHere(sourceCode, value),
    ...timerOf(verdict.culpritTimer),
  };
}

function timerOf(timer: TimerOption | undefined): Pick<Culprit, 'timer'> {
  return timer ? { timer: { path: timer.path, kind: timer.kind } } : {};
}

/** The knowledge base's notion of a disabled value: `disablingValueOf` of the static value, `NaN` included. */
function valueDisables(sourceCode: SourceCode, value: Node): boolean {
  const known = staticValue(sourceCode, value);
  return known !== undefined && (disablingValueOf(known.value) !== undefined || Number.isNaN(known.value));
}

/** The value is written at the site, not a name for a constant declared elsewhere. */
export function writtenHere(sourceCode: SourceCode, value: Node): boolean {
  const expression = unwrap(value);
  if (expression.type !== AST_NODE_TYPES.Identifier) return true;
  return (resolveVariable(sourceCode, expression)?.defs.length ?? 0) === 0;
}

/**
 * A use that only calls the instance, here: a method on it (`api.get(...)`), or the instance itself when it is
 * callable (`api('/a')`, an ofetch or axios instance). Such a call is one of the instance's calls, in sight.
 */
function usedInPlace(use: TSESTree.Node, parent: TSESTree.Node | undefined): boolean {
  return (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === use) || (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === use);
}

/**
 * Whether calls on the instance may exist that the file does not show: the instance is exported, returned,
 * passed on or stored, rather than used in place (`wretch(url).get()`) or held in a local binding (or a class
 * field) used only for its methods.
 */
function instanceEscapes(sourceCode: SourceCode, instance: InstanceSite): boolean {
  const top = outermostValue(instance.node);
  const holder = top.parent;
  if (usedInPlace(top, holder)) return false;
  if (holder?.type === AST_NODE_TYPES.PropertyDefinition && holder.value === top) return false;
  if (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.right === top && holder.left.type === AST_NODE_TYPES.MemberExpression && holder.left.object.type === AST_NODE_TYPES.ThisExpression) {
    return holder.parent.type !== AST_NODE_TYPES.ExpressionStatement;
  }
  if (holder?.type !== AST_NODE_TYPES.VariableDeclarator || holder.init !== top || holder.id.type !== AST_NODE_TYPES.Identifier) return true;
  if (holder.parent.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return true;
  const variable = sourceCode.getDeclaredVariables(holder)[0];
  return (variable?.references ?? []).some((reference) => {
    if (reference.init === true || reference.identifier === holder.id) return false;
    const use = outermostValue(reference.identifier);
    return !usedInPlace(use, use.parent);
  });
}
