// The wiring: one broker client, N supervised listeners, the scaler, metrics, logs and the probes.
// The CLI, the tests and the demo all start the listener through here, so they exercise the same assembly.
import type { BackoffPolicy, RandomSource } from './backoff.js';
import { BrokerClient } from './broker-client.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { DeliveryJournal, type DeliveryJournalOptions } from './delivery-journal.js';
import { FileLastMessageIdStore, InMemoryLastMessageIdStore, type LastMessageIdStore } from './last-message-store.js';
import { Listener, ListenerMemory } from './listener.js';
import { createJsonLogger, SecretRedactor, type Logger } from './logger.js';
import { ListenerMetrics } from './metrics.js';
import { DemoScaler, type Scaler } from './scaler.js';
import { StateDirectory, type StateWriteFailure } from './state-directory.js';
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
  /** Start /metrics, /healthz, /readyz on 127.0.0.1 at this port (0: any free port). No server when absent. */
  healthPort?: number;
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
  readonly healthServer: HealthServer | undefined;
  /** Why state cannot be written right now (the newest failed write), or undefined; always undefined without a state dir. */
  stateWriteFailure(): StateWriteFailure | undefined;
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
  const state = options.stateDir === undefined ? undefined : await StateDirectory.open(options.stateDir);
  const journal = state === undefined ? DeliveryJournal.inMemory(journalOptions) : await DeliveryJournal.open(state.file('delivery-journal.json'), journalOptions);
  const stores: LastMessageIdStore[] = Array.from({ length: listenerCount }, (_, index) =>
    state === undefined ? new InMemoryLastMessageIdStore() : new FileLastMessageIdStore(state.file(`listener-${index}.json`)),
  );
  for (const store of stores) await store.load();
  if (state !== undefined && state.removedInterruptedWrites.length > 0) {
    logger.warn('interrupted-state-writes-removed', { stateDir: state.path, files: state.removedInterruptedWrites });
  }
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
        journal,
        metrics,
        logger: logger.child({ listener: listenerIndex }),
        handOffTimeoutMs: options.handOffTimeoutMs ?? controlPlaneTimeoutMs,
        onSecret: (secret) => redactor.add(secret),
        ...(options.sessionConflictWindowMs === undefined ? {} : { sessionConflictWindowMs: options.sessionConflictWindowMs }),
        ...(options.sessionConflictRetryBaseMs === undefined ? {} : { sessionConflictRetryBaseMs: options.sessionConflictRetryBaseMs }),
        ...(options.refreshTokenBeforeExpiryMs === undefined ? {} : { refreshTokenBeforeExpiryMs: options.refreshTokenBeforeExpiryMs }),
        ...(options.random === undefined ? {} : { random: options.random }),
      }),
  });

  let healthServer: HealthServer | undefined;
  try {
    if (options.healthPort !== undefined) {
      // Not healthy while state cannot be written: every message would fail after its hand-off.
      const health = { isHealthy: () => supervisor.isHealthy() && state?.writeFailure() === undefined, isReady: () => supervisor.isReady() };
      healthServer = await startHealthServer({ port: options.healthPort, metrics, health });
    }
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
    stateWriteFailure: () => state?.writeFailure(),
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
