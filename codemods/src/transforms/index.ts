import { CLIENT_FAMILIES } from 'eslint-plugin-bounded-http/knowledge';

import { boundedClientTransform } from './bounded-client.js';
import { disabledTimeoutTransform } from './disabled-timeout.js';
import { type CallRendering, familyTransform, type RenderingRule } from './family.js';
import { nodeHttpRendering } from './node-http.js';
import type { Transform } from './types.js';
import { wretchCallRendering } from './wretch.js';

/**
 * What a family's rewrite adds beyond its knowledge-base template, by family id. follow-redirects re-emits
 * the native request's `'error'` on its own request (follow-redirects@1.16.3 `index.js` line 52), so an abort
 * crashes a request with no listener there exactly as it does on node:http.
 */
const RENDERING_RULES: Readonly<Record<string, RenderingRule>> = { 'node-http': nodeHttpRendering, 'follow-redirects': nodeHttpRendering };

/** Where a family's call bound goes when the call takes no options, by family id. */
const CALL_RENDERINGS: Readonly<Record<string, CallRendering>> = { wretch: wretchCallRendering };

/**
 * Every transform, in the order fixFile tries them for a site: the first that applies rewrites it. One per
 * client family of the knowledge base (named by its id), so a new family is fixed as soon as it is known;
 * `bounded-client` comes before `fetch` so that `--client` retrofits fetch calls instead of inlining a signal.
 */
export const transforms: readonly Transform[] = [
  boundedClientTransform,
  ...CLIENT_FAMILIES.map((family) => familyTransform(family, RENDERING_RULES[family.id], CALL_RENDERINGS[family.id])),
  disabledTimeoutTransform,
];
