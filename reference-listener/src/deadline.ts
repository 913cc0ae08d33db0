// The one place a deadline is applied. Every broker call goes through withDeadline; there is no
// second way to make a request. The scaler's hand-off and the supervisor's wait for a listener it
// killed go through it too: one race against an abort, not three.
//
// Why a total deadline and not the HTTP client's timers: undici's headersTimeout and bodyTimeout
// (and node:http's `timeout`) are idle timers. A peer that sends one byte every 100 ms never trips
// them, so a trickling body can hold a call forever. Only an abort signal that stays attached until
// the body has been read AND parsed bounds the whole call.
import { DeadlineExceededError, OperationCancelledError, type BrokerOperation } from './errors.js';

/** setTimeout's ceiling: a larger delay would silently fire after 1 ms. */
const LONGEST_TIMER_MS = 2_147_483_647;

/** What a bounded call rejects with when it is cut short. Broker calls use brokerCallErrors(operation). */
export interface DeadlineErrors {
  /** Names the call in the RangeError for a bad deadline. */
  readonly name: string;
  /** The deadline expired first. */
  expired(ms: number): Error;
  /** The caller's signal aborted first; `reason` is that signal's reason. */
  cancelled(reason: unknown): Error;
}

/** A broker call's errors: a deadline is a broker fault to retry, a cancellation is a request to stop. */
export function brokerCallErrors(operation: BrokerOperation): DeadlineErrors {
  return {
    name: operation,
    expired: (ms) => new DeadlineExceededError(operation, ms),
    cancelled: (reason) => new OperationCancelledError(operation, { cause: reason }),
  };
}

/**
 * Runs `work` under a deadline of `ms` milliseconds, combined with the caller's signal (shutdown).
 *
 * `work` receives the combined signal and must do everything under it: connect, send, receive the
 * headers, read the FULL body and parse it. The promise returned here settles no later than the
 * deadline even if `work` ignores its signal, because it races `work` against the abort; `work` is
 * still told to stop so it can release its socket.
 *
 * `call` is a broker operation (rejects with DeadlineExceededError or OperationCancelledError) or
 * the errors of any other bounded call: the scaler's hand-off, the supervisor's wait for a listener.
 * `ms` undefined means the caller's signal is the only bound (the supervisor's kill: the watchdog and
 * the shutdown grace period are its deadline). Otherwise rejects with whatever `work` rejected with.
 *
 * The timer is our own (not AbortSignal.timeout) so it can be cleared the moment the call settles,
 * and the listener on the caller's long-lived signal is removed too: a listener making thousands of
 * calls leaves neither timers nor listeners behind.
 */
export async function withDeadline<T>(
  call: BrokerOperation | DeadlineErrors,
  ms: number | undefined,
  callerSignal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const errors = typeof call === 'string' ? brokerCallErrors(call) : call;
  if (ms !== undefined && (!Number.isInteger(ms) || ms <= 0 || ms > LONGEST_TIMER_MS)) {
    throw new RangeError(`${errors.name}: the deadline must be a whole number of milliseconds between 1 and ${LONGEST_TIMER_MS}, got ${String(ms)}`);
  }
  if (callerSignal?.aborted === true) throw errors.cancelled(callerSignal.reason);

  const controller = new AbortController();
  let rejectWithAbortReason: (reason: Error) => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    rejectWithAbortReason = reject;
  });
  const abortWith = (reason: Error): void => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    rejectWithAbortReason(reason);
  };

  const timer = ms === undefined ? undefined : setTimeout(() => abortWith(errors.expired(ms)), ms);
  const onCallerAbort = (): void => abortWith(errors.cancelled(callerSignal?.reason));
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  try {
    const working = Promise.resolve().then(() => work(controller.signal));
    // Once the abort wins the race, `work` still rejects later (with the abort reason); that
    // rejection is expected and must not surface as an unhandled one.
    working.catch(() => undefined);
    return await Promise.race([working, aborted]);
  } catch (error) {
    // `work` may notice the abort before our race does and reject with its own abort error
    // (undici's, a DOMException...). The abort reason is the truthful error either way.
    if (controller.signal.aborted) throw controller.signal.reason as Error;
    throw error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
