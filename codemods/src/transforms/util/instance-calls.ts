import type { SiteDescriptor } from 'eslint-plugin-bounded-http/detection';

import type { Edit } from '../types.js';
import type { Outcome } from './render.js';

/**
 * For an instance whose creation can hold no total deadline (an axios instance, whose `timeout` is idle-only
 * in Node; an undici dispatcher): every call made on it in this file gets the family's call bound. The calls
 * are the ones the plugin found on the instance (through scope, as its rules do). Unfixable when calls may
 * exist elsewhere (the instance is exported or passed on), when none is visible, or when one of them cannot
 * be bounded: a partial fix would report the instance fixed while some of its calls are not. `boundCall`
 * renders the family's call bound at one call.
 */
export function boundEveryInstanceCall(descriptor: SiteDescriptor, boundCall: (call: SiteDescriptor) => Outcome, what: string): Outcome {
  const calls = descriptor.instanceCalls ?? [];
  if (descriptor.instanceEscapes) {
    return {
      unfixable: `${what} is used outside what this file shows (exported, returned or passed on), and its creation can hold no total deadline; pass signal: AbortSignal.timeout(ms) on each call`,
    };
  }
  if (calls.length === 0) {
    return { unfixable: `no call on the ${what} instance is visible in this file; pass signal: AbortSignal.timeout(ms) on each call where it is used` };
  }
  const edits: Edit[] = [];
  for (const call of calls) {
    const outcome = boundCall(call);
    if ('unfixable' in outcome) return { unfixable: `a call on the ${what} instance: ${outcome.unfixable}` };
    edits.push(...outcome.edits);
  }
  return { edits };
}
