import type { TSESLint } from '@typescript-eslint/utils';

import noDisabledTimeout from './no-disabled-timeout.js';
import noGlobalAgent from './no-global-agent.js';
import noIdleOnlyTimeout from './no-idle-only-timeout.js';
import noRestrictedHttpApi from './no-restricted-http-api.js';
import noUnboundedClient from './no-unbounded-client.js';
import noUnboundedFetch from './no-unbounded-fetch.js';
import noUnboundedNodeRequest from './no-unbounded-node-request.js';

/** Every rule of the plugin, keyed by its public name. One rule per file in this folder. */
export const rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> = {
  'no-disabled-timeout': noDisabledTimeout,
  'no-global-agent': noGlobalAgent,
  'no-idle-only-timeout': noIdleOnlyTimeout,
  'no-restricted-http-api': noRestrictedHttpApi,
  'no-unbounded-client': noUnboundedClient,
  'no-unbounded-fetch': noUnboundedFetch,
  'no-unbounded-node-request': noUnboundedNodeRequest,
};
