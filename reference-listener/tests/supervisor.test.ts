// The supervisor's restart policy: restart on any rejection, restart a silent listener (watchdog), back off
// with full jitter, longer for configuration and authentication failures, and stop within the grace period.
import { describe, expect, it } from 'vitest';

import { fullJitterDelayMs } from '../src/backoff.js';
import { BrokerError, DeadlineExceededError, TokenExpiredError } from '../src/errors.js';
import type { ListenerObserver, ListenerSignals } from '../src/listener-ports.js';
import { silentLogger } from '../src/logger.js';
import { ListenerMetrics } from '../src/metrics.js';
import { restartReason, Supervisor, WatchdogTimeoutError, type SupervisedListener, type SupervisorOptions } from '../src/supervisor.js';

async function waitFor(condition: () => boolean, limitMs = 5_000): Promise<void> {
  const startedAt = Date.now();
  while (!condition()) {
    if (Date.now() - startedAt > limitMs) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function restartsByReason(metrics: ListenerMetrics): Promise<Record<string, number>> {
  const metric = await metrics.restarts.get();
  return Object.fromEntries(metric.values.map((sample) => [String(sample.labels.reason), sample.value]));
}

function supervisorWith(runs: ((signals: ListenerSignals, observer: ListenerObserver) => Promise<void>)[], overrides: Partial<SupervisorOptions> = {}) {
  const metrics = new ListenerMetrics();
  const delays: number[] = [];
  let started = 0;
  const supervisor = new Supervisor({
    listenerCount: 1,
    createListener: (): SupervisedListener => {
      const run = runs[Math.min(started, runs.length - 1)];
      started++;
      return { run: (signals, observer) => (run === undefined ? Promise.resolve() : run(signals, observer)) };
    },
    watchdogTimeoutMs: 200,
    backoff: { baseMs: 20, capMs: 100 },
    metrics,
    logger: silentLogger,
    random: () => 0.5,
    sleep: (ms, signal) => {
      delays.push(ms);
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.min(ms, 5));
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    ...overrides,
  });
  return { supervisor, metrics, delays, started: () => started };
}

/** A listener that works until told to stop, reporting progress like a real one. */
const healthyRun = (signals: ListenerSignals, observer: ListenerObserver): Promise<void> =>
  new Promise((resolve) => {
    observer.session('session-1');
    const beat = setInterval(() => observer.progress(), 10);
    signals.stop.addEventListener('abort', () => {
      clearInterval(beat);
      observer.session(undefined);
      resolve();
    });
  });

describe('Supervisor', () => {
  it('restarts a listener on any rejection, with growing full-jitter backoff, and classifies the reason', async () => {
    const failing = () => Promise.reject(new DeadlineExceededError('createSession', 200));
    const { supervisor, metrics, delays, started } = supervisorWith([failing, failing, failing, healthyRun]);
    supervisor.start();
    await waitFor(() => started() === 4 && supervisor.isReady());
    expect(await restartsByReason(metrics)).toEqual({ deadline_exceeded: 3 });
    // random 0.5 of min(cap 100, 20 * 2^attempt)
    expect(delays).toEqual([10, 20, 40]);
    await supervisor.stop(1_000);
    expect(supervisor.status()[0]?.state).toBe('stopped');
  });

  it('restarts a listener that went silent without rejecting (the wedge), with reason watchdog', async () => {
    // Ignores its signals entirely: the worst case, a call with no deadline that never returns.
    const wedged = () => new Promise<void>(() => undefined);
    const { supervisor, metrics, started } = supervisorWith([wedged, healthyRun]);
    const startedAt = Date.now();
    supervisor.start();
    await waitFor(() => started() === 2 && supervisor.isReady());
    expect(await restartsByReason(metrics)).toEqual({ watchdog: 1 });
    expect(Date.now() - startedAt).toBeLessThan(200 + 2_000);
    await supervisor.stop(1_000);
  });

  it('hands the watchdog reason to the listener through its kill signal', async () => {
    let killReason: unknown;
    const observesKill = (signals: ListenerSignals) =>
      new Promise<void>((_, reject) => {
        signals.kill.addEventListener('abort', () => {
          killReason = signals.kill.reason;
          reject(signals.kill.reason as Error);
        });
      });
    const { supervisor, started } = supervisorWith([observesKill, healthyRun]);
    supervisor.start();
    await waitFor(() => started() === 2);
    expect(killReason).toBeInstanceOf(WatchdogTimeoutError);
    await supervisor.stop(1_000);
  });

  it('backs off authentication and configuration failures up to the longer cap', async () => {
    const refused = () => Promise.reject(new BrokerError('exchangeToken', 403));
    const { supervisor, delays, metrics } = supervisorWith([refused], {
      backoff: { baseMs: 1_000, capMs: 2_000 },
      configOrAuthBackoffCapMs: 300_000,
      random: () => 0.999,
    });
    supervisor.start();
    await waitFor(() => delays.length >= 10);
    await supervisor.stop(1_000);
    expect(Math.max(...delays)).toBeGreaterThan(2_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(300_000);
    expect((await restartsByReason(metrics)).auth).toBeGreaterThanOrEqual(10);
  });

  it('waits at least as long as a Retry-After the broker sent, within the cap', async () => {
    const throttled = () => Promise.reject(new BrokerError('acquireJobs', 429, 'req-1', 80));
    const { supervisor, delays } = supervisorWith([throttled, healthyRun], { random: () => 0 });
    supervisor.start();
    await waitFor(() => delays.length >= 1 && supervisor.isReady());
    await supervisor.stop(1_000);
    expect(delays[0]).toBe(80);
  });

  it('resets the backoff after a healthy period', async () => {
    let runs = 0;
    const healthyThenFails = async (signals: ListenerSignals, observer: ListenerObserver) => {
      runs++;
      if (runs <= 3) throw new BrokerError('getMessage', 500);
      observer.progress();
      await new Promise((resolve) => setTimeout(resolve, 60));
      observer.progress();
      if (!signals.stop.aborted) throw new BrokerError('getMessage', 500);
    };
    const { supervisor, delays } = supervisorWith([healthyThenFails], { healthyPeriodMs: 50 });
    supervisor.start();
    await waitFor(() => delays.length >= 5);
    await supervisor.stop(1_000);
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 10, 10]);
  });

  it('stop() ends a listener that ignores its signals once the grace period runs out', async () => {
    const deaf = (_signals: ListenerSignals, observer: ListenerObserver) =>
      new Promise<void>(() => {
        observer.session('s');
        setInterval(() => observer.progress(), 10).unref();
      });
    const { supervisor } = supervisorWith([deaf], { watchdogTimeoutMs: 60_000 });
    supervisor.start();
    await waitFor(() => supervisor.isReady());
    const startedAt = Date.now();
    await supervisor.stop(100);
    expect(Date.now() - startedAt).toBeLessThan(100 + 2_000);
    expect(supervisor.isReady()).toBe(false);
  });

  it('reports health from successful polls within the watchdog window', async () => {
    const polling = (signals: ListenerSignals, observer: ListenerObserver) => {
      const beat = setInterval(() => observer.polled(), 10);
      signals.stop.addEventListener('abort', () => clearInterval(beat));
      return healthyRun(signals, observer);
    };
    const { supervisor } = supervisorWith([polling]);
    supervisor.start();
    await waitFor(() => supervisor.isReady());
    // Well past the 200 ms window: only a poll inside it keeps the listener healthy.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(supervisor.healthProblem()).toBeUndefined();
    expect(supervisor.isHealthy()).toBe(true);
    await supervisor.stop(1_000);
  });

  it('is unhealthy when no poll succeeded within the watchdog window, however much it restarts or progresses', async () => {
    // Progress on every tick and a restart every few milliseconds, but never a poll: a failure loop.
    const busyFailing = async (_signals: ListenerSignals, observer: ListenerObserver) => {
      observer.progress();
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new BrokerError('getMessage', 500);
    };
    let now = 1_000_000;
    const { supervisor, started } = supervisorWith([busyFailing], { now: () => now });
    supervisor.start();
    await waitFor(() => started() >= 3);
    expect(supervisor.isHealthy()).toBe(true);
    now += 201;
    await waitFor(() => started() >= 6);
    expect(supervisor.isHealthy()).toBe(false);
    expect(supervisor.healthProblem()).toBe('no successful poll within the 200 ms watchdog window (listener 0)');
    await supervisor.stop(1_000);
  });

  it('gives the message in hand the grace period minus the delete reserve, and the delete the rest', async () => {
    const seen: { abandonAtMs?: number; killAtMs?: number } = {};
    let stoppedAtMs = 0;
    const recordsSignals = (signals: ListenerSignals, observer: ListenerObserver) =>
      new Promise<void>((resolve) => {
        observer.session('s');
        signals.abandon.addEventListener('abort', () => (seen.abandonAtMs = Date.now() - stoppedAtMs));
        signals.kill.addEventListener('abort', () => {
          seen.killAtMs = Date.now() - stoppedAtMs;
          resolve();
        });
      });
    const { supervisor } = supervisorWith([recordsSignals], { watchdogTimeoutMs: 60_000, sessionDeleteReserveMs: 300 });
    supervisor.start();
    await waitFor(() => supervisor.isReady());
    stoppedAtMs = Date.now();
    await supervisor.stop(1_000);
    // 700 ms for the message in hand, then 300 ms for the delete (timers fire late on a loaded machine, never early).
    expect(seen.abandonAtMs).toBeGreaterThanOrEqual(695);
    expect(seen.killAtMs).toBeGreaterThanOrEqual(995);
    expect((seen.killAtMs ?? 0) - (seen.abandonAtMs ?? 0)).toBeGreaterThan(0);
  });

  it('caps the delete reserve at half the grace period', async () => {
    const seen: { abandonAtMs?: number } = {};
    let stoppedAtMs = 0;
    const recordsAbandon = (signals: ListenerSignals, observer: ListenerObserver) =>
      new Promise<void>((resolve) => {
        observer.session('s');
        signals.abandon.addEventListener('abort', () => {
          seen.abandonAtMs = Date.now() - stoppedAtMs;
          resolve();
        });
      });
    const { supervisor } = supervisorWith([recordsAbandon], { watchdogTimeoutMs: 60_000, sessionDeleteReserveMs: 30_000 });
    supervisor.start();
    await waitFor(() => supervisor.isReady());
    stoppedAtMs = Date.now();
    await supervisor.stop(400);
    expect(seen.abandonAtMs).toBeGreaterThanOrEqual(195);
  });
});

describe('restartReason and fullJitterDelayMs', () => {
  it('labels auth failures apart so they get the long cap', () => {
    expect(restartReason(new TokenExpiredError('exchangeToken'))).toBe('auth');
    expect(restartReason(new BrokerError('exchangeToken', 401))).toBe('auth');
    expect(restartReason(new BrokerError('acquireJobs', 503))).toBe('broker_error');
    expect(restartReason(new Error('boom'))).toBe('error');
  });

  it('stays within [0, min(cap, base * 2^attempt))', () => {
    expect(fullJitterDelayMs(0, { baseMs: 1_000, capMs: 60_000 }, () => 0.999)).toBe(999);
    expect(fullJitterDelayMs(10, { baseMs: 1_000, capMs: 60_000 }, () => 0.999)).toBe(59_940);
    expect(fullJitterDelayMs(5_000, { baseMs: 1_000, capMs: 60_000 }, () => 0.5)).toBe(30_000);
    expect(fullJitterDelayMs(3, { baseMs: 1_000, capMs: 60_000 }, () => 0)).toBe(0);
  });
});
