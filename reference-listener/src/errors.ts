// The typed errors of the broker client. Each names the operation that failed, so a log line or a
// metric label says which call went wrong; errors that come from a broker answer also carry the
// broker's request id, so an operator can find that request in the broker's own logs.
//
// None of these messages ever contains a token, a request body or a response body: a broker may
// echo credentials back in an error body, and error messages end up in logs.

/** Every call the broker client makes, one per endpoint. Also the fake broker's fault targets. */
export type BrokerOperation =
  | 'exchangeToken'
  | 'createSession'
  | 'refreshSession'
  | 'deleteSession'
  | 'getMessage'
  | 'acknowledgeMessage'
  | 'acquireJobs';

export const BROKER_OPERATIONS: readonly BrokerOperation[] = [
  'exchangeToken',
  'createSession',
  'refreshSession',
  'deleteSession',
  'getMessage',
  'acknowledgeMessage',
  'acquireJobs',
];

function describeRequestId(brokerRequestId: string | undefined): string {
  return brokerRequestId === undefined ? '' : ` (broker request id ${brokerRequestId})`;
}

/** The common base: `instanceof BrokerCallError` catches every failure of a broker call. */
export abstract class BrokerCallError extends Error {
  readonly operation: BrokerOperation;

  protected constructor(operation: BrokerOperation, message: string, options?: ErrorOptions) {
    super(`${operation}: ${message}`, options);
    this.name = new.target.name;
    this.operation = operation;
  }
}

/** Our own deadline expired before the call completed (connect, headers and the full body). */
export class DeadlineExceededError extends BrokerCallError {
  readonly ms: number;

  constructor(operation: BrokerOperation, ms: number) {
    super(operation, `no complete response within the ${ms} ms deadline (connect, headers and body); the call was aborted`);
    this.ms = ms;
  }
}

/**
 * The caller's signal aborted the call, normally because of shutdown. Kept apart from
 * DeadlineExceededError because the two need opposite handling: a deadline is a broker fault to
 * retry, a cancellation is a request to stop.
 */
export class OperationCancelledError extends BrokerCallError {
  constructor(operation: BrokerOperation, options?: ErrorOptions) {
    super(operation, 'cancelled by the caller before it completed', options);
  }
}

/** 401: the access token (or the message queue token) expired or was revoked. */
export class TokenExpiredError extends BrokerCallError {
  readonly brokerRequestId: string | undefined;

  constructor(operation: BrokerOperation, brokerRequestId?: string) {
    super(operation, `the broker answered 401: the token expired or was revoked; exchange a new one${describeRequestId(brokerRequestId)}`);
    this.brokerRequestId = brokerRequestId;
  }
}

/** 409 at session creation: a session for this owner already exists. */
export class SessionConflictError extends BrokerCallError {
  readonly brokerRequestId: string | undefined;

  constructor(operation: BrokerOperation, brokerRequestId?: string) {
    super(operation, `the broker answered 409: a session for this owner already exists${describeRequestId(brokerRequestId)}`);
    this.brokerRequestId = brokerRequestId;
  }
}

/** 404 on refresh, delete, poll, acknowledge or acquire: the session is gone and must be recreated. */
export class SessionNotFoundError extends BrokerCallError {
  readonly brokerRequestId: string | undefined;

  constructor(operation: BrokerOperation, brokerRequestId?: string) {
    super(operation, `the broker answered 404: the session no longer exists${describeRequestId(brokerRequestId)}`);
    this.brokerRequestId = brokerRequestId;
  }
}

/** Any other non-2xx answer. `retryAfterMs` comes from a Retry-After header (seconds or HTTP date). */
export class BrokerError extends BrokerCallError {
  readonly status: number;
  readonly brokerRequestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(operation: BrokerOperation, status: number, brokerRequestId?: string, retryAfterMs?: number) {
    const retryHint = retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`;
    super(operation, `the broker answered ${status}${retryHint}${describeRequestId(brokerRequestId)}`);
    this.status = status;
    this.brokerRequestId = brokerRequestId;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A 2xx answer whose body is not the JSON shape the protocol defines. */
export class MalformedResponseError extends BrokerCallError {
  readonly brokerRequestId: string | undefined;

  /** `problem` must describe the shape only, never quote the body: bodies can carry tokens. */
  constructor(operation: BrokerOperation, problem: string, brokerRequestId?: string, options?: ErrorOptions) {
    super(operation, `malformed response: ${problem}${describeRequestId(brokerRequestId)}`, options);
    this.brokerRequestId = brokerRequestId;
  }
}

/**
 * The response was larger than this operation's cap, so reading stopped the moment the cap was passed
 * and the connection was destroyed: a peer that floods a body (or headers) costs at most the cap in
 * memory, never whatever it manages to send before the deadline.
 */
export class ResponseTooLargeError extends BrokerCallError {
  readonly brokerRequestId: string | undefined;
  readonly part: 'headers' | 'body';
  readonly limitBytes: number;

  /** `limitOption` names the option that sets the cap, so the message says what to raise; none when the cap is fixed. */
  constructor(operation: BrokerOperation, part: 'headers' | 'body', limitBytes: number, limitOption?: string, brokerRequestId?: string, options?: ErrorOptions) {
    const raise = limitOption === undefined ? '' : ` (raise ${limitOption} if the broker legitimately sends more)`;
    super(operation, `the response ${part} exceeded the ${limitBytes}-byte limit; reading stopped and the connection was closed${raise}${describeRequestId(brokerRequestId)}`, options);
    this.brokerRequestId = brokerRequestId;
    this.part = part;
    this.limitBytes = limitBytes;
  }
}

/**
 * The broker named a message queue on an origin that may not receive the queue token: neither the
 * broker's own origin nor one the operator allowed. Raised before any request, so the token is never
 * sent there. Only the origin is quoted (the full URL may carry a session id).
 */
export class UntrustedOriginError extends BrokerCallError {
  readonly origin: string;

  constructor(operation: BrokerOperation, origin: string) {
    super(
      operation,
      `the message queue is at ${origin}, which is neither the broker's origin nor in messageQueueOrigins (--message-queue-origins); the queue token was not sent there`,
    );
    this.origin = origin;
  }
}

/** The connection failed before a complete response arrived: refused, reset, or a truncated body. */
export class BrokerConnectionError extends BrokerCallError {
  constructor(operation: BrokerOperation, cause: unknown) {
    super(operation, `the connection to the broker failed before a complete response arrived (${describeCause(cause)})`, { cause });
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

// ---------------------------------------------------------------------------------------------------
// The one error classifier. Metrics (the outcome of each call), the supervisor (the reason of each
// restart, and which backoff cap applies) and retry decisions all read it, so one failure has one name
// everywhere: two hand-kept maps had drifted apart ("malformed" in one, "malformed_response" in the other).

/** What happened, as a metric label: the `outcome` of a failed broker call, and most restart reasons. */
export type FailureLabel =
  | 'deadline_exceeded'
  | 'cancelled'
  | 'token_expired'
  | 'session_conflict'
  | 'session_not_found'
  | 'broker_error'
  | 'connection_error'
  | 'malformed_response'
  | 'response_too_large'
  | 'untrusted_origin'
  | 'state_file'
  | 'hand_off'
  | 'watchdog'
  | 'error';

/**
 * Why the supervisor restarted a listener. The failure's label, except that failures which do not fix
 * themselves quickly are grouped: `auth` (the broker refuses our credentials) and `config` (the state file,
 * an untrusted queue origin), for which the supervisor backs off up to its longer cap. `returned`: run()
 * resolved without being asked to stop.
 */
export type RestartReason = Exclude<FailureLabel, 'state_file' | 'untrusted_origin'> | 'auth' | 'config' | 'returned';

/**
 * What can recover from the failure:
 * - `retry`: transient (a deadline, a broken connection, 408, 429, 5xx); the same call may succeed after a backoff;
 * - `refresh_credentials`: a token expired; exchange a new one (or refresh the session for the queue token) and retry;
 * - `recreate_session`: the session is gone (404) or an older one still holds the owner name (409 at create);
 * - `stop`: the caller cancelled (shutdown); nothing to recover;
 * - `restart`: nothing the current call can do; the supervisor restarts the listener with backoff.
 */
export type Recovery = 'retry' | 'refresh_credentials' | 'recreate_session' | 'stop' | 'restart';

export interface ErrorClassification {
  label: FailureLabel;
  restartReason: RestartReason;
  recovery: Recovery;
  /** recovery === 'retry': worth retrying the same call inside the session. */
  retryable: boolean;
}

/**
 * Errors of the layers above this one, recognised by name: errors.ts is the bottom layer and importing
 * the listener, the supervisor or the state store here would make a cycle. A test checks each real class
 * against this table, so a rename cannot silently turn one into `error`.
 */
const LAYER_ERRORS: ReadonlyMap<string, Pick<ErrorClassification, 'label' | 'restartReason'>> = new Map([
  ['WatchdogTimeoutError', { label: 'watchdog', restartReason: 'watchdog' }],
  ['LastMessageIdFileError', { label: 'state_file', restartReason: 'config' }],
  // The rest of the state directory (atomic-file.ts, delivery-journal.ts, state-directory.ts): a file that
  // cannot be read, parsed or written does not fix itself quickly either.
  ['StateFileError', { label: 'state_file', restartReason: 'config' }],
  ['DeliveryJournalFileError', { label: 'state_file', restartReason: 'config' }],
  ['StateDirectoryError', { label: 'state_file', restartReason: 'config' }],
  ['HandOffError', { label: 'hand_off', restartReason: 'hand_off' }],
]);

function classified(label: FailureLabel, recovery: Recovery, restartReason: RestartReason = label as RestartReason): ErrorClassification {
  return { label, restartReason, recovery, retryable: recovery === 'retry' };
}

/** Statuses a broker (or a proxy in front of it) answers when trying again later can succeed. */
function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Maps any error to its metric label, its restart reason and what can recover from it. */
export function classifyError(error: unknown): ErrorClassification {
  if (error instanceof DeadlineExceededError) return classified('deadline_exceeded', 'retry');
  if (error instanceof OperationCancelledError) return classified('cancelled', 'stop');
  if (error instanceof TokenExpiredError) {
    // A token exchange the broker refuses will be refused again until someone fixes the credentials.
    return error.operation === 'exchangeToken' ? classified('token_expired', 'restart', 'auth') : classified('token_expired', 'refresh_credentials', 'auth');
  }
  if (error instanceof SessionConflictError) return classified('session_conflict', 'recreate_session');
  if (error instanceof SessionNotFoundError) return classified('session_not_found', 'recreate_session');
  if (error instanceof BrokerError) {
    const refusedCredentials = error.status === 403 || (error.operation === 'exchangeToken' && (error.status === 400 || error.status === 401));
    if (refusedCredentials) return classified('broker_error', 'restart', 'auth');
    return classified('broker_error', isTransientStatus(error.status) ? 'retry' : 'restart');
  }
  if (error instanceof BrokerConnectionError) return classified('connection_error', 'retry');
  if (error instanceof MalformedResponseError) return classified('malformed_response', 'restart');
  if (error instanceof ResponseTooLargeError) return classified('response_too_large', 'restart');
  if (error instanceof UntrustedOriginError) return classified('untrusted_origin', 'restart', 'config');
  const layerError = error instanceof Error ? LAYER_ERRORS.get(error.name) : undefined;
  if (layerError !== undefined) return { ...layerError, recovery: 'restart', retryable: false };
  return classified('error', 'restart');
}
