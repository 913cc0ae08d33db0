// The package's test doubles, on an entry of their own (`bounded-http-reference-listener/testing`): the fake
// broker is for tests, benchmarks and the demo, and has no place in the template's main surface.
export {
  startFakeBroker,
  startSilentServer,
  BrokerLedger,
  FaultPlan,
  type FakeBroker,
  type FakeBrokerOptions,
  type RequestLogEntry,
  type Fault,
  type FaultKind,
  type FakeBrokerEndpoint,
  type ActiveSession,
  type EnqueuedJob,
  type SilentServer,
  startHandOffSink,
  runKillCampaign,
  type HandOffSink,
  type KillCampaignOptions,
  type KillCampaignResult,
} from './fake-broker/index.js';
