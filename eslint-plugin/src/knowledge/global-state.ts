/**
 * Process-wide HTTP state: the agents and dispatchers that every request in the process shares. Plain data,
 * read by `no-global-agent` (as presets of the `no-restricted-http-api` engine) and by the text pre-filter
 * in `detection/candidate-text.ts`.
 *
 * @packageDocumentation
 */
import type { PresetRestrictedApi } from '../util/restricted-api.js';

const useOwnAgent =
  'it is process-wide state that every library in the process shares; give the requests that need different limits their own `agent`, or allow this in the one entry-point file that configures it';
const useOwnDispatcher =
  'the global dispatcher is shared by every `fetch` and undici call in the process; pass a `dispatcher` to the calls that need one, or allow this in the one entry-point file that configures it';

const patchedRequest =
  "replacing it patches every request in the process, every library's included; wrap the calls that need the change instead, or allow this in the one entry-point file that installs the instrumentation";

/** `http.request = …`, `https.get = …` and `Object.defineProperty(http, 'request', …)`: monkey-patching node:http. */
const nodeRequestPatches = ['http', 'https'].flatMap((module) =>
  ['request', 'get'].map((name) => ({ id: `${module}.${name}`, module, name, writesOnly: true, message: patchedRequest })),
);

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
  ...nodeRequestPatches,
  {
    // Still a bound for no-unbounded-client in the same module; here it is reported as the process-wide mutation it is.
    id: 'axios.defaults.timeout',
    module: 'axios',
    name: 'defaults.timeout',
    writesOnly: true,
    message:
      "it changes the timeout of every axios call in the process, other libraries' included; give your own calls an instance (`axios.create({ timeout })`) or a per-call `signal`, or allow this in the one entry-point file that configures it",
  },
  {
    id: 'globalThis.fetch',
    global: 'fetch',
    writesOnly: true,
    message: 'replacing the global `fetch` changes every caller in the process; pass the wrapped fetch to the code that needs it instead',
  },
];
