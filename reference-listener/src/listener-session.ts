// One listener's broker session: registering it (a 409 retried with jitter inside a window), refreshing it
// when the queue token expires, registering a new one in its place when the broker forgot it, and deleting
// it. The access token lives here too: a 401 on a control-plane call exchanges a new one, once. The loop in
// listener.ts holds one of these and never handles a token or a session id itself.
import { fullJitterDelayMs, type RandomSource } from './backoff.js';
import type { Session } from './broker-protocol.js';
import { OperationCancelledError, SessionConflictError, SessionNotFoundError, TokenExpiredError } from './errors.js';
import type { ListenerBroker } from './listener-ports.js';
import type { Logger } from './logger.js';
import type { Sleep } from './sleep.js';
import type { AccessToken, AccessTokenSource } from './token-source.js';

export interface ListenerSessionOptions {
  /** Already instrumented: every call is measured and counts as progress. */
  broker: ListenerBroker;
  tokens: AccessTokenSource;
  ownerName: string;
  logger: Logger;
  /** 409 at create means an older session for this owner still exists; retry for this long, then give up. */
  conflictWindowMs: number;
  conflictRetryBaseMs: number;
  /** Told the session id whenever it changes, and undefined once it is deleted. */
  onSession: (sessionId: string | undefined) => void;
  /** Told when a 409 is retried: waiting out a conflict is not a wedge. */
  onProgress: () => void;
  /** Told about every queue token, so logs can scrub it. */
  onSecret?: (secret: string) => void;
  now: () => number;
  random: RandomSource;
  sleep: Sleep;
}

export class ListenerSession {
  private readonly options: ListenerSessionOptions;
  private session: Session | undefined;

  constructor(options: ListenerSessionOptions) {
    this.options = options;
  }

  /** The session the broker calls go to. */
  get current(): Session {
    if (this.session === undefined) throw new Error('ListenerSession.current read before open() succeeded');
    return this.session;
  }

  /** Registers the session. Bounded by the conflict window: each round waits at least one broker answer plus a positive jitter. */
  async open(signal: AbortSignal): Promise<Session> {
    const { broker, ownerName, conflictWindowMs, conflictRetryBaseMs, logger, now } = this.options;
    const giveUpAtMs = now() + conflictWindowMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return this.remember(await this.withToken(signal, (token) => broker.createSession(token, ownerName, signal)));
      } catch (error) {
        const remainingMs = giveUpAtMs - now();
        if (!(error instanceof SessionConflictError) || remainingMs <= 0) throw error;
        // The previous session of this owner is still registered (a crash skipped its delete, or the broker
        // has not expired it yet). Jitter keeps replicas that restarted together from colliding again.
        const delayMs = Math.max(1, Math.min(remainingMs, fullJitterDelayMs(attempt, { baseMs: conflictRetryBaseMs, capMs: conflictWindowMs }, this.options.random)));
        logger.warn('session-conflict-retrying', { attempt: attempt + 1, delayMs, remainingMs });
        this.options.onProgress();
        await this.options.sleep(delayMs, signal);
        if (signal.aborted) throw new OperationCancelledError('createSession', { cause: signal.reason });
      }
    }
  }

  /** The queue token expired: a refresh issues a new one. A session the broker forgot is replaced. */
  async refresh(signal: AbortSignal): Promise<void> {
    const { sessionId } = this.current;
    try {
      this.remember(await this.withToken(signal, (token) => this.options.broker.refreshSession(token, sessionId, signal)));
      this.options.logger.info('session-refreshed', { sessionId });
    } catch (error) {
      if (!(error instanceof SessionNotFoundError)) throw error;
      await this.replace(signal);
    }
  }

  /** The broker forgot the session (it expired, or the broker restarted): register a new one in its place. */
  async replace(signal: AbortSignal): Promise<void> {
    this.options.logger.warn('session-gone-recreating', { sessionId: this.current.sessionId });
    const { sessionId } = await this.open(signal);
    this.options.logger.info('session-created', { sessionId });
  }

  /** On 401: one token exchange, then one retry. A second 401 is not ours to fix: the supervisor backs off. */
  async withToken<T>(signal: AbortSignal, work: (token: AccessToken) => Promise<T>): Promise<T> {
    const { tokens } = this.options;
    const token = await tokens.current(signal);
    try {
      return await work(token);
    } catch (error) {
      if (!(error instanceof TokenExpiredError)) throw error;
      this.options.logger.info('token-expired-exchanging-again', { operation: error.operation });
      tokens.invalidate();
      return await work(await tokens.current(signal));
    }
  }

  /**
   * Deletes the session, so the next one for this owner registers without a 409. Never throws: a failed delete
   * is logged, and the broker expires the session. `signal` is the end of the shutdown grace period; the
   * broker client adds the control-plane deadline, so this waits min(both) at most.
   */
  async delete(signal: AbortSignal): Promise<void> {
    if (this.session === undefined) return;
    const { sessionId } = this.session;
    try {
      await this.withToken(signal, (token) => this.options.broker.deleteSession(token, sessionId, signal));
      this.options.logger.info('session-deleted', { sessionId });
    } catch (error) {
      this.options.logger.warn('session-delete-failed', { sessionId, error });
    } finally {
      this.session = undefined;
      this.options.onSession(undefined);
    }
  }

  private remember(session: Session): Session {
    this.options.onSecret?.(session.messageQueueAccessToken);
    this.session = session;
    this.options.onSession(session.sessionId);
    return session;
  }
}
