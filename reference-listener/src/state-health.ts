// Whether the listener can still write its state. A listener that polls and dispatches but cannot persist
// what it acknowledged (a full or read-only volume) will redo or lose work at its next start, so /healthz
// must say so while the loop itself looks fine. The stores report here; the probe reads it.
import type { LastMessageIdStore } from './last-message-store.js';

export class StateWriteHealth {
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

/** `store`, reporting the outcome of every save to `health` under the name `what`. */
export function reportingWrites(store: LastMessageIdStore, health: StateWriteHealth, what: string): LastMessageIdStore {
  return {
    load: () => store.load(),
    save: async (lastMessageId) => {
      try {
        await store.save(lastMessageId);
      } catch (error) {
        health.writeFailed(what, error);
        throw error;
      }
      health.writeSucceeded(what);
    },
  };
}
