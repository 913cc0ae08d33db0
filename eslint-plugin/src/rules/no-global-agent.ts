import { mayContainRequests } from '../detection/candidate-text.js';
import { globalAgentApis } from '../knowledge/global-state.js';
import { createRule } from '../util/create-rule.js';
import type { PresetRestrictedApi } from '../util/restricted-api.js';
import { reportRestrictedReferences, restrictedMessages } from './no-restricted-http-api.js';

export type Options = [{ allow?: string[] }];

const activeByAllowList = new Map<string, readonly PresetRestrictedApi[]>();

/** One stable list per `allow` setting, so the engine compiles its trace maps once, not per file. */
function activeApis(allow: readonly string[]): readonly PresetRestrictedApi[] {
  const key = [...allow].sort().join('\n');
  let active = activeByAllowList.get(key);
  if (!active) {
    active = globalAgentApis.filter((api) => !allow.includes(api.id));
    activeByAllowList.set(key, active);
  }
  return active;
}
export type MessageIds = keyof typeof restrictedMessages;

export default createRule<Options, MessageIds>({
  name: 'no-global-agent',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow reading or replacing process-wide HTTP agents and dispatchers',
      recommended: 'recommended',
      requiresTypeChecking: false,
    },
    messages: restrictedMessages,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allow: {
            type: 'array',
            uniqueItems: true,
            items: { type: 'string', enum: globalAgentApis.map((api) => api.id) },
            description: 'APIs this rule stops reporting everywhere it applies. To allow them in a single entry-point file, turn the rule off for that file with a `files` override instead.',
          },
        },
      },
    ],
  },
  defaultOptions: [{ allow: [] }],
  // References resolve by name alone, types or not: the knowledge base's filter is sound in typed mode too.
  candidateText: () => mayContainRequests,
  create(context, [{ allow = [] }]) {
    const active = activeApis(allow);
    return {
      'Program:exit'() {
        reportRestrictedReferences(context, active);
      },
    };
  },
});
