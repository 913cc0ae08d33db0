import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import type { BoundVerdict } from '../detection/bounds.js';
import { unwrap } from '../detection/ast.js';
import { chainEnd } from '../detection/chain.js';
import type { BoundSuggestion as KnowledgeSuggestion, OptionsArgumentLocation } from '../knowledge/index.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Call = TSESTree.CallExpression | TSESTree.NewExpression;

/** A 30 s deadline: long enough not to break a working call, short enough to end a wedged one. */
export const SUGGESTED_DEADLINE = 'AbortSignal.timeout(30_000)';

/** What a rule's suggestion does, ready for `suggest: [{ messageId, fix }]`. */
export interface BoundSuggestion {
  readonly messageId: 'addDeadline' | 'combineSignals' | 'replaceIgnoredTimeout';
  readonly data: Record<string, string>;
  readonly fix: TSESLint.ReportFixFunction;
}

/** How the family's bound reads in a message: `` `signal: AbortSignal.timeout(ms)` ``. */
export function boundHint(suggestion: KnowledgeSuggestion): string {
  return suggestion.kind === 'option' ? `\`${suggestion.key}: ${suggestion.value.replace('30_000', 'ms')}\`` : `\`${suggestion.text.replace('30_000', 'ms')}\``;
}

/**
 * Suggestions for a call (or instance creation) without a deadline. Never autofixes: a deadline changes
 * runtime behaviour, so the user picks the value.
 */
export function boundSuggestions(
  sourceCode: SourceCode,
  suggestion: KnowledgeSuggestion,
  call: Call,
  verdict: BoundVerdict,
  location: OptionsArgumentLocation | undefined,
  abortSignalAnyAllowed: boolean,
): BoundSuggestion[] {
  if (suggestion.kind === 'chain') {
    const end = chainEnd(call);
    return [{ messageId: 'addDeadline', data: { bound: suggestion.text }, fix: (fixer) => fixer.insertTextAfter(end, suggestion.text) }];
  }
  const signal = verdict.signal;
  if (signal && signal.kind !== 'deadline' && signal.kind !== 'timer-controller') {
    if (!abortSignalAnyAllowed) return [];
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
    const valueText = sourceCode.getText(culprit.value);
    return [
      {
        messageId: 'replaceIgnoredTimeout',
        data: { value: valueText },
        fix: (fixer) => fixer.replaceText(culprit, `signal: AbortSignal.timeout(${valueText})`),
      },
    ];
  }
  const bound = `${suggestion.key}: ${suggestion.value}`;
  if (verdict.reason === 'nullish-signal' && culprit?.type === AST_NODE_TYPES.Property && suggestion.key === 'signal') {
    return [{ messageId: 'addDeadline', data: { bound }, fix: (fixer) => fixer.replaceText(culprit, bound) }];
  }
  const existing = verdict.callOptions.properties.get(suggestion.key);
  if (existing || !location) return [];
  const fix = addOptionFix(sourceCode, call, location, bound);
  return fix ? [{ messageId: 'addDeadline', data: { bound }, fix }] : [];
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
  const padding = 'undefined, '.repeat(location.padding);
  if (lastArgument) return (fixer) => fixer.insertTextAfter(lastArgument, `${separator}${padding}{ ${property} }`);
  return (fixer) => fixer.insertTextBefore(closing, `${padding}{ ${property} }`);
}
