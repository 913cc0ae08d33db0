// Retrying inside the session. A transient failure of poll, acknowledge or acquire (a deadline, a reset, a 5xx)
// says nothing about the session or the token, so tearing both down for it (new token, delete, create) costs
// the broker three calls and the queue a stall, for nothing. Those calls are retried in place instead, with
// full-jitter backoff, and they share one budget per cycle of the loop (a poll and the handling of what it
// returned): however the failures are spread over the three calls, the listener gives up after `retries`
// of them in one cycle and lets the supervisor rebuild everything. A successful poll starts a new cycle.
// So a cycle costs at most `retries` × (deadline + capMs) more than a healthy one, and a broker that fails
// now and then costs retries, never a new token or a new session.
import { fullJitterDelayMs, type BackoffPolicy, type RandomSource } from './backoff.js';
import { BrokerError, classifyError } from './errors.js';

export interface RetryPolicy extends BackoffPolicy {
  /** Failures retried inside the session in one cycle before the listener gives up; 0 turns retries off. */
  retries: number;
}

/** 100 ms doubling to 5 s, 5 retries: rides out a broker hiccup of a few seconds, and no more, in place. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, baseMs: 100, capMs: 5_000 };

/**
 * A failure that another attempt at the same call, in the same session, can fix: our deadline expired, the
 * connection broke, or the broker said it is overloaded or failing (408, 429, 5xx). Not a 4xx that says the
 * request is wrong, not a malformed answer (a protocol mismatch does not go away by asking again), and not a
 * cancellation (a request to stop).
 */
export function isTransientFailure(error: unknown): boolean {
  return classifyError(error).retryable;
}

export class RetryBudget {
  private readonly policy: RetryPolicy;
  private readonly random: RandomSource;
  private failures = 0;

  constructor(policy: RetryPolicy, random: RandomSource) {
    this.policy = policy;
    this.random = random;
  }

  /** Retries spent in this cycle. */
  get spent(): number {
    return this.failures;
  }

  /** Spends one retry on `error`: the delay to wait before it, or undefined when the budget is spent. */
  spend(error: unknown): number | undefined {
    if (this.failures >= this.policy.retries) return undefined;
    let delayMs = fullJitterDelayMs(this.failures, this.policy, this.random);
    // A broker that said when to come back is believed, within the cap.
    if (error instanceof BrokerError && error.retryAfterMs !== undefined) delayMs = Math.max(delayMs, Math.min(error.retryAfterMs, this.policy.capMs));
    this.failures++;
    return delayMs;
  }

  /** A new cycle began (a poll succeeded): the budget is whole again. */
  refill(): void {
    this.failures = 0;
  }
}
