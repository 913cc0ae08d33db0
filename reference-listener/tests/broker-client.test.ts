import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { BrokerClient, accessToken, parseRetryAfterMs, type AccessToken, type BrokerClientOptions } from '../src/broker-client.js';
import type { Session } from '../src/broker-protocol.js';
import {
  BrokerConnectionError,
  BrokerError,
  MalformedResponseError,
  OperationCancelledError,
  SessionConflictError,
  SessionNotFoundError,
  TokenExpiredError,
} from '../src/errors.js';
import { CLIENT_ASSERTION, CONTROL_PLANE_TIMEOUT_MS, SCHEDULING_MARGIN_MS, brokerClientFor, callWithFault, eventually, openSession, startTransport, timed, type TransportFixture } from './support/transport-fixture.js';

describe('BrokerClient against the fake broker', () => {
  let transport: TransportFixture;
  let token: AccessToken;
  let session: Session;

  beforeAll(async () => {
    transport = await startTransport({ sessionIdleTimeoutMs: 60_000 });
    ({ token, session } = await openSession(transport.client));
  });

  afterEach(() => {
    transport.broker.clearFaults();
  });

  afterAll(async () => {
    await transport.close();
  });

  it('walks the whole protocol: token, session, poll, acquire, acknowledge, refresh, delete', async () => {
    const { client, broker } = transport;
    const fresh = await openSession(client, 'protocol-walk');
    expect(fresh.token.expiresAtMs).toBeGreaterThan(Date.now());
    expect(fresh.session.messageQueueUrl).toBe(`${broker.url}/message-queues/${fresh.session.sessionId}`);

    await expect(client.getMessage(fresh.session, 0)).resolves.toBeUndefined();
    const messageId = broker.enqueueJobs([{ runnerRequestId: 11, jobId: 'job-11' }]);
    const message = await client.getMessage(fresh.session, 0);
    expect(message).toMatchObject({ messageId, messageType: 'RunnerScaleSetJobMessages' });
    expect(JSON.parse(message?.body ?? '')).toEqual([{ messageType: 'JobAvailable', runnerRequestId: 11, jobId: 'job-11' }]);

    await expect(client.acquireJobs(fresh.token, [11])).resolves.toEqual([11]);
    await client.acknowledgeMessage(fresh.session, messageId);
    await expect(client.refreshSession(fresh.token, fresh.session.sessionId)).resolves.toMatchObject({ sessionId: fresh.session.sessionId });
    await client.deleteSession(fresh.token, fresh.session.sessionId);

    expect(broker.ledger.acquiredBySession.get(fresh.session.sessionId)).toEqual([11]);
    expect(broker.ledger.acknowledged).toContain(messageId);
    expect(broker.ledger.endedSessions.get(fresh.session.sessionId)).toBe('deleted');
  });

  it('sends lastMessageId on the poll', async () => {
    await transport.client.getMessage(session, 42);
    expect(transport.broker.ledger.lastMessageIdsPolled.at(-1)).toBe(42);
  });

  describe('statuses become typed errors carrying the broker request id', () => {
    it('401 on any call is TokenExpiredError', async () => {
      const { client, broker } = transport;
      const calls = {
        exchangeToken: () => client.exchangeToken(),
        createSession: () => client.createSession(token, 'owner-401'),
        refreshSession: () => client.refreshSession(token, session.sessionId),
        deleteSession: () => client.deleteSession(token, session.sessionId),
        getMessage: () => client.getMessage(session, 0),
        acknowledgeMessage: () => client.acknowledgeMessage(session, 1),
        acquireJobs: () => client.acquireJobs(token, [1]),
      };
      for (const [operation, call] of Object.entries(calls)) {
        broker.injectFault(operation as keyof typeof calls, { kind: 'status', status: 401 });
        const error: unknown = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TokenExpiredError);
        expect(error).toMatchObject({ operation, brokerRequestId: broker.requestsTo(operation as keyof typeof calls).at(-1)?.brokerRequestId });
      }
    });

    it('an access token the broker expired gives TokenExpiredError, and a fresh one works', async () => {
      const { client, broker } = transport;
      const { token: doomed } = await openSession(client, 'owner-expiring');
      broker.expireAccessTokens();
      await expect(client.acquireJobs(doomed, [1])).rejects.toBeInstanceOf(TokenExpiredError);
      const renewed = await client.exchangeToken();
      await expect(client.refreshSession(renewed, session.sessionId)).resolves.toMatchObject({ sessionId: session.sessionId });
      token = renewed;
    });

    it('409 at create is SessionConflictError', async () => {
      const error: unknown = await transport.client.createSession(token, 'runner-scale-set-listener').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SessionConflictError);
      expect(error).toMatchObject({ operation: 'createSession', brokerRequestId: expect.stringMatching(/^req-\d+$/) as unknown });
    });

    it('404 on refresh, delete, poll and acknowledge of a session that is gone is SessionNotFoundError', async () => {
      const { client } = transport;
      const gone = await openSession(client, 'owner-gone');
      await client.deleteSession(gone.token, gone.session.sessionId);

      for (const call of [
        () => client.refreshSession(token, gone.session.sessionId),
        () => client.deleteSession(token, gone.session.sessionId),
        () => client.getMessage(gone.session, 0),
        () => client.acknowledgeMessage(gone.session, 1),
      ]) {
        await expect(call()).rejects.toBeInstanceOf(SessionNotFoundError);
      }
    });

    it.each([403, 429, 500, 502, 503])('%i is BrokerError with the status, the request id and Retry-After in ms', async (status) => {
      transport.broker.injectFault('acquireJobs', { kind: 'status', status, retryAfterSeconds: 7 });
      const error: unknown = await transport.client.acquireJobs(token, [1]).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({
        operation: 'acquireJobs',
        status,
        retryAfterMs: 7_000,
        brokerRequestId: transport.broker.requestsTo('acquireJobs').at(-1)?.brokerRequestId,
      });
    });

    it('404 and 409 outside the session calls stay plain BrokerErrors', async () => {
      transport.broker.injectFault('exchangeToken', { kind: 'status', status: 404 });
      await expect(transport.client.exchangeToken()).rejects.toMatchObject({ name: 'BrokerError', status: 404, retryAfterMs: undefined });
      transport.broker.injectFault('acquireJobs', { kind: 'status', status: 409 });
      await expect(transport.client.acquireJobs(token, [1])).rejects.toMatchObject({ name: 'BrokerError', status: 409 });
    });
  });

  describe('bodies', () => {
    it('a body that is not JSON is MalformedResponseError with the request id', async () => {
      transport.broker.injectFault('refreshSession', { kind: 'malformedJson' });
      const error: unknown = await transport.client.refreshSession(token, session.sessionId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MalformedResponseError);
      expect(error).toMatchObject({ operation: 'refreshSession', brokerRequestId: transport.broker.requestsTo('refreshSession').at(-1)?.brokerRequestId });
    });

    it('JSON of the wrong shape is MalformedResponseError too', async () => {
      // A 200 carrying an error-shaped body: valid JSON, but not a session.
      transport.broker.injectFault('refreshSession', { kind: 'status', status: 200 });
      await expect(transport.client.refreshSession(token, session.sessionId)).rejects.toThrow(/^refreshSession: malformed response: expected \{sessionId/);
      transport.broker.injectFault('acquireJobs', { kind: 'status', status: 200 });
      await expect(transport.client.acquireJobs(token, [1])).rejects.toBeInstanceOf(MalformedResponseError);
    });

    it('trims a byte order mark before parsing', async () => {
      transport.broker.injectFault('createSession', { kind: 'bomPrefix' });
      await expect(transport.client.createSession(token, 'owner-bom')).resolves.toMatchObject({ sessionId: expect.stringMatching(/^session-/) as unknown });
      transport.broker.injectFault('exchangeToken', { kind: 'bomPrefix' });
      await expect(transport.client.exchangeToken()).resolves.toMatchObject({ expiresAtMs: expect.any(Number) as unknown });
    });
  });

  describe('cancellation and shutdown', () => {
    it('a caller abort during a stall is OperationCancelledError, promptly', async () => {
      transport.broker.injectFault('createSession', { kind: 'stallAfterRequest' });
      const shutdown = new AbortController();
      setTimeout(() => shutdown.abort(), 20);

      const { outcome, elapsedMs } = await timed(() => transport.client.createSession(token, 'owner-cancelled', shutdown.signal));

      expect('error' in outcome && outcome.error).toBeInstanceOf(OperationCancelledError);
      expect(elapsedMs).toBeLessThan(CONTROL_PLANE_TIMEOUT_MS + SCHEDULING_MARGIN_MS);
    });
  });
});

describe('BrokerClient on its own', () => {
  const validOptions: BrokerClientOptions = {
    brokerUrl: 'http://127.0.0.1:9',
    scaleSetId: 1,
    clientId: 'listener',
    clientAssertion: () => CLIENT_ASSERTION,
    allowInsecureHttp: true,
    controlPlaneTimeoutMs: 30_000,
    longPollTimeoutMs: 90_000,
  };

  it.each([
    ['brokerUrl', 'ftp://broker'],
    ['brokerUrl', 'not a url'],
    ['scaleSetId', 0],
    ['clientId', ''],
    ['controlPlaneTimeoutMs', 0],
    ['controlPlaneTimeoutMs', 1.5],
    ['longPollTimeoutMs', Number.POSITIVE_INFINITY],
  ] as const)('rejects %s = %j with an error naming the option', (option, value) => {
    expect(() => new BrokerClient({ ...validOptions, [option]: value })).toThrow(new RegExp(`^BrokerClientOptions\\.${option}: expected `));
  });

  it('a refused connection is BrokerConnectionError with the cause attached', async () => {
    const transport = await startTransport();
    const { url } = transport.broker;
    await transport.close();
    const client = new BrokerClient({ ...validOptions, brokerUrl: url });
    try {
      const error: unknown = await client.exchangeToken().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BrokerConnectionError);
      expect(error).toMatchObject({ operation: 'exchangeToken', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) as unknown });
    } finally {
      await client.close();
    }
  });

  // Also the proof that the client owns its Agent: destroying it ends the stalled call, which a call
  // on the global dispatcher would have survived until its 60 s deadline.
  it('close() does not wait for a stalled call: it destroys the sockets of its own Agent', async () => {
    const transport = await startTransport();
    transport.broker.injectFault('exchangeToken', { kind: 'stallAfterAccept' });
    const longDeadline = new BrokerClient({ ...validOptions, brokerUrl: transport.broker.url, controlPlaneTimeoutMs: 60_000 });
    const stalled = longDeadline.exchangeToken().catch((caught: unknown) => caught);
    await eventually(() => transport.broker.requestsTo('exchangeToken').length === 1);

    const { elapsedMs } = await timed(() => longDeadline.close());

    expect(elapsedMs).toBeLessThan(SCHEDULING_MARGIN_MS);
    expect(await stalled).toBeInstanceOf(BrokerConnectionError);
    await transport.close();
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    [undefined, undefined],
  ])('%j is %j ms', (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
});

describe('tokens never leak', () => {
  const MESSAGE_QUEUE_TOKEN_PATTERN = /mq-[0-9a-f]{32}/;
  const ACCESS_TOKEN_PATTERN = /at-[0-9a-f]{32}/;

  it('tokens print as [redacted] through inspect and JSON, but stay usable', () => {
    const token = accessToken('at-0123456789abcdef0123456789abcdef', 1_000);
    expect(inspect(token)).not.toMatch(ACCESS_TOKEN_PATTERN);
    expect(JSON.stringify({ token })).not.toMatch(ACCESS_TOKEN_PATTERN);
    expect(inspect({ nested: { token } }, { depth: 5 })).not.toMatch(ACCESS_TOKEN_PATTERN);
    expect(inspect(token)).toContain('[redacted]');
    // A copy keeps the secret (it is still needed for requests), and is an ordinary object.
    expect({ ...token }.value).toBe('at-0123456789abcdef0123456789abcdef');
  });

  it('no error, session or token the client produces contains a token or the client assertion', async () => {
    const transport = await startTransport({ sessionIdleTimeoutMs: 60_000 });
    const { client, broker } = transport;
    const stallClient = brokerClientFor(broker, { controlPlaneTimeoutMs: CONTROL_PLANE_TIMEOUT_MS, longPollTimeoutMs: 300 });
    const printed: string[] = [];
    const record = (value: unknown): void => {
      printed.push(inspect(value, { depth: 10 }), JSON.stringify(value) ?? '', value instanceof Error ? `${value.name}: ${value.message}` : '');
    };

    try {
      const { token, session } = await openSession(client, 'leak-check');
      record(token);
      record(session);
      const stalls = ['stallAfterAccept', 'stallAfterRequest', 'trickleBody'];
      const faults = [
        { kind: 'stallAfterAccept' },
        { kind: 'stallAfterRequest' },
        { kind: 'trickleBody', intervalMs: 20 },
        { kind: 'truncatedBody' },
        { kind: 'reset' },
        { kind: 'malformedJson' },
        { kind: 'status', status: 401 },
        { kind: 'status', status: 503, retryAfterSeconds: 1 },
        { kind: 'status', status: 200 },
      ] as const;
      for (const fault of faults) {
        // Stalls need the tight deadlines; everything else runs where load cannot turn it into a deadline.
        const caller = stalls.includes(fault.kind) ? stallClient : client;
        const calls = {
          exchangeToken: () => caller.exchangeToken(),
          createSession: () => caller.createSession(token, 'leak-check-2'),
          getMessage: () => caller.getMessage(session, 0),
          acknowledgeMessage: () => caller.acknowledgeMessage(session, 1),
          acquireJobs: () => caller.acquireJobs(token, [1]),
        };
        for (const [operation, call] of Object.entries(calls)) {
          const { outcome } = await callWithFault<unknown>(broker, operation as keyof typeof calls, fault, call);
          record('error' in outcome ? outcome.error : outcome.value);
        }
      }

      const everything = printed.join('\n');
      expect(everything).not.toContain(token.value);
      expect(everything).not.toContain(session.messageQueueAccessToken);
      expect(everything).not.toMatch(ACCESS_TOKEN_PATTERN);
      expect(everything).not.toMatch(MESSAGE_QUEUE_TOKEN_PATTERN);
      expect(everything).not.toContain(CLIENT_ASSERTION);
      // The recorded errors are the real ones, so the check above has teeth.
      expect(everything).toContain('DeadlineExceededError');
      expect(everything).toContain('TokenExpiredError');
      expect(everything).toContain('MalformedResponseError');
    } finally {
      await stallClient.close();
      await transport.close();
    }
  });
});
