// The hand-off to the scaler, under its own deadline. The scaler is a call like any other: one that hangs
// (or ignores its signal) must not hang the listener, so the hand-off goes through withDeadline, which
// races it against the abort instead of trusting the scaler to return.
import { withDeadline, type DeadlineErrors } from './deadline.js';
import type { JobHandoff, Scaler } from './scaler.js';

/** The hand-off to the scaler failed or overran its deadline; the message stays unacknowledged. */
export class HandOffError extends Error {
  override readonly name = 'HandOffError';
  readonly runnerRequestId: number;
  constructor(runnerRequestId: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.runnerRequestId = runnerRequestId;
  }
}

/**
 * Hands `job` to `scaler` within `handOffTimeoutMs`. `signal` is the listener's "abandon the message in hand"
 * signal (the shutdown grace period's share for handling, or the watchdog). Rejects with HandOffError only.
 */
export async function handOff(scaler: Scaler, job: JobHandoff, handOffTimeoutMs: number, signal: AbortSignal): Promise<void> {
  const errors: DeadlineErrors = {
    name: 'handOff',
    expired: (ms) => new HandOffError(job.runnerRequestId, `the scaler did not take job ${job.jobId} within ${ms} ms`),
    cancelled: (reason) => new HandOffError(job.runnerRequestId, `hand-off of job ${job.jobId} cancelled`, { cause: reason }),
  };
  try {
    await withDeadline(errors, handOffTimeoutMs, signal, (handOffSignal) => scaler.handOff(job, handOffSignal));
  } catch (error) {
    if (error instanceof HandOffError) throw error;
    throw new HandOffError(job.runnerRequestId, `the scaler failed to take job ${job.jobId}`, { cause: error });
  }
}
