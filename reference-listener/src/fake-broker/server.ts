// A real node:http broker on 127.0.0.1 that speaks the protocol in broker-protocol.ts and can
// misbehave on any endpoint (see faults.ts). Tests talk to it over real sockets, so what they prove
// about deadlines holds for real peers, not for mocks.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { BROKER_REQUEST_ID_HEADER, type AcquireJobsResponse, type Session, type TokenResponse } from '../broker-protocol.js';
import { FaultPlan, type FakeBrokerEndpoint, type Fault, type FaultKind } from './faults.js';
import { BrokerLedger } from './ledger.js';
import { readRequestBody } from './read-request-body.js';

export interface FakeBrokerOptions {
  /** How long a poll with nothing to deliver is held before the 202 (production: about 50 s). Default 200. */
  holdMs?: number;
  /** The one scale set this broker serves. Default 1. */
  scaleSetId?: number;
  /** `expires_in` of issued access tokens. Default 3600. */
  tokenTtlSeconds?: number;
  /**
   * A session with no poll in flight and no activity for this long expires, freeing its owner name
   * (so a restarted listener's create stops getting 409) and its undispatched jobs. Default 2000.
   */
  sessionIdleTimeoutMs?: number;
}

export interface RequestLogEntry {
  endpoint: FakeBrokerEndpoint;
  /** Absent when no status line was ever sent (stalls, resets). */
  status?: number;
  fault?: FaultKind;
  /** The id the broker gave the request; it reaches the client only in a response's headers. */
  brokerRequestId?: string;
}

export interface FakeBroker {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly scaleSetId: number;
  readonly ledger: BrokerLedger;
  /** One entry per request to a known endpoint, in arrival order. */
  readonly requestLog: RequestLogEntry[];
  /** Enqueues one queue message holding a JobAvailable entry per job; returns its messageId. */
  enqueueJobs(jobs: ReadonlyArray<{ runnerRequestId: number; jobId: string }>): number;
  /** Enqueues a message with exactly this body (for malformed-message tests); returns its messageId. */
  enqueueRawMessage(body: string): number;
  /** The next `times` requests to `endpoint` (default 1) get `fault`. Faults queue in injection order. */
  injectFault(endpoint: FakeBrokerEndpoint, fault: Fault, times?: number | 'always'): void;
  clearFaults(): void;
  /** Every access token issued so far is rejected with 401 from now on. */
  expireAccessTokens(): void;
  requestsTo(endpoint: FakeBrokerEndpoint): RequestLogEntry[];
  /** Stops the server and destroys every socket, stalled ones included, so a test never hangs. */
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Route {
  endpoint: FakeBrokerEndpoint;
  scaleSetId?: number;
  sessionId?: string;
  messageId?: string;
}

interface IssuedToken {
  clientId: string;
  expiresAtMs: number;
}

const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const LARGEST_REQUEST_BODY_BYTES = 1_000_000;

function route(method: string | undefined, pathname: string): Route | undefined {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const [first, second, third, fourth] = segments;
  if (method === 'POST' && pathname === '/oauth/token') return { endpoint: 'exchangeToken' };
  if (first === 'scalesets' && second !== undefined) {
    const scaleSetId = Number(second);
    if (segments.length === 3 && third === 'sessions' && method === 'POST') return { endpoint: 'createSession', scaleSetId };
    if (segments.length === 4 && third === 'sessions' && fourth !== undefined) {
      if (method === 'PATCH') return { endpoint: 'refreshSession', scaleSetId, sessionId: fourth };
      if (method === 'DELETE') return { endpoint: 'deleteSession', scaleSetId, sessionId: fourth };
    }
    if (segments.length === 3 && third === 'acquirejobs' && method === 'POST') return { endpoint: 'acquireJobs', scaleSetId };
  }
  if (first === 'message-queues' && second !== undefined) {
    if (segments.length === 2 && method === 'GET') return { endpoint: 'getMessage', sessionId: second };
    if (segments.length === 3 && third !== undefined && method === 'DELETE') return { endpoint: 'acknowledgeMessage', sessionId: second, messageId: third };
  }
  return undefined;
}

function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const badRequest = (message: string): Answer => ({ status: 400, body: { message } });
const unauthorized: Answer = { status: 401, body: { message: 'token expired or unknown' } };
const notFound = (message: string): Answer => ({ status: 404, body: { message } });

export async function startFakeBroker(options: FakeBrokerOptions = {}): Promise<FakeBroker> {
  const holdMs = options.holdMs ?? 200;
  const scaleSetId = options.scaleSetId ?? 1;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const sessionIdleTimeoutMs = options.sessionIdleTimeoutMs ?? 2000;

  const ledger = new BrokerLedger(sessionIdleTimeoutMs);
  const faults = new FaultPlan();
  const requestLog: RequestLogEntry[] = [];
  const accessTokens = new Map<string, IssuedToken>();
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  let requestCount = 0;
  let url = '';

  function validAccessToken(request: IncomingMessage): { token: string; issued: IssuedToken } | undefined {
    const token = bearerToken(request);
    const issued = token === undefined ? undefined : accessTokens.get(token);
    if (token === undefined || issued === undefined || issued.expiresAtMs <= Date.now()) return undefined;
    return { token, issued };
  }

  function sessionJson(sessionId: string): Session | undefined {
    const session = ledger.session(sessionId);
    if (session === undefined) return undefined;
    return {
      sessionId,
      messageQueueUrl: `${url}/message-queues/${sessionId}`,
      messageQueueAccessToken: session.messageQueueAccessToken,
      statistics: ledger.statistics(),
    };
  }

  /** Waits until the queue changes, `ms` pass or the client goes away. */
  async function holdPoll(ms: number, clientGone: AbortSignal): Promise<void> {
    const woken = new AbortController();
    const unsubscribe = ledger.onQueueChange(() => woken.abort());
    try {
      await sleep(ms, undefined, { signal: AbortSignal.any([woken.signal, clientGone, closing.signal]) });
    } catch {
      // Woken early: by a new message, a session ending, the client leaving or the broker closing.
    } finally {
      unsubscribe();
    }
  }

  /** The protocol itself. Runs only when a request is to be processed, so its effects are committed here. */
  async function commitAndAnswer(request: IncomingMessage, body: string, matched: Route, clientGone: AbortSignal): Promise<Answer> {
    if (matched.scaleSetId !== undefined && matched.scaleSetId !== scaleSetId) return notFound(`no scale set ${matched.scaleSetId}`);
    const now = Date.now();

    switch (matched.endpoint) {
      case 'exchangeToken': {
        const form = new URLSearchParams(body);
        const clientId = form.get('client_id') ?? '';
        if (form.get('grant_type') !== 'client_credentials') return badRequest('grant_type must be client_credentials');
        if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE) return badRequest('client_assertion_type must be jwt-bearer');
        if ((form.get('client_assertion') ?? '') === '' || clientId === '') return badRequest('client_id and client_assertion are required');
        const accessToken = `at-${randomBytes(16).toString('hex')}`;
        accessTokens.set(accessToken, { clientId, expiresAtMs: now + tokenTtlSeconds * 1000 });
        const answer: TokenResponse = { access_token: accessToken, expires_in: tokenTtlSeconds };
        return { status: 200, body: answer };
      }
      case 'createSession': {
        const caller = validAccessToken(request);
        if (caller === undefined) return unauthorized;
        const parsed = parseJson(body) as { ownerName?: unknown } | undefined;
        if (typeof parsed?.ownerName !== 'string' || parsed.ownerName === '') return badRequest('ownerName is required');
        const outcome = ledger.createSession(parsed.ownerName, caller.issued.clientId, caller.token, now);
        if (outcome.kind === 'conflict') return { status: 409, body: { message: `a session for ${parsed.ownerName} already exists` } };
        return { status: 200, body: sessionJson(outcome.session.sessionId) };
      }
      case 'refreshSession': {
        const caller = validAccessToken(request);
        if (caller === undefined) return unauthorized;
        const session = ledger.session(matched.sessionId ?? '');
        if (session === undefined) return notFound('session not found');
        ledger.touchSession(session, caller.token, now);
        return { status: 200, body: sessionJson(session.sessionId) };
      }
      case 'deleteSession': {
        if (validAccessToken(request) === undefined) return unauthorized;
        return ledger.endSession(matched.sessionId ?? '', 'deleted') ? { status: 204 } : notFound('session not found');
      }
      case 'acquireJobs': {
        const caller = validAccessToken(request);
        if (caller === undefined) return unauthorized;
        const requested = parseJson(body);
        if (!Array.isArray(requested) || !requested.every(isWholeNumber)) return badRequest('the body must be an array of runnerRequestIds');
        const session = ledger.sessionForAccessToken(caller.token, caller.issued.clientId);
        if (session === undefined) return notFound('no active session for this client');
        ledger.touchSession(session, undefined, now);
        const value = ledger.acquire(session.sessionId, requested);
        const answer: AcquireJobsResponse = { count: value.length, value };
        return { status: 200, body: answer };
      }
      case 'getMessage': {
        const session = ledger.session(matched.sessionId ?? '');
        if (session === undefined) return notFound('session not found');
        if (bearerToken(request) !== session.messageQueueAccessToken) return unauthorized;
        const lastMessageIdParameter = new URL(request.url ?? '/', url).searchParams.get('lastMessageId');
        const lastMessageId = lastMessageIdParameter === null ? Number.NaN : Number(lastMessageIdParameter);
        if (!isWholeNumber(lastMessageId)) return badRequest('lastMessageId must be a whole number');
        ledger.recordPoll(lastMessageId);
        session.pollsInFlight++;
        try {
          let message = ledger.deliverNext();
          const holdEndsAt = Date.now() + holdMs;
          while (message === undefined && Date.now() < holdEndsAt && !clientGone.aborted && !closing.signal.aborted) {
            await holdPoll(holdEndsAt - Date.now(), clientGone);
            // A client that left is not delivered to: that would count a delivery nobody received.
            if (clientGone.aborted) return { status: 202 };
            if (ledger.session(session.sessionId) === undefined) return notFound('session ended during the poll');
            message = ledger.deliverNext();
          }
          return message === undefined ? { status: 202 } : { status: 200, body: message };
        } finally {
          session.pollsInFlight--;
          ledger.touchSession(session, undefined, Date.now());
        }
      }
      case 'acknowledgeMessage': {
        const session = ledger.session(matched.sessionId ?? '');
        if (session === undefined) return notFound('session not found');
        if (bearerToken(request) !== session.messageQueueAccessToken) return unauthorized;
        const messageId = Number(matched.messageId);
        if (!isWholeNumber(messageId)) return badRequest('messageId must be a whole number');
        ledger.touchSession(session, undefined, now);
        ledger.acknowledge(messageId);
        return { status: 204 };
      }
    }
  }

  function send(response: ServerResponse, entry: RequestLogEntry, brokerRequestId: string, answer: Answer, withBom = false): void {
    if (response.headersSent || response.destroyed) return;
    const payload = answer.body === undefined ? '' : `${withBom ? '\uFEFF' : ''}${JSON.stringify(answer.body)}`;
    const bytes = Buffer.from(payload, 'utf8');
    entry.status = answer.status;
    response.writeHead(answer.status, {
      ...(bytes.length > 0 ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': String(bytes.length),
      [BROKER_REQUEST_ID_HEADER]: brokerRequestId,
      ...answer.headers,
    });
    response.end(bytes);
  }

  async function respond(request: IncomingMessage, response: ServerResponse, matched: Route, fault: Fault | undefined, entry: RequestLogEntry): Promise<void> {
    const brokerRequestId = `req-${++requestCount}`;
    entry.brokerRequestId = brokerRequestId;
    const clientGone = new AbortController();
    response.once('close', () => clientGone.abort());

    if (fault?.kind === 'stallAfterAccept') return; // The body stays unread in the socket; close() destroys it.
    const body = await readRequestBody(request, LARGEST_REQUEST_BODY_BYTES);

    switch (fault?.kind) {
      case undefined:
      case 'bomPrefix':
        send(response, entry, brokerRequestId, await commitAndAnswer(request, body, matched, clientGone.signal), fault?.kind === 'bomPrefix');
        return;
      case 'stallAfterRequest':
        return;
      case 'reset':
        request.socket.resetAndDestroy();
        return;
      case 'slowHeaders':
        await sleep(fault.delayMs, undefined, { signal: AbortSignal.any([clientGone.signal, closing.signal]) });
        send(response, entry, brokerRequestId, await commitAndAnswer(request, body, matched, clientGone.signal));
        return;
      case 'delayedSuccess': {
        const answer = await commitAndAnswer(request, body, matched, clientGone.signal);
        await sleep(fault.delayMs, undefined, { signal: AbortSignal.any([clientGone.signal, closing.signal]) });
        send(response, entry, brokerRequestId, answer);
        return;
      }
      case 'status':
        send(response, entry, brokerRequestId, {
          status: fault.status,
          body: { message: `injected status ${fault.status}` },
          ...(fault.retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(fault.retryAfterSeconds) } }),
        });
        return;
      case 'malformedJson': {
        entry.status = 200;
        const garbage = '{"this is": not json';
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(garbage.length), [BROKER_REQUEST_ID_HEADER]: brokerRequestId });
        response.end(garbage);
        return;
      }
      case 'truncatedBody': {
        entry.status = 200;
        const part = '{"value":[1,';
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096', [BROKER_REQUEST_ID_HEADER]: brokerRequestId });
        response.write(part, () => response.destroy());
        return;
      }
      case 'trickleBody': {
        entry.status = 200;
        response.writeHead(200, { 'content-type': 'application/json', [BROKER_REQUEST_ID_HEADER]: brokerRequestId });
        response.flushHeaders();
        const trickle = setInterval(() => response.write(' '), fault.intervalMs ?? 50);
        response.once('close', () => clearInterval(trickle));
        return;
      }
    }
  }

  const server = createServer((request, response) => {
    const matched = route(request.method, new URL(request.url ?? '/', 'http://broker.invalid').pathname);
    if (matched === undefined) {
      request.resume();
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `no route for ${request.method ?? '?'} ${request.url ?? '?'}` }));
      return;
    }
    const fault = faults.take(matched.endpoint);
    const entry: RequestLogEntry = { endpoint: matched.endpoint, ...(fault === undefined ? {} : { fault: fault.kind }) };
    requestLog.push(entry);
    respond(request, response, matched, fault, entry).catch(() => {
      // The client left or the broker is closing mid-answer: there is no one left to answer.
      response.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const idleSweep = setInterval(() => ledger.expireIdleSessions(Date.now()), Math.max(10, Math.min(250, sessionIdleTimeoutMs / 4)));
  idleSweep.unref();

  return {
    url,
    scaleSetId,
    ledger,
    requestLog,
    enqueueJobs: (jobs) => ledger.enqueueJobs(jobs),
    enqueueRawMessage: (body) => ledger.enqueueRawMessage(body),
    injectFault: (endpoint, fault, times) => faults.inject(endpoint, fault, times),
    clearFaults: () => faults.clear(),
    expireAccessTokens: () => {
      for (const issued of accessTokens.values()) issued.expiresAtMs = 0;
    },
    requestsTo: (endpoint) => requestLog.filter((entry) => entry.endpoint === endpoint),
    close: async () => {
      closing.abort();
      clearInterval(idleSweep);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
