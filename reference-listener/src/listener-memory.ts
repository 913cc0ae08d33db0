// What the listeners of one process remember across supervisor restarts. Delivery is at least once, and a
// redelivered message can reach any listener, so the memory is shared: a job already handed off is dropped
// as a duplicate, and a malformed message is counted across all its deliveries.
import { RecentIds } from './recent-ids.js';

export class ListenerMemory {
  readonly handedOff = new RecentIds();
  private readonly deliveries = new Map<number, number>();
  /** Jobs one of our sessions may hold without having handed them off, with when that began. */
  private readonly mayHold = new Map<number, number>();
  private readonly mayHoldTtlMs: number;
  private readonly now: () => number;

  /**
   * @param mayHoldTtlMs How long a job stays "possibly held by one of our sessions" after an acquisition whose
   *   answer was lost or whose hand-off failed: at least the broker's session expiry, after which the broker
   *   frees the jobs of a session that was never deleted.
   */
  constructor(options: { mayHoldTtlMs?: number; now?: () => number } = {}) {
    this.mayHoldTtlMs = options.mayHoldTtlMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  markMayHold(runnerRequestIds: readonly number[]): void {
    for (const id of runnerRequestIds) this.mayHold.set(id, this.now());
  }

  releaseMayHold(runnerRequestId: number): void {
    this.mayHold.delete(runnerRequestId);
  }

  /** One of our sessions may hold the job: a previous acquire's answer was lost, or its hand-off failed. */
  mayHoldJob(runnerRequestId: number): boolean {
    const since = this.mayHold.get(runnerRequestId);
    if (since === undefined) return false;
    if (this.now() - since <= this.mayHoldTtlMs) return true;
    this.mayHold.delete(runnerRequestId);
    return false;
  }

  recordDelivery(messageId: number): number {
    const count = (this.deliveries.get(messageId) ?? 0) + 1;
    this.deliveries.delete(messageId);
    this.deliveries.set(messageId, count);
    // Bounded like RecentIds: a message nobody acknowledges for 10,000 others is forgotten, not kept forever.
    if (this.deliveries.size > 10_000) {
      const oldest = this.deliveries.keys().next().value;
      if (oldest !== undefined) this.deliveries.delete(oldest);
    }
    return count;
  }

  forgetDeliveries(messageId: number): void {
    this.deliveries.delete(messageId);
  }
}
