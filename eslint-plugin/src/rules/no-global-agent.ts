import { createRule } from '../util/create-rule.js';
import type { PresetRestrictedApi } from '../util/restricted-api.js';
import { reportRestrictedReferences, restrictedMessages } from './no-restricted-http-api.js';

const useOwnAgent = 'it is process-wide state that every library in the process shares; give the requests that need different limits their own `agent`';
const useOwnDispatcher =
  'the global dispatcher is shared by every `fetch` and undici call in the process; pass a `dispatcher` to the calls that need one, or allow this in the one entry-point file that configures it';

/**
 * Process-wide HTTP state, as presets of the `no-restricted-http-api` engine: one resolution mechanism for
 * both rules. `id` is what the `allow` option names.
 */
export const globalAgentApis: readonly (PresetRestrictedApi & { readonly id: string })[] = [
  { id: 'http.globalAgent', module: 'http', name: 'globalAgent', message: useOwnAgent },
  { id: 'https.globalAgent', module: 'https', name: 'globalAgent', message: useOwnAgent },
  { id: 'undici.setGlobalDispatcher', module: 'undici', name: 'setGlobalDispatcher', message: useOwnDispatcher },
  { id: 'undici.getGlobalDispatcher', module: 'undici', name: 'getGlobalDispatcher', message: useOwnDispatcher },
  {
    id: 'undici.globalDispatcherSymbol',
    global: 'Symbol',
    name: 'for',
    firstArgument: /^undici\.globalDispatcher\.\d+$/u,
    message: `${useOwnDispatcher} (this symbol is where undici keeps it)`,
  },
  {
    id: 'global-agent',
    module: 'global-agent',
    message: 'it replaces `http.globalAgent` and `https.globalAgent` for the whole process; configure the proxy on the agents or dispatchers you pass explicitly',
  },
  {
    id: 'global-agent/bootstrap',
    module: 'global-agent/bootstrap',
    message: 'importing it patches `http.globalAgent` and `https.globalAgent` for the whole process; configure the proxy on the agents or dispatchers you pass explicitly',
  },
  {
    id: 'globalThis.fetch',
    global: 'fetch',
    writesOnly: true,
    message: 'replacing the global `fetch` changes every caller in the process; pass the wrapped fetch to the code that needs it instead',
  },
];

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
  create(context, [{ allow = [] }]) {
    const active = activeApis(allow);
    return {
      'Program:exit'() {
        reportRestrictedReferences(context, active);
      },
    };
  },
});
