// Every broker call the listener makes, measured: outcome and duration metrics, a log line on failure, and a
// hook on success (the watchdog's progress). A decorator around the broker, so the listener's loop reads as
// the protocol and not as bookkeeping.
import { classifyError, type BrokerOperation } from './errors.js';
import type { ListenerBroker } from './listener-ports.js';
import type { Logger } from './logger.js';
import type { CallOutcome, ListenerMetrics } from './metrics.js';

export interface BrokerInstrumentation {
  metrics: ListenerMetrics;
  logger: Logger;
  /** Called after every call that succeeded. */
  onSuccess?: () => void;
}

export function instrumentBroker(broker: ListenerBroker, instrumentation: BrokerInstrumentation): ListenerBroker {
  const record = <T>(operation: BrokerOperation, work: () => Promise<T>): Promise<T> => recordCall(instrumentation, operation, work);
  return {
    exchangeToken: (signal) => record('exchangeToken', () => broker.exchangeToken(signal)),
    createSession: (token, ownerName, signal) => record('createSession', () => broker.createSession(token, ownerName, signal)),
    refreshSession: (token, sessionId, signal) => record('refreshSession', () => broker.refreshSession(token, sessionId, signal)),
    deleteSession: (token, sessionId, signal) => record('deleteSession', () => broker.deleteSession(token, sessionId, signal)),
    getMessage: (session, lastMessageId, signal) => record('getMessage', () => broker.getMessage(session, lastMessageId, signal)),
    acknowledgeMessage: (session, messageId, signal) => record('acknowledgeMessage', () => broker.acknowledgeMessage(session, messageId, signal)),
    acquireJobs: (token, runnerRequestIds, signal) => record('acquireJobs', () => broker.acquireJobs(token, runnerRequestIds, signal)),
  };
}

async function recordCall<T>({ metrics, logger, onSuccess }: BrokerInstrumentation, operation: BrokerOperation, work: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  try {
    const result = await work();
    metrics.controlPlaneRequests.inc({ operation, outcome: 'success' });
    onSuccess?.();
    return result;
  } catch (error) {
    const outcome = callOutcome(error);
    metrics.controlPlaneRequests.inc({ operation, outcome });
    if (outcome === 'deadline_exceeded') metrics.deadlinesExceeded.inc({ operation });
    logger.info('broker-call-failed', { operation, outcome, durationMs: Math.round(performance.now() - startedAt), error });
    throw error;
  } finally {
    metrics.controlPlaneDuration.observe({ operation }, (performance.now() - startedAt) / 1000);
  }
}

/** A failed call's metric label, from the package's one error classifier. */
function callOutcome(error: unknown): CallOutcome {
  return classifyError(error).label;
}
