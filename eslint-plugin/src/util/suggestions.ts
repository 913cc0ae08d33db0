import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { BoundVerdict } from '../detection/bounds.js';
import { staticValue, unwrap } from '../detection/ast.js';
import { chainEnd } from '../detection/chain.js';
import { writtenHere } from '../detection/describe-site.js';
import { DEFAULT_DEADLINE_MS, disablingValueOf, formatMilliseconds, renderBound, renderDeadlineSignal, renderOptionPath } from '../knowledge/index.js';
import type { BoundTemplate, OptionsArgumentLocation, TimerOption } from '../knowledge/index.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Call = TSESTree.CallExpression | TSESTree.NewExpression;

/** The knowledge base's default deadline as suggestions write it: `30_000`. */
export const SUGGESTED_MS = formatMilliseconds(DEFAULT_DEADLINE_MS);

/** `AbortSignal.timeout(30_000)`, the deadline a suggestion combines with a caller's signal. */
export const SUGGESTED_DEADLINE = renderDeadlineSignal(SUGGESTED_MS);

/** The suggestion messages every "add a deadline" rule shares, naming the default deadline. */
export const SUGGESTION_MESSAGES = {
  addDeadline: `Add \`{{bound}}\` (a ${String(DEFAULT_DEADLINE_MS / 1000)} s deadline; adjust it to the call).`,
  combineSignals: `Combine the signal with a ${String(DEFAULT_DEADLINE_MS / 1000)} s deadline: \`AbortSignal.any([signal, ${SUGGESTED_DEADLINE}])\`.`,
  replaceIgnoredTimeout: 'Replace `timeout` with `signal: AbortSignal.timeout({{value}})`.',
} as const;

/** What a rule's suggestion does, ready for `suggest: [{ messageId, fix }]`. */
export interface BoundSuggestion {
  readonly messageId: 'addDeadline' | 'combineSignals' | 'replaceIgnoredTimeout';
  readonly data: Record<string, string>;
  readonly fix: TSESLint.ReportFixFunction;
}

/** How a bound reads in a message: the template rendered with `ms`, e.g. `` `signal: AbortSignal.timeout(ms)` ``. */
export function boundHint(template: BoundTemplate): string {
  return `\`${renderBound(template, 'ms')}\``;
}

/**
 * Suggestions for a call (or instance creation) without a deadline. Never autofixes: a deadline changes
 * runtime behaviour, so the user picks the value.
 */
export function boundSuggestions(
  sourceCode: SourceCode,
  template: BoundTemplate,
  call: Call,
  verdict: BoundVerdict,
  location: OptionsArgumentLocation | undefined,
  abortSignalAnyAllowed: boolean,
): BoundSuggestion[] {
  const bound = renderBound(template, SUGGESTED_MS);
  // A total deadline switched off (ky's `timeout: false`, node-fetch's `timeout: 0`): a finite value restores it.
  const disabledDeadline = disabledDeadlineOf(sourceCode, verdict);
  if (disabledDeadline) {
    const restored = renderOptionPath(disabledDeadline.timer.path, SUGGESTED_MS);
    return [{ messageId: 'addDeadline', data: { bound: restored }, fix: (fixer) => fixer.replaceText(disabledDeadline.property.value, SUGGESTED_MS) }];
  }
  if (template.kind === 'chain') {
    const end = chainEnd(call);
    return [{ messageId: 'addDeadline', data: { bound }, fix: (fixer) => fixer.insertTextAfter(end, bound) }];
  }
  const signal = verdict.signal;
  if (signal && signal.kind !== 'deadline' && signal.kind !== 'timer-controller') {
    // A timer that ends at the headers is fixed by moving its `clearTimeout` or by a new signal, not by adding one.
    if (!abortSignalAnyAllowed || signal.kind === 'timer-ends-at-headers') return [];
    const valueText = sourceCode.getText(signal.property.value);
    return [
      {
        messageId: 'combineSignals',
        data: {},
        fix: (fixer) => fixer.replaceText(signal.property, `signal: AbortSignal.any([${valueText}, ${SUGGESTED_DEADLINE}])`),
      },
    ];
  }
  const culprit = verdict.culprit;
  if (verdict.reason === 'ignored-timeout' && culprit?.type === AST_NODE_TYPES.Property) {
    // A value that would switch a timer off (`Infinity`, `0`) must not become a signal that never fires.
    const known = staticValue(sourceCode, culprit.value);
    const valueText = known && disablingValueOf(known.value) !== undefined ? SUGGESTED_MS : sourceCode.getText(culprit.value);
    return [
      {
        messageId: 'replaceIgnoredTimeout',
        data: { value: valueText },
        fix: (fixer) => fixer.replaceText(culprit, `signal: AbortSignal.timeout(${valueText})`),
      },
    ];
  }
  if (verdict.reason === 'nullish-signal' && culprit?.type === AST_NODE_TYPES.Property && template.kind === 'signal') {
    return [{ messageId: 'addDeadline', data: { bound }, fix: (fixer) => fixer.replaceText(culprit, bound) }];
  }
  const key = template.kind === 'signal' ? 'signal' : template.kind === 'fetch-option' ? template.key : template.path[0];
  if (key === undefined || verdict.callOptions.properties.has(key) || !location) return [];
  const fix = addOptionFix(sourceCode, call, location, bound);
  return fix ? [{ messageId: 'addDeadline', data: { bound }, fix }] : [];
}

/**
 * The property of a `deadline` timer the verdict blames for being switched off with a value written at the
 * call (`timeout: false`, not a shared `NO_TIMEOUT`), if that is its reason: a finite value restores it.
 */
export function disabledDeadlineOf(sourceCode: SourceCode, verdict: BoundVerdict): { property: TSESTree.Property; timer: TimerOption } | undefined {
  const { culprit, culpritTimer } = verdict;
  if (verdict.reason !== 'disabled-timer' || culpritTimer?.kind !== 'deadline' || culprit?.type !== AST_NODE_TYPES.Property) return undefined;
  return writtenHere(sourceCode, culprit.value) ? { property: culprit, timer: culpritTimer } : undefined;
}

/** Adds `key: value` to the options argument, creating it (after `undefined` placeholders) when absent. */
export function addOptionFix(sourceCode: SourceCode, call: Call, location: OptionsArgumentLocation, property: string): TSESLint.ReportFixFunction | undefined {
  if (location.present) {
    const argument = call.arguments[location.index];
    if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return undefined;
    const literal = unwrap(argument);
    if (literal.type === AST_NODE_TYPES.ObjectExpression) {
      const last = literal.properties[literal.properties.length - 1];
      if (!last) return (fixer) => fixer.replaceText(literal, `{ ${property} }`);
      return (fixer) => fixer.insertTextAfter(last, `, ${property}`);
    }
    return (fixer) => fixer.replaceText(argument, `{ ...${sourceCode.getText(argument)}, ${property} }`);
  }
  const callback = call.arguments[location.index];
  if (callback) return (fixer) => fixer.insertTextBefore(callback, `{ ${property} }, `);
  const closing = sourceCode.getLastToken(call);
  if (closing?.value !== ')') return undefined;
  const lastArgument = call.arguments[call.arguments.length - 1];
  const separator = lastArgument ? ', ' : '';
  const padding = location.placeholders.map((placeholder) => `${placeholder}, `).join('');
  if (lastArgument) return (fixer) => fixer.insertTextAfter(lastArgument, `${separator}${padding}{ ${property} }`);
  return (fixer) => fixer.insertTextBefore(closing, `${padding}{ ${property} }`);
}
