// The wiring: one broker client, N supervised listeners, the scaler, metrics, logs and the probes.
// The CLI, the tests and the demo all start the listener through here, so they exercise the same assembly.
import { join } from 'node:path';

import type { BackoffPolicy, RandomSource } from './backoff.js';
import { BrokerClient } from './broker-client.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { FileLastMessageIdStore, InMemoryLastMessageIdStore, type LastMessageIdStore } from './last-message-store.js';
import { Listener } from './listener.js';
import { ListenerMemory } from './listener-memory.js';
import { createJsonLogger, SecretRedactor, type Logger } from './logger.js';
import { ListenerMetrics } from './metrics.js';
import { DemoScaler, IdempotentScaler, type Scaler } from './scaler.js';
import { Supervisor } from './supervisor.js';

export interface ListenerServiceOptions {
  brokerUrl: string;
  scaleSetId: number;
  clientId: string;
  /** Returns the signed JWT client assertion; called at every token exchange. */
  clientAssertion: () => string;
  ownerName: string;
  listenerCount?: number;
  controlPlaneTimeoutMs?: number;
  longPollTimeoutMs?: number;
  /** Defaults to controlPlaneTimeoutMs. */
  handOffTimeoutMs?: number;
  /** Added to longPoll + controlPlane to make the watchdog window. Default 5000. */
  watchdogMarginMs?: number;
  /** Without a directory, lastMessageId is kept in memory (the broker redelivers what was not acknowledged). */
  stateDir?: string;
  scaler?: Scaler;
  logger?: Logger;
  /** The redactor the logger scrubs with; the service adds every token it sees. */
  redactor?: SecretRedactor;
  metrics?: ListenerMetrics;
  /** Start /metrics, /healthz, /readyz on 127.0.0.1 at this port (0: any free port). No server when absent. */
  healthPort?: number;
  backoff?: BackoffPolicy;
  configOrAuthBackoffCapMs?: number;
  healthyPeriodMs?: number;
  sessionConflictWindowMs?: number;
  sessionConflictRetryBaseMs?: number;
  refreshTokenBeforeExpiryMs?: number;
  /** At least the broker's session expiry: see ListenerMemory. Default 300000. */
  mayHoldTtlMs?: number;
  heldJobRetryDelayMs?: number;
  random?: RandomSource;
}

export interface ListenerService {
  readonly supervisor: Supervisor;
  readonly metrics: ListenerMetrics;
  readonly healthServer: HealthServer | undefined;
  /** Stops polling, lets handlers finish and sessions be deleted within `graceMs`, then closes everything. */
  stop(graceMs: number): Promise<void>;
}

export async function startListenerService(options: ListenerServiceOptions): Promise<ListenerService> {
  const controlPlaneTimeoutMs = options.controlPlaneTimeoutMs ?? 30_000;
  const longPollTimeoutMs = options.longPollTimeoutMs ?? 90_000;
  const listenerCount = options.listenerCount ?? 1;
  const redactor = options.redactor ?? new SecretRedactor();
  const logger = options.logger ?? createJsonLogger({ redactor });
  const metrics = options.metrics ?? new ListenerMetrics();
  const scaler = new IdempotentScaler(options.scaler ?? new DemoScaler((job) => logger.info('runner-started', { ...job })));
  const memory = new ListenerMemory(options.mayHoldTtlMs === undefined ? {} : { mayHoldTtlMs: options.mayHoldTtlMs });
  const broker = new BrokerClient({
    brokerUrl: options.brokerUrl,
    scaleSetId: options.scaleSetId,
    clientId: options.clientId,
    clientAssertion: () => {
      const assertion = options.clientAssertion();
      redactor.add(assertion);
      return assertion;
    },
    controlPlaneTimeoutMs,
    longPollTimeoutMs,
  });
  const stores: LastMessageIdStore[] = Array.from({ length: listenerCount }, (_, index) =>
    options.stateDir === undefined ? new InMemoryLastMessageIdStore() : new FileLastMessageIdStore(join(options.stateDir, `listener-${index}.json`)),
  );

  const supervisor = new Supervisor({
    listenerCount,
    // The longest a healthy listener goes without progress: one full long-poll, then one control-plane call.
    watchdogTimeoutMs: longPollTimeoutMs + controlPlaneTimeoutMs + (options.watchdogMarginMs ?? 5_000),
    metrics,
    logger,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    ...(options.configOrAuthBackoffCapMs === undefined ? {} : { configOrAuthBackoffCapMs: options.configOrAuthBackoffCapMs }),
    ...(options.healthyPeriodMs === undefined ? {} : { healthyPeriodMs: options.healthyPeriodMs }),
    ...(options.random === undefined ? {} : { random: options.random }),
    createListener: (listenerIndex) =>
      new Listener({
        listenerIndex,
        // Each listener needs its own owner name: the broker allows one session per owner.
        ownerName: listenerCount === 1 ? options.ownerName : `${options.ownerName}-${listenerIndex}`,
        broker,
        scaler,
        lastMessageIdStore: stores[listenerIndex] ?? new InMemoryLastMessageIdStore(),
        memory,
        metrics,
        logger: logger.child({ listener: listenerIndex }),
        handOffTimeoutMs: options.handOffTimeoutMs ?? controlPlaneTimeoutMs,
        onSecret: (secret) => redactor.add(secret),
        ...(options.sessionConflictWindowMs === undefined ? {} : { sessionConflictWindowMs: options.sessionConflictWindowMs }),
        ...(options.sessionConflictRetryBaseMs === undefined ? {} : { sessionConflictRetryBaseMs: options.sessionConflictRetryBaseMs }),
        ...(options.refreshTokenBeforeExpiryMs === undefined ? {} : { refreshTokenBeforeExpiryMs: options.refreshTokenBeforeExpiryMs }),
        ...(options.heldJobRetryDelayMs === undefined ? {} : { heldJobRetryDelayMs: options.heldJobRetryDelayMs }),
        ...(options.random === undefined ? {} : { random: options.random }),
      }),
  });

  let healthServer: HealthServer | undefined;
  try {
    if (options.healthPort !== undefined) healthServer = await startHealthServer({ port: options.healthPort, metrics, health: supervisor });
  } catch (error) {
    await broker.close();
    throw error;
  }
  supervisor.start();
  logger.info('listener-service-started', { listenerCount, controlPlaneTimeoutMs, longPollTimeoutMs, healthUrl: healthServer?.url });

  return {
    supervisor,
    metrics,
    healthServer,
    stop: async (graceMs) => {
      try {
        await supervisor.stop(graceMs);
      } finally {
        await broker.close();
        await healthServer?.close();
        logger.info('listener-service-stopped', {});
      }
    },
  };
}
