import { CALL } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';

import { callOptionsOf, evaluateBound } from '../detection/bounds.js';
import { staticValue } from '../detection/ast.js';
import { chainBound } from '../detection/chain.js';
import { nodeRequestHandling } from '../detection/node-request-object.js';
import { lookupOption } from '../detection/options.js';
import { getFileRequests } from '../detection/request-sites.js';
import { describeTimerValue, ruleNameOf } from '../detection/describe-site.js';
import { recordSiteDescriptor, type SiteDescriptor } from '../detection/index.js';
import { disablesTimer } from '../knowledge/index.js';
import type { ClientFamily, TimerOption } from '../knowledge/index.js';
import { createRule } from '../util/create-rule.js';
import { getReferenceTracker } from '../util/reference-tracker.js';

type Options = [{ maxMs?: number }];
type MessageId = 'disabled' | 'aboveMax' | 'neverFiringSignal';

const MAX_SHOWN = 50;

/** Where a reported timer sits, for its site descriptor. */
interface TimerSite {
  readonly familyId: SiteDescriptor['familyId'];
  readonly role: SiteDescriptor['role'];
  readonly timer?: TimerOption;
}

/** `AbortSignal.timeout(Infinity)`: a timer call that belongs to no client family. */
const NO_CLIENT: TimerSite = { familyId: null, role: 'timer-call' };

/**
 * A timeout of `0`, `Infinity`, `false`, `null` or `undefined` switches the timer off in every client we
 * know; so does one longer than anyone would wait. Reported where the value is written, unless the call
 * also carries a deadline (a `signal`), which makes switching an idle timer off harmless.
 */
export default createRule<Options, MessageId>({
  name: 'no-disabled-timeout',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow timeouts switched off with 0, Infinity, false, null or undefined, or set above a maximum',
      recommended: 'recommended',
      requiresTypeChecking: false,
    },
    messages: {
      disabled: '`{{option}}` switches the {{client}} timer off, so nothing ends a call to a peer that stops answering. Set a finite number of milliseconds.',
      aboveMax: '`{{option}}` allows {{value}} ms, above the {{maxMs}} ms this project accepts. Lower it to at most {{maxMs}} ms.',
      neverFiringSignal: '`{{option}}` never fires, so it is no deadline. Pass a finite number of milliseconds{{maxHint}}.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxMs: {
            type: 'integer',
            minimum: 1,
            description: 'Largest timeout in milliseconds the project accepts; longer ones are reported like disabled ones.',
          },
        },
      },
    ],
  },
  defaultOptions: [{}],
  create(context, [{ maxMs }]) {
    const sourceCode = context.sourceCode;
    const reported = new Set<TSESTree.Node>();

    const shown = (node: TSESTree.Node): string => {
      const text = sourceCode.getText(node).replace(/\s+/g, ' ');
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
    };

    const ruleId = ruleNameOf(context.id);
    /** Reports, recording the finding's descriptor for tools that act on it. */
    function report(reportNode: TSESTree.Node, value: TSESTree.Node, messageId: MessageId, data: Record<string, string>, where: TimerSite): void {
      const reason = messageId === 'disabled' ? 'disabled-value' : messageId === 'aboveMax' ? 'above-max' : 'never-firing-signal';
      recordSiteDescriptor(sourceCode, describeTimerValue(sourceCode, reportNode, value, { ...where, reason }, { ruleId, messageId }));
      context.report({ node: reportNode, messageId, data });
    }

    /** Reports `reportNode` when `value` switches `timer` off or exceeds maxMs. */
    function check(reportNode: TSESTree.Node, value: TSESTree.Node, timer: TimerOption, family: ClientFamily, role: SiteDescriptor['role']): void {
      if (reported.has(reportNode) || timer.kind === 'ignored') return;
      const known = staticValue(sourceCode, value);
      if (!known) return;
      const where = { familyId: family.id, role, timer };
      if (disablesTimer(timer, known.value)) {
        reported.add(reportNode);
        report(reportNode, value, 'disabled', { option: shown(reportNode), client: family.displayName }, where);
      } else if (maxMs !== undefined && typeof known.value === 'number' && known.value > maxMs) {
        reported.add(reportNode);
        report(reportNode, value, 'aboveMax', { option: shown(reportNode), value: String(known.value), maxMs: String(maxMs) }, where);
      }
    }

    return {
      'Program:exit'() {
        const requests = getFileRequests(sourceCode);
        // A timer switched off next to a real deadline is deliberate (ky's `timeout: false` with a `signal`).
        const deadlineBounded = (site: (typeof requests.sites)[number]): boolean =>
          evaluateBound(sourceCode, requests, site, { requireDeadlineSignal: false, deadlineSignalFactories: [] }).bound === 'deadline';
        const optionSources: {
          node: TSESTree.CallExpression | TSESTree.NewExpression;
          position: Parameters<typeof callOptionsOf>[2];
          timers: readonly TimerOption[];
          family: ClientFamily;
          role: SiteDescriptor['role'];
        }[] = [
          ...requests.sites
            .filter((site) => !deadlineBounded(site))
            .map((site) => ({ node: site.node, position: site.position, timers: site.timers, family: site.family, role: 'call' as const })),
          ...requests.instances.map((instance) => ({
            node: instance.node,
            position: instance.factory.options,
            timers: instance.family.timers,
            family: instance.family,
            role: instance.factory.dispatcher ? ('dispatcher' as const) : ('instance-factory' as const),
          })),
        ];
        for (const { node, position, timers, family, role } of optionSources) {
          const { options } = callOptionsOf(sourceCode, node, position);
          for (const timer of timers) {
            const found = lookupOption(sourceCode, options, timer.path, timer.scalarOnly ?? false);
            if (found.state === 'set') check(found.property, found.value, timer, family, role);
          }
        }
        // `axios.defaults.timeout = 0`, `client.defaults.timeout = 0`.
        const defaults = [
          ...[...requests.moduleDefaults.entries()].flatMap(([family, list]) => list.map((entry) => ({ entry, family }))),
          ...requests.instances.flatMap((instance) => instance.defaults.map((entry) => ({ entry, family: instance.family }))),
        ];
        for (const { entry, family } of defaults) check(entry.assignment, entry.assignment.right, entry.timer, family, 'defaults-assignment');

        for (const site of requests.sites) {
          // `req.setTimeout(0)` on a node:http request.
          const idleTimer = site.family.timers[0];
          if (site.family.timeoutNeedsHandler && idleTimer) {
            for (const call of nodeRequestHandling(sourceCode, site.node).setTimeoutCalls) {
              const milliseconds = call.arguments[0];
              if (milliseconds) check(call, milliseconds, idleTimer, site.family, 'timer-call');
            }
          }
          // superagent `.timeout(0)`.
          if (site.family.chainBounds.length > 0) {
            const disabled = chainBound(sourceCode, site.family, site.node).disabled;
            if (disabled && !reported.has(disabled)) {
              reported.add(disabled);
              const value = disabled.type === AST_NODE_TYPES.Property ? disabled.value : disabled;
              report(disabled, value, 'disabled', { option: shown(disabled), client: site.family.displayName }, { familyId: site.family.id, role: 'timer-call' });
            }
          }
        }

        // `AbortSignal.timeout(Infinity)` never fires.
        if (!sourceCode.text.includes('AbortSignal')) return;
        const tracker = getReferenceTracker(sourceCode);
        for (const { node } of tracker.iterateGlobalReferences({ AbortSignal: { timeout: { [CALL]: true } } })) {
          const call = node as unknown as TSESTree.CallExpression;
          const milliseconds = call.arguments[0];
          const known = milliseconds ? staticValue(sourceCode, milliseconds) : undefined;
          if (!milliseconds || !known || typeof known.value !== 'number') continue;
          if (known.value === Number.POSITIVE_INFINITY || Number.isNaN(known.value)) {
            report(call, milliseconds, 'neverFiringSignal', { option: shown(call), maxHint: maxMs === undefined ? '' : ` (at most ${maxMs})` }, NO_CLIENT);
          } else if (maxMs !== undefined && known.value > maxMs) {
            report(call, milliseconds, 'aboveMax', { option: shown(call), value: String(known.value), maxMs: String(maxMs) }, NO_CLIENT);
          }
        }
      },
    };
  },
});
