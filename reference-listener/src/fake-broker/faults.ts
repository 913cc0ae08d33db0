// What can go wrong on the wire, and the plan of which request gets which fault.
//
// Effects: only the faults that still answer with a success commit the request's effect
// (`bomPrefix`, and `delayedSuccess`, which commits at once and answers late). Every other fault
// leaves the broker's state untouched, as if the broker never processed the request, so a test can
// reason about the ledger: after a stall, a reset or an error status, nothing happened.
import type { BrokerOperation } from '../errors.js';

/** Fault targets use the broker client's operation names, one per endpoint. */
export type FakeBrokerEndpoint = BrokerOperation;

export type Fault =
  /**
   * Accepts the connection and parses the request line and headers (needed to know the endpoint),
   * then never reads the body and never sends a byte. From the client's side this is the same as
   * a peer that accepted the TCP connection and went silent.
   */
  | { kind: 'stallAfterAccept' }
  /** Reads the whole request, then never sends the headers. */
  | { kind: 'stallAfterRequest' }
  /** Waits `delayMs` before processing and answering; if the client gave up by then, nothing happens. */
  | { kind: 'slowHeaders'; delayMs: number }
  /** Sends 200 headers, then one whitespace byte every `intervalMs` (default 50) forever. */
  | { kind: 'trickleBody'; intervalMs?: number }
  /** Sends headers promising a longer body, part of it, then closes the connection. */
  | { kind: 'truncatedBody' }
  /** Reads the request, then resets the connection (TCP RST). */
  | { kind: 'reset' }
  /** Answers `status` with a JSON error body, and a Retry-After header when given. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** Answers 200 with a body that is not JSON. */
  | { kind: 'malformedJson' }
  /** Answers normally, with a UTF-8 byte order mark before the JSON. */
  | { kind: 'bomPrefix' }
  /** Commits the effect at once (creates the session, grants the jobs...) but answers only after `delayMs`. */
  | { kind: 'delayedSuccess'; delayMs: number };

export type FaultKind = Fault['kind'];

interface PlannedFault {
  fault: Fault;
  remaining: number | 'always';
}

/** Faults queued per endpoint, consumed in the order they were injected. */
export class FaultPlan {
  readonly #planned = new Map<FakeBrokerEndpoint, PlannedFault[]>();

  inject(endpoint: FakeBrokerEndpoint, fault: Fault, times: number | 'always' = 1): void {
    if (times !== 'always' && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError(`injectFault(${endpoint}): times must be a positive whole number or 'always', got ${String(times)}`);
    }
    const planned = this.#planned.get(endpoint) ?? [];
    planned.push({ fault, remaining: times });
    this.#planned.set(endpoint, planned);
  }

  /** The fault for the next request to `endpoint`, if any; consumes one use of it. */
  take(endpoint: FakeBrokerEndpoint): Fault | undefined {
    const planned = this.#planned.get(endpoint);
    const next = planned?.[0];
    if (planned === undefined || next === undefined) return undefined;
    if (next.remaining !== 'always') {
      next.remaining--;
      if (next.remaining === 0) planned.shift();
    }
    return next.fault;
  }

  clear(): void {
    this.#planned.clear();
  }
}
