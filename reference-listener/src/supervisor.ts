// The supervisor runs N listeners and restarts any that stops. It restarts on *any* rejection, and it does
// not wait for a rejection either: a watchdog aborts a listener that has made no progress within the longest
// time one healthy cycle can take. Without the watchdog, a call wedged without a deadline (the bug this
// toolkit exists for) never returns an error, and a supervisor that restarts only on errors never restarts.
import { fullJitterDelayMs, type BackoffPolicy, type RandomSource } from './backoff.js';
import { withDeadline, type DeadlineErrors } from './deadline.js';
import { BrokerError, classifyError, type RestartReason } from './errors.js';
import { describeError, type Logger } from './logger.js';
import type { ListenerObserver, ListenerSignals } from './listener-ports.js';
import type { ListenerMetrics, ListenerState } from './metrics.js';
import { sleep as defaultSleep, type Sleep } from './sleep.js';

/** What the supervisor runs; `Listener` satisfies it. */
export interface SupervisedListener {
  run(signals: ListenerSignals, observer: ListenerObserver): Promise<void>;
}

export type { RestartReason };

/** The watchdog's reason for aborting a listener. */
export class WatchdogTimeoutError extends Error {
  override readonly name = 'WatchdogTimeoutError';
  readonly listenerIndex: number;
  readonly watchdogTimeoutMs: number;
  constructor(listenerIndex: number, watchdogTimeoutMs: number) {
    super(`listener ${listenerIndex} made no progress within ${watchdogTimeoutMs} ms (the long-poll bound plus the control-plane bound plus a margin)`);
    this.listenerIndex = listenerIndex;
    this.watchdogTimeoutMs = watchdogTimeoutMs;
  }
}

/** The shutdown grace period ran out; whatever was still running is aborted. */
export class ShutdownGraceExpiredError extends Error {
  override readonly name = 'ShutdownGraceExpiredError';
  constructor(graceMs: number) {
    super(`the ${graceMs} ms shutdown grace period expired`);
  }
}

/** The message in hand overran its share of the grace period; the rest is kept for deleting the session. */
export class HandlingShareExpiredError extends Error {
  override readonly name = 'HandlingShareExpiredError';
  constructor(handlingShareMs: number, deleteReserveMs: number) {
    super(`the message in hand overran its ${handlingShareMs} ms share of the shutdown grace period; the last ${deleteReserveMs} ms are reserved for deleting the session`);
  }
}

export interface SupervisorOptions {
  listenerCount: number;
  /** Called for every start and restart: a fresh listener each time, so no state leaks from a failed run. */
  createListener: (listenerIndex: number) => SupervisedListener;
  /** longPollTimeoutMs + controlPlaneTimeoutMs + a margin: the longest a healthy listener goes without progress. */
  watchdogTimeoutMs: number;
  /**
   * The end of the shutdown grace period reserved for deleting sessions (at most half of it): a handler still
   * running when the rest has passed is abandoned, so a slow scaler or a stalled acknowledgement cannot use up
   * the time the delete needs. The service passes its control-plane deadline. Default: half the grace period.
   */
  sessionDeleteReserveMs?: number;
  /** Defaults to base 1 s, cap 60 s. */
  backoff?: BackoffPolicy;
  /** Configuration and authentication failures do not fix themselves quickly: back off up to this (5 min). */
  configOrAuthBackoffCapMs?: number;
  /** A run that lasted this long with progress resets the backoff to its base. */
  healthyPeriodMs?: number;
  watchdogCheckIntervalMs?: number;
  metrics: ListenerMetrics;
  logger: Logger;
  now?: () => number;
  random?: RandomSource;
  sleep?: Sleep;
}

export interface ListenerStatus {
  listenerIndex: number;
  state: ListenerState;
  sessionId: string | undefined;
  lastProgressAtMs: number;
  /** The last poll that succeeded (a message or an empty 202), or when the supervisor started. Restarts do not move it. */
  lastPollAtMs: number;
  restarts: number;
}

export class Supervisor {
  private readonly options: SupervisorOptions;
  private readonly now: () => number;
  private readonly random: RandomSource;
  private readonly sleep: Sleep;
  private readonly stopController = new AbortController();
  private readonly abandonController = new AbortController();
  private readonly killController = new AbortController();
  private readonly statuses: ListenerStatus[] = [];
  private loops: Promise<void>[] = [];

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
  }

  start(): void {
    if (this.loops.length > 0) throw new Error('Supervisor.start() was called twice');
    for (let index = 0; index < this.options.listenerCount; index++) {
      this.statuses.push({ listenerIndex: index, state: 'starting', sessionId: undefined, lastProgressAtMs: this.now(), lastPollAtMs: this.now(), restarts: 0 });
      this.options.metrics.setState(index, 'starting');
      this.loops.push(this.supervise(index));
    }
  }

  /**
   * Stops polling at once, lets each listener finish the message in hand and delete its session, and
   * aborts whatever is still running when `graceMs` runs out. The last part of the grace period is the
   * delete's (sessionDeleteReserveMs): a message still in hand when only that much is left is abandoned,
   * unacknowledged, so the next session does not meet a 409. Resolves when every listener has stopped.
   */
  async stop(graceMs: number): Promise<void> {
    const deleteReserveMs = Math.min(this.options.sessionDeleteReserveMs ?? graceMs, Math.floor(graceMs / 2));
    const handlingShareMs = graceMs - deleteReserveMs;
    this.stopController.abort(new Error('shutdown requested'));
    const handlingTimer = setTimeout(() => this.abandonController.abort(new HandlingShareExpiredError(handlingShareMs, deleteReserveMs)), handlingShareMs);
    const graceTimer = setTimeout(() => this.killController.abort(new ShutdownGraceExpiredError(graceMs)), graceMs);
    try {
      await Promise.all(this.loops);
    } finally {
      clearTimeout(handlingTimer);
      clearTimeout(graceTimer);
    }
  }

  status(): readonly ListenerStatus[] {
    return this.statuses.map((status) => ({ ...status }));
  }

  /** Every listener polled successfully within the watchdog window. */
  isHealthy(): boolean {
    return this.healthProblem() === undefined;
  }

  /**
   * Why the process is not healthy, or undefined. The measure is a successful poll, the one thing a working
   * listener does every long-poll: a listener that restarts in a loop, or retries forever inside a session,
   * makes progress of a kind but receives no work, and a liveness probe must see that.
   */
  healthProblem(): string | undefined {
    if (this.statuses.length === 0) return 'the supervisor has not started';
    const now = this.now();
    const quiet = this.statuses.filter((status) => now - status.lastPollAtMs > this.options.watchdogTimeoutMs);
    if (quiet.length === 0) return undefined;
    return `no successful poll within the ${this.options.watchdogTimeoutMs} ms watchdog window (listener ${quiet.map((status) => status.listenerIndex).join(', ')})`;
  }

  /** At least one listener holds a broker session, so jobs can arrive. */
  isReady(): boolean {
    return this.statuses.some((status) => status.sessionId !== undefined);
  }

  private setState(status: ListenerStatus, state: ListenerState): void {
    status.state = state;
    this.options.metrics.setState(status.listenerIndex, state);
  }

  private async supervise(listenerIndex: number): Promise<void> {
    const { backoff = { baseMs: 1_000, capMs: 60_000 }, configOrAuthBackoffCapMs = 300_000, healthyPeriodMs = 60_000, metrics } = this.options;
    const status = this.statuses[listenerIndex];
    if (status === undefined) return;
    const logger = this.options.logger.child({ listener: listenerIndex });
    const stop = this.stopController.signal;
    let attempt = 0;
    while (!stop.aborted) {
      const startedAtMs = this.now();
      let progressed = false;
      status.lastProgressAtMs = startedAtMs;
      const observer: ListenerObserver = {
        progress: () => {
          progressed = true;
          status.lastProgressAtMs = this.now();
        },
        state: (state) => this.setState(status, state),
        session: (sessionId) => {
          status.sessionId = sessionId;
        },
        polled: () => {
          status.lastPollAtMs = this.now();
          metrics.lastSuccessfulPoll.set({ listener: String(listenerIndex) }, status.lastPollAtMs / 1000);
        },
      };
      const outcome = await this.runOnce(listenerIndex, observer, status);
      status.sessionId = undefined;
      if (stop.aborted) break;

      const reason = outcome.watchdog ? 'watchdog' : outcome.returned ? 'returned' : restartReason(outcome.error);
      if (progressed && this.now() - startedAtMs >= healthyPeriodMs) attempt = 0;
      const capMs = reason === 'config' || reason === 'auth' ? configOrAuthBackoffCapMs : backoff.capMs;
      let delayMs = fullJitterDelayMs(attempt, { baseMs: backoff.baseMs, capMs }, this.random);
      // A broker that said when to come back is believed, within the cap.
      if (outcome.error instanceof BrokerError && outcome.error.retryAfterMs !== undefined) delayMs = Math.max(delayMs, Math.min(outcome.error.retryAfterMs, capMs));
      attempt++;
      status.restarts++;
      metrics.restarts.inc({ reason });
      logger.warn('listener-restarting', { reason, delayMs, attempt, error: outcome.error === undefined ? undefined : describeError(outcome.error) });
      this.setState(status, 'backing-off');
      await this.sleep(delayMs, stop);
    }
    this.setState(status, 'stopped');
    logger.info('listener-stopped', {});
  }

  private async runOnce(
    listenerIndex: number,
    observer: ListenerObserver,
    status: ListenerStatus,
  ): Promise<{ returned: boolean; watchdog: boolean; error?: unknown }> {
    const { watchdogTimeoutMs } = this.options;
    const kill = new AbortController();
    const onKill = (): void => kill.abort(this.killController.signal.reason);
    this.killController.signal.addEventListener('abort', onKill, { once: true });
    if (this.killController.signal.aborted) onKill();
    let watchdogFired = false;
    const watchdog = setInterval(
      () => {
        if (this.now() - status.lastProgressAtMs <= watchdogTimeoutMs) return;
        watchdogFired = true;
        kill.abort(new WatchdogTimeoutError(listenerIndex, watchdogTimeoutMs));
      },
      this.options.watchdogCheckIntervalMs ?? Math.max(10, Math.min(1_000, Math.floor(watchdogTimeoutMs / 10))),
    );
    const signals: ListenerSignals = {
      stop: AbortSignal.any([this.stopController.signal, kill.signal]),
      abandon: AbortSignal.any([this.abandonController.signal, kill.signal]),
      kill: kill.signal,
    };
    // The race is what makes the watchdog work against a listener that ignores its signal: the supervisor
    // stops waiting for it instead of trusting it to return. The kill signal is the deadline (the watchdog
    // or the end of the grace period), so withDeadline gets no timer of its own.
    const killed: DeadlineErrors = {
      name: `listener ${listenerIndex}`,
      expired: (ms) => new WatchdogTimeoutError(listenerIndex, ms),
      cancelled: (reason) => reason as Error,
    };
    try {
      await withDeadline(killed, undefined, kill.signal, () => this.options.createListener(listenerIndex).run(signals, observer));
      return { returned: true, watchdog: false };
    } catch (error) {
      return { returned: false, watchdog: watchdogFired, error };
    } finally {
      clearInterval(watchdog);
      this.killController.signal.removeEventListener('abort', onKill);
      // Whatever the listener still has in flight is abandoned: abort it so its sockets close.
      if (!kill.signal.aborted) kill.abort(new Error('listener run ended'));
    }
  }
}

/** Why a listener failed, as a metric label; also decides which backoff cap applies. One classifier for the whole package. */
export function restartReason(error: unknown): RestartReason {
  return classifyError(error).restartReason;
}
