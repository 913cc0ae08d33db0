// The fake broker: a real loopback server that speaks the broker protocol and can stall anywhere.
// One concern per file: the HTTP server (server.ts), the faults (faults.ts), the state of record (ledger.ts),
// a TCP peer that accepts and never reads (silent-server.ts), the side effect's receiver (hand-off-sink.ts),
// and the crash test that kills the real CLI again and again (kill-campaign.ts).
export { startFakeBroker, type FakeBroker, type FakeBrokerOptions, type RequestLogEntry } from './server.js';
export { FaultPlan, type FakeBrokerEndpoint, type Fault, type FaultKind } from './faults.js';
export { BrokerLedger, type ActiveSession, type EnqueuedJob } from './ledger.js';
export { startSilentServer, type SilentServer } from './silent-server.js';
export { startHandOffSink, type HandOffSink } from './hand-off-sink.js';
export { runKillCampaign, type KillCampaignOptions, type KillCampaignResult } from './kill-campaign.js';
