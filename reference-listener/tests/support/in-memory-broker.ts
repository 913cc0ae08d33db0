// An in-memory stand-in for the broker client, for unit tests of the listener's own logic. The socket-level
// behaviour (stalls, resets, deadlines) is tested against the real fake broker in the end-to-end suites.
import { setTimeout as delay } from 'node:timers/promises';

import type { QueueMessage, Session } from '../../src/broker-protocol.js';
import type { BrokerOperation } from '../../src/errors.js';
import type { ListenerBroker } from '../../src/listener-ports.js';
import type { AccessToken } from '../../src/token-source.js';

type Failure = () => Error;

export class InMemoryBroker implements ListenerBroker {
  readonly calls: string[] = [];
  readonly queue: QueueMessage[] = [];
  readonly acknowledged: number[] = [];
  readonly acquiredIds: number[] = [];
  /** Jobs another session holds: acquireJobs leaves them out. */
  readonly heldElsewhere = new Set<number>();
  private readonly failures = new Map<BrokerOperation, Failure[]>();
  private nextSession = 1;
  private nextToken = 1;
  private nextMessage = 1;
  /** Operations that never settle, as a broker that accepted the connection and went silent, with no deadline. */
  readonly hangForever = new Set<BrokerOperation>();
  /** How long an empty poll is held before answering "no message". */
  emptyPollMs = 5;

  failNext(operation: BrokerOperation, ...failures: Failure[]): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), ...failures]);
  }

  enqueue(body: string): number {
    const messageId = this.nextMessage++;
    this.queue.push({ messageId, messageType: 'RunnerScaleSetJobMessages', body });
    return messageId;
  }

  private async enter(operation: BrokerOperation, signal?: AbortSignal): Promise<void> {
    this.calls.push(operation);
    await Promise.resolve();
    if (this.hangForever.has(operation)) await new Promise<never>(() => undefined);
    const failure = this.failures.get(operation)?.shift();
    if (failure !== undefined) throw failure();
    signal?.throwIfAborted();
  }

  async exchangeToken(signal?: AbortSignal): Promise<AccessToken> {
    await this.enter('exchangeToken', signal);
    return { value: `access-token-secret-${this.nextToken++}`, expiresAtMs: Date.now() + 3_600_000 };
  }

  async createSession(_token: AccessToken, _ownerName: string, signal?: AbortSignal): Promise<Session> {
    await this.enter('createSession', signal);
    const sessionId = `session-${this.nextSession++}`;
    return {
      sessionId,
      messageQueueUrl: `memory://queue/${sessionId}`,
      messageQueueAccessToken: `queue-token-secret-${sessionId}`,
      statistics: { totalAvailableJobs: 0, totalAcquiredJobs: 0, totalAssignedJobs: 0, totalRunningJobs: 0, totalRegisteredRunners: 0 },
    };
  }

  async refreshSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<Session> {
    await this.enter('refreshSession', signal);
    this.calls.pop();
    const session = await this.createSession(token, 'refresh', signal);
    this.calls.pop();
    this.calls.push('refreshSession');
    return { ...session, sessionId };
  }

  async deleteSession(_token: AccessToken, _sessionId: string, signal?: AbortSignal): Promise<void> {
    await this.enter('deleteSession', signal);
  }

  async getMessage(_session: Session, _lastMessageId: number, signal?: AbortSignal): Promise<QueueMessage | undefined> {
    await this.enter('getMessage', signal);
    const message = this.queue.find((queued) => !this.acknowledged.includes(queued.messageId));
    if (message !== undefined) return message;
    // Like the real client, an aborted poll rejects at once rather than after the hold.
    await delay(this.emptyPollMs, undefined, signal === undefined ? undefined : { signal });
    return undefined;
  }

  async acknowledgeMessage(_session: Session, messageId: number, signal?: AbortSignal): Promise<void> {
    await this.enter('acknowledgeMessage', signal);
    this.acknowledged.push(messageId);
  }

  async acquireJobs(_token: AccessToken, runnerRequestIds: number[], signal?: AbortSignal): Promise<number[]> {
    await this.enter('acquireJobs', signal);
    // Like the real broker, a job this session already holds is granted again (a retry after a lost answer).
    const granted = runnerRequestIds.filter((id) => !this.heldElsewhere.has(id));
    this.acquiredIds.push(...granted);
    return granted;
  }
}

export function jobsBody(...jobs: { runnerRequestId: number; jobId?: string; messageType?: string }[]): string {
  return JSON.stringify(jobs.map((job) => ({ messageType: job.messageType ?? 'JobAvailable', runnerRequestId: job.runnerRequestId, jobId: job.jobId ?? `job-${job.runnerRequestId}` })));
}
