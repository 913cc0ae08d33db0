// The reference listener's public surface, layer by layer: broker client (HTTP, auth, deadlines) →
// listener (session, poll, acquire, acknowledge) → scaler (the side effect), with a supervisor above.
// The fake broker is not here: it is a test double, exported from `./testing` (src/testing.ts).
export * from './broker-protocol.js';
export * from './errors.js';
export { withDeadline, brokerCallErrors, type DeadlineErrors } from './deadline.js';
export { BrokerClient, type AccessToken, type BrokerClientOptions, type BrokerProxyOptions, type BrokerTransportOptions } from './broker-client.js';
export { AccessTokenSource, type TokenExchanger } from './token-source.js';
export { Listener, type ListenerOptions } from './listener.js';
export type { ListenerBroker, ListenerObserver, ListenerSignals } from './listener-ports.js';
export { DEFAULT_RETRY_POLICY, isTransientFailure, RetryBudget, type RetryPolicy } from './retry-budget.js';
export { ListenerMemory } from './listener-memory.js';
export { ListenerSession, type ListenerSessionOptions } from './listener-session.js';
export { handOff, HandOffError } from './hand-off.js';
export { instrumentBroker, type BrokerInstrumentation } from './instrumented-broker.js';
export { Supervisor, WatchdogTimeoutError, ShutdownGraceExpiredError, HandlingShareExpiredError, restartReason, type SupervisedListener, type SupervisorOptions, type RestartReason, type ListenerStatus } from './supervisor.js';
export { fullJitterDelayMs, type BackoffPolicy, type RandomSource } from './backoff.js';
export { DemoScaler, jobHandoff, type JobHandoff, type Scaler } from './scaler.js';
export { WebhookScaler } from './webhook-scaler.js';
export { DeliveryJournal, DeliveryJournalFileError, type AcquireAttempt, type DeliveryJournalOptions, type HeldJob } from './delivery-journal.js';
export { StateDirectory, StateDirectoryError } from './state-directory.js';
export { AtomicFile, StateFileError, type WriteOutcomeObserver } from './atomic-file.js';
export { FileLastMessageIdStore, InMemoryLastMessageIdStore, LastMessageIdFileError, type LastMessageIdStore } from './last-message-store.js';
export { ListenerMetrics, listenerStates, type ListenerState, type CallOutcome } from './metrics.js';
export { startHealthServer, ProbeListenError, type HealthServer, type HealthServerOptions, type HealthSource } from './health-server.js';
export { StateWriteHealth } from './state-health.js';
export { createJsonLogger, SecretRedactor, silentLogger, describeError, type Logger, type LogFields, type LogLevel } from './logger.js';
export { ConfigError, parseConfig, usage, type ListenerConfig } from './config.js';
export { startListenerService, type ListenerService, type ListenerServiceOptions } from './service.js';
export { sleep } from './sleep.js';
