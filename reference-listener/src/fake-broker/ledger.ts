// The fake broker's state of record: the queue, the sessions and who acquired which job. Tests read
// it to prove delivery properties ("dispatched exactly once", "no acknowledgement before dispatch")
// from the broker's side, where a buggy listener cannot fake them.
//
// Delivery is at least once, as in the real broker: every poll is answered with the oldest message
// not yet acknowledged, so a message that is not acknowledged is redelivered on the next poll, to
// whichever session polls. `lastMessageId` is recorded but does not filter: redelivery must not
// depend on the listener having persisted the right number.
import { randomBytes } from 'node:crypto';

import type { JobMessage, QueueMessage, SessionStatistics } from '../broker-protocol.js';

export interface EnqueuedJob {
  messageId: number;
  runnerRequestId: number;
  jobId: string;
}

export interface ActiveSession {
  sessionId: string;
  ownerName: string;
  clientId: string;
}

interface SessionRecord extends ActiveSession {
  messageQueueAccessToken: string;
  /** Access tokens that created or refreshed this session: how acquireJobs finds its session. */
  accessTokens: Set<string>;
  lastActivityMs: number;
  pollsInFlight: number;
}

interface QueuedMessage {
  messageId: number;
  body: string;
  deliveries: number;
  acknowledged: boolean;
}

export type CreateSessionOutcome = { kind: 'created'; session: SessionRecord } | { kind: 'conflict' };

export class BrokerLedger {
  /** Every job ever enqueued, with the message that carries it. */
  readonly enqueued: EnqueuedJob[] = [];
  /** Every acquisition ever granted, by session, in order. Never pruned, so tests can audit history. */
  readonly acquiredBySession = new Map<string, number[]>();
  /** Message ids in the order they were first acknowledged. */
  readonly acknowledged: number[] = [];
  /** How many times each message was delivered again after its first delivery. */
  readonly redelivered = new Map<number, number>();
  /** runnerRequestIds in the order a scaler reported them dispatched (see recordDispatched). */
  readonly dispatched: number[] = [];
  /** Sessions that exist now: created, and not deleted or expired. */
  readonly activeSessions = new Map<string, ActiveSession>();
  /** Sessions that ended, and why. */
  readonly endedSessions = new Map<string, 'deleted' | 'expired'>();
  /** Every `lastMessageId` a poll sent, in order. */
  readonly lastMessageIdsPolled: number[] = [];

  readonly #sessions = new Map<string, SessionRecord>();
  readonly #messages: QueuedMessage[] = [];
  /** Current owner of each acquired job. Released when its session ends before dispatch. */
  readonly #ownerByRunnerRequestId = new Map<number, string>();
  readonly #onQueueChange = new Set<() => void>();
  readonly #sessionIdleTimeoutMs: number;
  #nextMessageId = 1;
  #nextSessionNumber = 1;

  constructor(sessionIdleTimeoutMs: number) {
    this.#sessionIdleTimeoutMs = sessionIdleTimeoutMs;
  }

  /** Called by a test scaler when it starts a runner; the ledger is where "exactly once" is checked. */
  recordDispatched(runnerRequestId: number): void {
    this.dispatched.push(runnerRequestId);
  }

  dispatchCount(runnerRequestId: number): number {
    return this.dispatched.filter((id) => id === runnerRequestId).length;
  }

  /** Total deliveries of a message (first delivery included). */
  deliveries(messageId: number): number {
    return this.#messages.find((message) => message.messageId === messageId)?.deliveries ?? 0;
  }

  isAcknowledged(messageId: number): boolean {
    return this.#messages.find((message) => message.messageId === messageId)?.acknowledged ?? false;
  }

  /** Which session holds a job now, if any. */
  ownerOf(runnerRequestId: number): string | undefined {
    return this.#ownerByRunnerRequestId.get(runnerRequestId);
  }

  enqueueJobs(jobs: ReadonlyArray<{ runnerRequestId: number; jobId: string }>): number {
    const jobMessages: JobMessage[] = jobs.map(({ runnerRequestId, jobId }) => ({ messageType: 'JobAvailable', runnerRequestId, jobId }));
    const messageId = this.enqueueRawMessage(JSON.stringify(jobMessages));
    for (const { runnerRequestId, jobId } of jobs) this.enqueued.push({ messageId, runnerRequestId, jobId });
    return messageId;
  }

  /** A message whose body is exactly `body`: how tests deliver malformed (poison) messages. */
  enqueueRawMessage(body: string): number {
    const messageId = this.#nextMessageId++;
    this.#messages.push({ messageId, body, deliveries: 0, acknowledged: false });
    this.#notifyQueueChange();
    return messageId;
  }

  /** Wakes held polls when a message arrives or a session ends. Returns the unsubscribe function. */
  onQueueChange(listener: () => void): () => void {
    this.#onQueueChange.add(listener);
    return () => this.#onQueueChange.delete(listener);
  }

  createSession(ownerName: string, clientId: string, accessToken: string, nowMs: number): CreateSessionOutcome {
    for (const session of this.#sessions.values()) {
      if (session.ownerName === ownerName) return { kind: 'conflict' };
    }
    const sessionId = `session-${this.#nextSessionNumber++}`;
    const session: SessionRecord = {
      sessionId,
      ownerName,
      clientId,
      messageQueueAccessToken: `mq-${randomBytes(16).toString('hex')}`,
      accessTokens: new Set([accessToken]),
      lastActivityMs: nowMs,
      pollsInFlight: 0,
    };
    this.#sessions.set(sessionId, session);
    this.activeSessions.set(sessionId, { sessionId, ownerName, clientId });
    return { kind: 'created', session };
  }

  session(sessionId: string): SessionRecord | undefined {
    return this.#sessions.get(sessionId);
  }

  touchSession(session: SessionRecord, accessToken: string | undefined, nowMs: number): void {
    session.lastActivityMs = nowMs;
    if (accessToken !== undefined) session.accessTokens.add(accessToken);
  }

  endSession(sessionId: string, reason: 'deleted' | 'expired'): boolean {
    if (!this.#sessions.delete(sessionId)) return false;
    this.activeSessions.delete(sessionId);
    this.endedSessions.set(sessionId, reason);
    // A job acquired but never dispatched by a session that is gone would otherwise be lost: the
    // broker hands it out again. A dispatched job is running and stays with its session.
    for (const [runnerRequestId, owner] of this.#ownerByRunnerRequestId) {
      if (owner === sessionId && !this.dispatched.includes(runnerRequestId)) this.#ownerByRunnerRequestId.delete(runnerRequestId);
    }
    this.#notifyQueueChange();
    return true;
  }

  /** Ends sessions with no poll in flight and no activity for the idle timeout; returns how many. */
  expireIdleSessions(nowMs: number): number {
    let expired = 0;
    for (const session of [...this.#sessions.values()]) {
      if (session.pollsInFlight === 0 && nowMs - session.lastActivityMs > this.#sessionIdleTimeoutMs) {
        this.endSession(session.sessionId, 'expired');
        expired++;
      }
    }
    return expired;
  }

  /**
   * The session an acquireJobs call acts for: the one this access token created or refreshed, else
   * the newest one of the same client (a listener that just re-exchanged its token).
   */
  sessionForAccessToken(accessToken: string, clientId: string): SessionRecord | undefined {
    const sessions = [...this.#sessions.values()];
    return sessions.find((session) => session.accessTokens.has(accessToken)) ?? sessions.reverse().find((session) => session.clientId === clientId);
  }

  recordPoll(lastMessageId: number): void {
    this.lastMessageIdsPolled.push(lastMessageId);
  }

  /** The oldest message not yet acknowledged, counted as delivered; undefined when there is none. */
  deliverNext(): QueueMessage | undefined {
    const message = this.#messages.find((candidate) => !candidate.acknowledged);
    if (message === undefined) return undefined;
    message.deliveries++;
    if (message.deliveries > 1) this.redelivered.set(message.messageId, message.deliveries - 1);
    return { messageId: message.messageId, messageType: 'RunnerScaleSetJobMessages', body: message.body };
  }

  /** Idempotent, like an HTTP DELETE: acknowledging twice (a retry after a lost answer) is fine. */
  acknowledge(messageId: number): void {
    const message = this.#messages.find((candidate) => candidate.messageId === messageId);
    if (message === undefined || message.acknowledged) return;
    message.acknowledged = true;
    this.acknowledged.push(messageId);
  }

  /**
   * Grants each job that is free or already held by this session (a retry after a lost answer gets
   * it again); a job held by another session is left out, as the protocol says.
   */
  acquire(sessionId: string, runnerRequestIds: readonly number[]): number[] {
    const granted: number[] = [];
    for (const runnerRequestId of runnerRequestIds) {
      const owner = this.#ownerByRunnerRequestId.get(runnerRequestId);
      const known = this.enqueued.some((job) => job.runnerRequestId === runnerRequestId);
      if (!known || (owner !== undefined && owner !== sessionId)) continue;
      granted.push(runnerRequestId);
      if (owner === undefined) {
        this.#ownerByRunnerRequestId.set(runnerRequestId, sessionId);
        const history = this.acquiredBySession.get(sessionId) ?? [];
        history.push(runnerRequestId);
        this.acquiredBySession.set(sessionId, history);
      }
    }
    return granted;
  }

  statistics(): SessionStatistics {
    const acquired = this.#ownerByRunnerRequestId.size;
    return {
      totalAvailableJobs: new Set(this.enqueued.map((job) => job.runnerRequestId)).size - acquired,
      totalAcquiredJobs: acquired,
      totalAssignedJobs: 0,
      totalRunningJobs: new Set(this.dispatched).size,
      totalRegisteredRunners: 0,
    };
  }

  #notifyQueueChange(): void {
    for (const listener of [...this.#onQueueChange]) listener();
  }
}
