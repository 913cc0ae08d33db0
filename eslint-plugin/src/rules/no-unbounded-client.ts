import { type FamilyId, familiesForRule } from '../knowledge/index.js';
import { BOUND_OPTION_SCHEMA_PROPERTIES, type BoundRuleOptions, DEFAULT_BOUND_OPTIONS, boundSettings } from '../util/bound-options.js';
import { createRule } from '../util/create-rule.js';
import { findingsFor, isUnbounded } from '../util/findings.js';
import { UNBOUNDED_MESSAGES, reportUnbounded } from '../util/report-unbounded.js';

const CLIENT_FAMILIES = familiesForRule('client');

type Options = BoundRuleOptions & {
  /** Families to check, by id; every family is on unless set to `false`. */
  clients?: Partial<Record<FamilyId, boolean>>;
  /**
   * Type-aware mode: calls on an instance typed `AxiosInstance`, `Got`, `KyInstance` or `Dispatcher` whose
   * creation is not visible. `ignore` (default): its defaults may bound them, so only a call that switches
   * its own bound off is reported; `report`: a call with no bound of its own is reported.
   */
  unknownInstances?: 'ignore' | 'report';
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
      description: 'Require a timeout or signal on HTTP client calls and instances: axios, got, undici, ky, superagent, @actions/http-client, ofetch, make-fetch-happen, needle, wretch and redaxios',
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
          unknownInstances: {
            type: 'string',
            enum: ['ignore', 'report'],
            description:
              'With type information: whether calls on an AxiosInstance, Got, KyInstance or undici Dispatcher created out of sight (a parameter, a field) are reported when they carry no bound of their own.',
          },
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
  defaultOptions: [{ ...DEFAULT_BOUND_OPTIONS, clients: {}, unknownInstances: 'ignore' }],
  create(context, [options]) {
    const families = new Set(CLIENT_FAMILIES.filter((family) => options.clients?.[family.id] !== false).map((family) => family.id));
    return {
      'Program:exit'() {
        const findings = findingsFor(context.sourceCode, families, boundSettings(options), isUnbounded(options.opaqueOptions ?? 'ignore')).filter(
          (finding) => finding.kind !== 'call' || !finding.site.unknownInstance || options.unknownInstances === 'report' || finding.verdict.reason !== 'no-bound',
        );
        reportUnbounded(context, findings, options);
      },
    };
  },
});
