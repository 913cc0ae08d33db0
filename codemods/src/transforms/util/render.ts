/**
 * Renders a family's bound template at a call, from the call's site descriptor: nothing here resolves a
 * callee, guesses what an argument is or looks a name up. The descriptor says where the options sit and what
 * they hold; this file only turns that into text edits that look like the code around them.
 */
import type { OptionsSlot, OptionsValue, SiteDescriptor, SourceRange } from 'eslint-plugin-bounded-http/detection';
import { type BoundTemplate, renderBound, renderDeadlineSignal, renderOptionPath } from 'eslint-plugin-bounded-http/knowledge';
import { Node, type ObjectLiteralExpression } from 'ts-morph';

import type { Edit, TransformContext } from '../types.js';
import { addProperties } from './edits.js';
import { findProperty, nodeAtRange } from './syntax.js';

export type Outcome = { edits: Edit[] } | { unfixable: string };

const NEEDS_ANY =
  'combining it with a deadline needs AbortSignal.any on Node ^22.16 or >= 24 (before that a garbage collection loses its AbortSignal.timeout, nodejs/node#57736), which the target Node version does not allow; add the deadline by hand';

/** Where a call's text and the edits' offsets come from: the file's text without a BOM. */
function textOf(context: TransformContext, range: SourceRange): string {
  return context.sourceFile.getFullText().slice(range[0], range[1]);
}

function replaceRange(range: SourceRange, text: string): Edit {
  return { start: range[0], end: range[1], text };
}

/** `AbortSignal.timeout(<ms>)` with the configured deadline. */
export function deadlineSignal(context: TransformContext): string {
  return renderDeadlineSignal(context.timeoutText);
}

/**
 * A signal the caller already passes, which the deadline must be combined with: its text, and whether it may
 * be nullish (then the deadline alone stands in for it).
 */
interface CallerSignal {
  readonly text: string;
  readonly nullable: boolean;
  /** Can be read twice: `init.signal` yes, `makeSignal()` no. */
  readonly repeatable: boolean;
  /** How it is read when it may be nullish (`init?.signal`). */
  readonly guardText?: string;
  /** Where it comes from, for an unfixable reason: `the options init may carry a signal`. */
  readonly origin: string;
}

/**
 * The signal to write: the deadline, combined with the caller's signals (the first one that is not nullish
 * wins, as `Request` and fetch's init do). Never drops a caller's signal: without `AbortSignal.any` the site
 * is unfixable.
 */
function combinedSignal(callers: readonly CallerSignal[], context: TransformContext): string | { unfixable: string } {
  const deadline = deadlineSignal(context);
  if (callers.length === 0) return deadline;
  if (!context.allowAbortSignalAny) return { unfixable: `${callers.map((caller) => caller.origin).join(' and ')}; ${NEEDS_ANY}` };
  const [only] = callers;
  if (callers.length === 1 && only) {
    if (!only.nullable) return `AbortSignal.any([${only.text}, ${deadline}])`;
    if (only.repeatable) return `${only.guardText ?? only.text} ? AbortSignal.any([${only.text}, ${deadline}]) : ${deadline}`;
  }
  // Evaluated once: a computed signal (`requestSignal()`) is never read twice.
  const chain = callers.map((caller) => caller.guardText ?? caller.text).join(' ?? ');
  return callers.some((caller) => !caller.nullable) ? `AbortSignal.any([${chain}, ${deadline}])` : `AbortSignal.any([${chain} ?? ${deadline}, ${deadline}])`;
}

/** Why the init of a `new Request(url, init)` written at the call may carry a signal, or undefined when it cannot. */
function signalInRequestInit(slot: OptionsSlot): string | undefined {
  const byHand = 'add the deadline to fetch\'s own init by hand, combined with it';
  if (slot.kind === 'unknowable') return `cannot tell which argument of new Request(...) is its init; ${byHand}`;
  if (slot.kind !== 'argument') return undefined;
  const value = slot.value;
  if (value.kind === 'literal') {
    if (value.signal && !value.signal.nullish) return `the new Request(...) carries its own signal, which a signal in fetch's init would replace; ${byHand}`;
    if (value.spreads.some((spread) => spread.kind !== 'const' || mayCarrySignal(spread.literal))) return `the init of new Request(...) spreads an object that may carry a signal; ${byHand}`;
    return undefined;
  }
  if (value.kind === 'const' && !mayCarrySignal(value.literal)) return undefined;
  return `the init of new Request(...) may carry a signal, which a signal in fetch's init would replace; ${byHand}`;
}

/** The signal a `Request` passed as fetch's input carries, which a new `signal` in the init would replace. */
function requestSignal(descriptor: SiteDescriptor, context: TransformContext): CallerSignal[] | { unfixable: string } {
  const request = descriptor.requestObject;
  if (request?.kind !== 'reference') return [];
  const text = textOf(context, request.range);
  if (!request.repeatable) {
    return { unfixable: `the request object ${text} carries its own signal, which a deadline must be combined with; assign it to a const first` };
  }
  const origin = `the Request ${text} carries its own signal`;
  // `Request#signal` is always an AbortSignal; a name that may hold a URL instead is read only when it is a Request.
  if (request.certain) return [{ text: `${text}.signal`, nullable: false, repeatable: true, origin }];
  return [{ text: `(${text} instanceof Request ? ${text}.signal : undefined)`, nullable: true, repeatable: true, origin }];
}

/** The signal a spread or a named options object may carry, read without throwing when it may be nullish. */
function carriedSignal(value: OptionsValue, context: TransformContext): CallerSignal | 'none' | { unfixable: string } {
  if (value.kind === 'literal') return value.signal || value.spreads.length > 0 ? { unfixable: 'the options spread an object literal; add the deadline by hand' } : 'none';
  const text = textOf(context, value.range);
  if (value.kind === 'const') {
    return mayCarrySignal(value.literal) ? { text: `${text}.signal`, nullable: true, repeatable: true, origin: `the options ${text} carry a signal` } : 'none';
  }
  if (!value.repeatable) return { unfixable: `the options come from ${text}; assign them to a const first so the signal they may carry is kept` };
  return { text: `${text}.signal`, nullable: true, repeatable: true, guardText: `${text}${value.mayBeNullish ? '?.' : '.'}signal`, origin: `the options ${text} may carry a signal` };
}

/** Whether an options literal holds a signal, itself or through a spread. */
function mayCarrySignal(literal: OptionsValue & { kind: 'literal' }): boolean {
  if (literal.signal) return !literal.signal.nullish;
  return literal.spreads.some((spread) => spread.kind !== 'const' || mayCarrySignal(spread.literal));
}

/** Inserts a new options argument (before a callback, after the knowledge base's placeholders, or last). */
function insertArgumentEdit(call: SourceRange, slot: OptionsSlot & { kind: 'insert' }, argumentText: string, context: TransformContext): Edit {
  const placeholders = slot.placeholders.map((placeholder) => `${placeholder}, `).join('');
  if (slot.before) return { start: slot.before[0], end: slot.before[0], text: `${placeholders}${argumentText}, ` };
  const callNode = nodeAtRange(context.sourceFile, call[0], call[1]);
  const args = callNode && (Node.isCallExpression(callNode) || Node.isNewExpression(callNode)) ? callNode.getArguments() : [];
  const last = args.at(-1);
  if (last) return { start: last.getEnd(), end: last.getEnd(), text: `, ${placeholders}${argumentText}` };
  const closeParen = call[1] - 1;
  return { start: closeParen, end: closeParen, text: `${placeholders}${argumentText}` };
}

function objectAt(context: TransformContext, range: SourceRange): ObjectLiteralExpression | undefined {
  const node = nodeAtRange(context.sourceFile, range[0], range[1]);
  return node && Node.isObjectLiteralExpression(node) ? node : undefined;
}

function unfixableSlot(slot: OptionsSlot): string | undefined {
  if (slot.kind === 'none') return 'the call takes no options; add the deadline by hand';
  if (slot.kind !== 'unknowable') return undefined;
  return slot.why === 'spread-arguments'
    ? 'the call spreads its arguments, so where its options go is not known; add the deadline by hand'
    : 'cannot tell whether the first argument is a URL or the options object; add the deadline by hand';
}

/**
 * `signal: AbortSignal.timeout(ms)` at a call, combined with every signal the caller already passes (in the
 * options, in a spread, in a `Request` given as input).
 */
export function signalEdits(descriptor: SiteDescriptor, context: TransformContext): Outcome {
  const request = descriptor.requestObject;
  // fetch(new Request(url, init)): the deadline goes into fetch's own init, never into the Request's. undici's
  // Request follows the signal it is given through a weak reference, so once the temporary Request is
  // collected its signal no longer aborts the fetch, on every Node version measured (nodejs/undici#3644;
  // codemods/tests/fetch-runtime.test.ts runs it under garbage collections). A fetch init replaces the
  // Request's signal, so a Request that may carry one of its own is left alone.
  if (request?.kind === 'constructed') {
    const carried = signalInRequestInit(request.options);
    if (carried) return { unfixable: carried };
  }
  const fromRequest = requestSignal(descriptor, context);
  if ('unfixable' in fromRequest) return fromRequest;
  const culprit = descriptor.culprit;
  const slot = descriptor.options;
  const blocked = unfixableSlot(slot);
  if (blocked) return { unfixable: blocked };
  // Standard fetch ignores `timeout:`: the user meant a deadline, so it becomes the signal's delay, unless it
  // is a value that switches a timer off (then the configured deadline).
  if (culprit?.kind === 'ignored-timeout' && slot.kind === 'argument' && slot.value.kind === 'literal' && !slot.value.signal && slot.value.spreads.length === 0) {
    const delay = culprit.valueDisables ? context.timeoutText : textOf(context, culprit.value);
    const signal = combinedSignal(fromRequest, { ...context, timeoutText: delay });
    if (typeof signal !== 'string') return signal;
    return { edits: [replaceRange(culprit.node, `signal: ${signal}`)] };
  }
  if (slot.kind === 'placeholder' || slot.kind === 'insert') {
    const signal = combinedSignal(fromRequest, context);
    if (typeof signal !== 'string') return signal;
    const argument = `{ signal: ${signal} }`;
    return { edits: [slot.kind === 'placeholder' ? replaceRange(slot.range, argument) : insertArgumentEdit(descriptor.range, slot, argument, context)] };
  }
  if (slot.kind !== 'argument') return { unfixable: 'no options position for this call' };
  const value = slot.value;
  if (value.kind === 'literal') {
    const own = value.signal;
    if (own) {
      // `signal: undefined` is no signal: the deadline (with a Request's own signal) takes its place.
      const ownText = textOf(context, own.value);
      const callers = own.nullish ? fromRequest : [{ text: ownText, nullable: !own.definite, repeatable: own.repeatable, origin: `the call already has a signal (${ownText})` }];
      const signal = combinedSignal(callers, context);
      if (typeof signal !== 'string') return signal;
      return { edits: [own.shorthand ? replaceRange(own.property, `signal: ${signal}`) : replaceRange(own.value, signal)] };
    }
    const carriers: CallerSignal[] = [];
    for (const spread of value.spreads) {
      const carried = carriedSignal(spread, context);
      if (carried === 'none') continue;
      if ('unfixable' in carried) return carried;
      carriers.push(carried);
    }
    if (carriers.length > 1) return { unfixable: 'the options spread several objects that may carry a signal; add the deadline by hand' };
    const signal = combinedSignal([...carriers, ...fromRequest], context);
    if (typeof signal !== 'string') return signal;
    const object = objectAt(context, value.range);
    if (!object) return { unfixable: 'the options literal is not where the plugin reported it' };
    return { edits: addProperties(object, [`signal: ${signal}`], context.style) };
  }
  // A name for the options: spread it into a new literal, keeping the signal it may carry. A shared `const`
  // never gets the signal itself: AbortSignal.timeout starts counting when the const is created.
  const carried = carriedSignal(value, context);
  if (carried !== 'none' && 'unfixable' in carried) return carried;
  const signal = combinedSignal([...(carried === 'none' ? [] : [carried]), ...fromRequest], context);
  if (typeof signal !== 'string') return signal;
  return { edits: [replaceRange(value.range, `{ ...${textOf(context, value.range)}, signal: ${signal} }`)] };
}

/**
 * A timer option at `path` set to the deadline (got's `timeout: { request: ms }`, ky's `timeout: ms`), in the
 * options of a call or a factory. A value there that switches the timer off (the descriptor's culprit) is
 * replaced; one that does not is left alone.
 */
export function optionPathEdits(descriptor: SiteDescriptor, path: readonly string[], context: TransformContext): Outcome {
  const slot = descriptor.options;
  const blocked = unfixableSlot(slot);
  if (blocked) return { unfixable: blocked };
  const rendered = renderOptionPath(path, context.timeoutText);
  if (slot.kind === 'placeholder') return { edits: [replaceRange(slot.range, `{ ${rendered} }`)] };
  if (slot.kind === 'insert') return { edits: [insertArgumentEdit(descriptor.range, slot, `{ ${rendered} }`, context)] };
  if (slot.kind !== 'argument') return { unfixable: 'no options position for this call' };
  const literalRange = slot.value.kind === 'literal' ? slot.value.range : slot.value.kind === 'const' ? slot.value.literal.range : undefined;
  if (!literalRange) {
    return { unfixable: `the options come from ${textOf(context, slot.value.range)}; add ${renderOptionPath(path, 'ms')} where they are built` };
  }
  let object = objectAt(context, literalRange);
  for (const [index, segment] of path.entries()) {
    if (!object) return { unfixable: 'the options literal is not where the plugin reported it' };
    const rest = path.slice(index);
    const property = findProperty(object, segment);
    if (!property) return { edits: addProperties(object, [renderOptionPath(rest, context.timeoutText)], context.style) };
    if (!Node.isPropertyAssignment(property)) return { unfixable: `${segment} is not a plain property; add ${renderOptionPath(path, 'ms')} by hand` };
    const value = property.getInitializerOrThrow();
    const culprit = descriptor.culprit;
    const disabled = culprit?.kind === 'disabled-value' && culprit.valueDisables && culprit.value[0] === value.getStart() && culprit.value[1] === value.getEnd();
    if (disabled) return { edits: [replaceRange([value.getStart(), value.getEnd()], index === path.length - 1 ? context.timeoutText : `{ ${renderOptionPath(path.slice(index + 1), context.timeoutText)} }`)] };
    if (index === path.length - 1) return { edits: [] };
    object = Node.isObjectLiteralExpression(value) ? value : undefined;
    if (!object) return { unfixable: `${segment} is ${value.getText()}; add ${renderOptionPath(path, 'ms')} by hand` };
  }
  return { edits: [] };
}

/** A bound appended to the request's chain (`.timeout({ deadline: ms })`). */
export function chainEdits(descriptor: SiteDescriptor, template: BoundTemplate & { kind: 'chain' }, context: TransformContext): Outcome {
  if (descriptor.chainEnd === undefined) return { unfixable: 'the end of the request chain is not known; add the deadline by hand' };
  return { edits: [{ start: descriptor.chainEnd, end: descriptor.chainEnd, text: renderBound(template, context.timeoutText) }] };
}

/** The family's template rendered at a call. */
export function boundEdits(descriptor: SiteDescriptor, template: BoundTemplate, context: TransformContext): Outcome {
  switch (template.kind) {
    case 'signal':
      return signalEdits(descriptor, context);
    case 'option':
      return optionPathEdits(descriptor, template.path, context);
    case 'chain':
      return chainEdits(descriptor, template, context);
    case 'fetch-option':
      // redaxios hands fetch neither `signal` nor `timeout`: the bound is a custom `fetch`, whose shape is the repo's call.
      return { unfixable: `this client passes neither signal nor timeout to fetch; give it a \`${template.key}\` option that adds AbortSignal.timeout(ms), by hand` };
  }
}
