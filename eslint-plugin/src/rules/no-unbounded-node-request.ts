import { familiesForRule } from '../knowledge/index.js';
import { BOUND_OPTION_SCHEMA_PROPERTIES, type BoundRuleOptions, DEFAULT_BOUND_OPTIONS, boundSettings } from '../util/bound-options.js';
import { createRule } from '../util/create-rule.js';
import { findingsFor, isUnbounded } from '../util/findings.js';
import { UNBOUNDED_MESSAGES, reportUnbounded } from '../util/report-unbounded.js';

const NODE_REQUEST_FAMILIES = new Set(familiesForRule('node-request').map((family) => family.id));

/**
 * `http.request`/`https.get` have no timeout by default, and their `timeout` option only emits `'timeout'`:
 * the request is bounded by a `signal`, or by `timeout` with a handler that destroys the request.
 */
export default createRule<[BoundRuleOptions], keyof typeof UNBOUNDED_MESSAGES>({
  name: 'no-unbounded-node-request',
  meta: {
    type: 'problem',
    docs: {
      description: "Require a deadline on node:http and node:https requests: a `signal`, or a `timeout` whose 'timeout' handler destroys the request",
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
        const findings = findingsFor(context.sourceCode, NODE_REQUEST_FAMILIES, boundSettings(options), isUnbounded(options.opaqueOptions ?? 'ignore'));
        reportUnbounded(context, findings, options);
      },
    };
  },
});
