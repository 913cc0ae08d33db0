import { type FamilyId, familiesForRule } from '../knowledge/index.js';
import { BOUND_OPTION_SCHEMA_PROPERTIES, type BoundRuleOptions, DEFAULT_BOUND_OPTIONS, boundSettings } from '../util/bound-options.js';
import { createRule } from '../util/create-rule.js';
import { findingsFor, isUnbounded } from '../util/findings.js';
import { UNBOUNDED_MESSAGES, reportUnbounded } from '../util/report-unbounded.js';

const CLIENT_FAMILIES = familiesForRule('client');

type Options = BoundRuleOptions & {
  /** Families to check, by id; every family is on unless set to `false`. */
  clients?: Partial<Record<FamilyId, boolean>>;
};

/**
 * axios, got, undici's request API, ky, superagent and @actions/http-client calls and instances with no
 * bound. An instance created without a timeout is reported once, where it is created.
 */
export default createRule<[Options], keyof typeof UNBOUNDED_MESSAGES>({
  name: 'no-unbounded-client',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a timeout or signal on axios, got, undici, ky, superagent and @actions/http-client calls and instances',
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
        properties: {
          ...BOUND_OPTION_SCHEMA_PROPERTIES,
          clients: {
            type: 'object',
            description: 'Turn client families on or off, e.g. `{ "superagent": false }`. Every family is on by default.',
            additionalProperties: false,
            properties: Object.fromEntries(
              CLIENT_FAMILIES.map((family) => [family.id, { type: 'boolean', description: `Check ${family.displayName} calls and instances.` }]),
            ),
          },
        },
      },
    ],
  },
  defaultOptions: [{ ...DEFAULT_BOUND_OPTIONS, clients: {} }],
  create(context, [options]) {
    const families = new Set(CLIENT_FAMILIES.filter((family) => options.clients?.[family.id] !== false).map((family) => family.id));
    return {
      'Program:exit'() {
        const findings = findingsFor(context.sourceCode, families, boundSettings(options), isUnbounded(options.opaqueOptions ?? 'ignore'));
        reportUnbounded(context, findings, options);
      },
    };
  },
});
