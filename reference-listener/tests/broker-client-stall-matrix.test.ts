// The client-level stall matrix: every control-plane operation against every way a broker can hang
// or break a connection. Each case must end in the right typed error, within the deadline plus a
// generous margin, and leave the client healthy for the next call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Session } from '../src/broker-protocol.js';
import { BrokerClient, accessToken, type AccessToken } from '../src/broker-client.js';
import { BrokerConnectionError, DeadlineExceededError, SessionNotFoundError, type BrokerOperation } from '../src/errors.js';
import { startSilentServer, type Fault, type SilentServer } from '../src/testing.js';
import {
  CONTROL_PLANE_TIMEOUT_MS,
  LONG_POLL_TIMEOUT_MS,
  SCHEDULING_MARGIN_MS,
  brokerClientFor,
  callWithFault,
  openSession,
  startTransport,
  succeedsDespiteLoad,
  timed,
  type TransportFixture,
} from './support/transport-fixture.js';

type ControlPlaneOperation = Exclude<BrokerOperation, 'getMessage'>;

const STALLS: ReadonlyArray<{ name: string; fault: Fault; expected: typeof DeadlineExceededError | typeof BrokerConnectionError }> = [
  { name: 'stall after accept (request never read)', fault: { kind: 'stallAfterAccept' }, expected: DeadlineExceededError },
  { name: 'stall after request (headers never sent)', fault: { kind: 'stallAfterRequest' }, expected: DeadlineExceededError },
  { name: 'slow headers past the deadline', fault: { kind: 'slowHeaders', delayMs: 10 * CONTROL_PLANE_TIMEOUT_MS }, expected: DeadlineExceededError },
  { name: 'a body that trickles forever', fault: { kind: 'trickleBody', intervalMs: 20 }, expected: DeadlineExceededError },
  { name: 'a truncated body', fault: { kind: 'truncatedBody' }, expected: BrokerConnectionError },
  { name: 'a connection reset', fault: { kind: 'reset' }, expected: BrokerConnectionError },
];

const LONG_POLL_STALLS: ReadonlyArray<{ name: string; fault: Fault }> = [
  { name: 'stall after accept', fault: { kind: 'stallAfterAccept' } },
  { name: 'stall after request', fault: { kind: 'stallAfterRequest' } },
  { name: 'a body that trickles forever', fault: { kind: 'trickleBody', intervalMs: 20 } },
];

const CONTROL_PLANE_OPERATIONS: readonly ControlPlaneOperation[] = ['exchangeToken', 'createSession', 'refreshSession', 'deleteSession', 'acknowledgeMessage', 'acquireJobs'];

describe('every control-plane call is bounded, whatever the broker does', () => {
  let transport: TransportFixture;
  let token: AccessToken;
  let session: Session;

  beforeAll(async () => {
    transport = await startTransport({ sessionIdleTimeoutMs: 60_000 });
    ({ token, session } = await openSession(transport.client));
    transport.broker.enqueueJobs([{ runnerRequestId: 101, jobId: 'job-101' }]);
  });

  afterAll(async () => {
    await transport.close();
  });

  /** One call per operation. Faulted calls commit nothing, so the same arguments stay valid throughout. */
  function call(operation: ControlPlaneOperation, client: BrokerClient): () => Promise<unknown> {
    switch (operation) {
      case 'exchangeToken':
        return () => client.exchangeToken();
      case 'createSession':
        return () => client.createSession(token, 'a-second-owner');
      case 'refreshSession':
        return () => client.refreshSession(token, session.sessionId);
      case 'deleteSession':
        return () => client.deleteSession(token, session.sessionId);
      case 'acknowledgeMessage':
        return () => client.acknowledgeMessage(session, 1);
      case 'acquireJobs':
        return () => client.acquireJobs(token, [101]);
    }
  }

  describe.each(CONTROL_PLANE_OPERATIONS)('%s', (operation) => {
    it.each(STALLS)('$name: rejects with the right typed error, within the deadline', async ({ fault, expected }) => {
      // Stalls run on the tight-deadline client. A broken connection must be reported as such, not as
      // a deadline, so it runs on the generous one: on a loaded machine the tight deadline could
      // otherwise win the race against the socket error and turn a real failure into a flake.
      const stalls = expected === DeadlineExceededError;
      const client = stalls ? transport.stallClient : transport.client;

      const { outcome, elapsedMs, seenByBroker } = await callWithFault(transport.broker, operation, fault, call(operation, client));

      expect(outcome).toHaveProperty('error');
      const error = 'error' in outcome ? outcome.error : undefined;
      expect(error).toBeInstanceOf(expected);
      expect(error).toMatchObject({ operation });
      if (stalls) expect(error).toMatchObject({ ms: CONTROL_PLANE_TIMEOUT_MS });
      expect(elapsedMs).toBeLessThan(CONTROL_PLANE_TIMEOUT_MS + SCHEDULING_MARGIN_MS);
      // A request that reached the broker got this fault. (Under heavy load a stalled call can give up
      // before its request arrives; the client's behaviour above is then still the one under test.)
      if (stalls && seenByBroker === undefined) return;
      expect(seenByBroker).toMatchObject({ fault: fault.kind });
    });
  });

  it('leaves the client that saw every stall healthy: each operation succeeds once the faults are gone', async () => {
    const { stallClient, broker } = transport;
    const newToken = await succeedsDespiteLoad(() => stallClient.exchangeToken());
    const secondSession = await succeedsDespiteLoad(() => stallClient.createSession(newToken, 'after-the-matrix'));
    await expect(succeedsDespiteLoad(() => stallClient.acquireJobs(token, [101]))).resolves.toEqual([101]);
    await expect(succeedsDespiteLoad(() => stallClient.acknowledgeMessage(secondSession, 1))).resolves.toBeUndefined();
    await expect(succeedsDespiteLoad(() => stallClient.refreshSession(newToken, secondSession.sessionId))).resolves.toMatchObject({ sessionId: secondSession.sessionId });
    // Delete is not idempotent on the wire: when load makes an attempt miss its deadline after the broker applied it,
    // the retry sees 404. The ledger below is the judge of whether the session really ended by deletion.
    const deleteAlreadyApplied = (error: unknown): void => {
      if (!(error instanceof SessionNotFoundError) || broker.ledger.endedSessions.get(secondSession.sessionId) !== 'deleted') throw error;
    };
    await expect(
      succeedsDespiteLoad(() => stallClient.deleteSession(newToken, secondSession.sessionId).catch(deleteAlreadyApplied)),
    ).resolves.toBeUndefined();
    expect(broker.ledger.endedSessions.get(secondSession.sessionId)).toBe('deleted');
  });
});

describe('the long-poll has its own, longer bound', () => {
  let transport: TransportFixture;
  let session: Session;

  beforeAll(async () => {
    // A healthy hold longer than the control-plane deadline: only the long-poll bound may apply to it.
    // Stalled polls do not count as session activity; the session must outlive several of them here.
    transport = await startTransport({ holdMs: 2 * CONTROL_PLANE_TIMEOUT_MS, sessionIdleTimeoutMs: 60_000 });
    ({ session } = await openSession(transport.client));
  });

  afterAll(async () => {
    await transport.close();
  });

  it('a hold longer than the control-plane deadline but shorter than the bound is a normal 202: undefined, not an error', async () => {
    // The control-plane deadline is the tight one; the long-poll bound is generous so load cannot cut the hold short.
    const client = brokerClientFor(transport.broker, { controlPlaneTimeoutMs: CONTROL_PLANE_TIMEOUT_MS });
    try {
      await expect(client.getMessage(session, 0)).resolves.toBeUndefined();
      expect(transport.broker.requestsTo('getMessage').at(-1)).toMatchObject({ status: 202 });
    } finally {
      await client.close();
    }
  });

  it.each(LONG_POLL_STALLS)('$name longer than the bound rejects with DeadlineExceededError for getMessage', async ({ fault }) => {
    const { outcome, elapsedMs } = await callWithFault(transport.broker, 'getMessage', fault, () => transport.stallClient.getMessage(session, 0));

    const error = 'error' in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ operation: 'getMessage', ms: LONG_POLL_TIMEOUT_MS });
    expect(elapsedMs).toBeLessThan(LONG_POLL_TIMEOUT_MS + SCHEDULING_MARGIN_MS);
  });

  it('delivers the message after a stalled poll: the next poll works', async () => {
    const { outcome } = await callWithFault(transport.broker, 'getMessage', { kind: 'stallAfterRequest' }, () => transport.stallClient.getMessage(session, 0));
    expect('error' in outcome && outcome.error).toBeInstanceOf(DeadlineExceededError);

    const messageId = transport.broker.enqueueJobs([{ runnerRequestId: 7, jobId: 'job-7' }]);
    await expect(transport.client.getMessage(session, 0)).resolves.toMatchObject({ messageId });
  });
});

describe('a peer that accepts the TCP connection and never reads a byte', () => {
  let silent: SilentServer;
  let client: BrokerClient;
  const token = accessToken('at-never-sent-anywhere', Date.now() + 60_000);
  let session: Session;

  beforeAll(async () => {
    silent = await startSilentServer();
    client = new BrokerClient({
      brokerUrl: silent.url,
      scaleSetId: 1,
      clientId: 'listener-test',
      clientAssertion: () => 'assertion',
      allowInsecureHttp: true,
      controlPlaneTimeoutMs: CONTROL_PLANE_TIMEOUT_MS,
      longPollTimeoutMs: LONG_POLL_TIMEOUT_MS,
    });
    session = {
      sessionId: 'session-1',
      messageQueueUrl: `${silent.url}/message-queues/session-1`,
      messageQueueAccessToken: 'mq-never-sent-anywhere',
      statistics: { totalAvailableJobs: 0, totalAcquiredJobs: 0, totalAssignedJobs: 0, totalRunningJobs: 0, totalRegisteredRunners: 0 },
    };
  });

  afterAll(async () => {
    await client.close();
    await silent.close();
  });

  it.each<{ operation: BrokerOperation; deadlineMs: number; call: () => Promise<unknown> }>([
    { operation: 'exchangeToken', deadlineMs: CONTROL_PLANE_TIMEOUT_MS, call: () => client.exchangeToken() },
    { operation: 'createSession', deadlineMs: CONTROL_PLANE_TIMEOUT_MS, call: () => client.createSession(token, 'owner') },
    { operation: 'refreshSession', deadlineMs: CONTROL_PLANE_TIMEOUT_MS, call: () => client.refreshSession(token, 'session-1') },
    { operation: 'deleteSession', deadlineMs: CONTROL_PLANE_TIMEOUT_MS, call: () => client.deleteSession(token, 'session-1') },
    { operation: 'getMessage', deadlineMs: LONG_POLL_TIMEOUT_MS, call: () => client.getMessage(session, 0) },
    { operation: 'acknowledgeMessage', deadlineMs: CONTROL_PLANE_TIMEOUT_MS, call: () => client.acknowledgeMessage(session, 1) },
    { operation: 'acquireJobs', deadlineMs: CONTROL_PLANE_TIMEOUT_MS, call: () => client.acquireJobs(token, [1]) },
  ])('$operation rejects with DeadlineExceededError within its deadline', async ({ operation, deadlineMs, call }) => {
    const acceptedBefore = silent.acceptedConnections();

    const { outcome, elapsedMs } = await timed(call);

    const error = 'error' in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ operation, ms: deadlineMs });
    expect(elapsedMs).toBeLessThan(deadlineMs + SCHEDULING_MARGIN_MS);
    // The call really reached the peer. (Not "exactly one": undici 7.30 opens a spare connection
    // after an aborted request, which then idles out.)
    expect(silent.acceptedConnections()).toBeGreaterThan(acceptedBefore);
  });
});
