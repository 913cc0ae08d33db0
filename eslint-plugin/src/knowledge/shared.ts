import type { BoundTemplate, DisablingValue, OptionsPosition } from './types.js';

/**
 * The deadline the toolkit writes when the user names none (suggestions, `bounded-http fix` without
 * `--timeout-ms`): long enough not to break a working call, short enough to end a wedged one.
 */
export const DEFAULT_DEADLINE_MS = 30_000;

/** `signal: AbortSignal.timeout(ms)`: the bound of every family whose only total deadline is a signal. */
export const SIGNAL_BOUND: BoundTemplate = { kind: 'signal' };

/** The values that switch off a numeric timer in every library we know: `0` means "no timeout". */
export const DISABLED_BY_ANY_OFF_VALUE: readonly DisablingValue[] = ['zero', 'infinity', 'false', 'null', 'undefined'];

/** Options object at a fixed argument position. */
export const at = (index: number): OptionsPosition => ({ kind: 'index', index });

/** Options at `index` after a URL, or at 0 when the first argument is the options object itself. */
export const afterUrl = (index: number): OptionsPosition => ({ kind: 'after-url', index });

export const NO_OPTIONS: OptionsPosition = { kind: 'none' };

/** The same options position for each of these method names. */
export function methodsOf(names: readonly string[], position: OptionsPosition): Record<string, OptionsPosition> {
  return Object.fromEntries(names.map((name) => [name, position]));
}


/** The body readers of a WHATWG `Response` (fetch, ky): the call resolves at the headers, the body comes after. */
export const RESPONSE_BODY_READERS: readonly string[] = ['json', 'text', 'arrayBuffer', 'blob', 'formData', 'bytes'];
