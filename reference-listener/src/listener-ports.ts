// The listener's ports, defined by the side that consumes them: the broker calls the listener makes, and how
// the listener and its supervisor talk (liveness out, stop signals in). No behaviour lives here.
import type { QueueMessage, Session } from './broker-protocol.js';
import type { ListenerState } from './metrics.js';
import type { AccessToken, TokenExchanger } from './token-source.js';

/** The broker calls the listener makes. The broker client implements it; tests may pass an in-memory fake. */
export interface ListenerBroker extends TokenExchanger {
  createSession(token: AccessToken, ownerName: string, signal?: AbortSignal): Promise<Session>;
  refreshSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<Session>;
  deleteSession(token: AccessToken, sessionId: string, signal?: AbortSignal): Promise<void>;
  /** undefined when the poll was held and answered 202 (no message). */
  getMessage(session: Session, lastMessageId: number, signal?: AbortSignal): Promise<QueueMessage | undefined>;
  acknowledgeMessage(session: Session, messageId: number, signal?: AbortSignal): Promise<void>;
  /** The runnerRequestIds this session acquired. */
  acquireJobs(token: AccessToken, runnerRequestIds: number[], signal?: AbortSignal): Promise<number[]>;
}

/** How the listener tells its supervisor it is alive; the watchdog restarts a listener that goes quiet. */
export interface ListenerObserver {
  progress(): void;
  state(state: ListenerState): void;
  session(sessionId: string | undefined): void;
  polled(): void;
}

/**
 * The three ways to stop a listener, in the order shutdown fires them. `stop` ends polling (the in-flight
 * long-poll is aborted at once) but lets the message being handled finish and the session be deleted.
 * `abandon` gives up the message in hand: its share of the grace period ran out, and what is left is
 * reserved for deleting the session. `kill` aborts everything, the delete included: the grace period
 * expired, or the watchdog gave up on this listener (which fires `abandon` too).
 */
export interface ListenerSignals {
  stop: AbortSignal;
  abandon: AbortSignal;
  kill: AbortSignal;
}
