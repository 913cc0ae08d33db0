// The reference listener's public surface, layer by layer: broker client (HTTP, auth, deadlines) →
// listener (session, poll, acquire, acknowledge) → scaler (the side effect), with a supervisor above.
export * from './broker-protocol.js';
export * from './errors.js';
export { withDeadline } from './deadline.js';
export { BrokerClient, type AccessToken, type BrokerClientOptions } from './broker-client.js';
export { startFakeBroker, BrokerLedger, type FakeBroker, type FakeBrokerOptions, type Fault, type FaultKind, type FakeBrokerEndpoint } from './fake-broker/index.js';
export { AccessTokenSource, type TokenExchanger } from './token-source.js';
export { Listener, ListenerMemory, HandOffError, parseJobMessages, type ListenerBroker, type ListenerObserver, type ListenerOptions, type ListenerSignals } from './listener.js';
export { Supervisor, WatchdogTimeoutError, ShutdownGraceExpiredError, restartReason, type SupervisedListener, type SupervisorOptions, type RestartReason, type ListenerStatus } from './supervisor.js';
export { fullJitterDelayMs, type BackoffPolicy, type RandomSource } from './backoff.js';
export { DemoScaler, jobHandoff, type JobHandoff, type Scaler } from './scaler.js';
export { WebhookScaler } from './webhook-scaler.js';
export { DeliveryJournal, DeliveryJournalFileError, type AcquireAttempt, type DeliveryJournalOptions, type HeldJob } from './delivery-journal.js';
export { StateDirectory, StateDirectoryError, type StateWriteFailure } from './state-directory.js';
export { AtomicFile, StateFileError, type WriteOutcomeObserver } from './atomic-file.js';
export { FileLastMessageIdStore, InMemoryLastMessageIdStore, LastMessageIdFileError, type LastMessageIdStore } from './last-message-store.js';
export { ListenerMetrics, listenerStates, type ListenerState, type CallOutcome } from './metrics.js';
export { startHealthServer, type HealthServer, type HealthSource } from './health-server.js';
export { createJsonLogger, SecretRedactor, silentLogger, describeError, type Logger, type LogFields, type LogLevel } from './logger.js';
export { ConfigError, parseConfig, usage, type ListenerConfig } from './config.js';
export { startListenerService, type ListenerService, type ListenerServiceOptions } from './service.js';
export { sleep } from './sleep.js';
