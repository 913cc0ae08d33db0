import type { TSESLint } from '@typescript-eslint/utils';

import noDisabledTimeout from './no-disabled-timeout.js';
import noIdleOnlyTimeout from './no-idle-only-timeout.js';
import noUnboundedClient from './no-unbounded-client.js';
import noUnboundedFetch from './no-unbounded-fetch.js';
import noUnboundedNodeRequest from './no-unbounded-node-request.js';

type AnyRule = TSESLint.RuleModule<string, readonly unknown[]>;

/** Every rule of the plugin, keyed by its public name. One rule per file in this folder. */
export const rules: Record<string, AnyRule> = {
  'no-disabled-timeout': noDisabledTimeout as AnyRule,
  'no-idle-only-timeout': noIdleOnlyTimeout as AnyRule,
  'no-unbounded-client': noUnboundedClient as AnyRule,
  'no-unbounded-fetch': noUnboundedFetch as AnyRule,
  'no-unbounded-node-request': noUnboundedNodeRequest as AnyRule,
};
