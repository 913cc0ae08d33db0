// The wiring: one broker client, N supervised listeners, the scaler, metrics, logs and the probes.
// The CLI, the tests and the demo all start the listener through here, so they exercise the same assembly.
import type { BackoffPolicy, RandomSource } from './backoff.js';
import { BrokerClient, type BrokerTransportOptions } from './broker-client.js';
import { DeliveryJournal, type DeliveryJournalOptions } from './delivery-journal.js';
import { startHealthServer, type HealthServer, type HealthSource } from './health-server.js';
import { instrumentBroker } from './instrumented-broker.js';
import { FileLastMessageIdStore, InMemoryLastMessageIdStore, type LastMessageIdStore } from './last-message-store.js';
import { Listener } from './listener.js';
import { ListenerMemory } from './listener-memory.js';
import { createJsonLogger, SecretRedactor, type Logger } from './logger.js';
import { ListenerMetrics } from './metrics.js';
import type { RetryPolicy } from './retry-budget.js';
import { DemoScaler, type Scaler } from './scaler.js';
import { StateDirectory } from './state-directory.js';
import { StateWriteHealth } from './state-health.js';
import { Supervisor } from './supervisor.js';
import { AccessTokenSource } from './token-source.js';

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
  /** TLS, proxy, plain-HTTP permission, trusted queue origins and response caps of the broker client. */
  brokerTransport?: BrokerTransportOptions;
  /** Added to longPoll + controlPlane to make the watchdog window. Default 5000. */
  watchdogMarginMs?: number;
  /**
   * lastMessageId and the delivery journal live here, so a crash loses no job (see delivery-journal.ts).
   * Checked at start: an unwritable directory or a corrupt state file rejects with a StateFileError.
   * Without a directory both are kept in memory, and a crash can lose a job an ended session held.
   */
  stateDir?: string;
  scaler?: Scaler;
  logger?: Logger;
  /** The redactor the logger scrubs with; the service adds every token it sees. */
  redactor?: SecretRedactor;
  metrics?: ListenerMetrics;
  /** Start /healthz and /readyz (and /metrics, unless it is put elsewhere) at this port (0: any free port). No server when absent. */
  healthPort?: number;
  /** Default 127.0.0.1; 0.0.0.0 in a pod, so the kubelet can reach the probes. */
  healthHost?: string;
  /** Default: the health host. */
  metricsHost?: string;
  /** Default: the health port. /metrics has its own server when its host or port differs from the probes' (0: its own, on any free port). */
  metricsPort?: number;
  /** In-session retries of poll, acknowledge and acquire (retry-budget.ts). */
  retry?: RetryPolicy;
  /** The end of the shutdown grace period kept for deleting sessions (at most half of it). Default: controlPlaneTimeoutMs. */
  sessionDeleteReserveMs?: number;
  /** Where every state file reports failed writes; /healthz answers 503 while one is failing. Default: a new one. */
  stateHealth?: StateWriteHealth;
  backoff?: BackoffPolicy;
  configOrAuthBackoffCapMs?: number;
  healthyPeriodMs?: number;
  sessionConflictWindowMs?: number;
  sessionConflictRetryBaseMs?: number;
  refreshTokenBeforeExpiryMs?: number;
  /** At least the broker's session expiry: see DeliveryJournalOptions. Default 300000. */
  mayHoldTtlMs?: number;
  /** Pause between acquire attempts for a job an ended session of ours may hold. Default 1000. */
  heldJobRetryDelayMs?: number;
  random?: RandomSource;
}

export interface ListenerService {
  readonly supervisor: Supervisor;
  readonly metrics: ListenerMetrics;
  /** Serves /healthz and /readyz, and /metrics unless metricsServer is a server of its own. */
  readonly healthServer: HealthServer | undefined;
  readonly metricsServer: HealthServer | undefined;
  readonly stateHealth: StateWriteHealth;
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
  const scaler = options.scaler ?? new DemoScaler((job) => logger.info('runner-started', { ...job }));
  const memory = new ListenerMemory();
  const journalOptions: DeliveryJournalOptions = {
    ...(options.mayHoldTtlMs === undefined ? {} : { mayHoldTtlMs: options.mayHoldTtlMs }),
    ...(options.heldJobRetryDelayMs === undefined ? {} : { reacquireDelayMs: options.heldJobRetryDelayMs }),
  };
  // Before anything connects: a state problem is the operator's to fix, and restarting cannot fix it.
  const stateHealth = options.stateHealth ?? new StateWriteHealth();
  const state = options.stateDir === undefined ? undefined : await StateDirectory.open(options.stateDir, stateHealth);
  const journal = state === undefined ? DeliveryJournal.inMemory(journalOptions) : await DeliveryJournal.open(state.file('delivery-journal.json'), journalOptions);
  const stores: LastMessageIdStore[] = Array.from({ length: listenerCount }, (_, index) =>
    state === undefined ? new InMemoryLastMessageIdStore() : new FileLastMessageIdStore(state.file(`listener-${index}.json`)),
  );
  for (const store of stores) await store.load();
  if (state !== undefined && state.removedInterruptedWrites.length > 0) {
    logger.warn('interrupted-state-writes-removed', { stateDir: state.path, files: state.removedInterruptedWrites });
  }
  const broker = new BrokerClient({
    ...options.brokerTransport,
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
  // One token source per listener, kept across its restarts: a restart is not a reason to exchange a token.
  const tokenSources = Array.from(
    { length: listenerCount },
    (_, index) =>
      new AccessTokenSource(instrumentBroker(broker, { metrics, logger: logger.child({ listener: index }) }), {
        ...(options.refreshTokenBeforeExpiryMs === undefined ? {} : { refreshBeforeExpiryMs: options.refreshTokenBeforeExpiryMs }),
        onToken: (token) => redactor.add(token.value),
      }),
  );

  const supervisor = new Supervisor({
    listenerCount,
    // The longest a healthy listener goes without progress: one full long-poll, then one control-plane call.
    watchdogTimeoutMs: longPollTimeoutMs + controlPlaneTimeoutMs + (options.watchdogMarginMs ?? 5_000),
    // Enough for one delete at its deadline, unless the grace period is shorter (then half of it).
    sessionDeleteReserveMs: options.sessionDeleteReserveMs ?? controlPlaneTimeoutMs,
    metrics,
    logger,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    ...(options.configOrAuthBackoffCapMs === undefined ? {} : { configOrAuthBackoffCapMs: options.configOrAuthBackoffCapMs }),
    ...(options.healthyPeriodMs === undefined ? {} : { healthyPeriodMs: options.healthyPeriodMs }),
    ...(options.random === undefined ? {} : { random: options.random }),
    createListener: (listenerIndex) => {
      const tokens = tokenSources[listenerIndex];
      return new Listener({
        listenerIndex,
        // Each listener needs its own owner name: the broker allows one session per owner.
        ownerName: listenerCount === 1 ? options.ownerName : `${options.ownerName}-${listenerIndex}`,
        broker,
        scaler,
        lastMessageIdStore: stores[listenerIndex] ?? new InMemoryLastMessageIdStore(),
        ...(tokens === undefined ? {} : { tokens }),
        ...(options.retry === undefined ? {} : { retry: options.retry }),
        memory,
        journal,
        metrics,
        logger: logger.child({ listener: listenerIndex }),
        handOffTimeoutMs: options.handOffTimeoutMs ?? controlPlaneTimeoutMs,
        onSecret: (secret) => redactor.add(secret),
        ...(options.sessionConflictWindowMs === undefined ? {} : { sessionConflictWindowMs: options.sessionConflictWindowMs }),
        ...(options.sessionConflictRetryBaseMs === undefined ? {} : { sessionConflictRetryBaseMs: options.sessionConflictRetryBaseMs }),
        ...(options.random === undefined ? {} : { random: options.random }),
      });
    },
  });

  const health: HealthSource = {
    healthProblem: () => supervisor.healthProblem() ?? stateHealth.problem(),
    isReady: () => supervisor.isReady(),
  };
  let healthServer: HealthServer | undefined;
  let metricsServer: HealthServer | undefined;
  try {
    if (options.healthPort !== undefined) {
      const healthHost = options.healthHost ?? '127.0.0.1';
      const metricsHost = options.metricsHost ?? healthHost;
      const metricsPort = options.metricsPort ?? options.healthPort;
      // One server unless /metrics is sent elsewhere; an explicit metrics port 0 ("any") is a server of its own.
      if (metricsHost === healthHost && (options.metricsPort === undefined || (metricsPort === options.healthPort && metricsPort !== 0))) {
        healthServer = await startHealthServer({ host: healthHost, port: options.healthPort, metrics, health });
        metricsServer = healthServer;
      } else {
        healthServer = await startHealthServer({ host: healthHost, port: options.healthPort, health });
        metricsServer = await startHealthServer({ host: metricsHost, port: metricsPort, metrics });
      }
    }
  } catch (error) {
    await healthServer?.close();
    await broker.close();
    throw error;
  }
  supervisor.start();
  logger.info('listener-service-started', { listenerCount, controlPlaneTimeoutMs, longPollTimeoutMs, healthUrl: healthServer?.url, metricsUrl: metricsServer?.url });

  return {
    supervisor,
    metrics,
    healthServer,
    metricsServer,
    stateHealth,
    stop: async (graceMs) => {
      try {
        await supervisor.stop(graceMs);
      } finally {
        await broker.close();
        await healthServer?.close();
        if (metricsServer !== healthServer) await metricsServer?.close();
        logger.info('listener-service-stopped', {});
      }
    },
  };
}
