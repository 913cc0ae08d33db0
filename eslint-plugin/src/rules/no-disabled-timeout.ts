import { CALL } from '@eslint-community/eslint-utils';
import type { TSESTree } from '@typescript-eslint/utils';

import { callOptionsOf, evaluateBound } from '../detection/bounds.js';
import { staticValue } from '../detection/ast.js';
import { chainBound } from '../detection/chain.js';
import { nodeRequestHandling } from '../detection/node-request-object.js';
import { lookupOption } from '../detection/options.js';
import { getFileRequests } from '../detection/request-sites.js';
import { disablesTimer } from '../knowledge/index.js';
import type { TimerOption } from '../knowledge/index.js';
import { createRule } from '../util/create-rule.js';
import { getReferenceTracker } from '../util/reference-tracker.js';

type Options = [{ maxMs?: number }];
type MessageId = 'disabled' | 'aboveMax' | 'neverFiringSignal';

const MAX_SHOWN = 50;

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

    /** Reports `reportNode` when `value` switches `timer` off or exceeds maxMs. */
    function check(reportNode: TSESTree.Node, value: TSESTree.Node, timer: TimerOption, client: string): void {
      if (reported.has(reportNode) || timer.kind === 'ignored') return;
      const known = staticValue(sourceCode, value);
      if (!known) return;
      if (disablesTimer(timer, known.value)) {
        reported.add(reportNode);
        context.report({ node: reportNode, messageId: 'disabled', data: { option: shown(reportNode), client } });
      } else if (maxMs !== undefined && typeof known.value === 'number' && known.value > maxMs) {
        reported.add(reportNode);
        context.report({ node: reportNode, messageId: 'aboveMax', data: { option: shown(reportNode), value: String(known.value), maxMs: String(maxMs) } });
      }
    }

    return {
      'Program:exit'() {
        const requests = getFileRequests(sourceCode);
        // A timer switched off next to a real deadline is deliberate (ky's `timeout: false` with a `signal`).
        const deadlineBounded = (site: (typeof requests.sites)[number]): boolean =>
          evaluateBound(sourceCode, requests, site, { requireDeadlineSignal: false, deadlineSignalFactories: [] }).bound === 'deadline';
        const optionSources: { node: TSESTree.CallExpression | TSESTree.NewExpression; position: Parameters<typeof callOptionsOf>[2]; timers: readonly TimerOption[]; client: string }[] = [
          ...requests.sites
            .filter((site) => !deadlineBounded(site))
            .map((site) => ({ node: site.node, position: site.position, timers: site.timers, client: site.family.displayName })),
          ...requests.instances.map((instance) => ({ node: instance.node, position: instance.factory.options, timers: instance.family.timers, client: instance.family.displayName })),
        ];
        for (const { node, position, timers, client } of optionSources) {
          const { options } = callOptionsOf(sourceCode, node, position);
          for (const timer of timers) {
            const found = lookupOption(sourceCode, options, timer.path, timer.scalarOnly ?? false);
            if (found.state === 'set') check(found.property, found.value, timer, client);
          }
        }
        // `axios.defaults.timeout = 0`, `client.defaults.timeout = 0`.
        const defaults = [...[...requests.moduleDefaults.entries()].flatMap(([family, list]) => list.map((entry) => ({ entry, client: family.displayName }))),
          ...requests.instances.flatMap((instance) => instance.defaults.map((entry) => ({ entry, client: instance.family.displayName })))];
        for (const { entry, client } of defaults) check(entry.assignment, entry.assignment.right, entry.timer, client);

        for (const site of requests.sites) {
          // `req.setTimeout(0)` on a node:http request.
          const idleTimer = site.family.timers[0];
          if (site.family.timeoutNeedsHandler && idleTimer) {
            for (const call of nodeRequestHandling(sourceCode, site.node).setTimeoutCalls) {
              const milliseconds = call.arguments[0];
              if (milliseconds) check(call, milliseconds, idleTimer, site.family.displayName);
            }
          }
          // superagent `.timeout(0)`.
          if (site.family.chainBounds.length > 0) {
            const disabled = chainBound(sourceCode, site.family, site.node).disabled;
            if (disabled && !reported.has(disabled)) {
              reported.add(disabled);
              context.report({ node: disabled, messageId: 'disabled', data: { option: shown(disabled), client: site.family.displayName } });
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
          if (!known || typeof known.value !== 'number') continue;
          if (known.value === Number.POSITIVE_INFINITY || Number.isNaN(known.value)) {
            context.report({ node: call, messageId: 'neverFiringSignal', data: { option: shown(call), maxHint: maxMs === undefined ? '' : ` (at most ${maxMs})` } });
          } else if (maxMs !== undefined && known.value > maxMs) {
            context.report({ node: call, messageId: 'aboveMax', data: { option: shown(call), value: String(known.value), maxMs: String(maxMs) } });
          }
        }
      },
    };
  },
});
