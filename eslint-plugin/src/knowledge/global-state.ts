/**
 * Process-wide HTTP state: the agents and dispatchers that every request in the process shares. Plain data,
 * read by `no-global-agent` (as presets of the `no-restricted-http-api` engine) and by the text pre-filter
 * in `detection/candidate-text.ts`.
 *
 * @packageDocumentation
 */
import type { PresetRestrictedApi } from '../util/restricted-api.js';

const useOwnAgent = 'it is process-wide state that every library in the process shares; give the requests that need different limits their own `agent`';
const useOwnDispatcher =
  'the global dispatcher is shared by every `fetch` and undici call in the process; pass a `dispatcher` to the calls that need one, or allow this in the one entry-point file that configures it';

/**
 * Process-wide HTTP state, as presets of the `no-restricted-http-api` engine: one resolution mechanism for
 * both rules. `id` is what `no-global-agent`'s `allow` option names.
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
