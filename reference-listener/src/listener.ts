// The listener's loop: long-poll, acquire, hand off, acknowledge, over one broker session (listener-session.ts).
//
// Every broker call below is bounded by the broker client: control-plane calls by controlPlaneTimeoutMs, the
// long-poll by its own longPollTimeoutMs. The listener adds no unbounded wait of its own: retries are counted
// (one token refresh, one session refresh, a time window for 409s, one budget of in-session retries for
// poll, acknowledge and acquire) and the hand-off has its own deadline. Anything the listener cannot handle
// in place rejects run(); the supervisor rebuilds it (new listener, new session; the token is kept).
import type { RandomSource } from './backoff.js';
import { parseJobMessages, type QueueMessage } from './broker-protocol.js';
import type { DeliveryJournal } from './delivery-journal.js';
import { BrokerCallError, SessionNotFoundError, TokenExpiredError } from './errors.js';
import { handOff } from './hand-off.js';
import { instrumentBroker } from './instrumented-broker.js';
import type { LastMessageIdStore } from './last-message-store.js';
import type { Logger } from './logger.js';
import type { ListenerMemory } from './listener-memory.js';
import type { ListenerBroker, ListenerObserver, ListenerSignals } from './listener-ports.js';
import { ListenerSession } from './listener-session.js';
import type { ListenerMetrics } from './metrics.js';
import { DEFAULT_RETRY_POLICY, isTransientFailure, RetryBudget, type RetryPolicy } from './retry-budget.js';
import { jobHandoff, type JobHandoff, type Scaler } from './scaler.js';
import { sleep as defaultSleep, type Sleep } from './sleep.js';
import { AccessTokenSource } from './token-source.js';

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
  /**
   * The access token, shared across the supervisor's restarts so a restart does not cost a token exchange
   * (the token is exchanged again only when it nears expiry or the broker rejects it). Default: one of its own.
   */
  tokens?: AccessTokenSource;
  /** In-session retries of poll, acknowledge and acquire: see retry-budget.ts. Default DEFAULT_RETRY_POLICY. */
  retry?: RetryPolicy;
  /** Told about every secret the listener receives, so logs can scrub it. */
  onSecret?: (secret: string) => void;
  now?: () => number;
  random?: RandomSource;
  sleep?: Sleep;
}

interface Handling {
  lastMessageId: number;
}

export class Listener {
  private readonly options: ListenerOptions;
  private readonly broker: ListenerBroker;
  private readonly session: ListenerSession;
  private readonly logger: Logger;
  private readonly sleep: Sleep;
  private readonly retryBudget: RetryBudget;
  private observer: ListenerObserver = {
    progress: () => undefined,
    state: () => undefined,
    session: () => undefined,
    polled: () => undefined,
  };

  constructor(options: ListenerOptions) {
    this.options = options;
    // Every broker call is measured and logged; a success is progress for the watchdog.
    this.broker = instrumentBroker(options.broker, { metrics: options.metrics, logger: options.logger, onSuccess: () => this.observer.progress() });
    this.logger = options.logger;
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.retryBudget = new RetryBudget(options.retry ?? DEFAULT_RETRY_POLICY, random);
    const tokens =
      options.tokens ??
      new AccessTokenSource(this.broker, {
        now,
        ...(options.refreshTokenBeforeExpiryMs === undefined ? {} : { refreshBeforeExpiryMs: options.refreshTokenBeforeExpiryMs }),
        onToken: (token) => options.onSecret?.(token.value),
      });
    this.session = new ListenerSession({
      broker: this.broker,
      tokens,
      ownerName: options.ownerName,
      logger: options.logger,
      conflictWindowMs: options.sessionConflictWindowMs ?? 30_000,
      conflictRetryBaseMs: options.sessionConflictRetryBaseMs ?? 500,
      onSession: (sessionId) => this.observer.session(sessionId),
      onProgress: () => this.observer.progress(),
      ...(options.onSecret === undefined ? {} : { onSecret: options.onSecret }),
      now,
      random,
      sleep: this.sleep,
    });
  }

  /** Runs until `signals.stop` aborts (resolves) or something fails (rejects, for the supervisor to restart). */
  async run(signals: ListenerSignals, observer?: ListenerObserver): Promise<void> {
    if (observer !== undefined) this.observer = observer;
    const lastMessageId = await this.options.lastMessageIdStore.load();
    this.observer.state('creating-session');
    try {
      await this.session.open(signals.stop);
    } catch (error) {
      if (signals.stop.aborted) return;
      throw error;
    }
    const handling: Handling = { lastMessageId };
    this.logger.info('session-created', { sessionId: this.session.current.sessionId, lastMessageId });
    try {
      while (!signals.stop.aborted) {
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
        // A new cycle of the loop: the poll and the handling of what it returned share one retry budget.
        this.retryBudget.refill();
        // ...while work already started is finished, unless its share of the grace period runs out: the jobs
        // an ended session of ours may hold (once their retry is due), then the message received.
        try {
          await this.acquireHeldJobs(signals.abandon);
          if (message === undefined) continue;
          this.observer.state('handling');
          await this.handleMessage(handling, message, signals.abandon);
        } catch (error) {
          if (!signals.abandon.aborted || signals.kill.aborted) throw error;
          // Unacknowledged, so the broker redelivers it (a held job stays in the journal); the rest of the
          // grace period goes to the delete.
          this.logger.warn('message-abandoned-at-shutdown', { messageId: message?.messageId, error });
          break;
        }
      }
    } finally {
      this.observer.state('deleting-session');
      await this.session.delete(signals.kill);
    }
  }

  private async poll(handling: Handling, signal: AbortSignal): Promise<QueueMessage | undefined> {
    return this.inSession(signal, () =>
      this.withQueueToken(signal, () => this.broker.getMessage(this.session.current, handling.lastMessageId, signal)),
    );
  }

  /**
   * Runs a call of the session (poll, acknowledge, acquire) and retries it in place: after a transient failure
   * (retry-budget.ts) with backoff, and after a 404 by registering a new session first, because the broker
   * forgot ours. Every retry spends from the cycle's one budget; when it is spent, or the failure is anything
   * else, the failure goes to the supervisor. The token is not touched here: only a 401 exchanges a new one.
   */
  private async inSession<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        const sessionGone = error instanceof SessionNotFoundError;
        if (signal.aborted || !(error instanceof BrokerCallError) || (!sessionGone && !isTransientFailure(error))) throw error;
        const delayMs = this.retryBudget.spend(error);
        if (delayMs === undefined) {
          this.logger.warn('retry-budget-spent', { operation: error.operation, failures: this.retryBudget.spent });
          throw error;
        }
        this.options.metrics.retries.inc({ operation: error.operation });
        this.logger.info('broker-call-retrying', { operation: error.operation, attempt: this.retryBudget.spent, delayMs, sessionGone });
        // A failure that came back within its deadline is not a wedge: the watchdog is for calls that never end.
        this.observer.progress();
        await this.sleep(delayMs, signal);
        if (sessionGone) await this.session.replace(signal);
      }
    }
  }

  /** On 401 from the message queue: refresh the session (which issues a new queue token), then once more. */
  private async withQueueToken<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TokenExpiredError)) throw error;
      await this.session.refresh(signal);
      return await call();
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
      await this.inSession(signal, () => this.session.withToken(signal, (token) => this.broker.acquireJobs(token, requested, signal))),
    );
    const keptForLater = await journal.endAcquire(attempt, acquired);
    metrics.jobsAcquired.inc(acquired.size);
    this.logger.info('jobs-acquired', { requested, acquired: [...acquired] });
    for (const job of jobs) {
      // A job another session holds is not ours to start.
      if (!acquired.has(job.runnerRequestId)) continue;
      await handOff(this.options.scaler, job, this.options.handOffTimeoutMs, signal);
      this.observer.progress();
      await journal.recordHandedOff(job.runnerRequestId);
      metrics.jobsDispatched.inc();
      this.logger.info('job-dispatched', { runnerRequestId: job.runnerRequestId, jobId: job.jobId });
    }
    return keptForLater;
  }

  private async acknowledge(handling: Handling, messageId: number, signal: AbortSignal): Promise<void> {
    await this.inSession(signal, () =>
      this.withQueueToken(signal, () => this.broker.acknowledgeMessage(this.session.current, messageId, signal)),
    );
    this.options.metrics.messagesAcknowledged.inc();
    this.options.memory.forgetDeliveries(messageId);
    handling.lastMessageId = Math.max(handling.lastMessageId, messageId);
    await this.options.lastMessageIdStore.save(handling.lastMessageId);
  }
}
