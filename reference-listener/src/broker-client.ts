// The broker client: one method per endpoint, each one bounded by withDeadline, typed errors out.
//
// Every request goes through #call, and #call goes through withDeadline: connect, send, headers,
// the FULL body read and the parse all happen under one abort signal. The undici Agent's own timers
// are set above every deadline and nothing relies on them: they are idle timers, and a peer that
// trickles a byte at a time never trips them.
import { inspect } from 'node:util';
import { Agent, request } from 'undici';

import { BROKER_REQUEST_ID_HEADER, type AcquireJobsResponse, type QueueMessage, type Session, type TokenResponse } from './broker-protocol.js';
import { withDeadline } from './deadline.js';
import {
  BrokerConnectionError,
  BrokerError,
  MalformedResponseError,
  SessionConflictError,
  SessionNotFoundError,
  TokenExpiredError,
  type BrokerOperation,
} from './errors.js';

export interface BrokerClientOptions {
  /** Base URL of the broker, e.g. `https://broker.example.com`. */
  brokerUrl: string;
  scaleSetId: number;
  clientId: string;
  /** Returns a fresh signed JWT for the client_credentials grant. Never logged. */
  clientAssertion: () => string;
  /** Deadline of every call except the long-poll. */
  controlPlaneTimeoutMs: number;
  /** Deadline of the long-poll, which the broker legitimately holds open (about 50 s in production). */
  longPollTimeoutMs: number;
}

export interface AccessToken {
  value: string;
  expiresAtMs: number;
}

const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const REDACTED = '[redacted]';
/** What the undici Agent's idle timers add above the longest deadline, so they can never fire first. */
const IDLE_TIMER_HEADROOM_MS = 1_000;
/** Operations whose 404 means "the session is gone": the listener recreates the session. */
const SESSION_SCOPED: ReadonlySet<BrokerOperation> = new Set(['refreshSession', 'deleteSession', 'getMessage', 'acknowledgeMessage', 'acquireJobs']);

/**
 * Makes `secretKeys` print as [redacted] through JSON.stringify and util.inspect (and so through
 * structured loggers and console.log), while the object stays a plain one that spreads and copies
 * with its secret intact.
 */
function redactedWhenPrinted<T extends object>(value: T, secretKeys: ReadonlyArray<keyof T>): T {
  const printable = (): Record<string, unknown> =>
    Object.fromEntries(Object.entries(value).map(([key, field]) => [key, secretKeys.includes(key as keyof T) ? REDACTED : field]));
  Object.defineProperty(value, 'toJSON', { value: printable, enumerable: false });
  Object.defineProperty(value, inspect.custom, {
    value: (_depth: number, options: object, inspectNested: typeof inspect) => inspectNested(printable(), options),
    enumerable: false,
  });
  return value;
}

/** An AccessToken whose value never shows up when printed or serialised. */
export function accessToken(value: string, expiresAtMs: number): AccessToken {
  return redactedWhenPrinted({ value, expiresAtMs }, ['value']);
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates start with a day name; Date.parse alone would read "-5" as a year.
  const dateMs = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

interface BrokerRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  bearer?: string;
  body?: { contentType: string; text: string };
}

interface BrokerAnswer {
  status: number;
  /** The full body, decoded, with any byte order mark removed. */
  text: string;
  brokerRequestId: string | undefined;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function statusError(operation: BrokerOperation, answer: BrokerAnswer, retryAfterMs: number | undefined): Error {
  const { status, brokerRequestId } = answer;
  if (status === 401) return new TokenExpiredError(operation, brokerRequestId);
  if (status === 409 && operation === 'createSession') return new SessionConflictError(operation, brokerRequestId);
  if (status === 404 && SESSION_SCOPED.has(operation)) return new SessionNotFoundError(operation, brokerRequestId);
  return new BrokerError(operation, status, brokerRequestId, retryAfterMs);
}

function parseJsonBody(operation: BrokerOperation, answer: BrokerAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch (error) {
    // The parser's message quotes the body, which may hold a token: keep it out of the error.
    throw new MalformedResponseError(operation, `the body is not JSON (${answer.text.length} characters)`, answer.brokerRequestId, {
      cause: error instanceof Error ? new Error(error.name) : undefined,
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function readSession(operation: BrokerOperation, answer: BrokerAnswer): Session {
  const body = parseJsonBody(operation, answer);
  if (!isRecord(body) || !isString(body.sessionId) || !isString(body.messageQueueUrl) || !isString(body.messageQueueAccessToken) || !isRecord(body.statistics)) {
    throw new MalformedResponseError(operation, 'expected {sessionId, messageQueueUrl, messageQueueAccessToken, statistics}', answer.brokerRequestId);
  }
  const session: Session = {
    sessionId: body.sessionId,
    messageQueueUrl: body.messageQueueUrl,
    messageQueueAccessToken: body.messageQueueAccessToken,
    statistics: body.statistics as unknown as Session['statistics'],
  };
  return redactedWhenPrinted(session, ['messageQueueAccessToken']);
}

function validatedOptions(options: BrokerClientOptions): BrokerClientOptions {
  const problem = (option: keyof BrokerClientOptions, expected: string, got: unknown): never => {
    throw new TypeError(`BrokerClientOptions.${option}: expected ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`);
  };
  let url: URL | undefined;
  try {
    url = new URL(options.brokerUrl);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') problem('brokerUrl', 'an http:// or https:// URL', options.brokerUrl);
  if (!Number.isSafeInteger(options.scaleSetId) || options.scaleSetId < 1) problem('scaleSetId', 'a positive whole number', options.scaleSetId);
  if (!isString(options.clientId)) problem('clientId', 'a non-empty string', options.clientId);
  if (typeof options.clientAssertion !== 'function') problem('clientAssertion', 'a function returning a signed JWT', typeof options.clientAssertion);
  for (const option of ['controlPlaneTimeoutMs', 'longPollTimeoutMs'] as const) {
    const ms = options[option];
    if (!Number.isSafeInteger(ms) || ms < 1 || ms > 2_147_483_647) problem(option, 'a whole number of milliseconds between 1 and 2147483647', ms);
  }
  return { ...options, brokerUrl: options.brokerUrl.replace(/\/+$/, '') };
}

export class BrokerClient {
  readonly #options: BrokerClientOptions;
  readonly #agent: Agent;

  constructor(options: BrokerClientOptions) {
    this.#options = validatedOptions(options);
    const idleTimerMs = Math.max(this.#options.longPollTimeoutMs, this.#options.controlPlaneTimeoutMs) + IDLE_TIMER_HEADROOM_MS;
    // Our own Agent, never the global dispatcher: other code in the process cannot change these
    // settings, and our sockets are ours to destroy at close().
    this.#agent = new Agent({ headersTimeout: idleTimerMs, bodyTimeout: idleTimerMs, connectTimeout: idleTimerMs });
  }

  async exchangeToken(signal?: AbortSignal): Promise<AccessToken> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#options.clientId,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: this.#options.clientAssertion(),
    });
    const requestedAtMs = Date.now();
    return this.#call(
      'exchangeToken',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'POST', url: `${this.#options.brokerUrl}/oauth/token`, body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() } },
      (answer) => {
        const body = parseJsonBody('exchangeToken', answer) as Partial<Record<keyof TokenResponse, unknown>> | undefined;
        if (!isRecord(body) || !isString(body.access_token) || !isFiniteNumber(body.expires_in) || body.expires_in <= 0) {
          throw new MalformedResponseError('exchangeToken', 'expected {access_token, expires_in}', answer.brokerRequestId);
        }
        // Expiry counts from when we asked, not when the answer arrived: never later than the broker's clock.
        return accessToken(body.access_token, requestedAtMs + body.expires_in * 1000);
      },
    );
  }

  async createSession(token: AccessToken, ownerName: string, signal?: AbortSignal): Promise<Session> {
    return this.#call(
      'createSession',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'POST', url: this.#sessionsUrl(), bearer: token.value, body: { contentType: 'application/json', text: JSON.stringify({ ownerName }) } },
      (answer) => readSession('createSession', answer),
    );
  }

  async refreshSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<Session> {
    return this.#call(
      'refreshSession',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'PATCH', url: `${this.#sessionsUrl()}/${encodeURIComponent(sessionId)}`, bearer: token.value },
      (answer) => readSession('refreshSession', answer),
    );
  }

  async deleteSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<void> {
    return this.#call(
      'deleteSession',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'DELETE', url: `${this.#sessionsUrl()}/${encodeURIComponent(sessionId)}`, bearer: token.value },
      () => undefined,
    );
  }

  /**
   * The long-poll. The broker holds it open until a message arrives (about 50 s in production), so
   * the control-plane deadline would cut every healthy poll short; it gets its own explicit,
   * longer bound instead of none. A 202 (the hold ended with nothing to deliver) is `undefined`.
   */
  async getMessage(session: Session, lastMessageId: number, signal?: AbortSignal): Promise<QueueMessage | undefined> {
    const url = new URL(session.messageQueueUrl);
    url.searchParams.set('lastMessageId', String(lastMessageId));
    return this.#call(
      'getMessage',
      this.#options.longPollTimeoutMs,
      signal,
      { method: 'GET', url: url.toString(), bearer: session.messageQueueAccessToken },
      (answer) => {
        if (answer.status === 202 || answer.status === 204) return undefined;
        const body = parseJsonBody('getMessage', answer);
        if (!isRecord(body) || !isFiniteNumber(body.messageId) || !isString(body.messageType) || typeof body.body !== 'string') {
          throw new MalformedResponseError('getMessage', 'expected {messageId, messageType, body}', answer.brokerRequestId);
        }
        return { messageId: body.messageId, messageType: body.messageType as QueueMessage['messageType'], body: body.body };
      },
    );
  }

  async acknowledgeMessage(session: Session, messageId: number, signal?: AbortSignal): Promise<void> {
    const url = new URL(session.messageQueueUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(String(messageId))}`;
    return this.#call(
      'acknowledgeMessage',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'DELETE', url: url.toString(), bearer: session.messageQueueAccessToken },
      () => undefined,
    );
  }

  /** Returns the runnerRequestIds this client acquired; one acquired elsewhere is absent. */
  async acquireJobs(token: AccessToken, runnerRequestIds: number[], signal?: AbortSignal): Promise<number[]> {
    return this.#call(
      'acquireJobs',
      this.#options.controlPlaneTimeoutMs,
      signal,
      {
        method: 'POST',
        url: `${this.#options.brokerUrl}/scalesets/${this.#options.scaleSetId}/acquirejobs`,
        bearer: token.value,
        body: { contentType: 'application/json', text: JSON.stringify(runnerRequestIds) },
      },
      (answer) => {
        const body = parseJsonBody('acquireJobs', answer) as Partial<Record<keyof AcquireJobsResponse, unknown>> | undefined;
        if (!isRecord(body) || !Array.isArray(body.value) || !body.value.every((id) => Number.isSafeInteger(id))) {
          throw new MalformedResponseError('acquireJobs', 'expected {count, value: runnerRequestId[]}', answer.brokerRequestId);
        }
        return body.value as number[];
      },
    );
  }

  /**
   * Destroys the Agent's sockets. Every request already has its own deadline; closing must not wait
   * on one of them (undici's close() would wait for in-flight requests).
   */
  async close(): Promise<void> {
    await this.#agent.destroy();
  }

  #sessionsUrl(): string {
    return `${this.#options.brokerUrl}/scalesets/${this.#options.scaleSetId}/sessions`;
  }

  /** The only way this client makes a request. */
  async #call<T>(operation: BrokerOperation, deadlineMs: number, callerSignal: AbortSignal | undefined, call: BrokerRequest, read: (answer: BrokerAnswer) => T): Promise<T> {
    return withDeadline(operation, deadlineMs, callerSignal, async (signal) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (call.bearer !== undefined) headers.authorization = `Bearer ${call.bearer}`;
      if (call.body !== undefined) headers['content-type'] = call.body.contentType;

      let answer: BrokerAnswer;
      let retryAfter: string | undefined;
      try {
        const response = await request(call.url, { method: call.method, headers, body: call.body?.text ?? null, dispatcher: this.#agent, signal });
        // The full body is read under the same signal: headers arriving on time prove nothing.
        const bytes = await response.body.bytes();
        answer = { status: response.statusCode, text: '', brokerRequestId: firstHeader(response.headers[BROKER_REQUEST_ID_HEADER]) };
        retryAfter = firstHeader(response.headers['retry-after']);
        answer.text = decodeBody(operation, bytes, answer.brokerRequestId);
      } catch (error) {
        // An abort is reported by withDeadline as DeadlineExceededError or OperationCancelledError.
        if (signal.aborted || error instanceof MalformedResponseError) throw error;
        throw new BrokerConnectionError(operation, error);
      }

      if (answer.status < 200 || answer.status > 299) throw statusError(operation, answer, parseRetryAfterMs(retryAfter, Date.now()));
      return read(answer);
    });
  }
}

function decodeBody(operation: BrokerOperation, bytes: Uint8Array, brokerRequestId: string | undefined): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new MalformedResponseError(operation, 'the body is not valid UTF-8', brokerRequestId);
  }
  // Some brokers (and proxies in front of them) prefix JSON with a byte order mark, which JSON.parse rejects.
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
