import { CLIENT_FAMILIES } from '../knowledge/index.js';
import { BOUND_OPTION_SCHEMA_PROPERTIES, type BoundRuleOptions, boundSettings } from '../util/bound-options.js';
import { createRule } from '../util/create-rule.js';
import { findingsFor } from '../util/findings.js';
import { targetAllowsAbortSignalAny } from '../util/node-target.js';
import { SUGGESTION_MESSAGES, boundHint, boundSuggestions } from '../util/suggestions.js';
import { isDeadlineTemplate } from '../knowledge/index.js';
import { calleeText } from '../detection/ast.js';
import { type BoundSettings, evaluateInstance } from '../detection/bounds.js';
import { describeCall, describeInstance, ruleNameOf } from '../detection/describe-site.js';
import { recordSiteDescriptor } from '../detection/index.js';
import { type InstanceSite, getFileRequests } from '../detection/request-sites.js';

type Options = [Omit<BoundRuleOptions, 'opaqueOptions'>];

const ALL_FAMILIES = new Set(CLIENT_FAMILIES.map((family) => family.id));

/**
 * Idle and phase timers (node's `timeout`, axios's `timeout` in Node, undici's header/body timeouts, got's
 * phase timeouts, `socketTimeout`) reset whenever a byte arrives: a peer trickling one byte every few
 * seconds holds the call forever. Strict: only a deadline counts.
 */
export default createRule<Options, 'idleOnly' | 'idleOnlyInstance' | 'idleDefaults' | 'addDeadline' | 'combineSignals' | 'replaceIgnoredTimeout'>({
  name: 'no-idle-only-timeout',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Require a total deadline where the only bound is an idle or phase timer that a trickling peer never trips',
      recommended: 'strict',
      requiresTypeChecking: false,
      strictOptions: { requireDeadlineSignal: true },
    },
    hasSuggestions: true,
    messages: {
      idleOnly:
        '`{{callee}}(...)` is bounded only by {{timers}}, which resets whenever a byte arrives, so a peer that trickles bytes holds it forever. Add a total deadline: {{hint}}.',
      idleOnlyInstance:
        '`{{callee}}(...)` creates a client bounded only by {{timers}}, which resets whenever a byte arrives, so a peer that trickles bytes holds its calls forever. Add a total deadline to each call: {{hint}}.',
      idleDefaults:
        "`{{callee}}(...)` creates a dispatcher left on its default {{timers}}, idle timers that reset whenever a byte arrives, so a peer that trickles bytes holds every request made through it. Give those requests a total deadline: `signal: AbortSignal.timeout(ms)`.",
      ...SUGGESTION_MESSAGES,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          requireDeadlineSignal: BOUND_OPTION_SCHEMA_PROPERTIES.requireDeadlineSignal,
          deadlineSignalFactories: BOUND_OPTION_SCHEMA_PROPERTIES.deadlineSignalFactories,
          targetNodeVersion: BOUND_OPTION_SCHEMA_PROPERTIES.targetNodeVersion,
        },
      },
    ],
  },
  defaultOptions: [{ requireDeadlineSignal: false, deadlineSignalFactories: [] }],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    return {
      'Program:exit'() {
        const settings = boundSettings(options);
        const findings = findingsFor(sourceCode, ALL_FAMILIES, settings, (verdict) => verdict.bound === 'idle' && !verdict.opaque);
        const reported = new Set(findings.map((finding) => finding.node));
        for (const { instance, timers } of instancesOnIdleDefaults(sourceCode, settings)) {
          if (reported.has(instance.node)) continue;
          context.report({ node: instance.node, messageId: 'idleDefaults', data: { callee: calleeText(sourceCode, instance.node), timers } });
        }
        for (const finding of findings) {
          const family = finding.kind === 'call' ? finding.site.family : finding.instance.family;
          const timers = [...new Set(finding.verdict.idleTimers)].map((timer) => `\`${timer}\``).join(' and ');
          const hint = boundHint(family.bound);
          // Only a total deadline ends an idle-only call: an idle-timer template (`socketTimeout`) is no suggestion here.
          const suggest =
            finding.kind === 'call' && isDeadlineTemplate(family, family.bound)
              ? boundSuggestions(sourceCode, family.bound, finding.node, finding.verdict, finding.verdict.callOptionsLocation, targetAllowsAbortSignalAny(context.filename, options.targetNodeVersion))
              : [];
          const messageId = finding.kind === 'call' ? 'idleOnly' : 'idleOnlyInstance';
          const ids = { ruleId: ruleNameOf(context.id), messageId };
          recordSiteDescriptor(
            sourceCode,
            finding.kind === 'call'
              ? describeCall(sourceCode, finding.site, finding.verdict, ids, 'idle-only')
              : describeInstance(sourceCode, getFileRequests(sourceCode), finding.instance, finding.verdict, settings, ids, 'idle-only'),
          );
          context.report({
            node: finding.node,
            messageId,
            data: { callee: calleeText(sourceCode, finding.node), timers, hint },
            suggest: suggest.map((suggestion) => ({ messageId: suggestion.messageId, data: suggestion.data, fix: suggestion.fix })),
          });
        }
      },
    };
  },
});

/**
 * Instances left on idle default timers (`new Agent()`, `new ProxyAgent(url)` on undici's 300 s `headersTimeout`
 * and `bodyTimeout`), from the factory's `defaultTimers` in the knowledge base. An instance that makes calls in
 * the file is left to the calls' verdicts, and one whose options cannot be read, or that switches a timer
 * off (`no-disabled-timeout`'s business), is not reported.
 */
function instancesOnIdleDefaults(sourceCode: Parameters<typeof getFileRequests>[0], settings: BoundSettings): { instance: InstanceSite; timers: string }[] {
  const found: { instance: InstanceSite; timers: string }[] = [];
  for (const instance of getFileRequests(sourceCode).instances) {
    const defaults = instance.factory.defaultTimers ?? [];
    if (defaults.length === 0 || instance.parent || instance.calls.length > 0) continue;
    const verdict = evaluateInstance(sourceCode, instance, settings);
    if (verdict.bound === 'deadline' || verdict.opaque || verdict.reason === 'disabled-timer') continue;
    const leftOnDefault = defaults.filter((timer) => !verdict.idleTimers.includes(timer.path.join('.')));
    if (leftOnDefault.length === 0) continue;
    found.push({ instance, timers: leftOnDefault.map((timer) => `\`${timer.path.join('.')}\` (${timer.note})`).join(' and ') });
  }
  return found;
}
