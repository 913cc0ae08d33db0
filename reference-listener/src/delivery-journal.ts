// What must survive a crash for delivery to stay safe, on disk next to lastMessageId:
//
// - The jobs our sessions may hold without having handed them off. The journal records a job *before* the
//   acquire is sent, so whatever the broker grants to a session that then dies (kill -9, an answer lost to
//   a deadline, a delete that failed) is known to the next process, whatever its owner name. The broker
//   keeps such a job with the dead session until that session expires, and refuses it to every other
//   session; the journal keeps it and the listener acquires it again until the broker frees it. Its message
//   can therefore be acknowledged: the queue behind it keeps moving, and the job is not lost with the message.
// - The jobs already handed off, so a redelivered message or a re-granted job is not handed off again.
//
// What no journal can close is the instant between the scaler's side effect and the journal write that
// records it: a crash there hands the job off again after the restart. That is why the Scaler contract
// requires the side effect to honour `JobHandoff.idempotencyKey` (see scaler.ts).
import { AtomicFile, StateFileError } from './atomic-file.js';
import { jobHandoff, type JobHandoff } from './scaler.js';

export class DeliveryJournalFileError extends StateFileError {
  override readonly name = 'DeliveryJournalFileError';
}

export interface HeldJob {
  runnerRequestId: number;
  jobId: string;
  /** Wall-clock time of the newest acquire that may have granted it to one of our sessions. */
  sinceMs: number;
}

export interface DeliveryJournalOptions {
  /**
   * How long a job stays "possibly held by one of our sessions" after the newest acquire that may have
   * granted it: at least the broker's session expiry, after which the broker frees the jobs of a session
   * that was never deleted. Default 300000.
   */
  mayHoldTtlMs?: number;
  /** Pause between acquire attempts for a job an ended session of ours may hold. Default 1000. */
  reacquireDelayMs?: number;
  /**
   * How long a handed-off job is remembered to drop its redeliveries: longer than a redelivery after a lost
   * acknowledgement or a re-grant after a session expiry takes. A later repeat is absorbed by the scaler's
   * idempotency key. Kept short because the whole journal is rewritten at every change. Default 600000.
   */
  handedOffRetentionMs?: number;
  /** At most this many handed-off jobs are remembered (the oldest are forgotten first). Default 20000. */
  handedOffCapacity?: number;
  /** Wall clock: the journal's times outlive the process. */
  now?: () => number;
}

/** An acquire in progress: the jobs it asked for and how long our ended sessions may have held each before. */
export interface AcquireAttempt {
  jobs: readonly JobHandoff[];
  heldBefore: ReadonlyMap<number, number>;
}

interface JournalContents {
  version: 1;
  mayHold: HeldJob[];
  handedOff: { runnerRequestId: number; atMs: number }[];
}

export class DeliveryJournal {
  private readonly file: AtomicFile | undefined;
  private readonly mayHoldTtlMs: number;
  private readonly reacquireDelayMs: number;
  private readonly handedOffRetentionMs: number;
  private readonly handedOffCapacity: number;
  private readonly now: () => number;
  private readonly held = new Map<number, HeldJob>();
  /** runnerRequestId → when it was handed off, oldest first. */
  private readonly handedOff = new Map<number, number>();
  /** Not persisted: a restarted process tries every held job at once. */
  private readonly reacquireAtMs = new Map<number, number>();

  private constructor(file: AtomicFile | undefined, options: DeliveryJournalOptions) {
    this.file = file;
    this.mayHoldTtlMs = options.mayHoldTtlMs ?? 300_000;
    this.reacquireDelayMs = options.reacquireDelayMs ?? 1_000;
    this.handedOffRetentionMs = options.handedOffRetentionMs ?? 600_000;
    this.handedOffCapacity = options.handedOffCapacity ?? 20_000;
    this.now = options.now ?? Date.now;
  }

  /** A journal that lives as long as the process: for tests and for a listener run without --state-dir. */
  static inMemory(options: DeliveryJournalOptions = {}): DeliveryJournal {
    return new DeliveryJournal(undefined, options);
  }

  /** Loads `file` (empty when it does not exist yet); throws DeliveryJournalFileError when it is not a journal. */
  static async open(file: AtomicFile, options: DeliveryJournalOptions = {}): Promise<DeliveryJournal> {
    const journal = new DeliveryJournal(file, options);
    let text: string | undefined;
    try {
      text = await file.read();
    } catch (error) {
      throw new DeliveryJournalFileError(file.path, (error as Error).message, { cause: error });
    }
    if (text === undefined) return journal;
    const contents = parseJournal(text);
    if (contents === undefined) {
      throw new DeliveryJournalFileError(
        file.path,
        `${file.path} is not a delivery journal this listener wrote. Fix: restore it from a backup, or delete it, accepting that a job ` +
          `acquired by a session that crashed may not be dispatched (unless the broker offers it again), and that a job already handed off may be handed off again.`,
      );
    }
    for (const job of contents.mayHold) journal.held.set(job.runnerRequestId, job);
    for (const job of contents.handedOff) journal.handedOff.set(job.runnerRequestId, job.atMs);
    journal.forgetExpired();
    return journal;
  }

  wasHandedOff(runnerRequestId: number): boolean {
    return this.handedOff.has(runnerRequestId);
  }

  /** One of our sessions, live or ended, may hold the job without having handed it off. */
  mayHold(runnerRequestId: number): boolean {
    const job = this.held.get(runnerRequestId);
    return job !== undefined && this.now() - job.sinceMs <= this.mayHoldTtlMs;
  }

  /** Held jobs whose next acquire attempt is due. */
  heldJobsDue(): JobHandoff[] {
    const now = this.now();
    return [...this.held.values()]
      .filter((job) => this.mayHold(job.runnerRequestId) && !this.wasHandedOff(job.runnerRequestId) && (this.reacquireAtMs.get(job.runnerRequestId) ?? 0) <= now)
      .map((job) => jobHandoff(job.runnerRequestId, job.jobId));
  }

  /** Forgets held jobs past the TTL (the broker has freed them, or they were never ours); returns them. */
  async expireHeldJobs(): Promise<HeldJob[]> {
    const expired = this.forgetExpired();
    if (expired.length > 0) await this.persist();
    return expired;
  }

  /** Call before sending the acquire, and wait: once it resolves, a crash cannot lose what the broker grants. */
  async beginAcquire(jobs: readonly JobHandoff[]): Promise<AcquireAttempt> {
    const heldBefore = new Map<number, number>();
    const now = this.now();
    for (const job of jobs) {
      const previous = this.held.get(job.runnerRequestId);
      if (previous !== undefined && this.mayHold(job.runnerRequestId)) heldBefore.set(job.runnerRequestId, previous.sinceMs);
      this.held.set(job.runnerRequestId, { runnerRequestId: job.runnerRequestId, jobId: job.jobId, sinceMs: now });
      // Not retried while this acquire is in flight, nor right after the broker refused it.
      this.reacquireAtMs.set(job.runnerRequestId, now + this.reacquireDelayMs);
    }
    await this.persist();
    return { jobs, heldBefore };
  }

  /**
   * Call with the broker's answer. A job it granted stays held until `recordHandedOff`. A job it refused
   * is not held by this session: if an ended session of ours may hold it, it stays in the journal with
   * that session's time, to be acquired again later; otherwise another listener owns it and it is
   * forgotten. Returns the jobs kept for a later acquire. (If the answer never came, do not call this:
   * the session that sent the acquire may hold every job in it.)
   */
  async endAcquire(attempt: AcquireAttempt, acquired: ReadonlySet<number>): Promise<number[]> {
    const kept: number[] = [];
    let changed = false;
    for (const job of attempt.jobs) {
      // Granted, or handed off meanwhile by a sibling listener whose session held it: nothing to keep.
      if (acquired.has(job.runnerRequestId) || this.wasHandedOff(job.runnerRequestId)) continue;
      changed = true;
      const sinceMs = attempt.heldBefore.get(job.runnerRequestId);
      if (sinceMs === undefined) {
        this.held.delete(job.runnerRequestId);
        this.reacquireAtMs.delete(job.runnerRequestId);
        continue;
      }
      this.held.set(job.runnerRequestId, { runnerRequestId: job.runnerRequestId, jobId: job.jobId, sinceMs });
      kept.push(job.runnerRequestId);
    }
    if (changed) await this.persist();
    return kept;
  }

  /** Call as soon as the scaler took the job: the shorter this gap, the rarer a repeated hand-off after a crash. */
  async recordHandedOff(runnerRequestId: number): Promise<void> {
    this.held.delete(runnerRequestId);
    this.reacquireAtMs.delete(runnerRequestId);
    this.handedOff.delete(runnerRequestId);
    this.handedOff.set(runnerRequestId, this.now());
    this.forgetOldHandOffs();
    await this.persist();
  }

  private forgetExpired(): HeldJob[] {
    const expired = [...this.held.values()].filter((job) => !this.mayHold(job.runnerRequestId));
    for (const job of expired) {
      this.held.delete(job.runnerRequestId);
      this.reacquireAtMs.delete(job.runnerRequestId);
    }
    this.forgetOldHandOffs();
    return expired;
  }

  private forgetOldHandOffs(): void {
    const oldestKeptMs = this.now() - this.handedOffRetentionMs;
    for (const [runnerRequestId, atMs] of this.handedOff) {
      if (atMs >= oldestKeptMs && this.handedOff.size <= this.handedOffCapacity) break;
      this.handedOff.delete(runnerRequestId);
    }
  }

  private async persist(): Promise<void> {
    if (this.file === undefined) return;
    const contents: JournalContents = {
      version: 1,
      mayHold: [...this.held.values()],
      handedOff: [...this.handedOff].map(([runnerRequestId, atMs]) => ({ runnerRequestId, atMs })),
    };
    await this.file.write(`${JSON.stringify(contents)}\n`);
  }
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseJournal(text: string): JournalContents | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { version, mayHold, handedOff } = parsed as Record<string, unknown>;
  if (version !== 1 || !Array.isArray(mayHold) || !Array.isArray(handedOff)) return undefined;
  const held: HeldJob[] = [];
  for (const entry of mayHold as unknown[]) {
    const { runnerRequestId, jobId, sinceMs } = (entry ?? {}) as Record<string, unknown>;
    if (!isId(runnerRequestId) || typeof jobId !== 'string' || !isId(sinceMs)) return undefined;
    held.push({ runnerRequestId, jobId, sinceMs });
  }
  const handedOffJobs: JournalContents['handedOff'] = [];
  for (const entry of handedOff as unknown[]) {
    const { runnerRequestId, atMs } = (entry ?? {}) as Record<string, unknown>;
    if (!isId(runnerRequestId) || !isId(atMs)) return undefined;
    handedOffJobs.push({ runnerRequestId, atMs });
  }
  return { version: 1, mayHold: held, handedOff: handedOffJobs };
}
