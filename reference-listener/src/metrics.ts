// Prometheus metrics, on a registry of our own so that copying the template into a service that already
// uses prom-client's global registry does not collide.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { FailureLabel } from './errors.js';

export const listenerStates = ['starting', 'creating-session', 'polling', 'handling', 'deleting-session', 'backing-off', 'stopped'] as const;
export type ListenerState = (typeof listenerStates)[number];

/** A broker call's outcome label: success, or the failure's label from the one classifier in errors.ts. */
export type CallOutcome = 'success' | FailureLabel;

export class ListenerMetrics {
  readonly registry: Registry;
  readonly controlPlaneRequests: Counter<'operation' | 'outcome'>;
  readonly controlPlaneDuration: Histogram<'operation'>;
  readonly deadlinesExceeded: Counter<'operation'>;
  readonly retries: Counter<'operation'>;
  readonly restarts: Counter<'reason'>;
  readonly state: Gauge<'listener' | 'state'>;
  readonly lastSuccessfulPoll: Gauge<'listener'>;
  readonly messagesAcknowledged: Counter;
  readonly messagesRedelivered: Counter;
  readonly messagesPoisoned: Counter;
  readonly jobsAcquired: Counter;
  readonly jobsDispatched: Counter;
  readonly duplicatesSuppressed: Counter;

  constructor(registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.controlPlaneRequests = new Counter({
      name: 'listener_broker_requests_total',
      help: 'Broker requests by operation and outcome (the long-poll is operation getMessage).',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.controlPlaneDuration = new Histogram({
      name: 'listener_broker_request_duration_seconds',
      help: 'Broker request duration by operation, whatever the outcome.',
      labelNames: ['operation'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 90],
      registers,
    });
    this.deadlinesExceeded = new Counter({
      name: 'listener_deadlines_exceeded_total',
      help: 'Broker requests that hit their deadline, by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.retries = new Counter({
      name: 'listener_broker_retries_total',
      help: 'Broker calls retried inside the session (transient failure or session gone), by the operation that failed.',
      labelNames: ['operation'],
      registers,
    });
    this.restarts = new Counter({
      name: 'listener_restarts_total',
      help: 'Listener restarts by the supervisor, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.state = new Gauge({
      name: 'listener_state',
      help: '1 for the state each listener is in, 0 for the others.',
      labelNames: ['listener', 'state'],
      registers,
    });
    this.lastSuccessfulPoll = new Gauge({
      name: 'listener_last_successful_poll_timestamp_seconds',
      help: 'Unix time of the last long-poll that returned a message or an empty 202.',
      labelNames: ['listener'],
      registers,
    });
    this.messagesAcknowledged = new Counter({ name: 'listener_messages_acknowledged_total', help: 'Queue messages acknowledged.', registers });
    this.messagesRedelivered = new Counter({
      name: 'listener_messages_redelivered_total',
      help: 'Queue messages received again because an earlier delivery was not acknowledged.',
      registers,
    });
    this.messagesPoisoned = new Counter({
      name: 'listener_messages_poisoned_total',
      help: 'Malformed queue messages acknowledged after their last allowed delivery, so they stop blocking the queue.',
      registers,
    });
    this.jobsAcquired = new Counter({ name: 'listener_jobs_acquired_total', help: 'Jobs this listener acquired from the broker.', registers });
    this.jobsDispatched = new Counter({ name: 'listener_jobs_dispatched_total', help: 'Jobs handed off to the scaler.', registers });
    this.duplicatesSuppressed = new Counter({
      name: 'listener_duplicates_suppressed_total',
      help: 'Job messages dropped because their runnerRequestId was already handled.',
      registers,
    });
  }

  setState(listener: number, current: ListenerState): void {
    for (const state of listenerStates) this.state.set({ listener: String(listener), state }, state === current ? 1 : 0);
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
