// The broker client: one method per endpoint, each one bounded by withDeadline, typed errors out.
//
// Every request goes through #call, and #call goes through withDeadline: connect, send, headers,
// the FULL body read and the parse all happen under one abort signal. The undici Agent's own timers
// are set above every deadline and nothing relies on them: they are idle timers, and a peer that
// trickles a byte at a time never trips them.
//
// What a hostile or broken peer can cost is bounded too: the body is read in chunks against a cap per
// operation (a flood fails at the cap, not at the deadline), headers against a fixed cap, and the
// queue token only ever goes to an origin the operator trusts.
import { inspect } from 'node:util';
import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';

import { BROKER_REQUEST_ID_HEADER, isProtocolId, type AcquireJobsResponse, type QueueMessage, type Session, type TokenResponse } from './broker-protocol.js';
import { withDeadline } from './deadline.js';
import {
  BrokerCallError,
  BrokerConnectionError,
  BrokerError,
  MalformedResponseError,
  ResponseTooLargeError,
  SessionConflictError,
  SessionNotFoundError,
  TokenExpiredError,
  UntrustedOriginError,
  type BrokerOperation,
} from './errors.js';

/** Where the proxy settings come from when `BrokerClientOptions.proxy` is absent: the usual variables. */
export interface BrokerProxyOptions {
  /** Proxy for http:// brokers. Default: HTTP_PROXY (or http_proxy). */
  httpProxy?: string;
  /** Proxy for https:// brokers. Default: HTTPS_PROXY (or https_proxy), else the http proxy. */
  httpsProxy?: string;
  /** Hosts reached directly, comma-separated (`*` for all). Default: NO_PROXY (or no_proxy). */
  noProxy?: string;
}

/** The transport of a real deployment: what the CLI's transport flags set. All optional, all safe by default. */
export interface BrokerTransportOptions {
  /** http:// sends every token in clear text, so it is refused unless this is true (a trusted network, a local test). */
  allowInsecureHttp?: boolean;
  /**
   * Origins besides the broker's own that may receive the message queue token, e.g.
   * `https://queue.example.com`. A session whose messageQueueUrl points anywhere else is refused
   * (UntrustedOriginError) before the token is sent.
   */
  messageQueueOrigins?: readonly string[];
  /** Largest response body of a control-plane call, in bytes. Default 65536. */
  maxControlPlaneResponseBytes?: number;
  /** Largest response body of the long-poll (one queue message, job list included), in bytes. Default 4194304. */
  maxMessageResponseBytes?: number;
  /**
   * PEM certificates trusted for the broker's TLS (and an https proxy's), e.g. a private CA. Like curl's
   * --cacert, it REPLACES Node's default roots for these connections; to add to them instead, use
   * NODE_EXTRA_CA_CERTS.
   */
  ca?: string;
  /** Proxy settings; when absent, HTTP_PROXY, HTTPS_PROXY and NO_PROXY from the environment (undici's EnvHttpProxyAgent). */
  proxy?: BrokerProxyOptions;
}

export interface BrokerClientOptions extends BrokerTransportOptions {
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
export const DEFAULT_MAX_CONTROL_PLANE_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_MAX_MESSAGE_RESPONSE_BYTES = 4 * 1024 * 1024;
/** The largest cap either option accepts: one response must never be allowed to take a container down. */
const LARGEST_RESPONSE_CAP_BYTES = 1024 * 1024 * 1024;
/**
 * Response headers are capped at Node's default (16 KiB), set here explicitly so that a process-wide
 * --max-http-header-size cannot raise it for the broker; a peer sending 10,000 headers fails at once.
 */
const MAX_HEADER_BYTES = 16 * 1024;
/** An expires_in above a year is not a token lifetime; believing it would cache the token for good. */
const LONGEST_TOKEN_LIFETIME_S = 365 * 24 * 60 * 60;
/**
 * A token goes into an `Authorization: Bearer` header. Visible ASCII only: a CR or LF would make undici
 * refuse the header on every call (a connection_error loop that never ends), and spaces or non-ASCII
 * have no place in a bearer token (RFC 6750's b64token is a subset of this).
 */
const HEADER_SAFE_TOKEN = /^[\x21-\x7E]+$/;
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
  /** The cap on the response body, and the option that sets it (named in the error). */
  maxResponseBytes: number;
  maxResponseBytesOption: string;
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

function readSession(operation: BrokerOperation, answer: BrokerAnswer, trustedOrigins: ReadonlySet<string>): Session {
  const body = parseJsonBody(operation, answer);
  if (!isRecord(body) || !isString(body.sessionId) || !isString(body.messageQueueUrl) || !isString(body.messageQueueAccessToken) || !isRecord(body.statistics)) {
    throw new MalformedResponseError(operation, 'expected {sessionId, messageQueueUrl, messageQueueAccessToken, statistics}', answer.brokerRequestId);
  }
  if (!HEADER_SAFE_TOKEN.test(body.messageQueueAccessToken)) {
    throw new MalformedResponseError(operation, 'messageQueueAccessToken holds characters a bearer token cannot (control characters, spaces or non-ASCII)', answer.brokerRequestId);
  }
  const session: Session = {
    sessionId: body.sessionId,
    messageQueueUrl: body.messageQueueUrl,
    messageQueueAccessToken: body.messageQueueAccessToken,
    statistics: body.statistics as unknown as Session['statistics'],
  };
  // Checked here as well as before each queue call: a session the client could never use is refused
  // when it arrives, with the broker's request id, not later on the first poll.
  trustedQueueUrl(operation, session.messageQueueUrl, trustedOrigins, answer.brokerRequestId);
  return redactedWhenPrinted(session, ['messageQueueAccessToken']);
}

/**
 * The queue URL, once it is known to be an http(s) URL on a trusted origin. The message queue token goes
 * wherever messageQueueUrl says, so a broker (or whoever tampered with its answer) naming another host
 * would otherwise receive it.
 */
function trustedQueueUrl(operation: BrokerOperation, messageQueueUrl: string, trustedOrigins: ReadonlySet<string>, brokerRequestId?: string): URL {
  let url: URL;
  try {
    url = new URL(messageQueueUrl);
  } catch {
    throw new MalformedResponseError(operation, 'messageQueueUrl is not an absolute URL', brokerRequestId);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MalformedResponseError(operation, 'messageQueueUrl is not an http(s) URL', brokerRequestId);
  if (url.username !== '' || url.password !== '') throw new MalformedResponseError(operation, 'messageQueueUrl carries credentials', brokerRequestId);
  if (!trustedOrigins.has(url.origin)) throw new UntrustedOriginError(operation, url.origin);
  return url;
}

interface ValidatedOptions extends BrokerClientOptions {
  maxControlPlaneResponseBytes: number;
  maxMessageResponseBytes: number;
  /** The broker's origin and every allowed message queue origin. */
  trustedOrigins: ReadonlySet<string>;
}

function validatedOptions(options: BrokerClientOptions): ValidatedOptions {
  const problem = (option: keyof BrokerClientOptions, expected: string, got: unknown): never => {
    throw new TypeError(`BrokerClientOptions.${option}: expected ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`);
  };
  const parsedUrl = (text: unknown): URL | undefined => {
    try {
      return typeof text === 'string' ? new URL(text) : undefined;
    } catch {
      return undefined;
    }
  };
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const schemes = allowInsecureHttp ? 'an https:// or http:// URL' : 'an https:// URL (http:// sends tokens in clear text: only with allowInsecureHttp: true)';
  const url = parsedUrl(options.brokerUrl);
  if (url?.protocol !== 'https:' && !(url?.protocol === 'http:' && allowInsecureHttp)) problem('brokerUrl', schemes, options.brokerUrl);
  if (!Number.isSafeInteger(options.scaleSetId) || options.scaleSetId < 1) problem('scaleSetId', 'a positive whole number', options.scaleSetId);
  if (!isString(options.clientId)) problem('clientId', 'a non-empty string', options.clientId);
  if (typeof options.clientAssertion !== 'function') problem('clientAssertion', 'a function returning a signed JWT', typeof options.clientAssertion);
  for (const option of ['controlPlaneTimeoutMs', 'longPollTimeoutMs'] as const) {
    const ms = options[option];
    if (!Number.isSafeInteger(ms) || ms < 1 || ms > 2_147_483_647) problem(option, 'a whole number of milliseconds between 1 and 2147483647', ms);
  }
  const caps = {
    maxControlPlaneResponseBytes: options.maxControlPlaneResponseBytes ?? DEFAULT_MAX_CONTROL_PLANE_RESPONSE_BYTES,
    maxMessageResponseBytes: options.maxMessageResponseBytes ?? DEFAULT_MAX_MESSAGE_RESPONSE_BYTES,
  };
  for (const [option, bytes] of Object.entries(caps) as [keyof typeof caps, number][]) {
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > LARGEST_RESPONSE_CAP_BYTES) problem(option, `a whole number of bytes between 1 and ${LARGEST_RESPONSE_CAP_BYTES}`, bytes);
  }
  const trustedOrigins = new Set<string>([url?.origin ?? '']);
  for (const origin of options.messageQueueOrigins ?? []) {
    const allowed = parsedUrl(origin);
    const schemeAllowed = allowed?.protocol === 'https:' || (allowed?.protocol === 'http:' && allowInsecureHttp);
    if (allowed === undefined || !schemeAllowed || `${allowed.origin}/` !== allowed.href) {
      problem('messageQueueOrigins', `origins only (scheme, host and port, no path), ${allowInsecureHttp ? 'http:// or https://' : 'https://'}`, origin);
    } else {
      trustedOrigins.add(allowed.origin);
    }
  }
  if (options.ca !== undefined && (typeof options.ca !== 'string' || !options.ca.includes('-----BEGIN CERTIFICATE-----'))) {
    problem('ca', 'PEM text holding at least one -----BEGIN CERTIFICATE----- block', typeof options.ca === 'string' ? `${options.ca.length} characters without one` : typeof options.ca);
  }
  return { ...options, ...caps, trustedOrigins, brokerUrl: options.brokerUrl.replace(/\/+$/, '') };
}

/**
 * undici's EnvHttpProxyAgent: a plain Agent when no proxy is configured, a ProxyAgent per scheme when one
 * is, NO_PROXY honoured. Every agent it builds gets the same idle timers, header cap and CA as the direct
 * one, and every request through it still runs under withDeadline, so a stalled proxy is bounded exactly
 * like a stalled broker.
 */
function createDispatcher(options: ValidatedOptions): Dispatcher {
  const idleTimerMs = Math.max(options.longPollTimeoutMs, options.controlPlaneTimeoutMs) + IDLE_TIMER_HEADROOM_MS;
  const tls = { timeout: idleTimerMs, ...(options.ca === undefined ? {} : { ca: options.ca }) };
  try {
    return new EnvHttpProxyAgent({
      ...options.proxy,
      headersTimeout: idleTimerMs,
      bodyTimeout: idleTimerMs,
      connectTimeout: idleTimerMs,
      maxHeaderSize: MAX_HEADER_BYTES,
      // The direct connection's TLS, the tunnelled connection to the broker through a proxy, and the proxy's own.
      connect: tls,
      requestTls: tls,
      proxyTls: tls,
    });
  } catch {
    // The proxy URL is not quoted: proxy URLs carry credentials (http://user:password@proxy:3128).
    throw new TypeError(
      'BrokerClientOptions.proxy: the proxy URL (proxy.httpProxy / proxy.httpsProxy, or HTTP_PROXY / HTTPS_PROXY in the environment) is not a valid URL. Fix it, or unset it to connect directly.',
    );
  }
}

export class BrokerClient {
  readonly #options: ValidatedOptions;
  readonly #agent: Dispatcher;

  constructor(options: BrokerClientOptions) {
    this.#options = validatedOptions(options);
    // Our own dispatcher, never the global one: other code in the process cannot change these
    // settings, and our sockets are ours to destroy at close().
    this.#agent = createDispatcher(this.#options);
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
      {
        method: 'POST',
        url: `${this.#options.brokerUrl}/oauth/token`,
        body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() },
        ...this.#controlPlaneCap(),
      },
      (answer) => {
        const body = parseJsonBody('exchangeToken', answer) as Partial<Record<keyof TokenResponse, unknown>> | undefined;
        if (!isRecord(body) || !isString(body.access_token) || !isFiniteNumber(body.expires_in) || body.expires_in <= 0 || body.expires_in > LONGEST_TOKEN_LIFETIME_S) {
          throw new MalformedResponseError('exchangeToken', `expected {access_token, expires_in: seconds from 1 to ${LONGEST_TOKEN_LIFETIME_S}}`, answer.brokerRequestId);
        }
        // Refused here, once, as malformed: sent on, it would fail every later call as a connection error.
        if (!HEADER_SAFE_TOKEN.test(body.access_token)) {
          throw new MalformedResponseError('exchangeToken', 'access_token holds characters a bearer token cannot (control characters, spaces or non-ASCII)', answer.brokerRequestId);
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
      {
        method: 'POST',
        url: this.#sessionsUrl(),
        bearer: token.value,
        body: { contentType: 'application/json', text: JSON.stringify({ ownerName }) },
        ...this.#controlPlaneCap(),
      },
      (answer) => readSession('createSession', answer, this.#options.trustedOrigins),
    );
  }

  async refreshSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<Session> {
    return this.#call(
      'refreshSession',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'PATCH', url: `${this.#sessionsUrl()}/${encodeURIComponent(sessionId)}`, bearer: token.value, ...this.#controlPlaneCap() },
      (answer) => readSession('refreshSession', answer, this.#options.trustedOrigins),
    );
  }

  async deleteSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<void> {
    return this.#call(
      'deleteSession',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'DELETE', url: `${this.#sessionsUrl()}/${encodeURIComponent(sessionId)}`, bearer: token.value, ...this.#controlPlaneCap() },
      () => undefined,
    );
  }

  /**
   * The long-poll. The broker holds it open until a message arrives (about 50 s in production), so
   * the control-plane deadline would cut every healthy poll short; it gets its own explicit,
   * longer bound instead of none. A 202 (the hold ended with nothing to deliver) is `undefined`.
   */
  async getMessage(session: Session, lastMessageId: number, signal?: AbortSignal): Promise<QueueMessage | undefined> {
    const url = trustedQueueUrl('getMessage', session.messageQueueUrl, this.#options.trustedOrigins);
    url.searchParams.set('lastMessageId', String(lastMessageId));
    return this.#call(
      'getMessage',
      this.#options.longPollTimeoutMs,
      signal,
      {
        method: 'GET',
        url: url.toString(),
        bearer: session.messageQueueAccessToken,
        maxResponseBytes: this.#options.maxMessageResponseBytes,
        maxResponseBytesOption: 'maxMessageResponseBytes (--max-message-response-bytes)',
      },
      (answer) => {
        if (answer.status === 202 || answer.status === 204) return undefined;
        const body = parseJsonBody('getMessage', answer);
        // The id is acknowledged and then persisted as lastMessageId: one the state file would refuse on
        // the next start (1e300), or one JSON.parse rounded (2^53+1), must not get that far.
        if (!isRecord(body) || !isProtocolId(body.messageId) || !isString(body.messageType) || typeof body.body !== 'string') {
          throw new MalformedResponseError('getMessage', 'expected {messageId: non-negative safe integer, messageType, body}', answer.brokerRequestId);
        }
        return { messageId: body.messageId, messageType: body.messageType as QueueMessage['messageType'], body: body.body };
      },
    );
  }

  async acknowledgeMessage(session: Session, messageId: number, signal?: AbortSignal): Promise<void> {
    const url = trustedQueueUrl('acknowledgeMessage', session.messageQueueUrl, this.#options.trustedOrigins);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(String(messageId))}`;
    return this.#call(
      'acknowledgeMessage',
      this.#options.controlPlaneTimeoutMs,
      signal,
      { method: 'DELETE', url: url.toString(), bearer: session.messageQueueAccessToken, ...this.#controlPlaneCap() },
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
        ...this.#controlPlaneCap(),
      },
      (answer) => {
        const body = parseJsonBody('acquireJobs', answer) as Partial<Record<keyof AcquireJobsResponse, unknown>> | undefined;
        if (!isRecord(body) || !Array.isArray(body.value) || !body.value.every((id) => isProtocolId(id))) {
          throw new MalformedResponseError('acquireJobs', 'expected {count, value: runnerRequestId[]}', answer.brokerRequestId);
        }
        return body.value;
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

  #controlPlaneCap(): Pick<BrokerRequest, 'maxResponseBytes' | 'maxResponseBytesOption'> {
    return { maxResponseBytes: this.#options.maxControlPlaneResponseBytes, maxResponseBytesOption: 'maxControlPlaneResponseBytes (--max-control-plane-response-bytes)' };
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
        // undici's request() follows no redirect (no redirect interceptor is composed on our dispatcher):
        // a 3xx is a BrokerError, and the token is never replayed to the Location it names.
        const response = await request(call.url, { method: call.method, headers, body: call.body?.text ?? null, dispatcher: this.#agent, signal });
        const brokerRequestId = firstHeader(response.headers[BROKER_REQUEST_ID_HEADER]);
        retryAfter = firstHeader(response.headers['retry-after']);
        if (response.statusCode < 200 || response.statusCode > 299) {
          // Only the status and headers of an error answer are used: its body is not read at all, so an
          // error page that floods or trickles costs nothing and the typed status error comes at once.
          discardBody(response);
          answer = { status: response.statusCode, text: '', brokerRequestId };
        } else {
          // The full body is read under the same signal: headers arriving on time prove nothing.
          const bytes = await readCappedBody(operation, response, call, brokerRequestId);
          answer = { status: response.statusCode, text: decodeBody(operation, bytes, brokerRequestId), brokerRequestId };
        }
      } catch (error) {
        // An abort is reported by withDeadline as DeadlineExceededError or OperationCancelledError.
        if (signal.aborted || error instanceof BrokerCallError) throw error;
        if ((error as { code?: unknown } | null)?.code === 'UND_ERR_HEADERS_OVERFLOW') throw new ResponseTooLargeError(operation, 'headers', MAX_HEADER_BYTES);
        throw new BrokerConnectionError(operation, error);
      }

      if (answer.status < 200 || answer.status > 299) throw statusError(operation, answer, parseRetryAfterMs(retryAfter, Date.now()));
      return read(answer);
    });
  }
}

/**
 * Stops reading a body we do not want and closes its connection. undici reports a body destroyed before its
 * end as an 'error' event (RequestAbortedError); that abort is ours and expected, so it is swallowed here
 * rather than left to surface as an uncaught exception.
 */
function discardBody(response: Dispatcher.ResponseData): void {
  response.body.on('error', () => undefined);
  response.body.destroy();
}

/**
 * The body, read chunk by chunk against the call's cap. The moment the cap is passed the stream is
 * destroyed (which closes the connection), so memory holds at most the cap plus one chunk, however much
 * the peer offers. A Content-Length above the cap fails before a byte of the body is read.
 */
async function readCappedBody(operation: BrokerOperation, response: Dispatcher.ResponseData, call: BrokerRequest, brokerRequestId: string | undefined): Promise<Uint8Array> {
  const tooLarge = (): ResponseTooLargeError => {
    discardBody(response);
    return new ResponseTooLargeError(operation, 'body', call.maxResponseBytes, call.maxResponseBytesOption, brokerRequestId);
  };
  const declaredLength = Number(firstHeader(response.headers['content-length']));
  if (declaredLength > call.maxResponseBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > call.maxResponseBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
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
