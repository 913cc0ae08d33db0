import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';

import { callOptionsOf } from '../detection/bounds.js';
import { calleeText } from '../detection/ast.js';
import { describeCall, describeInstance, ruleNameOf } from '../detection/describe-site.js';
import { recordSiteDescriptor } from '../detection/index.js';
import type { SignalKind } from '../detection/signals.js';
import { getFileRequests } from '../detection/request-sites.js';
import { type BoundRuleOptions, boundSettings } from './bound-options.js';
import type { Finding } from './findings.js';
import { targetAllowsAbortSignalAny } from './node-target.js';
import { renderOptionPath, renderRequestLink } from '../knowledge/index.js';
import { SUGGESTION_MESSAGES, boundHint, boundSuggestions, disabledDeadlineOf } from './suggestions.js';

/** Messages of the three "unbounded call" rules: what is wrong, then what to do. */
export const UNBOUNDED_MESSAGES = {
  noDeadline:
    '`{{callee}}(...)` has no deadline, so a peer that accepts the connection and never answers holds it forever. Pass {{hint}}.',
  nullishSignal: '`{{callee}}(...)` passes `signal: {{value}}`, which is no signal at all, so the call has no deadline. Pass {{hint}}.',
  ignoredTimeout: '`{{callee}}(...)` passes `timeout`, which standard fetch ignores, so the call has no deadline. Use `signal: AbortSignal.timeout(ms)` instead.',
  disabledTimer: '`{{callee}}(...)` switches its timeout off with `{{option}}`, so the call has no deadline. Pass {{hint}}.',
  timeoutWithoutHandler:
    "`{{callee}}(...)` sets `timeout`, which only emits 'timeout' and aborts nothing, and no 'timeout' handler destroys the request. Pass `signal: AbortSignal.timeout(ms)`, or destroy the request in a 'timeout' handler.",
  signalWithoutDeadline:
    'The signal passed to `{{callee}}(...)` is never aborted on a timer, so the call has no deadline. Combine it with `AbortSignal.timeout(ms)` through `AbortSignal.any`; before Node 22.16, also give the timeout signal an abort listener, or a garbage collection loses it.',
  querySignalWithoutDeadline:
    'The signal TanStack Query hands {{via}} aborts only when the query is cancelled or no longer used, never on a timer, so `{{callee}}(...)` has no deadline. Combine it with a timeout: `AbortSignal.any([signal, AbortSignal.timeout(ms)])`.',
  cancelOnlySignal:
    'The controller whose signal `{{callee}}(...)` passes is aborted only from {{via}}, never on a timer, so the call has no deadline until then. Also abort it from a `setTimeout`, or combine its signal with `AbortSignal.timeout(ms)` through `AbortSignal.any`.',
  deadlineEndsAtHeaders:
    '`{{callee}}(...)` {{how}} while the timer that aborts its signal is cleared {{when}}, so the deadline ends before the body is read and the body read has none. Keep the timer until the body is read (`return await response.json()` inside the `try`), or pass `signal: AbortSignal.timeout(ms)`, whose deadline covers the body.',
  deadlineClearedEarly:
    'The timer that aborts the signal of `{{callee}}(...)` is cleared outside `finally`, so what runs after it (the body read) has no deadline. Clear the timer in a `finally` block.',
  wrapperNoDeadline:
    '`{{callee}}(...)` reaches `{{inner}}(...)` in {{file}} with no deadline, and this call passes it none. Pass {{hint}} in the options `{{callee}}` forwards.',
  wrapperNoSignal:
    '`{{callee}}(...)` reaches `{{inner}}(...)` in {{file}} with no deadline, and this call passes it no signal. Pass `AbortSignal.timeout(ms)` as its signal.',
  wrapperUnboundable:
    '`{{callee}}(...)` reaches `{{inner}}(...)` in {{file}} with no deadline, and no argument of `{{callee}}` can carry one. Add a deadline to that `{{inner}}(...)` call, or let `{{callee}}` take a signal.',
  unboundedInstance:
    '`{{callee}}(...)` creates a client with no timeout, so {{calls}} no deadline. Pass {{hint}} when creating it.',
  unboundedInstancePerCall:
    '`{{callee}}(...)` creates a client with no deadline, so {{calls}} none, and no option at creation is a total deadline. Pass {{hint}} to each call on it.',
  unboundedInstancePerRequest:
    '`{{callee}}(...)` creates a client with no deadline, so {{calls}} none, and its request methods take no options. Add {{hint}} to each request, just before its request method.',
  ...SUGGESTION_MESSAGES,
} as const;

export type UnboundedMessageId = keyof typeof UNBOUNDED_MESSAGES;

/** Reports each finding with the most specific message and its suggestions. */
export function reportUnbounded(
  context: Readonly<TSESLint.RuleContext<UnboundedMessageId, readonly unknown[]>>,
  findings: readonly Finding[],
  options: BoundRuleOptions,
): void {
  const sourceCode = context.sourceCode;
  const ruleId = ruleNameOf(context.id);
  const settings = boundSettings(options);
  let anyAllowed: boolean | undefined;
  const abortSignalAnyAllowed = (): boolean => (anyAllowed ??= targetAllowsAbortSignalAny(context.filename, options.targetNodeVersion));
  for (const finding of findings) {
    const family = finding.kind === 'call' ? finding.site.family : finding.instance.family;
    const { verdict, node } = finding;
    // An instance whose factory takes no total deadline (axios, whose instance `timeout` is idle-only) is bounded per call.
    const template = finding.kind === 'instance' ? finding.instance.factory.bound : family.bound;
    const disabledDeadline = disabledDeadlineOf(sourceCode, verdict);
    // Request methods that take no options (wretch's `.get()`) are bounded by a link written just before them.
    const requestBuilder = finding.kind === 'instance' && !template ? finding.instance.factory.instance.requestOptionsBuilder : undefined;
    const hint = disabledDeadline
      ? `\`${renderOptionPath(disabledDeadline.timer.path, 'ms')}\``
      : requestBuilder
        ? `\`${renderRequestLink(requestBuilder, family.bound, 'ms')}\``
        : boundHint(template ?? family.bound);
    const data: Record<string, string> = { callee: calleeText(sourceCode, node), hint, family: family.displayName };
    const location = finding.kind === 'call' ? verdict.callOptionsLocation : callOptionsOf(sourceCode, node, finding.instance.factory.options).location;
    const suggest = template ? boundSuggestions(sourceCode, template, node, verdict, location, verdict.signal !== undefined && abortSignalAnyAllowed()) : [];
    let messageId: UnboundedMessageId = 'noDeadline';
    if (finding.kind === 'instance') {
      messageId = template ? 'unboundedInstance' : requestBuilder ? 'unboundedInstancePerRequest' : 'unboundedInstancePerCall';
      data['calls'] =
        finding.affectedCalls === 0
          ? 'every call on it has'
          : finding.affectedCalls === 1
            ? 'the call made on it here has'
            : `the ${finding.affectedCalls} calls made on it here have`;
    } else if (finding.site.wrapper && verdict.reason === 'no-bound') {
      const { wrapper } = finding.site;
      messageId = wrapper.forwards === 'options' ? 'wrapperNoDeadline' : wrapper.forwards === 'signal' ? 'wrapperNoSignal' : 'wrapperUnboundable';
      data['inner'] = wrapper.inner;
      data['file'] = wrapper.file;
    } else {
      switch (verdict.reason) {
        case 'nullish-signal':
          messageId = 'nullishSignal';
          data['value'] = verdict.culprit?.type === AST_NODE_TYPES.Property ? sourceCode.getText(verdict.culprit.value) : 'undefined';
          break;
        case 'ignored-timeout':
          messageId = 'ignoredTimeout';
          break;
        case 'disabled-timer':
          messageId = 'disabledTimer';
          data['option'] = verdict.culprit ? sourceCode.getText(verdict.culprit) : 'timeout';
          break;
        case 'timeout-without-handler':
          messageId = 'timeoutWithoutHandler';
          break;
        case 'signal-without-deadline':
          messageId = signalMessage(verdict.signal?.kind);
          data['via'] = verdict.signal?.via ?? '';
          data['how'] = verdict.signal?.how ?? '';
          data['when'] = verdict.signal?.when ?? '';
          break;
        default:
          break;
      }
    }
    const ids = { ruleId, messageId };
    const reason = verdict.reason ?? 'no-bound';
    recordSiteDescriptor(
      sourceCode,
      finding.kind === 'call'
        ? describeCall(sourceCode, finding.site, verdict, ids, reason)
        : describeInstance(sourceCode, getFileRequests(sourceCode), finding.instance, verdict, settings, ids, reason),
    );
    context.report({
      node,
      messageId,
      data,
      suggest: suggest.map((suggestion) => ({ messageId: suggestion.messageId, data: suggestion.data, fix: suggestion.fix })),
    });
  }
}

/** The message for a signal that carries no deadline, by what it carries. */
function signalMessage(kind: SignalKind | undefined): UnboundedMessageId {
  switch (kind) {
    case 'timer-cleared-early':
      return 'deadlineClearedEarly';
    case 'timer-ends-at-headers':
      return 'deadlineEndsAtHeaders';
    case 'query-signal':
      return 'querySignalWithoutDeadline';
    case 'cancel-only':
      return 'cancelOnlySignal';
    default:
      return 'signalWithoutDeadline';
  }
}
