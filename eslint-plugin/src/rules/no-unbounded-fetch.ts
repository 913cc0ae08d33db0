import { familiesForRule } from '../knowledge/index.js';
import { BOUND_OPTION_SCHEMA_PROPERTIES, type BoundRuleOptions, DEFAULT_BOUND_OPTIONS, boundSettings } from '../util/bound-options.js';
import { createRule } from '../util/create-rule.js';
import { findingsFor, isUnbounded } from '../util/findings.js';
import { UNBOUNDED_MESSAGES, reportUnbounded } from '../util/report-unbounded.js';

const FETCH_FAMILIES = new Set(familiesForRule('fetch').map((family) => family.id));

/**
 * fetch has no overall deadline: undici's 300 s header and body timeouts are idle timers, so a peer that
 * trickles bytes holds the call forever. Only `signal` bounds it.
 */
export default createRule<[BoundRuleOptions], keyof typeof UNBOUNDED_MESSAGES>({
  name: 'no-unbounded-fetch',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a deadline (`signal`) on every fetch call: global, undici, node-fetch, cross-fetch, isomorphic-fetch',
      recommended: 'recommended',
      requiresTypeChecking: false,
      strictOptions: { requireDeadlineSignal: true },
    },
    hasSuggestions: true,
    messages: UNBOUNDED_MESSAGES,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: BOUND_OPTION_SCHEMA_PROPERTIES,
      },
    ],
  },
  defaultOptions: [DEFAULT_BOUND_OPTIONS],
  create(context, [options]) {
    return {
      'Program:exit'() {
        const findings = findingsFor(context.sourceCode, FETCH_FAMILIES, boundSettings(options), isUnbounded(options.opaqueOptions ?? 'ignore'));
        reportUnbounded(context, findings, options);
      },
    };
  },
});
