// The broker client against hostile peers on raw sockets, for every endpoint it calls: every case must end
// in a typed error within its deadline, and no error may quote a token, the client assertion, or anything
// the peer echoed. The cases run concurrently, each against its own peer; the stalls run on a client with
// short deadlines, everything else on one whose deadlines a loaded machine cannot reach, so a failure by a
// cap or a check can never be confused with (or turned into) a deadline.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BrokerClient, accessToken, type BrokerClientOptions } from '../src/broker-client.js';
import type { Session } from '../src/broker-protocol.js';
import {
  BrokerError,
  DeadlineExceededError,
  MalformedResponseError,
  ResponseTooLargeError,
  UntrustedOriginError,
  BROKER_OPERATIONS,
  type BrokerOperation,
} from '../src/errors.js';
import { FileLastMessageIdStore, LastMessageIdFileError } from '../src/last-message-store.js';
import { SELF_QUEUE_URL, respondWith, respondWithFlood, respondWithHeaders, respondWithTrickle, startHostilePeer, type HostilePeer, type Respond } from './support/hostile-peer.js';
import { SCHEDULING_MARGIN_MS, timed } from './support/transport-fixture.js';

const ACCESS_TOKEN = 'at-hostile-0123456789abcdef0123456789';
const QUEUE_TOKEN = 'mq-hostile-0123456789abcdef0123456789';
const CLIENT_ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.hostile-assertion.signature';
/** What a hostile peer echoes back in its bodies: an error that quoted a body would carry it. */
const ECHOED_SECRET = 'echoed-secret-5f4dcc3b5aa765d61d8327deb882cf99';
const SECRETS = [ACCESS_TOKEN, QUEUE_TOKEN, CLIENT_ASSERTION, ECHOED_SECRET];

/** Short deadlines for the stalls: the suite's run time is mostly these. */
const TIGHT = { controlPlaneTimeoutMs: 300, longPollTimeoutMs: 400 };
/** Deadlines a loaded machine never reaches: a case run on them fails by its cap or its check, or not at all. */
const GENEROUS = { controlPlaneTimeoutMs: 20_000, longPollTimeoutMs: 20_000 };
type Deadlines = typeof TIGHT;

const token = accessToken(ACCESS_TOKEN, Date.now() + 3_600_000);
const statistics = { totalAvailableJobs: 0, totalAcquiredJobs: 0, totalAssignedJobs: 0, totalRunningJobs: 0, totalRegisteredRunners: 0 };
const sessionOn = (peer: HostilePeer): Session => ({ sessionId: 's1', messageQueueUrl: `${peer.url}/message-queues/s1`, messageQueueAccessToken: QUEUE_TOKEN, statistics });

const CALLS: Record<BrokerOperation, (client: BrokerClient, peer: HostilePeer) => Promise<unknown>> = {
  exchangeToken: (client) => client.exchangeToken(),
  createSession: (client) => client.createSession(token, 'owner'),
  refreshSession: (client) => client.refreshSession(token, 's1'),
  deleteSession: (client) => client.deleteSession(token, 's1'),
  getMessage: (client, peer) => client.getMessage(sessionOn(peer), 0),
  acknowledgeMessage: (client, peer) => client.acknowledgeMessage(sessionOn(peer), 1),
  acquireJobs: (client) => client.acquireJobs(token, [1]),
};

function clientFor(peer: HostilePeer, deadlines: Deadlines, overrides: Partial<BrokerClientOptions> = {}): BrokerClient {
  return new BrokerClient({
    brokerUrl: peer.url,
    scaleSetId: 1,
    clientId: 'hostile-test',
    clientAssertion: () => CLIENT_ASSERTION,
    allowInsecureHttp: true,
    ...deadlines,
    ...overrides,
  });
}

const deadlineOf = (operation: BrokerOperation, deadlines: Deadlines): number => (operation === 'getMessage' ? deadlines.longPollTimeoutMs : deadlines.controlPlaneTimeoutMs);

/** Everything an error would show in a log: its name, message, and causes as inspect prints them. */
function printed(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${inspect(error, { depth: 10 })}` : inspect(error);
}

interface Outcome {
  error: unknown;
  elapsedMs: number;
  deadlineMs: number;
  peer: HostilePeer;
}

/** Starts a peer, makes one call against it, and tears both down. */
async function against(respond: Respond, operation: BrokerOperation, deadlines: Deadlines, overrides: Partial<BrokerClientOptions> = {}): Promise<Outcome> {
  const peer = await startHostilePeer(respond);
  const client = clientFor(peer, deadlines, overrides);
  try {
    const { outcome, elapsedMs } = await timed(() => CALLS[operation](client, peer));
    return { error: 'error' in outcome ? outcome.error : undefined, elapsedMs, deadlineMs: deadlineOf(operation, deadlines), peer };
  } finally {
    await client.close();
    await peer.close();
  }
}

/** The assertions every case shares: the typed error, within the deadline, no secret in its text. */
function expectTypedFailure(outcome: Outcome, expected: abstract new (...args: never[]) => Error, operation: BrokerOperation): void {
  expect(outcome.error).toBeInstanceOf(expected);
  expect(outcome.error).toMatchObject({ operation });
  expect(outcome.elapsedMs).toBeLessThan(outcome.deadlineMs + SCHEDULING_MARGIN_MS);
  const text = printed(outcome.error);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

const BODY_CARRYING: readonly BrokerOperation[] = ['exchangeToken', 'createSession', 'refreshSession', 'getMessage', 'acquireJobs'];

describe.concurrent('hostile peers, every endpoint', () => {
  describe.each(BROKER_OPERATIONS)('%s', (operation) => {
    it('a peer that accepts and never reads: DeadlineExceededError', async () => {
      expectTypedFailure(await against(undefined, operation, TIGHT), DeadlineExceededError, operation);
    });

    it('headers, then a body that trickles a byte every 20 ms: DeadlineExceededError', async () => {
      expectTypedFailure(await against(respondWithTrickle(20), operation, TIGHT), DeadlineExceededError, operation);
    });

    it('a chunked flood: ResponseTooLargeError at the cap, long before the deadline', async () => {
      const outcome = await against(respondWithFlood(256 * 1024 * 1024), operation, GENEROUS);
      expectTypedFailure(outcome, ResponseTooLargeError, operation);
      expect(outcome.error).toMatchObject({ part: 'body', limitBytes: operation === 'getMessage' ? 4 * 1024 * 1024 : 64 * 1024 });
      // Reading stopped: the peer got to write the cap plus what socket buffers hold, not its 256 MiB.
      expect(outcome.peer.bytesWritten()).toBeLessThan(64 * 1024 * 1024);
    });

    it('a 503 whose body floods: BrokerError 503 at once, the error body never read', async () => {
      const outcome = await against(respondWithFlood(256 * 1024 * 1024, 503), operation, GENEROUS);
      expectTypedFailure(outcome, BrokerError, operation);
      expect(outcome.error).toMatchObject({ status: 503 });
      expect(outcome.peer.bytesWritten()).toBeLessThan(64 * 1024 * 1024);
    });

    it('a Content-Length above the cap: ResponseTooLargeError before a byte of the body', async () => {
      // The peer never sends the body: a client that waited for it would end in its 20 s deadline instead.
      const respond: Respond = (socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n');
      expectTypedFailure(await against(respond, operation, GENEROUS), ResponseTooLargeError, operation);
    });

    it('a redirect to another origin: BrokerError 307, and the token never reaches the Location', async () => {
      const elsewhere = await startHostilePeer(respondWith(200, '{}'));
      try {
        const outcome = await against(respondWith(307, '', [`location: ${elsewhere.url}/steal`]), operation, GENEROUS);
        expectTypedFailure(outcome, BrokerError, operation);
        expect(outcome.error).toMatchObject({ status: 307 });
        expect(outcome.peer.connections()).toBeGreaterThan(0);
        expect(elsewhere.connections()).toBe(0);
      } finally {
        await elsewhere.close();
      }
    });

    it('10,000 headers: ResponseTooLargeError on the headers', async () => {
      const outcome = await against(respondWithHeaders(10_000), operation, GENEROUS);
      expectTypedFailure(outcome, ResponseTooLargeError, operation);
      expect(outcome.error).toMatchObject({ part: 'headers' });
    });

    it('a body that is not UTF-8: MalformedResponseError', async () => {
      const notUtf8 = Buffer.concat([Buffer.from(`{"echo":"${ECHOED_SECRET}`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
      expectTypedFailure(await against(respondWith(200, notUtf8), operation, GENEROUS), MalformedResponseError, operation);
    });

    it('JSON of the wrong shape: MalformedResponseError where the body is data, ignored where only the status counts', async () => {
      const outcome = await against(respondWith(200, JSON.stringify({ error: ECHOED_SECRET, value: 'nope' })), operation, GENEROUS);
      if (BODY_CARRYING.includes(operation)) {
        expectTypedFailure(outcome, MalformedResponseError, operation);
      } else {
        // deleteSession and acknowledgeMessage define no response body: a 200 is the whole answer.
        expect(outcome.error).toBeUndefined();
      }
    });
  });

  describe('wrong shapes, endpoint by endpoint', () => {
    const unsafe = '9007199254740993'; // 2^53 + 1: JSON.parse reads it as 2^53.
    it.each<[BrokerOperation, string, string, typeof MalformedResponseError | typeof UntrustedOriginError]>([
      ['exchangeToken', 'a CRLF in the access token', `{"access_token":"at-x\\r\\nx-injected: 1","expires_in":60}`, MalformedResponseError],
      ['exchangeToken', 'a space in the access token', `{"access_token":"at x","expires_in":60}`, MalformedResponseError],
      ['exchangeToken', 'expires_in 1e300', `{"access_token":"at-x","expires_in":1e300}`, MalformedResponseError],
      ['exchangeToken', 'expires_in as a string', `{"access_token":"at-x","expires_in":"60"}`, MalformedResponseError],
      ['exchangeToken', 'an array', `[]`, MalformedResponseError],
      ['createSession', 'a messageQueueUrl that is not a URL', sessionBody('not a url'), MalformedResponseError],
      ['createSession', 'a messageQueueUrl that is not http(s)', sessionBody('file:///etc/passwd'), MalformedResponseError],
      ['createSession', 'a messageQueueUrl with credentials', sessionBody('https://user:pw@queue.example/q'), MalformedResponseError],
      ['createSession', 'a messageQueueUrl on another origin', sessionBody('http://127.0.0.1:1/message-queues/s1'), UntrustedOriginError],
      ['createSession', 'a LF in the queue token', sessionBody(undefined, 'mq-x\\nx'), MalformedResponseError],
      ['refreshSession', 'a messageQueueUrl on another host', sessionBody('https://elsewhere.example/q'), UntrustedOriginError],
      ['refreshSession', 'no statistics', `{"sessionId":"s1","messageQueueUrl":"x","messageQueueAccessToken":"mq"}`, MalformedResponseError],
      ['getMessage', 'messageId 1e300', messageBody('1e300'), MalformedResponseError],
      ['getMessage', 'messageId 2^53+1', messageBody(unsafe), MalformedResponseError],
      ['getMessage', 'messageId -1', messageBody('-1'), MalformedResponseError],
      ['getMessage', 'messageId 1.5', messageBody('1.5'), MalformedResponseError],
      ['getMessage', 'messageId as a string', messageBody('"7"'), MalformedResponseError],
      ['getMessage', 'no body', `{"messageId":1,"messageType":"RunnerScaleSetJobMessages"}`, MalformedResponseError],
      ['acquireJobs', 'an id of 1e300', `{"count":1,"value":[1e300]}`, MalformedResponseError],
      ['acquireJobs', 'an id of 2^53+1', `{"count":1,"value":[${unsafe}]}`, MalformedResponseError],
      ['acquireJobs', 'a negative id', `{"count":1,"value":[-1]}`, MalformedResponseError],
      ['acquireJobs', 'value is not an array', `{"count":1,"value":"1"}`, MalformedResponseError],
    ])('%s: %s', async (operation, _name, body, expected) => {
      expectTypedFailure(await against(respondWith(200, body), operation, GENEROUS), expected, operation);
    });

    it('a session on another origin is refused, and polling it sends the queue token nowhere', async () => {
      const elsewhere = await startHostilePeer(respondWith(200, messageBody('1')));
      const peer = await startHostilePeer(respondWith(200, '{}'));
      const client = clientFor(peer, GENEROUS);
      try {
        const stolen = { ...sessionOn(peer), messageQueueUrl: `${elsewhere.url}/message-queues/s1` };
        for (const call of [(): Promise<unknown> => client.getMessage(stolen, 0), (): Promise<unknown> => client.acknowledgeMessage(stolen, 1)]) {
          const { outcome } = await timed(call);
          expect('error' in outcome && outcome.error).toBeInstanceOf(UntrustedOriginError);
        }
        expect(elsewhere.connections()).toBe(0);
        expect(peer.connections()).toBe(0);
      } finally {
        await client.close();
        await Promise.all([peer.close(), elsewhere.close()]);
      }
    });

    it('an origin in messageQueueOrigins does receive the queue token', async () => {
      const queue = await startHostilePeer(respondWith(200, messageBody('5')));
      const peer = await startHostilePeer(respondWith(200, '{}'));
      const client = clientFor(peer, GENEROUS, { messageQueueOrigins: [queue.url] });
      try {
        const session = { ...sessionOn(peer), messageQueueUrl: `${queue.url}/message-queues/s1` };
        await expect(client.getMessage(session, 0)).resolves.toMatchObject({ messageId: 5 });
        expect(queue.received()).toContain(`authorization: Bearer ${QUEUE_TOKEN}`);
      } finally {
        await client.close();
        await Promise.all([peer.close(), queue.close()]);
      }
    });
  });
});

describe('ids: what the client accepts is exactly what the state file accepts back', () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'hostile-ids-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it.each([0, 1, Number.MAX_SAFE_INTEGER])('messageId %d: accepted by the client, persisted, and loaded back', async (messageId) => {
    const outcome = await against(respondWith(200, messageBody(String(messageId))), 'getMessage', GENEROUS);
    expect(outcome.error).toBeUndefined();
    const store = new FileLastMessageIdStore(join(stateDir, `accepted-${messageId}.json`));
    await store.save(messageId);
    await expect(store.load()).resolves.toBe(messageId);
  });

  // The two ids of the incident: 1e300 was acked, persisted and refused by the next start;
  // 2^53+1 was rounded and acked under the wrong id.
  it.each(['1e300', '9007199254740993'])('messageId %s: refused by the client, as load() would refuse it', async (raw) => {
    const outcome = await against(respondWith(200, messageBody(raw)), 'getMessage', GENEROUS);
    expect(outcome.error).toBeInstanceOf(MalformedResponseError);
    const path = join(stateDir, `refused-${raw}.json`);
    await writeFile(path, `{"lastMessageId":${raw}}\n`);
    await expect(new FileLastMessageIdStore(path).load()).rejects.toBeInstanceOf(LastMessageIdFileError);
  });
});

describe('a flood of 1 GiB offered to the long-poll', () => {
  it('fails at the cap, fast, and RSS stays bounded', async () => {
    const offeredBytes = 1024 * 1024 * 1024;
    const peer = await startHostilePeer(respondWithFlood(offeredBytes));
    // The long-poll's deadline is far away: only the cap can end this call early.
    const client = clientFor(peer, { controlPlaneTimeoutMs: 60_000, longPollTimeoutMs: 60_000 });
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);
    let result: Awaited<ReturnType<typeof timed>>;
    try {
      result = await timed(() => client.getMessage(sessionOn(peer), 0));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    } finally {
      clearInterval(sampler);
      await client.close();
      await peer.close();
    }
    const { outcome, elapsedMs } = result;
    console.info(
      `flood: ${offeredBytes} bytes offered, ${peer.bytesWritten()} written by the peer, failed in ${Math.round(elapsedMs)} ms, peak RSS growth ${((peakRss - rssBefore) / 1024 / 1024).toFixed(1)} MiB`,
    );
    expect('error' in outcome && outcome.error).toBeInstanceOf(ResponseTooLargeError);
    // "Fast": a small fraction of the 60 s deadline, with room for a loaded machine.
    expect(elapsedMs).toBeLessThan(10_000);
    expect(peakRss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    expect(peer.bytesWritten()).toBeLessThan(64 * 1024 * 1024);
  });
});

/** A session body; without a URL, the queue is on the peer itself (a valid one). */
function sessionBody(messageQueueUrl: string = SELF_QUEUE_URL, queueToken = 'mq-ok'): string {
  return `{"sessionId":"s1","messageQueueUrl":${JSON.stringify(messageQueueUrl)},"messageQueueAccessToken":"${queueToken}","statistics":{}}`;
}

function messageBody(rawMessageId: string): string {
  return `{"messageId":${rawMessageId},"messageType":"RunnerScaleSetJobMessages","body":"[]"}`;
}
