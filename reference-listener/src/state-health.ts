// Whether the listener can still write its state. A listener that polls and dispatches but cannot persist
// what it acknowledged (a full or read-only volume) will redo or lose work at its next start, so /healthz
// must say so while the loop itself looks fine. Every state file (AtomicFile) reports here; the probe reads it.
import type { WriteOutcomeObserver } from './atomic-file.js';

export class StateWriteHealth implements WriteOutcomeObserver {
  /** The last failure of each state file that has not been written successfully since. */
  private readonly failures = new Map<string, string>();

  /** A write of `what` (a path, or any name of the state) failed: unhealthy until a write of it succeeds. */
  writeFailed(what: string, error: unknown): void {
    this.failures.set(what, error instanceof Error ? error.message : String(error));
  }

  writeSucceeded(what: string): void {
    this.failures.delete(what);
  }

  /** Why state cannot be written, or undefined while every state file is writable. */
  problem(): string | undefined {
    if (this.failures.size === 0) return undefined;
    return `state cannot be written: ${[...this.failures].map(([what, message]) => `${what} (${message})`).join('; ')}`;
  }
}
