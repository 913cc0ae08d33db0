import type { TSESLint } from '@typescript-eslint/utils';

import noUnboundedClient from './no-unbounded-client.js';
import noUnboundedFetch from './no-unbounded-fetch.js';
import noUnboundedNodeRequest from './no-unbounded-node-request.js';

/** Every rule of the plugin, keyed by its public name. One rule per file in this folder. */
export const rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> = {
  'no-unbounded-client': noUnboundedClient as TSESLint.RuleModule<string, readonly unknown[]>,
  'no-unbounded-fetch': noUnboundedFetch as TSESLint.RuleModule<string, readonly unknown[]>,
  'no-unbounded-node-request': noUnboundedNodeRequest as TSESLint.RuleModule<string, readonly unknown[]>,
};
