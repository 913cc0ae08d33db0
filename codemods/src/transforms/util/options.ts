import { type ArgumentKind, locateOptionsArgument, type OptionsPosition } from 'eslint-plugin-bounded-http/knowledge';
import { type CallExpression, type NewExpression, Node, type ObjectLiteralExpression } from 'ts-morph';

import type { Edit, TransformContext, TransformResult } from '../types.js';
import { addProperties, insertArgument, replaceNode } from './edits.js';
import { constObjectLiteral, findProperty, findVariable, isDisablingValue, isNullish, isRepeatable, mayBeUndefined, unwrap } from './syntax.js';

/** Names that clearly hold a URL, so `http.get(target, cb)` can be told from `http.get(options, cb)`. */
const URL_LIKE_NAME = /(?:url|uri|href|endpoint|address|origin|link|location)s?$/iu;

/** The knowledge base's view of an argument: enough to find the options position. */
export function argumentKind(argument: Node): ArgumentKind {
  const node = unwrap(argument);
  if (Node.isObjectLiteralExpression(node) || constObjectLiteral(node)) return 'object';
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isTemplateExpression(node)) return 'url';
  if (Node.isNewExpression(node) && node.getExpression().getText() === 'URL') return 'url';
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getText() === '+') return 'url';
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return 'function';
  const name = Node.isIdentifier(node) ? node.getText() : Node.isPropertyAccessExpression(node) ? node.getName() : '';
  if (URL_LIKE_NAME.test(name)) return 'url';
  if (/(?:callback|cb|handler|listener|onResponse)$/iu.test(name)) return 'function';
  return 'unknown';
}

/** `AbortSignal.timeout(<ms>)` with the configured deadline. */
export function deadlineSignal(context: TransformContext): string {
  return `AbortSignal.timeout(${context.timeoutText})`;
}

/** `controller.signal` where `const controller = new AbortController()`: always a signal, never undefined. */
function isDefiniteSignal(expression: Node): boolean {
  const node = unwrap(expression);
  if (!Node.isPropertyAccessExpression(node) || node.getName() !== 'signal') return false;
  const owner = unwrap(node.getExpression());
  if (!Node.isIdentifier(owner)) return false;
  const declaration = findVariable(owner.getSourceFile(), owner.getText());
  return declaration !== undefined && /^new\s+AbortController\s*\(/u.test(declaration.getInitializer()?.getText() ?? '');
}

export type Outcome = { edits: Edit[] } | { unfixable: string };

const NEEDS_ANY =
  'combining it with a deadline needs AbortSignal.any (Node >= 20.3 or 18.17), which the target Node version does not allow; add the deadline by hand';

/** The caller's signal combined with the deadline, or why that is not possible. Never drops the caller's signal. */
function combinedSignal(existing: Node, context: TransformContext, nullable: boolean): string | { unfixable: string } {
  const existingText = existing.getText();
  if (!context.allowAbortSignalAny) return { unfixable: `the call already has a signal (${existingText}); ${NEEDS_ANY}` };
  const deadline = deadlineSignal(context);
  if (!nullable) return `AbortSignal.any([${existingText}, ${deadline}])`;
  return `${existingText} ? AbortSignal.any([${existingText}, ${deadline}]) : ${deadline}`;
}

/** Whether an object literal may carry `key` through a spread (`{ ...defaults }`). */
function spreadSource(object: ObjectLiteralExpression): Node | 'none' | 'opaque' {
  const spreads = object.getProperties().filter(Node.isSpreadAssignment);
  const last = spreads.at(-1);
  if (!last) return 'none';
  const expression = last.getExpression();
  const literal = constObjectLiteral(expression);
  if (literal) {
    if (findProperty(literal, 'signal')) return expression;
    return spreadSource(literal) === 'none' && spreads.length === 1 ? 'none' : 'opaque';
  }
  return spreads.length === 1 && isRepeatable(expression) ? expression : 'opaque';
}

/**
 * Gives the options object of `call` a `signal` that carries the deadline:
 * - no options argument: insert `{ signal: AbortSignal.timeout(ms) }` at the knowledge base's position;
 * - an object literal: add the property, replace a `null`/`undefined` one, or combine an existing signal;
 * - a name for the options (`init`): `{ ...init, signal: init.signal ? AbortSignal.any([...]) : ... }`.
 * `extraProperties` are added alongside (axios's `timeout`) when absent.
 */
export function addSignalOption(
  call: CallExpression | NewExpression,
  position: OptionsPosition,
  context: TransformContext,
  extraProperties: ReadonlyArray<{ key: string; value: string }> = [],
): Outcome {
  return addOptions(call, position, context, { signal: true, extraProperties });
}

/** Adds plain option properties (axios `timeout`, got `timeout.request`) to the options of `call`. */
export function addPlainOptions(
  call: CallExpression | NewExpression,
  position: OptionsPosition,
  context: TransformContext,
  properties: ReadonlyArray<{ key: string; value: string }>,
): Outcome {
  return addOptions(call, position, context, { signal: false, extraProperties: properties });
}

function addOptions(
  call: CallExpression | NewExpression,
  position: OptionsPosition,
  context: TransformContext,
  wanted: { signal: boolean; extraProperties: ReadonlyArray<{ key: string; value: string }> },
): Outcome {
  const args = call.getArguments();
  const location = locateOptionsArgument(position, args.map(argumentKind));
  if (!location) {
    const first = args[0]?.getText() ?? '';
    return { unfixable: `cannot tell whether ${first || 'the first argument'} is a URL or the options object; add the deadline by hand` };
  }
  const deadline = deadlineSignal(context);
  const newProperties = [...(wanted.signal ? [`signal: ${deadline}`] : []), ...wanted.extraProperties.map(({ key, value }) => `${key}: ${value}`)];
  if (!location.present) {
    return { edits: [insertArgument(call, location.index, location.padding, `{ ${newProperties.join(', ')} }`)] };
  }
  const argument = args[location.index];
  if (!argument) return { unfixable: 'the options argument is missing' };
  const options = unwrap(argument);
  if (Node.isObjectLiteralExpression(options)) return editObjectLiteral(options, context, wanted);
  const literal = constObjectLiteral(options);
  // A shared const must not get a signal: AbortSignal.timeout starts counting when the module loads.
  if (literal && !wanted.signal) return editObjectLiteral(literal, context, wanted);
  if (!isRepeatable(options)) {
    return { unfixable: `the options come from ${options.getText()}; assign them to a const first so the signal they may carry is kept` };
  }
  const optionsText = options.getText();
  const additions = wanted.extraProperties.map(({ key, value }) => `${key}: ${optionsText}.${key} ?? ${value}`);
  if (wanted.signal) {
    if (literal && !findProperty(literal, 'signal') && spreadSource(literal) === 'none') {
      additions.unshift(`signal: ${deadline}`);
    } else {
      const nullable = mayBeUndefined(options);
      const signalRead = `${optionsText}${nullable ? '?.' : '.'}signal`;
      if (!context.allowAbortSignalAny) return { unfixable: `the options ${optionsText} may carry a signal; ${NEEDS_ANY}` };
      additions.unshift(`signal: ${signalRead} ? AbortSignal.any([${optionsText}.signal, ${deadline}]) : ${deadline}`);
    }
  }
  return { edits: [replaceNode(argument, `{ ...${optionsText}, ${additions.join(', ')} }`)] };
}

function editObjectLiteral(
  object: ObjectLiteralExpression,
  context: TransformContext,
  wanted: { signal: boolean; extraProperties: ReadonlyArray<{ key: string; value: string }> },
): Outcome {
  const edits: Edit[] = [];
  const toAdd: string[] = [];
  const deadline = deadlineSignal(context);
  if (wanted.signal) {
    const signal = findProperty(object, 'signal');
    if (Node.isPropertyAssignment(signal)) {
      const value = signal.getInitializerOrThrow();
      if (isNullish(value)) {
        edits.push(replaceNode(value, deadline));
      } else {
        const combined = combinedSignal(value, context, !isDefiniteSignal(value));
        if (typeof combined !== 'string') return combined;
        edits.push(replaceNode(value, combined));
      }
    } else if (Node.isShorthandPropertyAssignment(signal)) {
      const combined = combinedSignal(signal.getNameNode(), context, !isDefiniteSignal(signal.getNameNode()));
      if (typeof combined !== 'string') return combined;
      edits.push(replaceNode(signal, `signal: ${combined}`));
    } else if (signal) {
      return { unfixable: 'the signal option is not a plain property; add the deadline by hand' };
    } else {
      const spread = spreadSource(object);
      if (spread === 'none') {
        toAdd.push(`signal: ${deadline}`);
      } else if (spread === 'opaque') {
        return { unfixable: 'the options spread other objects that may carry a signal; add the deadline by hand' };
      } else {
        const spreadText = spread.getText();
        if (!context.allowAbortSignalAny) return { unfixable: `the options spread ${spreadText}, which may carry a signal; ${NEEDS_ANY}` };
        const read = `${spreadText}${mayBeUndefined(spread) ? '?.' : '.'}signal`;
        toAdd.push(`signal: ${read} ? AbortSignal.any([${spreadText}.signal, ${deadline}]) : ${deadline}`);
      }
    }
  }
  for (const { key, value } of wanted.extraProperties) {
    const existing = findProperty(object, key);
    if (!existing) {
      toAdd.push(`${key}: ${value}`);
    } else if (Node.isPropertyAssignment(existing) && isDisablingValue(existing.getInitializerOrThrow())) {
      // The same edit as the disabled-timeout transform's for this value, so the two never conflict.
      edits.push(replaceNode(existing.getInitializerOrThrow(), value));
    }
  }
  if (toAdd.length > 0) edits.push(...addProperties(object, toAdd, context.style));
  return { edits };
}

/** A transform's result from an outcome: no edit at all means the site needs a bound this transform cannot add. */
export function resultOf(outcome: Outcome, fixedReason: string, nothingToDo: string): TransformResult {
  if ('unfixable' in outcome) return { action: 'unfixable', reason: outcome.unfixable };
  if (outcome.edits.length === 0) return { action: 'unfixable', reason: nothingToDo };
  return { action: 'fixed', reason: fixedReason, edits: outcome.edits };
}
