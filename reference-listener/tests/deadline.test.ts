import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { withDeadline } from '../src/deadline.js';
import { DeadlineExceededError, OperationCancelledError } from '../src/errors.js';

// Generous on purpose: these assert "bounded", not "fast". Speed is measured by the stall bench.
const SCHEDULING_MARGIN_MS = 1_500;

/** Resolves only when the signal aborts, then rejects like a well-behaved client would. */
function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('work saw the abort')), { once: true });
  });
}

describe('withDeadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns what the work returns', async () => {
    await expect(withDeadline('createSession', 1_000, undefined, () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('rejects with DeadlineExceededError naming the operation and the deadline when the deadline expires', async () => {
    const started = performance.now();
    const error = await withDeadline('createSession', 100, undefined, waitForAbort).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ operation: 'createSession', ms: 100 });
    expect(performance.now() - started).toBeLessThan(100 + SCHEDULING_MARGIN_MS);
  });

  it('rejects with OperationCancelledError, not a deadline error, when the caller aborts first', async () => {
    const shutdown = new AbortController();
    const call = withDeadline('getMessage', 10_000, shutdown.signal, waitForAbort);
    shutdown.abort(new Error('SIGTERM'));

    const error = await call.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OperationCancelledError);
    expect(error).not.toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ operation: 'getMessage', cause: new Error('SIGTERM') });
  });

  it('does not start the work when the caller signal is already aborted', async () => {
    const work = vi.fn(() => Promise.resolve('never'));
    await expect(withDeadline('deleteSession', 1_000, AbortSignal.abort(), work)).rejects.toBeInstanceOf(OperationCancelledError);
    expect(work).not.toHaveBeenCalled();
  });

  it('settles at the deadline even when the work ignores its signal', async () => {
    const ignoresSignal = (): Promise<never> => new Promise(() => undefined);
    await expect(withDeadline('acquireJobs', 50, undefined, ignoresSignal)).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('aborts the signal it gives the work, with the deadline error as the reason', async () => {
    let seen: AbortSignal | undefined;
    await withDeadline('refreshSession', 50, undefined, (signal) => {
      seen = signal;
      return waitForAbort(signal);
    }).catch(() => undefined);

    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(DeadlineExceededError);
  });

  it('passes a failure of the work through unchanged', async () => {
    const failure = new TypeError('bad input');
    await expect(withDeadline('exchangeToken', 1_000, undefined, () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('reports the deadline, not the work’s own abort error, when the work rejects first on abort', async () => {
    // undici rejects with its own error the moment the signal aborts, possibly before our race sees it.
    const error = await withDeadline('getMessage', 50, undefined, async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      throw new DOMException('This operation was aborted', 'AbortError');
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DeadlineExceededError);
  });

  it('clears its timer and removes its listener from the caller signal once the call settles, whichever way', async () => {
    vi.useFakeTimers();
    const shutdown = new AbortController();

    await withDeadline('createSession', 30_000, shutdown.signal, () => Promise.resolve('done'));
    await withDeadline('createSession', 30_000, shutdown.signal, () => Promise.reject(new Error('failed'))).catch(() => undefined);
    const expiring = withDeadline('createSession', 1_000, shutdown.signal, waitForAbort).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await expiring).toBeInstanceOf(DeadlineExceededError);

    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('rejects a deadline that is not a positive whole number of milliseconds, naming the operation', async () => {
    for (const ms of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      await expect(withDeadline('createSession', ms, undefined, () => Promise.resolve(1))).rejects.toThrow(/^createSession: the deadline must be/);
    }
  });
});

describe('withDeadline for calls that are not broker calls', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const handOffErrors = (log: string[]) => ({
    name: 'handOff',
    expired: (ms: number) => {
      log.push(`expired:${ms}`);
      return new Error(`the scaler did not answer within ${ms} ms`);
    },
    cancelled: (reason: unknown) => {
      log.push('cancelled');
      return new Error('hand-off cancelled', { cause: reason });
    },
  });

  it('rejects with the errors it is given: expiry and cancellation', async () => {
    const log: string[] = [];
    await expect(withDeadline(handOffErrors(log), 50, undefined, waitForAbort)).rejects.toThrow('the scaler did not answer within 50 ms');
    const shutdown = new AbortController();
    const cancelled = withDeadline(handOffErrors(log), 10_000, shutdown.signal, waitForAbort);
    shutdown.abort(new Error('SIGTERM'));
    await expect(cancelled).rejects.toMatchObject({ message: 'hand-off cancelled', cause: new Error('SIGTERM') });
    expect(log).toEqual(['expired:50', 'cancelled']);
  });

  it('with no deadline, is bounded by the caller signal alone, even when the work ignores it', async () => {
    vi.useFakeTimers();
    const kill = new AbortController();
    const ignoresSignal = (): Promise<never> => new Promise(() => undefined);
    const waiting = withDeadline({ name: 'listener 0', expired: () => new Error('no timer'), cancelled: (reason) => reason as Error }, undefined, kill.signal, ignoresSignal);
    const settled = waiting.catch((caught: unknown) => caught);
    // No timer of its own: nothing to fire, however long it waits.
    expect(vi.getTimerCount()).toBe(0);
    kill.abort(new Error('watchdog'));
    expect(await settled).toEqual(new Error('watchdog'));
  });

  it('names the call in the RangeError for a bad deadline', async () => {
    await expect(withDeadline(handOffErrors([]), 0, undefined, () => Promise.resolve(1))).rejects.toThrow(/^handOff: the deadline must be/);
  });
});

describe('withDeadline around a real HTTP call', () => {
  let server: Server;
  let url: string;
  const trickles = new Set<NodeJS.Timeout>();
  // Idle timers far above the deadline, so only the deadline can end the call.
  const agent = new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000 });

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const trickle = setInterval(() => response.write(' '), 20);
      trickles.add(trickle);
      response.on('close', () => {
        clearInterval(trickle);
        trickles.delete(trickle);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    for (const trickle of trickles) clearInterval(trickle);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await agent.close();
  });

  it('covers the body read: a body that trickles forever ends in DeadlineExceededError', async () => {
    const started = performance.now();
    const error = await withDeadline('getMessage', 400, undefined, async (signal) => {
      const response = await request(url, { dispatcher: agent, signal });
      return response.body.text();
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(performance.now() - started).toBeLessThan(400 + SCHEDULING_MARGIN_MS);
  });
});
