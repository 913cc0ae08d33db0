// The listener: one broker session, the long-poll loop, acquire, hand off, acknowledge.
//
// Every broker call below is bounded by the broker client: control-plane calls by controlPlaneTimeoutMs, the
// long-poll by its own longPollTimeoutMs. The listener adds no unbounded wait of its own: retries are counted
// (one token refresh, one session refresh, a time window for 409s) and the hand-off has its own deadline.
// Anything the listener cannot handle locally rejects run(); the supervisor restarts it.
import { fullJitterDelayMs, type RandomSource } from './backoff.js';
import type { QueueMessage, Session } from './broker-protocol.js';
import {
  BrokerConnectionError,
  BrokerError,
  DeadlineExceededError,
  MalformedResponseError,
  OperationCancelledError,
  SessionConflictError,
  SessionNotFoundError,
  TokenExpiredError,
  type BrokerOperation,
} from './errors.js';
import type { DeliveryJournal } from './delivery-journal.js';
import type { LastMessageIdStore } from './last-message-store.js';
import type { Logger } from './logger.js';
import type { CallOutcome, ListenerMetrics, ListenerState } from './metrics.js';
import { jobHandoff, type JobHandoff, type Scaler } from './scaler.js';
import { sleep as defaultSleep, type Sleep } from './sleep.js';
import { AccessTokenSource, type AccessToken, type TokenExchanger } from './token-source.js';

/** The broker calls the listener makes. The broker client implements it; tests may pass an in-memory fake. */
export interface ListenerBroker extends TokenExchanger {
  createSession(token: AccessToken, ownerName: string, signal?: AbortSignal): Promise<Session>;
  refreshSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<Session>;
  deleteSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<void>;
  /** undefined when the poll was held and answered 202 (no message). */
  getMessage(session: Session, lastMessageId: number, signal?: AbortSignal): Promise<QueueMessage | undefined>;
  acknowledgeMessage(session: Session, messageId: number, signal?: AbortSignal): Promise<void>;
  /** The runnerRequestIds this session acquired. */
  acquireJobs(token: AccessToken, runnerRequestIds: number[], signal?: AbortSignal): Promise<number[]>;
}

/** How the listener tells its supervisor it is alive; the watchdog restarts a listener that goes quiet. */
export interface ListenerObserver {
  progress(): void;
  state(state: ListenerState): void;
  session(sessionId: string | undefined): void;
  polled(): void;
}

/**
 * The two ways to stop a listener. `stop` ends polling (the in-flight long-poll is aborted at once) but lets
 * the message being handled finish and the session be deleted. `kill` aborts everything: the shutdown grace
 * period expired, or the watchdog gave up on this listener.
 */
export interface ListenerSignals {
  stop: AbortSignal;
  kill: AbortSignal;
}

/**
 * What the listeners of one process remember across supervisor restarts, in memory only: how often each
 * message was delivered, so a malformed message is counted across all its deliveries (a redelivered message
 * can reach any listener). What must survive the process is in the DeliveryJournal.
 */
export class ListenerMemory {
  private readonly deliveries = new Map<number, number>();

  recordDelivery(messageId: number): number {
    const count = (this.deliveries.get(messageId) ?? 0) + 1;
    this.deliveries.delete(messageId);
    this.deliveries.set(messageId, count);
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

/** The hand-off to the scaler failed or overran its deadline; the message stays unacknowledged. */
export class HandOffError extends Error {
  override readonly name = 'HandOffError';
  readonly runnerRequestId: number;
  constructor(runnerRequestId: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.runnerRequestId = runnerRequestId;
  }
}

export interface ListenerOptions {
  listenerIndex: number;
  ownerName: string;
  broker: ListenerBroker;
  scaler: Scaler;
  lastMessageIdStore: LastMessageIdStore;
  memory: ListenerMemory;
  /** Shared by the listeners of the process: the jobs our sessions may hold, and those already handed off. */
  journal: DeliveryJournal;
  metrics: ListenerMetrics;
  logger: Logger;
  /** The scaler gets this long to take a job; it is a call like any other and must not hang the listener. */
  handOffTimeoutMs: number;
  /** 409 at create means an older session for this owner still exists; retry for this long, then give up. */
  sessionConflictWindowMs?: number;
  sessionConflictRetryBaseMs?: number;
  /** A malformed message is acknowledged as poison on this delivery, so it cannot block the queue forever. */
  maxDeliveries?: number;
  refreshTokenBeforeExpiryMs?: number;
  /** Told about every secret the listener receives, so logs can scrub it. */
  onSecret?: (secret: string) => void;
  now?: () => number;
  random?: RandomSource;
  sleep?: Sleep;
}

interface Handling {
  session: Session;
  lastMessageId: number;
}

export class Listener {
  private readonly options: ListenerOptions;
  private readonly broker: ListenerBroker;
  private readonly tokens: AccessTokenSource;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly random: RandomSource;
  private readonly sleep: Sleep;
  private observer: ListenerObserver = {
    progress: () => undefined,
    state: () => undefined,
    session: () => undefined,
    polled: () => undefined,
  };

  constructor(options: ListenerOptions) {
    this.options = options;
    this.broker = options.broker;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.tokens = new AccessTokenSource(
      { exchangeToken: (signal) => this.call('exchangeToken', () => this.broker.exchangeToken(signal)) },
      {
        now: this.now,
        ...(options.refreshTokenBeforeExpiryMs === undefined ? {} : { refreshBeforeExpiryMs: options.refreshTokenBeforeExpiryMs }),
        onToken: (token) => options.onSecret?.(token.value),
      },
    );
  }

  /** Runs until `signals.stop` aborts (resolves) or something fails (rejects, for the supervisor to restart). */
  async run(signals: ListenerSignals, observer?: ListenerObserver): Promise<void> {
    if (observer !== undefined) this.observer = observer;
    const lastMessageId = await this.options.lastMessageIdStore.load();
    this.observer.state('creating-session');
    let session: Session;
    try {
      session = await this.createSession(signals.stop);
    } catch (error) {
      if (signals.stop.aborted) return;
      throw error;
    }
    const handling: Handling = { session, lastMessageId };
    this.logger.info('session-created', { sessionId: session.sessionId, lastMessageId });
    try {
      while (!signals.stop.aborted) {
        await this.acquireHeldJobs(signals.kill);
        this.observer.state('polling');
        let message: QueueMessage | undefined;
        try {
          // Only the poll listens to `stop`: shutdown aborts the wait for new work at once...
          message = await this.poll(handling, signals.stop);
        } catch (error) {
          if (signals.stop.aborted && !signals.kill.aborted) break;
          throw error;
        }
        this.observer.polled();
        if (message === undefined) continue;
        this.observer.state('handling');
        // ...while a message already received is finished, unless the grace period runs out (`kill`).
        await this.handleMessage(handling, message, signals.kill);
      }
    } finally {
      await this.deleteSession(handling.session, signals.kill);
    }
  }

  private async createSession(signal: AbortSignal): Promise<Session> {
    const windowMs = this.options.sessionConflictWindowMs ?? 30_000;
    const retryBaseMs = this.options.sessionConflictRetryBaseMs ?? 500;
    const giveUpAtMs = this.now() + windowMs;
    // Bounded by the window: each round waits at least one broker answer plus a positive jitter.
    for (let attempt = 0; ; attempt++) {
      try {
        const session = await this.withToken(signal, (token) =>
          this.call('createSession', () => this.broker.createSession(token, this.options.ownerName, signal)),
        );
        this.rememberSession(session);
        return session;
      } catch (error) {
        const remainingMs = giveUpAtMs - this.now();
        if (!(error instanceof SessionConflictError) || remainingMs <= 0) throw error;
        // The previous session of this owner is still registered (a crash skipped its delete, or the broker
        // has not expired it yet). Jitter keeps replicas that restarted together from colliding again.
        const delayMs = Math.max(1, Math.min(remainingMs, fullJitterDelayMs(attempt, { baseMs: retryBaseMs, capMs: windowMs }, this.random)));
        this.logger.warn('session-conflict-retrying', { attempt: attempt + 1, delayMs, remainingMs });
        this.observer.progress();
        await this.sleep(delayMs, signal);
        if (signal.aborted) throw new OperationCancelledError('createSession', { cause: signal.reason });
      }
    }
  }

  private rememberSession(session: Session): void {
    this.options.onSecret?.(session.messageQueueAccessToken);
    this.observer.session(session.sessionId);
  }

  /** On 401: one token exchange, then one retry. A second 401 is not ours to fix: the supervisor backs off. */
  private async withToken<T>(signal: AbortSignal, work: (token: AccessToken) => Promise<T>): Promise<T> {
    const token = await this.tokens.current(signal);
    try {
      return await work(token);
    } catch (error) {
      if (!(error instanceof TokenExpiredError)) throw error;
      this.logger.info('token-expired-exchanging-again', { operation: error.operation });
      this.tokens.invalidate();
      return await work(await this.tokens.current(signal));
    }
  }

  private async poll(handling: Handling, signal: AbortSignal): Promise<QueueMessage | undefined> {
    const poll = (): Promise<QueueMessage | undefined> =>
      this.call('getMessage', () => this.broker.getMessage(handling.session, handling.lastMessageId, signal));
    try {
      return await poll();
    } catch (error) {
      // The message queue token expired: refresh the session (which issues a new one), then poll once more.
      if (!(error instanceof TokenExpiredError)) throw error;
      await this.refreshSession(handling, signal);
      return await poll();
    }
  }

  private async refreshSession(handling: Handling, signal: AbortSignal): Promise<void> {
    try {
      handling.session = await this.withToken(signal, (token) =>
        this.call('refreshSession', () => this.broker.refreshSession(token, handling.session.sessionId, signal)),
      );
      this.rememberSession(handling.session);
      this.logger.info('session-refreshed', { sessionId: handling.session.sessionId });
    } catch (error) {
      if (!(error instanceof SessionNotFoundError)) throw error;
      // The broker forgot the session (it expired, or the broker restarted): register a new one.
      this.logger.warn('session-gone-recreating', { sessionId: handling.session.sessionId });
      handling.session = await this.createSession(signal);
      this.logger.info('session-created', { sessionId: handling.session.sessionId, lastMessageId: handling.lastMessageId });
    }
  }

  private async handleMessage(handling: Handling, message: QueueMessage, signal: AbortSignal): Promise<void> {
    const { memory, metrics, maxDeliveries = 3 } = this.options;
    const deliveries = memory.recordDelivery(message.messageId);
    if (deliveries > 1) metrics.messagesRedelivered.inc();
    const jobs = parseJobMessages(message.body);
    if (jobs === undefined) {
      if (deliveries < maxDeliveries) {
        // Not acknowledged: the broker redelivers it, in case the fault was in transit rather than in the message.
        this.logger.warn('malformed-message-left-unacknowledged', { messageId: message.messageId, deliveries, maxDeliveries });
        return;
      }
      this.logger.error('poison-message-acknowledged', { messageId: message.messageId, deliveries });
      await this.acknowledge(handling, message.messageId, signal);
      metrics.messagesPoisoned.inc();
      return;
    }

    const available = new Map<number, JobHandoff>();
    for (const job of jobs) {
      if (job.messageType !== 'JobAvailable') {
        this.logger.debug('job-event', { messageType: job.messageType, runnerRequestId: job.runnerRequestId, jobId: job.jobId });
        continue;
      }
      if (this.options.journal.wasHandedOff(job.runnerRequestId) || available.has(job.runnerRequestId)) {
        metrics.duplicatesSuppressed.inc();
        this.logger.info('duplicate-job-dropped', { runnerRequestId: job.runnerRequestId, jobId: job.jobId });
        continue;
      }
      available.set(job.runnerRequestId, jobHandoff(job.runnerRequestId, job.jobId));
    }

    // The broker decides who owns a job. A redelivered job is acquired again: the broker grants it again to
    // the session that holds it, or to us if the session that held it ended before handing it off.
    const keptForLater = available.size === 0 ? [] : await this.acquireAndHandOff([...available.values()], signal);
    // A job the broker refused may be held by one of *our* ended sessions (a crash, an acquire answer lost,
    // a delete that failed). The journal keeps it and acquireHeldJobs retries it until the broker frees it,
    // so the message can be acknowledged and the queue behind it keeps moving.
    if (keptForLater.length > 0) this.logger.warn('held-job-kept-for-reacquisition', { messageId: message.messageId, runnerRequestIds: keptForLater });

    // Acknowledge only now: an acknowledged message is gone from the broker, so acknowledging before the
    // hand-off succeeded (or before the journal recorded a job we could not acquire yet) would lose the job
    // if the process died in between. Redelivery is harmless instead: hand-offs are deduplicated by
    // runnerRequestId, in the journal and, for the crash window, by the scaler's idempotency key.
    await this.acknowledge(handling, message.messageId, signal);
  }

  /** Jobs the journal says an ended session of ours may hold: acquired again once their retry is due. */
  private async acquireHeldJobs(signal: AbortSignal): Promise<void> {
    const { journal } = this.options;
    for (const job of await journal.expireHeldJobs()) this.logger.warn('held-job-given-up', { runnerRequestId: job.runnerRequestId, jobId: job.jobId });
    const due = journal.heldJobsDue();
    if (due.length === 0) return;
    this.observer.state('handling');
    await this.acquireAndHandOff(due, signal);
  }

  /** Acquires `jobs` and hands off what the broker grants; returns the jobs kept in the journal for a later attempt. */
  private async acquireAndHandOff(jobs: readonly JobHandoff[], signal: AbortSignal): Promise<number[]> {
    const { journal, metrics } = this.options;
    const requested = jobs.map((job) => job.runnerRequestId);
    // Durable before the acquire is sent: a crash after the broker granted them cannot lose them.
    const attempt = await journal.beginAcquire(jobs);
    const acquired = new Set(
      await this.withToken(signal, (token) => this.call('acquireJobs', () => this.broker.acquireJobs(token, requested, signal))),
    );
    const keptForLater = await journal.endAcquire(attempt, acquired);
    metrics.jobsAcquired.inc(acquired.size);
    this.logger.info('jobs-acquired', { requested, acquired: [...acquired] });
    for (const job of jobs) {
      // A job another session holds is not ours to start.
      if (!acquired.has(job.runnerRequestId)) continue;
      await this.handOff(job, signal);
      await journal.recordHandedOff(job.runnerRequestId);
      metrics.jobsDispatched.inc();
      this.logger.info('job-dispatched', { runnerRequestId: job.runnerRequestId, jobId: job.jobId });
    }
    return keptForLater;
  }

  private async acknowledge(handling: Handling, messageId: number, signal: AbortSignal): Promise<void> {
    const acknowledge = (): Promise<void> => this.call('acknowledgeMessage', () => this.broker.acknowledgeMessage(handling.session, messageId, signal));
    try {
      await acknowledge();
    } catch (error) {
      if (!(error instanceof TokenExpiredError)) throw error;
      await this.refreshSession(handling, signal);
      await acknowledge();
    }
    this.options.metrics.messagesAcknowledged.inc();
    this.options.memory.forgetDeliveries(messageId);
    handling.lastMessageId = Math.max(handling.lastMessageId, messageId);
    await this.options.lastMessageIdStore.save(handling.lastMessageId);
  }

  private async handOff(job: JobHandoff, signal: AbortSignal): Promise<void> {
    const { handOffTimeoutMs } = this.options;
    const handOffSignal = AbortSignal.any([signal, AbortSignal.timeout(handOffTimeoutMs)]);
    let onAbort: (() => void) | undefined;
    // A scaler that ignores its signal must still not hang the listener, so the race does not trust it.
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        const reason: unknown = handOffSignal.reason;
        const expired = !signal.aborted;
        reject(
          new HandOffError(
            job.runnerRequestId,
            expired ? `the scaler did not take job ${job.jobId} within ${handOffTimeoutMs} ms` : `hand-off of job ${job.jobId} cancelled`,
            { cause: reason },
          ),
        );
      };
      handOffSignal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      if (handOffSignal.aborted) onAbort?.();
      await Promise.race([this.options.scaler.handOff(job, handOffSignal), aborted]);
      this.observer.progress();
    } catch (error) {
      if (error instanceof HandOffError) throw error;
      throw new HandOffError(job.runnerRequestId, `the scaler failed to take job ${job.jobId}`, { cause: error });
    } finally {
      if (onAbort !== undefined) handOffSignal.removeEventListener('abort', onAbort);
      aborted.catch(() => undefined);
    }
  }

  private async deleteSession(session: Session, signal: AbortSignal): Promise<void> {
    this.observer.state('deleting-session');
    try {
      // Deleting lets the next session for this owner register without a 409. `signal` is the shutdown grace
      // period; the broker client adds the control-plane deadline, so this waits min(both) at most.
      await this.withToken(signal, (token) => this.call('deleteSession', () => this.broker.deleteSession(token, session.sessionId, signal)));
      this.logger.info('session-deleted', { sessionId: session.sessionId });
    } catch (error) {
      this.logger.warn('session-delete-failed', { sessionId: session.sessionId, error });
    } finally {
      this.observer.session(undefined);
    }
  }

  /** Every broker call goes through here: outcome and duration metrics, a log line on failure, watchdog progress on success. */
  private async call<T>(operation: BrokerOperation, work: () => Promise<T>): Promise<T> {
    const { metrics } = this.options;
    const startedAt = performance.now();
    try {
      const result = await work();
      metrics.controlPlaneRequests.inc({ operation, outcome: 'success' });
      this.observer.progress();
      return result;
    } catch (error) {
      const outcome = callOutcome(error);
      metrics.controlPlaneRequests.inc({ operation, outcome });
      if (outcome === 'deadline_exceeded') metrics.deadlinesExceeded.inc({ operation });
      this.logger.info('broker-call-failed', { operation, outcome, durationMs: Math.round(performance.now() - startedAt), error });
      throw error;
    } finally {
      metrics.controlPlaneDuration.observe({ operation }, (performance.now() - startedAt) / 1000);
    }
  }
}

function callOutcome(error: unknown): CallOutcome {
  if (error instanceof DeadlineExceededError) return 'deadline_exceeded';
  if (error instanceof OperationCancelledError) return 'cancelled';
  if (error instanceof TokenExpiredError) return 'token_expired';
  if (error instanceof SessionConflictError) return 'conflict';
  if (error instanceof SessionNotFoundError) return 'not_found';
  if (error instanceof BrokerError) return 'broker_error';
  if (error instanceof BrokerConnectionError) return 'connection_error';
  if (error instanceof MalformedResponseError) return 'malformed';
  return 'error';
}

const jobMessageTypes = new Set(['JobAvailable', 'JobAssigned', 'JobStarted', 'JobCompleted']);

/** The job messages in a queue message's body, or undefined when the body is not the protocol's shape. */
export function parseJobMessages(body: string): JobHandoffMessage[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const jobs: JobHandoffMessage[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { messageType, runnerRequestId, jobId } = item as Record<string, unknown>;
    if (typeof messageType !== 'string' || !jobMessageTypes.has(messageType)) return undefined;
    if (typeof runnerRequestId !== 'number' || !Number.isSafeInteger(runnerRequestId) || typeof jobId !== 'string') return undefined;
    jobs.push({ messageType, runnerRequestId, jobId });
  }
  return jobs;
}

interface JobHandoffMessage {
  messageType: string;
  runnerRequestId: number;
  jobId: string;
}
