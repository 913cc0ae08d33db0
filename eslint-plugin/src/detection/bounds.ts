import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { disablesTimer, locateOptionsArgument } from '../knowledge/index.js';
import type { ClientFamily, OptionsArgumentLocation, OptionsPosition, TimerOption } from '../knowledge/index.js';
import { argumentKindOf } from './arguments.js';
import { outermostValue, propertyName, staticValue, unwrap } from './ast.js';
import { chainBound } from './chain.js';
import { nodeRequestHandling } from './node-request-object.js';
import { ABSENT_OPTIONS, type OptionLookup, type OptionsObject, lookupOption, readOptions } from './options.js';
import type { DefaultsAssignment, FileRequests, InstanceSite, RequestSite } from './request-sites.js';
import { type SignalClass, type SignalSettings, classifySignal } from './signals.js';
import { typedArgumentKind, typedOptionsLayer, typedRequestObject } from './typed-options.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

export interface BoundSettings extends SignalSettings {
  /** Strict mode: a signal counts only when it carries a deadline. */
  readonly requireDeadlineSignal: boolean;
}

/** Why nothing bounds a call, most specific first. */
export type UnboundedReason =
  | 'nullish-signal'
  | 'signal-without-deadline'
  | 'ignored-timeout'
  | 'disabled-timer'
  | 'timeout-without-handler'
  | 'no-bound';

/** The verdict on one call (or one instance, ignoring its calls). */
export interface BoundVerdict {
  /** `deadline`: bounded for good; `idle`: only idle or phase timers; `none`: nothing bounds it. */
  readonly bound: 'deadline' | 'idle' | 'none';
  /** Some options could not be read (a parameter, a call result, a spread): a bound may hide there. */
  readonly opaque: boolean;
  readonly reason: UnboundedReason | undefined;
  /** The option behind `reason` (the `signal: undefined` property, the ignored `timeout`). */
  readonly culprit: Node | undefined;
  /** For `disabled-timer`: the timer the culprit switches off (a chain's deadline timer for `.timeout(0)`). */
  readonly culpritTimer: TimerOption | undefined;
  /** The idle or phase timers that are the only bound, as written (`timeout`, `headersTimeout`). */
  readonly idleTimers: readonly string[];
  /** The signal option, when one is set, and what it carries (strict follows it; recommended counts any signal). */
  readonly signal: ({ readonly property: TSESTree.Property } & SignalClass) | undefined;
  /** The options of the call itself, and where its argument is (or would go). */
  readonly callOptions: OptionsObject;
  readonly callOptionsLocation: OptionsArgumentLocation | undefined;
}

/** One source of options, applied in order; later layers override earlier ones. */
interface Layer {
  lookup(path: readonly string[], scalarOnly: boolean): OptionLookup;
  readonly opaque: boolean;
}

function optionsLayer(sourceCode: SourceCode, options: OptionsObject, family: ClientFamily): Layer {
  // A bound key assigned after the declaration (`init.signal = controller.signal`) may hold a bound.
  const boundKeys = [...family.signalOptions, ...family.timers.map((timer) => timer.path[0])];
  const assignsBound = boundKeys.some((key) => key !== undefined && options.assignedLater?.has(key));
  return { lookup: (path, scalarOnly) => lookupOption(sourceCode, options, path, scalarOnly), opaque: options.opaque || assignsBound };
}

function defaultsLayer(assignments: readonly DefaultsAssignment[]): Layer {
  return {
    lookup(path) {
      const key = path.join('.');
      const found = [...assignments].reverse().find((assignment) => assignment.timer.path.join('.') === key);
      return found ? { state: 'set', value: found.assignment.right, property: found.assignment as unknown as TSESTree.Property } : { state: 'absent' };
    },
    opaque: false,
  };
}

/** Where a call's options are and what they say. */
export function callOptionsOf(
  sourceCode: SourceCode,
  node: TSESTree.CallExpression | TSESTree.NewExpression,
  position: OptionsPosition,
): { options: OptionsObject; location: OptionsArgumentLocation | undefined } {
  if (position.kind === 'none') return { options: ABSENT_OPTIONS, location: undefined };
  const kinds = node.arguments.map((argument) => typedArgumentKind(sourceCode, argument, argumentKindOf(sourceCode, argument)));
  const location = locateOptionsArgument(position, kinds);
  if (!location) return { options: { ...ABSENT_OPTIONS, opaque: true }, location };
  // `fetch(...args)`: a spread at or before the options position may hold them, or shift them elsewhere.
  if (node.arguments.some((argument, index) => argument.type === AST_NODE_TYPES.SpreadElement && index <= location.index)) {
    return { options: { ...ABSENT_OPTIONS, opaque: true }, location: undefined };
  }
  if (!location.present) return { options: ABSENT_OPTIONS, location };
  const argument = node.arguments[location.index];
  if (argument?.type === AST_NODE_TYPES.SpreadElement) return { options: { ...ABSENT_OPTIONS, opaque: true }, location };
  return { options: readOptions(sourceCode, argument), location };
}

function instanceLayers(sourceCode: SourceCode, instance: InstanceSite | undefined): Layer[] {
  if (!instance) return [];
  const { options } = callOptionsOf(sourceCode, instance.node, instance.factory.options);
  return [...instanceLayers(sourceCode, instance.parent), optionsLayer(sourceCode, options, instance.family), defaultsLayer(instance.defaults)];
}

/**
 * Evaluates every layer that can bound a call: the library's defaults (ky's 10 s), module defaults
 * (`axios.defaults.timeout`), the instance chain, the call's own options, a builder chain's `.timeout()`,
 * and for node:http the `'timeout'` handling on the request object.
 * With `includeCall: false` it judges an instance alone (for reporting it where it is created).
 */
export function evaluateBound(
  sourceCode: SourceCode,
  requests: FileRequests,
  site: RequestSite,
  settings: BoundSettings,
): BoundVerdict {
  const { options: callOptions, location } = callOptionsOf(sourceCode, site.node, site.position);
  const layers: Layer[] = [];
  if (!site.instance) layers.push(defaultsLayer(requests.moduleDefaults.get(site.family) ?? []));
  layers.push(...instanceLayers(sourceCode, site.instance));
  const requestInit = requestObjectOptions(sourceCode, site);
  if (requestInit) layers.push(optionsLayer(sourceCode, requestInit, site.family));
  const boundPaths = [...site.family.signalOptions.map((key) => [key]), ...site.timers.map((timer) => timer.path)];
  const optionsArgument = location?.present ? site.node.arguments[location.index] : undefined;
  layers.push(typedOptionsLayer(sourceCode, optionsArgument, callOptions, boundPaths) ?? optionsLayer(sourceCode, callOptions, site.family));
  const verdict = judge(sourceCode, site, layers, settings, callOptions, location);
  // Type-aware: a process-wide default set in another module (`axios.defaults.timeout = 5000`).
  const programDefault = site.instance ? undefined : requests.programDefaults?.get(site.family.id);
  return programDefault && verdict.bound === 'none' && verdict.reason === 'no-bound' ? { ...verdict, bound: 'idle', reason: undefined, idleTimers: programDefault.timers } : verdict;
}

/**
 * `fetch(input)` where `input` is, or may be, a `Request` (by construction, by name, or by type): the options
 * it carries (opaque when they cannot be read). Undefined when the first argument is no request object.
 */
export function requestObjectOptions(sourceCode: SourceCode, site: RequestSite): OptionsObject | undefined {
  const constructorName = site.family.requestObjectConstructor;
  if (!constructorName) return undefined;
  const input = site.node.arguments[0];
  let requestInit = requestObjectInit(sourceCode, input, constructorName);
  if (input && (requestInit?.opaque ?? argumentKindOf(sourceCode, input) === 'unknown')) {
    const typed = typedRequestObject(sourceCode, input, constructorName);
    if (typed === 'not-request-object') requestInit = undefined;
    else if (typed === 'request-object') requestInit ??= { ...ABSENT_OPTIONS, opaque: true };
  }
  return requestInit;
}

/** The instance alone, as created: what every call on it inherits. */
export function evaluateInstance(sourceCode: SourceCode, instance: InstanceSite, settings: BoundSettings): BoundVerdict {
  const { options, location } = callOptionsOf(sourceCode, instance.node, instance.factory.options);
  const pseudoSite: RequestSite = { family: instance.family, node: instance.node, method: null, position: instance.factory.options, timers: instance.family.timers, instance: undefined };
  return judge(sourceCode, pseudoSite, instanceLayers(sourceCode, instance), settings, options, location, true);
}

function resolveAcrossLayers(layers: readonly Layer[], path: readonly string[], scalarOnly: boolean): OptionLookup {
  let result: OptionLookup = { state: 'absent' };
  for (const layer of layers) {
    const found = layer.lookup(path, scalarOnly);
    if (found.state === 'set' || found.state === 'typed' || (found.state === 'unknown' && result.state === 'absent')) result = found;
  }
  return result;
}

function judge(
  sourceCode: SourceCode,
  site: RequestSite,
  layers: readonly Layer[],
  settings: BoundSettings,
  callOptions: OptionsObject,
  location: OptionsArgumentLocation | undefined,
  instanceOnly = false,
): BoundVerdict {
  const family = site.family;
  let opaque = layers.some((layer) => layer.opaque);
  let hasDeadline = false;
  const idleTimers: string[] = [];
  let culprit: Node | undefined;
  let culpritTimer: TimerOption | undefined;
  let reason: UnboundedReason | undefined;
  const note = (newReason: UnboundedReason, node: Node, timer?: TimerOption): void => {
    if (!reason) {
      reason = newReason;
      culprit = node;
      culpritTimer = timer;
    }
  };

  // Signals.
  let signal: BoundVerdict['signal'];
  for (const key of family.signalOptions) {
    const found = resolveAcrossLayers(layers, [key], false);
    if (found.state === 'typed') {
      // Required by the options' type: some signal is there, whether it carries a deadline is not visible.
      if (key !== 'signal' || !settings.requireDeadlineSignal) hasDeadline = true;
      else opaque = true;
      continue;
    }
    if (found.state !== 'set') continue;
    // Recommended counts any signal, so only strict pays for following it to a timer.
    const signalClass: SignalClass = settings.requireDeadlineSignal
      ? classifySignal(sourceCode, found.value, settings, { call: site.node, bodyReaders: site.family.responseBodyReaders })
      : { kind: isNullish(sourceCode, found.value) ? 'nullish' : 'deadline' };
    const kind = signalClass.kind;
    if (kind === 'nullish') {
      note('nullish-signal', found.property);
      continue;
    }
    if (key !== 'signal') {
      hasDeadline = true; // axios `cancelToken`: the caller cancels it; count it like any signal
      continue;
    }
    signal = { property: found.property, ...signalClass };
    if (!settings.requireDeadlineSignal || kind === 'deadline' || kind === 'timer-controller') hasDeadline = true;
    else note('signal-without-deadline', found.property);
  }

  // Timers, with library defaults underneath.
  let timeoutAwaitingHandler: Node | undefined;
  for (const timer of site.timers) {
    const found = resolveAcrossLayers(layers, timer.path, timer.scalarOnly ?? false);
    if (found.state === 'typed') {
      // Required by the options' type, value not visible: it counts as set (node's `timeout` still needs a handler).
      if (timer.kind === 'deadline') hasDeadline = true;
      else if (timer.kind !== 'ignored' && !family.timeoutNeedsHandler) idleTimers.push(timer.path.join('.'));
      continue;
    }
    if (found.state === 'unknown' || found.state === 'absent') {
      if (found.state === 'absent' && family.defaultTimers.some((fallback) => fallback.path.join('.') === timer.path.join('.'))) hasDeadline = true;
      continue;
    }
    const value = staticValue(sourceCode, found.value);
    if (value && disablesTimer(timer, value.value)) {
      note('disabled-timer', found.property, timer);
      continue;
    }
    if (timer.kind === 'ignored') note('ignored-timeout', found.property);
    else if (timer.kind === 'deadline') hasDeadline = true;
    else if (family.timeoutNeedsHandler) timeoutAwaitingHandler = found.property;
    else idleTimers.push(timer.path.join('.'));
  }

  // node:http: `timeout` bounds nothing without a handler that destroys the request.
  if (family.timeoutNeedsHandler && !instanceOnly) {
    const handling = nodeRequestHandling(sourceCode, site.node);
    const setTimeoutBound = handling.setTimeoutCalls.some((call) => {
      const ms = call.arguments[0] ? staticValue(sourceCode, call.arguments[0]) : undefined;
      return !(ms && site.timers[0] && disablesTimer(site.timers[0], ms.value));
    });
    if ((timeoutAwaitingHandler || setTimeoutBound) && handling.destroysOnTimeout) idleTimers.push('timeout');
    else if (timeoutAwaitingHandler) note('timeout-without-handler', timeoutAwaitingHandler);
  }

  // Builder chains: superagent's `.timeout()`.
  if (family.chainBounds.length > 0 && !instanceOnly) {
    const chain = chainBound(sourceCode, family, site.node);
    if (chain.kind === 'deadline') hasDeadline = true;
    else if (chain.kind) idleTimers.push('timeout');
    if (chain.disabled) note('disabled-timer', chain.disabled);
    if (chain.escapes) opaque = true;
  }

  // `Promise.race([fetch(url), timer])` or `pTimeout(got(url), ...)`: the caller stops waiting on a timer.
  // The request itself runs on, so only recommended accepts it.
  if (!hasDeadline && !instanceOnly && !settings.requireDeadlineSignal && racedAgainstTimer(sourceCode, site.node)) hasDeadline = true;

  if (!location && site.position.kind !== 'none' && !instanceOnly) opaque = true;
  const bound = hasDeadline ? 'deadline' : idleTimers.length > 0 ? 'idle' : 'none';
  return {
    bound,
    opaque,
    reason: bound === 'none' ? (reason ?? 'no-bound') : undefined,
    culprit: bound === 'none' ? culprit : undefined,
    culpritTimer: bound === 'none' ? culpritTimer : undefined,
    idleTimers,
    signal,
    callOptions,
    callOptionsLocation: location,
  };
}

function isNullish(sourceCode: SourceCode, node: Node): boolean {
  const known = staticValue(sourceCode, node);
  return known !== undefined && (known.value === undefined || known.value === null);
}

/** Names of promise helpers that reject after a delay: p-timeout's `pTimeout`, `withTimeout`, `raceDeadline`. */
const TIMEOUT_HELPER = /(?:^|[a-z_])(?:timeout|deadline)|^(?:timeout|deadline)/i;

function racedAgainstTimer(sourceCode: SourceCode, call: Node): boolean {
  // Climb `.then(...)`/`.json()` chains: `Promise.race([fetch(url).then((r) => r.json()), timer])`.
  let value = outermostValue(call);
  for (;;) {
    const parent = value.parent;
    if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== value) break;
    const next = outermostValue(parent).parent;
    if (next?.type !== AST_NODE_TYPES.CallExpression || next.callee !== outermostValue(parent)) break;
    value = outermostValue(next);
  }
  const parent = value.parent;
  if (parent?.type === AST_NODE_TYPES.ArrayExpression && parent.elements.length >= 2) {
    const race = parent.parent;
    if (race?.type !== AST_NODE_TYPES.CallExpression || race.arguments[0] !== parent) return false;
    const callee = unwrap(race.callee);
    return callee.type === AST_NODE_TYPES.MemberExpression && ['race', 'any'].includes(propertyName(callee, sourceCode) ?? '');
  }
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === value && parent.arguments.length >= 2) {
    const callee = unwrap(parent.callee);
    const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee, sourceCode) : null;
    return name !== null && TIMEOUT_HELPER.test(name);
  }
  return false;
}

/**
 * `fetch(new Request(url, { signal }))`: the request object carries the init. A request object we cannot
 * see (`fetch(request)` in a wrapper) is opaque: it may carry a signal.
 */
export function requestObjectInit(sourceCode: SourceCode, argument: Node | undefined, constructorName: string): OptionsObject | undefined {
  if (!argument) return undefined;
  let expression = unwrap(argument);
  if (expression.type === AST_NODE_TYPES.Identifier && /^(?:req|request|input)$/i.test(expression.name) && argumentKindOf(sourceCode, expression) !== 'url') {
    const initializer = findUp(sourceCode, expression)?.defs[0];
    if (initializer?.type !== 'Variable') return { ...ABSENT_OPTIONS, opaque: true };
  }
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const variable = sourceCode.getScope(expression).set.get(expression.name) ?? findUp(sourceCode, expression);
    const definition = variable?.defs[0];
    if (definition?.type === 'Variable' && definition.node.init && definition.parent.kind === 'const') expression = unwrap(definition.node.init);
  }
  if (expression.type !== AST_NODE_TYPES.NewExpression) return undefined;
  const callee = unwrap(expression.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== constructorName) return undefined;
  return readOptions(sourceCode, expression.arguments[1]);
}

function findUp(sourceCode: SourceCode, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
  for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(identifier); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
  }
  return undefined;
}

