// The fake broker is the yardstick of every listener test, so its own behaviour is pinned here:
// at-least-once delivery, acquisition arbitration, sessions, faults and their (lack of) effects.
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import { DeadlineExceededError, SessionConflictError, SessionNotFoundError, TokenExpiredError } from '../src/errors.js';
import { FaultPlan } from '../src/testing.js';
import { CONTROL_PLANE_TIMEOUT_MS, SCHEDULING_MARGIN_MS, brokerClientFor, callWithFault, eventually, openSession, startTransport, timed, type TransportFixture } from './support/transport-fixture.js';

const running: TransportFixture[] = [];

async function start(...options: Parameters<typeof startTransport>): Promise<TransportFixture> {
  const transport = await startTransport(...options);
  running.push(transport);
  return transport;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((transport) => transport.close()));
});

describe('delivery is at least once', () => {
  it('redelivers a message that was not acknowledged on the next poll, and counts it', async () => {
    const { client, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const { session } = await openSession(client);
    const messageId = broker.enqueueJobs([{ runnerRequestId: 1, jobId: 'job-1' }]);

    await expect(client.getMessage(session, 0)).resolves.toMatchObject({ messageId });
    await expect(client.getMessage(session, messageId)).resolves.toMatchObject({ messageId });

    expect(broker.ledger.redelivered.get(messageId)).toBe(1);
    expect(broker.ledger.deliveries(messageId)).toBe(2);
  });

  it('stops delivering a message once it is acknowledged, and then holds the poll until the 202', async () => {
    const { client, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const { session } = await openSession(client);
    const messageId = broker.enqueueJobs([{ runnerRequestId: 1, jobId: 'job-1' }]);

    await client.getMessage(session, 0);
    await client.acknowledgeMessage(session, messageId);
    await client.acknowledgeMessage(session, messageId); // a retried acknowledgement is harmless

    await expect(client.getMessage(session, messageId)).resolves.toBeUndefined();
    expect(broker.ledger.acknowledged).toEqual([messageId]);
    expect(broker.ledger.redelivered.has(messageId)).toBe(false);
    expect(broker.requestsTo('getMessage').at(-1)).toMatchObject({ status: 202 });
  });

  it('delivers the oldest unacknowledged message first, one JobAvailable entry per job', async () => {
    const { client, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const { session } = await openSession(client);
    const first = broker.enqueueJobs([
      { runnerRequestId: 1, jobId: 'job-1' },
      { runnerRequestId: 2, jobId: 'job-2' },
    ]);
    const second = broker.enqueueJobs([{ runnerRequestId: 3, jobId: 'job-3' }]);

    const delivered = await client.getMessage(session, 0);
    expect(delivered?.messageId).toBe(first);
    expect(JSON.parse(delivered?.body ?? '')).toEqual([
      { messageType: 'JobAvailable', runnerRequestId: 1, jobId: 'job-1' },
      { messageType: 'JobAvailable', runnerRequestId: 2, jobId: 'job-2' },
    ]);
    await client.acknowledgeMessage(session, first);
    await expect(client.getMessage(session, first)).resolves.toMatchObject({ messageId: second });
    expect(broker.ledger.enqueued.map((job) => job.messageId)).toEqual([first, first, second]);
  });

  it('answers a held poll as soon as a message arrives', async () => {
    // A hold far longer than the test could wait: the message must end it early.
    const holdMs = 60_000;
    const { client, broker } = await start({ holdMs, sessionIdleTimeoutMs: 120_000 }, { longPollTimeoutMs: 90_000 });
    const { session } = await openSession(client);

    const polling = timed(() => client.getMessage(session, 0));
    await eventually(() => broker.requestsTo('getMessage').length === 1);
    const messageId = broker.enqueueJobs([{ runnerRequestId: 5, jobId: 'job-5' }]);

    const { outcome, elapsedMs } = await polling;
    expect(outcome).toMatchObject({ value: { messageId } });
    expect(elapsedMs).toBeLessThan(holdMs);
  });

  it('delivers raw message bodies as they are, for malformed-message tests', async () => {
    const { client, broker } = await start();
    const { session } = await openSession(client);
    const messageId = broker.enqueueRawMessage('this is not JSON');
    await expect(client.getMessage(session, 0)).resolves.toEqual({ messageId, messageType: 'RunnerScaleSetJobMessages', body: 'this is not JSON' });
    expect(broker.ledger.enqueued).toEqual([]);
  });
});

describe('acquisition', () => {
  it('grants a job to one session; another session gets it absent, the same session gets it again', async () => {
    const { client, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const other = brokerClientFor(broker, { clientId: 'another-listener' });
    try {
      const first = await openSession(client, 'first-owner');
      const second = await openSession(other, 'second-owner');
      broker.enqueueJobs([
        { runnerRequestId: 1, jobId: 'job-1' },
        { runnerRequestId: 2, jobId: 'job-2' },
      ]);

      await expect(client.acquireJobs(first.token, [1])).resolves.toEqual([1]);
      await expect(other.acquireJobs(second.token, [1, 2])).resolves.toEqual([2]);
      await expect(client.acquireJobs(first.token, [1])).resolves.toEqual([1]);
      await expect(client.acquireJobs(first.token, [999])).resolves.toEqual([]);

      expect(broker.ledger.acquiredBySession).toEqual(
        new Map([
          [first.session.sessionId, [1]],
          [second.session.sessionId, [2]],
        ]),
      );
      expect(broker.ledger.ownerOf(1)).toBe(first.session.sessionId);
    } finally {
      await other.close();
    }
  });

  it('hands an undispatched job out again when its session ends, but keeps a dispatched one', async () => {
    const { client, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    broker.enqueueJobs([
      { runnerRequestId: 1, jobId: 'job-1' },
      { runnerRequestId: 2, jobId: 'job-2' },
    ]);
    const dying = await openSession(client, 'owner');
    await client.acquireJobs(dying.token, [1, 2]);
    broker.ledger.recordDispatched(2);
    await client.deleteSession(dying.token, dying.session.sessionId);

    const successor = await openSession(client, 'owner');
    await expect(client.acquireJobs(successor.token, [1, 2])).resolves.toEqual([1]);
    expect(broker.ledger.dispatchCount(2)).toBe(1);
  });

  it('answers 404 when the client has no session to acquire for', async () => {
    const { client, broker } = await start();
    broker.enqueueJobs([{ runnerRequestId: 1, jobId: 'job-1' }]);
    const token = await client.exchangeToken();
    await expect(client.acquireJobs(token, [1])).rejects.toBeInstanceOf(SessionNotFoundError);
  });
});

describe('sessions', () => {
  it('answers 409 while an owner has a session, and creates again once it is deleted', async () => {
    const { client, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const { token, session } = await openSession(client, 'owner');
    await expect(client.createSession(token, 'owner')).rejects.toBeInstanceOf(SessionConflictError);
    await client.deleteSession(token, session.sessionId);
    await expect(client.createSession(token, 'owner')).resolves.toMatchObject({ sessionId: expect.stringMatching(/^session-/) as unknown });
    expect(broker.ledger.activeSessions.size).toBe(1);
  });

  it('expires a session left idle, freeing its owner name', async () => {
    const { client, broker } = await start({ sessionIdleTimeoutMs: 100 });
    const { token, session } = await openSession(client, 'owner');

    expect(await eventually(() => broker.ledger.endedSessions.get(session.sessionId) === 'expired')).toBe(true);
    expect(broker.ledger.activeSessions.has(session.sessionId)).toBe(false);
    await expect(client.refreshSession(token, session.sessionId)).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(client.createSession(token, 'owner')).resolves.toBeDefined();
  });

  it('does not expire a session while a poll is held', async () => {
    const { client, broker } = await start({ holdMs: 2_500, sessionIdleTimeoutMs: 1_000 });
    const { session } = await openSession(client, 'owner');
    await expect(client.getMessage(session, 0)).resolves.toBeUndefined();
    expect(broker.ledger.endedSessions.has(session.sessionId)).toBe(false);
  });

  it('rejects the message queue with a control-plane token, and the control plane with a queue token', async () => {
    const { client, broker } = await start();
    const { token, session } = await openSession(client);
    await expect(client.getMessage({ ...session, messageQueueAccessToken: token.value }, 0)).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(client.refreshSession({ value: session.messageQueueAccessToken, expiresAtMs: 0 }, session.sessionId)).rejects.toBeInstanceOf(TokenExpiredError);
    expect(broker.requestsTo('getMessage').at(-1)).toMatchObject({ status: 401 });
  });

  it('answers 400 to a poll without lastMessageId', async () => {
    const { client } = await start();
    const { session } = await openSession(client);
    const response = await request(session.messageQueueUrl, {
      headers: { authorization: `Bearer ${session.messageQueueAccessToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    await response.body.dump();
    expect(response.statusCode).toBe(400);
  });

  it('answers 404 for another scale set, and 400 for a token request without an assertion', async () => {
    const { client, broker } = await start();
    const { token } = await openSession(client);
    const elsewhere = brokerClientFor(broker, { scaleSetId: broker.scaleSetId + 1, clientAssertion: () => '' });
    try {
      await expect(elsewhere.createSession(token, 'owner')).rejects.toMatchObject({ name: 'BrokerError', status: 404 });
      await expect(elsewhere.exchangeToken()).rejects.toMatchObject({ name: 'BrokerError', status: 400 });
    } finally {
      await elsewhere.close();
    }
  });
});

describe('faults', () => {
  it('applies a fault once by default, N times when asked, in injection order', async () => {
    const { client, broker } = await start();
    broker.injectFault('exchangeToken', { kind: 'status', status: 500 }, 2);
    broker.injectFault('exchangeToken', { kind: 'status', status: 503 });

    const statuses: unknown[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      statuses.push(await client.exchangeToken().then(
        () => 'ok',
        (error: { status?: number }) => error.status,
      ));
    }

    expect(statuses).toEqual([500, 500, 503, 'ok']);
    expect(broker.requestsTo('exchangeToken').map((entry) => entry.fault)).toEqual(['status', 'status', 'status', undefined]);
  });

  it("applies an 'always' fault until clearFaults()", async () => {
    const { client, broker } = await start();
    broker.injectFault('exchangeToken', { kind: 'status', status: 502 }, 'always');
    for (let attempt = 0; attempt < 3; attempt++) await expect(client.exchangeToken()).rejects.toMatchObject({ status: 502 });
    broker.clearFaults();
    await expect(client.exchangeToken()).resolves.toBeDefined();
  });

  it('rejects a fault count that is not a positive whole number', () => {
    expect(() => new FaultPlan().inject('getMessage', { kind: 'reset' }, 0)).toThrow(/^injectFault\(getMessage\): times must be/);
  });

  it('faults that fail the exchange commit nothing', async () => {
    const { client, stallClient, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const token = await client.exchangeToken();
    for (const fault of [{ kind: 'stallAfterRequest' }, { kind: 'reset' }, { kind: 'truncatedBody' }, { kind: 'malformedJson' }, { kind: 'slowHeaders', delayMs: 2_000 }] as const) {
      const { outcome } = await callWithFault(broker, 'createSession', fault, () => stallClient.createSession(token, 'owner'));
      expect(outcome).toHaveProperty('error');
    }
    expect(broker.ledger.activeSessions.size).toBe(0);
    await expect(client.createSession(token, 'owner')).resolves.toBeDefined();
  });

  it('delayedSuccess commits at once and answers late: the client times out, the retry conflicts', async () => {
    const { client, stallClient, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const token = await client.exchangeToken();
    broker.injectFault('createSession', { kind: 'delayedSuccess', delayMs: 5 * CONTROL_PLANE_TIMEOUT_MS });

    await expect(stallClient.createSession(token, 'owner')).rejects.toBeInstanceOf(DeadlineExceededError);
    // Under load the request can reach the broker after the client gave up; it still commits.
    expect(await eventually(() => broker.ledger.activeSessions.size === 1)).toBe(true);
    await expect(client.createSession(token, 'owner')).rejects.toBeInstanceOf(SessionConflictError);
  });

  it('delayedSuccess on acquireJobs grants the job; the same session gets it on retry', async () => {
    const { client, stallClient, broker } = await start({ sessionIdleTimeoutMs: 60_000 });
    const { token, session } = await openSession(client);
    broker.enqueueJobs([{ runnerRequestId: 9, jobId: 'job-9' }]);
    broker.injectFault('acquireJobs', { kind: 'delayedSuccess', delayMs: 5 * CONTROL_PLANE_TIMEOUT_MS });

    await expect(stallClient.acquireJobs(token, [9])).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await eventually(() => broker.ledger.ownerOf(9) === session.sessionId)).toBe(true);
    await expect(client.acquireJobs(token, [9])).resolves.toEqual([9]);
  });

  it('a slow answer within the deadline still succeeds', async () => {
    const { client, broker } = await start();
    broker.injectFault('exchangeToken', { kind: 'slowHeaders', delayMs: 20 });
    await expect(client.exchangeToken()).resolves.toBeDefined();
    broker.injectFault('exchangeToken', { kind: 'delayedSuccess', delayMs: 20 });
    await expect(client.exchangeToken()).resolves.toBeDefined();
  });

  it('stallAfterAccept never reads the request body: the upload itself stalls', async () => {
    const { broker } = await start();
    broker.injectFault('acquireJobs', { kind: 'stallAfterAccept' });
    // Far more than the socket buffers hold: only a broker that reads could take all of it.
    const chunk = Buffer.alloc(64 * 1024, '1');
    const chunks = 512;
    let bytesTaken = 0;
    function* upload(): Generator<Buffer> {
      for (let index = 0; index < chunks; index++) {
        bytesTaken += chunk.length;
        yield chunk;
      }
    }

    const { outcome } = await timed(async () => {
      const response = await request(`${broker.url}/scalesets/1/acquirejobs`, { method: 'POST', body: Readable.from(upload()), signal: AbortSignal.timeout(500) });
      return response.body.text();
    });

    expect(outcome).toHaveProperty('error');
    expect(bytesTaken).toBeLessThan(chunks * chunk.length);
    expect(broker.requestsTo('acquireJobs')).toEqual([{ endpoint: 'acquireJobs', fault: 'stallAfterAccept', brokerRequestId: expect.any(String) as unknown }]);
  });

  it('close() returns while sockets are stalled, trickling or held', async () => {
    const transport = await start({ holdMs: 60_000 }, { controlPlaneTimeoutMs: 60_000, longPollTimeoutMs: 90_000 });
    const { client, broker } = transport;
    const { token, session } = await openSession(client);
    broker.injectFault('refreshSession', { kind: 'stallAfterAccept' });
    broker.injectFault('acquireJobs', { kind: 'trickleBody', intervalMs: 10 });
    const inFlight = [client.refreshSession(token, session.sessionId), client.acquireJobs(token, [1]), client.getMessage(session, 0)].map((call) =>
      call.catch((error: unknown) => error),
    );
    await eventually(() => broker.requestLog.length >= 5);

    const { elapsedMs } = await timed(() => broker.close());

    expect(elapsedMs).toBeLessThan(SCHEDULING_MARGIN_MS);
    const settled = await Promise.all(inFlight);
    expect(settled.every((outcome) => outcome instanceof Error)).toBe(true);
  });
});
