// The side effect: what the listener hands a job to (start a runner, enqueue a build...). Defined here, by
// its consumer, as the one method the listener calls.

export interface JobHandoff {
  runnerRequestId: number;
  jobId: string;
}

export interface Scaler {
  /**
   * Hand the job off. Must be idempotent per `runnerRequestId`: delivery is at least once, so the same job can
   * arrive again after a restart. Must honour `signal`, which aborts at the hand-off deadline or at shutdown.
   */
  handOff(job: JobHandoff, signal: AbortSignal): Promise<void>;
}

/**
 * Makes any scaler idempotent per runnerRequestId: a job handed off successfully is not handed off again,
 * and concurrent hand-offs of one job share one call. Remembers the most recent `capacity` jobs.
 */
export class IdempotentScaler implements Scaler {
  private readonly inner: Scaler;
  private readonly capacity: number;
  private readonly handedOff = new Set<number>();
  private readonly inFlight = new Map<number, Promise<void>>();

  constructor(inner: Scaler, capacity = 100_000) {
    this.inner = inner;
    this.capacity = capacity;
  }

  async handOff(job: JobHandoff, signal: AbortSignal): Promise<void> {
    if (this.handedOff.has(job.runnerRequestId)) return;
    const pending = this.inFlight.get(job.runnerRequestId);
    if (pending !== undefined) return pending;
    const call = this.inner
      .handOff(job, signal)
      .then(() => {
        this.handedOff.add(job.runnerRequestId);
        if (this.handedOff.size > this.capacity) {
          const oldest = this.handedOff.values().next().value;
          if (oldest !== undefined) this.handedOff.delete(oldest);
        }
      })
      .finally(() => this.inFlight.delete(job.runnerRequestId));
    this.inFlight.set(job.runnerRequestId, call);
    return call;
  }
}

/** The demo side effect: "starts a runner" by recording it and telling whoever listens. */
export class DemoScaler implements Scaler {
  readonly started: JobHandoff[] = [];
  private readonly onStart: ((job: JobHandoff) => void) | undefined;

  constructor(onStart?: (job: JobHandoff) => void) {
    this.onStart = onStart;
  }

  handOff(job: JobHandoff, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    this.started.push(job);
    this.onStart?.(job);
    return Promise.resolve();
  }
}
