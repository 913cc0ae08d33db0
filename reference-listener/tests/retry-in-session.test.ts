// Retry without tearing down: a transient failure of poll, acknowledge or acquire is retried inside the
// session, from one budget per cycle, and costs neither a token exchange nor a session create. The session is
// rebuilt only when the broker says it is gone (404) or the budget is spent; the token is exchanged again only
// when the broker rejects it (401). First the listener's decisions against an in-memory broker, then the counts
// per injected fault, read from the real fake broker's request log.
import { afterAll, describe, expect, it } from 'vitest';

import { DeliveryJournal } from '../src/delivery-journal.js';
import { BrokerConnectionError, BrokerError, DeadlineExceededError, MalformedResponseError, SessionNotFoundError } from '../src/errors.js';
import { InMemoryLastMessageIdStore } from '../src/last-message-store.js';
import { ListenerMemory } from '../src/listener-memory.js';
import { Listener, type ListenerOptions } from '../src/listener.js';
import { silentLogger } from '../src/logger.js';
import { ListenerMetrics } from '../src/metrics.js';
import { isTransientFailure } from '../src/retry-budget.js';
import type { FakeBrokerEndpoint, Fault } from '../src/testing.js';
import { InMemoryBroker, jobsBody } from './support/in-memory-broker.js';
import { capturedLogLines, expectEveryJobDispatchedExactlyOnce, expectNoTokensIn, restartCount, startHarness, waitFor } from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

function setUp(overrides: Partial<ListenerOptions> = {}) {
  const broker = new InMemoryBroker();
  const handedOff: number[] = [];
  const metrics = new ListenerMetrics();
  const listener = new Listener({
    listenerIndex: 0,
    ownerName: 'owner',
    broker,
    scaler: {
      handOff: (job) => {
        handedOff.push(job.runnerRequestId);
        return Promise.resolve();
      },
    },
    lastMessageIdStore: new InMemoryLastMessageIdStore(),
    memory: new ListenerMemory(),
    journal: DeliveryJournal.inMemory(),
    metrics,
    logger: silentLogger,
    handOffTimeoutMs: 200,
    retry: { retries: 3, baseMs: 1, capMs: 5 },
    ...overrides,
  });
  const count = (operation: string): number => broker.calls.filter((call) => call === operation).length;
  return { broker, handedOff, metrics, listener, count };
}

async function runUntil(listener: Listener, done: () => boolean, limitMs = 3_000): Promise<{ error?: unknown }> {
  const stop = new AbortController();
  const kill = new AbortController();
  const run = listener.run({ stop: stop.signal, abandon: kill.signal, kill: kill.signal }).then(
    () => ({}),
    (error: unknown) => ({ error }),
  );
  let settled: { error?: unknown } | undefined;
  void run.then((result) => (settled = result));
  const startedAt = Date.now();
  while (!done() && settled === undefined && Date.now() - startedAt < limitMs) await new Promise((resolve) => setTimeout(resolve, 5));
  stop.abort();
  return run;
}

describe('in-session retries (listener decisions)', () => {
  it('retries a transient failure of poll, acquire and acknowledge in place: one token, one session', async () => {
    const { broker, handedOff, listener, count } = setUp();
    broker.failNext('getMessage', () => new DeadlineExceededError('getMessage', 200));
    broker.failNext('acquireJobs', () => new BrokerError('acquireJobs', 503));
    broker.failNext('acknowledgeMessage', () => new BrokerConnectionError('acknowledgeMessage', new Error('ECONNRESET')));
    const messageId = broker.enqueue(jobsBody({ runnerRequestId: 1 }));
    const result = await runUntil(listener, () => broker.acknowledged.includes(messageId));
    expect(result.error).toBeUndefined();
    expect(handedOff).toEqual([1]);
    expect({ exchangeToken: count('exchangeToken'), createSession: count('createSession'), deleteSession: count('deleteSession') }).toEqual({
      exchangeToken: 1,
      createSession: 1,
      deleteSession: 1,
    });
    expect({ acquireJobs: count('acquireJobs'), acknowledgeMessage: count('acknowledgeMessage') }).toEqual({ acquireJobs: 2, acknowledgeMessage: 2 });
  });

  it('shares one budget across the calls of a cycle, and gives the failure to the supervisor once it is spent', async () => {
    // Budget 2: one acquire failure and two acknowledge failures in the same cycle are one too many.
    const { broker, listener, count } = setUp({ retry: { retries: 2, baseMs: 1, capMs: 5 } });
    broker.failNext('acquireJobs', () => new DeadlineExceededError('acquireJobs', 200));
    broker.failNext('acknowledgeMessage', () => new DeadlineExceededError('acknowledgeMessage', 200), () => new DeadlineExceededError('acknowledgeMessage', 200));
    broker.enqueue(jobsBody({ runnerRequestId: 2 }));
    const result = await runUntil(listener, () => false);
    expect(result.error).toBeInstanceOf(DeadlineExceededError);
    expect(result.error).toMatchObject({ operation: 'acknowledgeMessage' });
    expect({ acquireJobs: count('acquireJobs'), acknowledgeMessage: count('acknowledgeMessage') }).toEqual({ acquireJobs: 2, acknowledgeMessage: 2 });
  });

  it('refills the budget at every successful poll, so failures spread over cycles never add up', async () => {
    const { broker, listener, count } = setUp({ retry: { retries: 1, baseMs: 1, capMs: 5 } });
    const last = 4;
    for (let job = 1; job <= last; job++) broker.enqueue(jobsBody({ runnerRequestId: job }));
    // The first acknowledgement of every message fails once: one retry per cycle, never two in a row.
    const acknowledge = broker.acknowledgeMessage.bind(broker);
    let attempts = 0;
    broker.acknowledgeMessage = (session, messageId, signal) =>
      ++attempts % 2 === 1 ? Promise.reject(new BrokerError('acknowledgeMessage', 500)) : acknowledge(session, messageId, signal);
    const result = await runUntil(listener, () => broker.acknowledged.length === last);
    expect(result.error).toBeUndefined();
    expect({ createSession: count('createSession'), acknowledgeAttempts: attempts }).toEqual({ createSession: 1, acknowledgeAttempts: 2 * last });
  });

  it('registers a new session in place when the broker forgot the session (404), without a new token', async () => {
    const { broker, handedOff, listener, count } = setUp();
    broker.failNext('getMessage', () => new SessionNotFoundError('getMessage'));
    const messageId = broker.enqueue(jobsBody({ runnerRequestId: 3 }));
    const result = await runUntil(listener, () => broker.acknowledged.includes(messageId));
    expect(result.error).toBeUndefined();
    expect(handedOff).toEqual([3]);
    expect(broker.calls.slice(0, 5)).toEqual(['exchangeToken', 'createSession', 'getMessage', 'createSession', 'getMessage']);
    expect(count('exchangeToken')).toBe(1);
  });

  it('does not retry what another attempt cannot fix: a 4xx, a malformed answer', async () => {
    for (const failure of [() => new BrokerError('acquireJobs', 400), () => new MalformedResponseError('acquireJobs', 'expected {count, value}')]) {
      const { broker, listener, count } = setUp();
      broker.failNext('acquireJobs', failure);
      broker.enqueue(jobsBody({ runnerRequestId: 4 }));
      const result = await runUntil(listener, () => false);
      expect(result.error?.constructor).toBe(failure().constructor);
      expect(count('acquireJobs')).toBe(1);
    }
    expect([408, 429, 500, 503].map((status) => isTransientFailure(new BrokerError('getMessage', status)))).toEqual([true, true, true, true]);
    expect([400, 403, 409].map((status) => isTransientFailure(new BrokerError('getMessage', status)))).toEqual([false, false, false]);
  });

  it('waits at least as long as the Retry-After the broker sent, within the cap', async () => {
    const delays: number[] = [];
    const { broker, listener } = setUp({
      retry: { retries: 3, baseMs: 1, capMs: 500 },
      random: () => 0,
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    broker.failNext('acknowledgeMessage', () => new BrokerError('acknowledgeMessage', 429, 'req-1', 300), () => new BrokerError('acknowledgeMessage', 503, 'req-2', 60_000));
    const messageId = broker.enqueue(jobsBody({ runnerRequestId: 5 }));
    await runUntil(listener, () => broker.acknowledged.includes(messageId));
    expect(delays).toEqual([300, 500]);
  });
});

/** Every way one injected fault reaches a session call, and what the listener must spend on it: nothing but a retry. */
const faultsRetriedInPlace: { endpoint: FakeBrokerEndpoint; fault: Fault }[] = [
  { endpoint: 'getMessage', fault: { kind: 'status', status: 503 } },
  { endpoint: 'getMessage', fault: { kind: 'reset' } },
  { endpoint: 'getMessage', fault: { kind: 'truncatedBody' } },
  { endpoint: 'acquireJobs', fault: { kind: 'status', status: 500 } },
  { endpoint: 'acquireJobs', fault: { kind: 'reset' } },
  { endpoint: 'acquireJobs', fault: { kind: 'stallAfterRequest' } },
  // The broker grants the job, but the answer comes after our deadline: the retry is granted it again.
  { endpoint: 'acquireJobs', fault: { kind: 'delayedSuccess', delayMs: 1_500 } },
  { endpoint: 'acknowledgeMessage', fault: { kind: 'status', status: 500 } },
  { endpoint: 'acknowledgeMessage', fault: { kind: 'reset' } },
  { endpoint: 'acknowledgeMessage', fault: { kind: 'stallAfterAccept' } },
];

/** Sessions that do not expire and a deadline that load does not trip, so every count below is the fault's alone. */
const steady = { broker: { sessionIdleTimeoutMs: 30_000 }, service: { controlPlaneTimeoutMs: 1_000, longPollTimeoutMs: 3_000 } };

describe.concurrent('in-session retries against the fake broker: token exchanges and session creates per injected fault', () => {
  it.each(faultsRetriedInPlace)('$endpoint × $fault.kind: retried in place (1 token exchange, 1 session create, 0 restarts)', async ({ endpoint, fault }) => {
    const harness = await startHarness(steady);
    try {
      await waitFor('the session registered', () => harness.service.supervisor.isReady());
      harness.broker.injectFault(endpoint, fault);
      harness.broker.enqueueJobs([{ runnerRequestId: 31, jobId: 'job-31' }]);
      await expectEveryJobDispatchedExactlyOnce(harness);
      expect(harness.broker.requestsTo(endpoint).filter((entry) => entry.fault === fault.kind)).toHaveLength(1);
      expect({
        exchangeToken: harness.broker.requestsTo('exchangeToken').length,
        createSession: harness.broker.requestsTo('createSession').length,
        restarts: await restartCount(harness.service),
      }).toEqual({ exchangeToken: 1, createSession: 1, restarts: 0 });
      // At least the injected one; load may add a retry of its own, never a token or a session.
      expect((await harness.service.metrics.retries.get()).values.find((sample) => sample.labels.operation === endpoint)?.value).toBeGreaterThanOrEqual(1);
    } finally {
      await harness.stop();
    }
  });

  it('a 404 (the broker forgot the session) costs one session create and no token exchange', async () => {
    const harness = await startHarness(steady);
    try {
      await waitFor('the session registered', () => harness.service.supervisor.isReady());
      const [first] = [...harness.broker.ledger.activeSessions.keys()];
      harness.broker.ledger.endSession(first ?? '', 'expired');
      harness.broker.enqueueJobs([{ runnerRequestId: 32, jobId: 'job-32' }]);
      await expectEveryJobDispatchedExactlyOnce(harness);
      expect({
        exchangeToken: harness.broker.requestsTo('exchangeToken').length,
        createSession: harness.broker.requestsTo('createSession').length,
        restarts: await restartCount(harness.service),
      }).toEqual({ exchangeToken: 1, createSession: 2, restarts: 0 });
    } finally {
      await harness.stop();
    }
  });

  it('a spent budget rebuilds the session through the supervisor, and still keeps the token', async () => {
    // The harness allows 3 retries per cycle: the fourth failure of the acknowledgement goes to the supervisor.
    const harness = await startHarness(steady);
    try {
      await waitFor('the session registered', () => harness.service.supervisor.isReady());
      harness.broker.injectFault('acknowledgeMessage', { kind: 'status', status: 500 }, 4);
      harness.broker.enqueueJobs([{ runnerRequestId: 33, jobId: 'job-33' }]);
      await expectEveryJobDispatchedExactlyOnce(harness);
      expect({
        exchangeToken: harness.broker.requestsTo('exchangeToken').length,
        createSession: harness.broker.requestsTo('createSession').length,
        restarts: await restartCount(harness.service),
      }).toEqual({ exchangeToken: 1, createSession: 2, restarts: 1 });
      expect([...harness.broker.ledger.endedSessions.values()][0]).toBe('deleted');
    } finally {
      await harness.stop();
    }
  });

  it('a rejected token (401 on acquire) costs one token exchange and no session create', async () => {
    const harness = await startHarness(steady);
    try {
      await waitFor('the session registered', () => harness.service.supervisor.isReady());
      harness.broker.injectFault('acquireJobs', { kind: 'status', status: 401 });
      harness.broker.enqueueJobs([{ runnerRequestId: 34, jobId: 'job-34' }]);
      await expectEveryJobDispatchedExactlyOnce(harness);
      expect({
        exchangeToken: harness.broker.requestsTo('exchangeToken').length,
        createSession: harness.broker.requestsTo('createSession').length,
        restarts: await restartCount(harness.service),
      }).toEqual({ exchangeToken: 2, createSession: 1, restarts: 0 });
    } finally {
      await harness.stop();
    }
  });
});
