// The side effect: what the listener hands a job to (start a runner, enqueue a build...). Defined here, by
// its consumer, as the one method the listener calls.

export interface JobHandoff {
  runnerRequestId: number;
  jobId: string;
  /**
   * The same for every hand-off of this job, from any process, session or owner name. The side effect must
   * use it so that a second hand-off of the job does nothing (see Scaler.handOff).
   */
  idempotencyKey: string;
}

/** The hand-off of a job, with its idempotency key: `runner-request-<runnerRequestId>`, usable as a resource name. */
export function jobHandoff(runnerRequestId: number, jobId: string): JobHandoff {
  return { runnerRequestId, jobId, idempotencyKey: `runner-request-${runnerRequestId}` };
}

export interface Scaler {
  /**
   * Hand the job off. Must honour `signal`, which aborts at the hand-off deadline or at shutdown.
   *
   * Must be idempotent per `job.idempotencyKey`: a second call with the same key must have no second effect
   * and must succeed, because the listener can call it again. It does so only when the process died after
   * the side effect and before its delivery journal recorded it (or when it runs without --state-dir), so
   * repeats are rare, but no listener can rule them out: nothing makes a side effect elsewhere and a local
   * write one atomic step. Use the key as the name of what you create (a runner, a pod, a VM: "already
   * exists" is then success) or send it as an Idempotency-Key to an API that deduplicates by it.
   */
  handOff(job: JobHandoff, signal: AbortSignal): Promise<void>;
}

/** The demo side effect: "starts a runner" once per idempotency key, by recording it and telling whoever listens. */
export class DemoScaler implements Scaler {
  readonly started: JobHandoff[] = [];
  private readonly startedKeys = new Set<string>();
  private readonly onStart: ((job: JobHandoff) => void) | undefined;

  constructor(onStart?: (job: JobHandoff) => void) {
    this.onStart = onStart;
  }

  handOff(job: JobHandoff, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.startedKeys.has(job.idempotencyKey)) return Promise.resolve();
    this.startedKeys.add(job.idempotencyKey);
    this.started.push(job);
    this.onStart?.(job);
    return Promise.resolve();
  }
}
