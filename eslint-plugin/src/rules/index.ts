import type { TSESLint } from '@typescript-eslint/utils';

import noDisabledTimeout from './no-disabled-timeout.js';
import noIdleOnlyTimeout from './no-idle-only-timeout.js';
import noUnboundedClient from './no-unbounded-client.js';
import noUnboundedFetch from './no-unbounded-fetch.js';
import noUnboundedNodeRequest from './no-unbounded-node-request.js';

type AnyRule = TSESLint.RuleModule<string, readonly unknown[]>;

/** Every rule of the plugin, keyed by its public name. One rule per file in this folder. */
export const rules: Record<string, AnyRule> = {
  'no-disabled-timeout': noDisabledTimeout,
  'no-idle-only-timeout': noIdleOnlyTimeout,
  'no-unbounded-client': noUnboundedClient,
  'no-unbounded-fetch': noUnboundedFetch,
  'no-unbounded-node-request': noUnboundedNodeRequest,
};
