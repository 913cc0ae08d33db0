import { axiosTransform } from './axios.js';
import { boundedClientTransform } from './bounded-client.js';
import { disabledTimeoutTransform } from './disabled-timeout.js';
import { fetchTransform } from './fetch.js';
import { gotTransform } from './got.js';
import { nodeHttpTransform } from './node-http.js';
import type { Transform } from './types.js';
import { undiciTransform } from './undici.js';

/**
 * Every transform, in the order fixFile tries them for a site: the first that applies rewrites it.
 * `bounded-client` comes before `fetch` so that `--client` retrofits fetch calls instead of inlining a signal.
 */
export const transforms: readonly Transform[] = [
  boundedClientTransform,
  fetchTransform,
  nodeHttpTransform,
  axiosTransform,
  gotTransform,
  undiciTransform,
  disabledTimeoutTransform,
];
