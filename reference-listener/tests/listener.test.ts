// The listener's own decisions (retry counts, acknowledge order, deduplication, poison), against an
// in-memory broker. Socket-level faults are covered by the end-to-end suites against the fake broker.
import { describe, expect, it } from 'vitest';

import { parseJobMessages } from '../src/broker-protocol.js';
import { DeliveryJournal } from '../src/delivery-journal.js';
import { DeadlineExceededError, SessionConflictError, SessionNotFoundError, TokenExpiredError } from '../src/errors.js';
import { InMemoryLastMessageIdStore } from '../src/last-message-store.js';
import { HandOffError } from '../src/hand-off.js';
import { ListenerMemory } from '../src/listener-memory.js';
import { Listener, type ListenerOptions } from '../src/listener.js';
import { silentLogger } from '../src/logger.js';
import { ListenerMetrics } from '../src/metrics.js';
import type { JobHandoff, Scaler } from '../src/scaler.js';
import { InMemoryBroker, jobsBody } from './support/in-memory-broker.js';

class RecordingScaler implements Scaler {
  readonly events: string[];
  readonly handedOff: JobHandoff[] = [];
  failures = 0;
  constructor(events: string[]) {
    this.events = events;
  }
  handOff(job: JobHandoff): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('runner pool unavailable'));
    }
    this.handedOff.push(job);
    this.events.push(`handOff:${job.runnerRequestId}`);
    return Promise.resolve();
  }
}

function setUp(overrides: Partial<ListenerOptions> = {}) {
  const broker = new InMemoryBroker();
  const events: string[] = [];
  const scaler = new RecordingScaler(events);
  const metrics = new ListenerMetrics();
  const store = new InMemoryLastMessageIdStore();
  const memory = new ListenerMemory();
  const journal = DeliveryJournal.inMemory({ reacquireDelayMs: 5 });
  const originalAcknowledge = broker.acknowledgeMessage.bind(broker);
  broker.acknowledgeMessage = async (session, messageId, signal) => {
    await originalAcknowledge(session, messageId, signal);
    events.push(`ack:${messageId}`);
  };
  const listener = (): Listener =>
    new Listener({
      listenerIndex: 0,
      ownerName: 'owner',
      broker,
      scaler,
      lastMessageIdStore: store,
      memory,
      journal,
      metrics,
      logger: silentLogger,
      handOffTimeoutMs: 200,
      sessionConflictWindowMs: 200,
      sessionConflictRetryBaseMs: 5,
      ...overrides,
    });
  return { broker, events, scaler, metrics, store, journal, listener };
}

/** Runs the listener until `done()` holds (bounded by `limitMs`), then stops it and returns how run() settled. */
async function runUntil(listener: Listener, done: () => boolean, limitMs = 3_000): Promise<{ error?: unknown }> {
  const stop = new AbortController();
  const kill = new AbortController();
  const run = listener.run({ stop: stop.signal, abandon: kill.signal, kill: kill.signal }).then(
    () => ({}),
    (error: unknown) => ({ error }),
  );
  const startedAt = Date.now();
  let settled: { error?: unknown } | undefined;
  void run.then((result) => (settled = result));
  while (!done() && settled === undefined && Date.now() - startedAt < limitMs) await new Promise((resolve) => setTimeout(resolve, 5));
  stop.abort();
  return run;
}

async function metricValue(metrics: ListenerMetrics, name: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, sample) => sum + sample.value, 0);
}

describe('Listener', () => {
  it('acquires, hands off, and only then acknowledges; persists lastMessageId; deletes its session on stop', async () => {
    const { broker, events, store, listener } = setUp();
    const messageId = broker.enqueue(jobsBody({ runnerRequestId: 7 }));
    const result = await runUntil(listener(), () => broker.acknowledged.includes(messageId));
    expect(result.error).toBeUndefined();
    expect(events).toEqual(['handOff:7', `ack:${messageId}`]);
    expect(await store.load()).toBe(messageId);
    expect(broker.calls.slice(0, 2)).toEqual(['exchangeToken', 'createSession']);
    expect(broker.calls.at(-1)).toBe('deleteSession');
  });

  it('on a 401 from the poll, refreshes the session once and polls again', async () => {
    const { broker, scaler, listener } = setUp();
    broker.failNext('getMessage', () => new TokenExpiredError('getMessage'));
    broker.enqueue(jobsBody({ runnerRequestId: 1 }));
    const result = await runUntil(listener(), () => scaler.handedOff.length === 1);
    expect(result.error).toBeUndefined();
    expect(broker.calls.slice(0, 5)).toEqual(['exchangeToken', 'createSession', 'getMessage', 'refreshSession', 'getMessage']);
  });

  it('on a 401 from a control-plane call, exchanges a new token once and retries once; a second 401 rejects', async () => {
    const once = setUp();
    once.broker.failNext('createSession', () => new TokenExpiredError('createSession'));
    const first = await runUntil(once.listener(), () => once.broker.calls.includes('getMessage'));
    expect(first.error).toBeUndefined();
    expect(once.broker.calls.slice(0, 4)).toEqual(['exchangeToken', 'createSession', 'exchangeToken', 'createSession']);

    const twice = setUp();
    twice.broker.failNext('createSession', () => new TokenExpiredError('createSession'), () => new TokenExpiredError('createSession'));
    const second = await runUntil(twice.listener(), () => false);
    expect(second.error).toBeInstanceOf(TokenExpiredError);
    expect(twice.broker.calls.filter((call) => call === 'createSession')).toHaveLength(2);
  });

  it('recreates the session when a refresh answers 404', async () => {
    const { broker, scaler, listener } = setUp();
    broker.failNext('getMessage', () => new TokenExpiredError('getMessage'));
    broker.failNext('refreshSession', () => new SessionNotFoundError('refreshSession'));
    broker.enqueue(jobsBody({ runnerRequestId: 1 }));
    const result = await runUntil(listener(), () => scaler.handedOff.length === 1);
    expect(result.error).toBeUndefined();
    expect(broker.calls.slice(2, 6)).toEqual(['getMessage', 'refreshSession', 'createSession', 'getMessage']);
  });

  it('retries a 409 at create with jitter inside the window, then gives up with the conflict', async () => {
    const recovers = setUp();
    recovers.broker.failNext('createSession', () => new SessionConflictError('createSession'), () => new SessionConflictError('createSession'));
    expect((await runUntil(recovers.listener(), () => recovers.broker.calls.includes('getMessage'))).error).toBeUndefined();
    expect(recovers.broker.calls.filter((call) => call === 'createSession')).toHaveLength(3);

    const persists = setUp({ sessionConflictWindowMs: 100 });
    persists.broker.failNext('createSession', ...Array.from({ length: 1_000 }, () => () => new SessionConflictError('createSession')));
    const startedAt = Date.now();
    const result = await runUntil(persists.listener(), () => false);
    expect(result.error).toBeInstanceOf(SessionConflictError);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('drops a job whose runnerRequestId was already handed off, within a message and across messages', async () => {
    const { broker, scaler, metrics, listener } = setUp();
    broker.enqueue(jobsBody({ runnerRequestId: 1 }, { runnerRequestId: 1 }, { runnerRequestId: 2 }));
    const second = broker.enqueue(jobsBody({ runnerRequestId: 2 }, { runnerRequestId: 3 }));
    await runUntil(listener(), () => broker.acknowledged.includes(second));
    expect(scaler.handedOff.map((job) => job.runnerRequestId)).toEqual([1, 2, 3]);
    expect(await metricValue(metrics, 'listener_duplicates_suppressed_total')).toBe(2);
  });

  it('does not acknowledge a message whose hand-off failed; the redelivery acquires and hands it off again', async () => {
    const { broker, scaler, journal, listener } = setUp();
    scaler.failures = 1;
    const messageId = broker.enqueue(jobsBody({ runnerRequestId: 5 }));
    const failed = await runUntil(listener(), () => false);
    expect(failed.error).toBeInstanceOf(HandOffError);
    expect(broker.acknowledged).toEqual([]);

    // The supervisor's restart: a new Listener, the same memory.
    await runUntil(listener(), () => broker.acknowledged.includes(messageId));
    expect(scaler.handedOff.map((job) => job.runnerRequestId)).toEqual([5]);
    expect(broker.calls.filter((call) => call === 'acquireJobs')).toHaveLength(2);
    expect(journal.wasHandedOff(5)).toBe(true);
  });

  it('does not start a job the broker granted to another session, and still acknowledges the message', async () => {
    const { broker, scaler, listener } = setUp();
    broker.heldElsewhere.add(8);
    const messageId = broker.enqueue(jobsBody({ runnerRequestId: 8 }, { runnerRequestId: 9 }));
    await runUntil(listener(), () => broker.acknowledged.includes(messageId));
    expect(scaler.handedOff.map((job) => job.runnerRequestId)).toEqual([9]);
  });

  it('keeps a job an ended session of ours may hold in the journal, acknowledges its message, and hands it off once the broker frees it', async () => {
    // In-session retries off: the lost acquire answer must end this listener's session for the case to arise.
    const { broker, scaler, journal, listener } = setUp({ retry: { retries: 0, baseMs: 1, capMs: 1 } });
    const held = broker.enqueue(jobsBody({ runnerRequestId: 12 }));
    // The broker granted job 12 to our session, but the answer was lost (deadline); that session's delete failed.
    broker.failNext('acquireJobs', () => {
      broker.heldElsewhere.add(12);
      return new DeadlineExceededError('acquireJobs', 200);
    });
    expect((await runUntil(listener(), () => false)).error).toBeInstanceOf(DeadlineExceededError);
    expect(journal.mayHold(12)).toBe(true);

    // Restarted with a new session: the broker refuses job 12 while the old session lives. The message is
    // acknowledged anyway (the journal holds the job), and the messages behind it are processed.
    const behind = broker.enqueue(jobsBody({ runnerRequestId: 13 }));
    const retries = () => broker.calls.filter((call) => call === 'acquireJobs').length;
    await runUntil(listener(), () => broker.acknowledged.includes(behind) && retries() >= 5);
    expect(broker.acknowledged).toEqual([held, behind]);
    expect(scaler.handedOff.map((job) => job.runnerRequestId)).toEqual([13]);
    expect(journal.mayHold(12)).toBe(true);

    // The old session expired and the broker freed the job: the journal's retry acquires it and hands it off, once.
    broker.heldElsewhere.delete(12);
    await runUntil(listener(), () => scaler.handedOff.length === 2);
    const polls = () => broker.calls.filter((call) => call === 'getMessage').length;
    const pollsAfterHandOff = polls();
    await runUntil(listener(), () => polls() >= pollsAfterHandOff + 3);
    expect(scaler.handedOff.map((job) => job.runnerRequestId)).toEqual([13, 12]);
    expect(scaler.handedOff[1]?.idempotencyKey).toBe('runner-request-12');
    expect(journal.mayHold(12)).toBe(false);
  });

  it('forgets a job another session holds: no retry, and the message is acknowledged', async () => {
    const { broker, scaler, journal, listener } = setUp();
    broker.heldElsewhere.add(21);
    const messageId = broker.enqueue(jobsBody({ runnerRequestId: 21 }));
    const polls = () => broker.calls.filter((call) => call === 'getMessage').length;
    await runUntil(listener(), () => broker.acknowledged.includes(messageId) && polls() >= 5);
    expect(broker.calls.filter((call) => call === 'acquireJobs')).toHaveLength(1);
    expect(journal.mayHold(21)).toBe(false);
    expect(scaler.handedOff).toEqual([]);
  });

  it('bounds a scaler that never answers by the hand-off deadline', async () => {
    const { broker, listener } = setUp({ scaler: { handOff: () => new Promise<never>(() => undefined) }, handOffTimeoutMs: 50 });
    broker.enqueue(jobsBody({ runnerRequestId: 9 }));
    const result = await runUntil(listener(), () => false);
    expect(result.error).toBeInstanceOf(HandOffError);
    expect(broker.acknowledged).toEqual([]);
  });

  it('leaves a malformed message unacknowledged twice and acknowledges it as poison on the third delivery', async () => {
    const { broker, scaler, metrics, listener } = setUp();
    const poison = broker.enqueue('{"not": "an array"');
    const good = broker.enqueue(jobsBody({ runnerRequestId: 4 }));
    // The in-memory broker redelivers the oldest unacknowledged message on every poll, as the real one does.
    await runUntil(listener(), () => broker.acknowledged.includes(good));
    expect(broker.acknowledged).toEqual([poison, good]);
    expect(broker.calls.filter((call) => call === 'getMessage').length).toBeGreaterThanOrEqual(4);
    expect(await metricValue(metrics, 'listener_messages_poisoned_total')).toBe(1);
    expect(await metricValue(metrics, 'listener_messages_redelivered_total')).toBe(2);
    expect(scaler.handedOff).toHaveLength(1);
  });

  it('stops polling at once on stop and still deletes the session', async () => {
    const { broker, listener } = setUp();
    broker.emptyPollMs = 60_000;
    const startedAt = Date.now();
    const result = await runUntil(listener(), () => broker.calls.includes('getMessage'));
    expect(result.error).toBeUndefined();
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(broker.calls.at(-1)).toBe('deleteSession');
  });
});

describe('parseJobMessages', () => {
  it('accepts the protocol shape and rejects anything else', () => {
    expect(parseJobMessages(jobsBody({ runnerRequestId: 1, jobId: 'a' }))).toEqual([{ messageType: 'JobAvailable', runnerRequestId: 1, jobId: 'a' }]);
    expect(parseJobMessages('[{"messageType":"JobAvailable","runnerRequestId":"1","jobId":"a"}]')).toBeUndefined();
    expect(parseJobMessages('[{"messageType":"Other","runnerRequestId":1,"jobId":"a"}]')).toBeUndefined();
    expect(parseJobMessages('{}')).toBeUndefined();
    expect(parseJobMessages('[')).toBeUndefined();
  });
});
