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
