// The fake broker: a real loopback server that speaks the broker protocol and can stall anywhere.
// One concern per file: the HTTP server (server.ts), the faults (faults.ts), the state of record (ledger.ts),
// and a TCP peer that accepts and never reads (silent-server.ts).
export { startFakeBroker, type FakeBroker, type FakeBrokerOptions, type RequestLogEntry } from './server.js';
export { FaultPlan, type FakeBrokerEndpoint, type Fault, type FaultKind } from './faults.js';
export { BrokerLedger, type ActiveSession, type EnqueuedJob } from './ledger.js';
export { startSilentServer, type SilentServer } from './silent-server.js';
