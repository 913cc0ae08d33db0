// Full-jitter exponential backoff (the AWS Architecture Blog's "full jitter"): the delay before attempt n is
// uniform in [0, min(cap, base * 2^n)). Spreading restarts over the whole window is what stops N listeners,
// or N replicas, from stampeding a broker that has just come back.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** Random in [0, 1), injectable so tests are deterministic. */
export type RandomSource = () => number;

export function fullJitterDelayMs(attempt: number, policy: BackoffPolicy, random: RandomSource): number {
  // 2^attempt overflows to Infinity long after it passed the cap, and Math.min handles Infinity.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
