#!/usr/bin/env node
// `npm run demo`, section 2: the built reference listener against the fake broker, which stalls a
// create-session and then an acquire-job. Every timeline line below is printed from a real event: the
// listener's structured log lines, the fake broker's request log and its ledger. Nothing is canned.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'reference-listener', 'dist', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write(`${entry} is missing: run npm run build first.\n`);
  process.exit(1);
}
const { startListenerService, createJsonLogger, SecretRedactor } = await import(pathToFileURL(entry).href);
const { startFakeBroker } = await import(pathToFileURL(join(root, 'reference-listener', 'dist', 'testing.js')).href);

const CONTROL_PLANE_TIMEOUT_MS = 1_000;
const LONG_POLL_TIMEOUT_MS = 3_000;
const DEMO_LIMIT_MS = 30_000;
const startedAt = Date.now();
const clock = () => `+${String(Date.now() - startedAt).padStart(5)} ms`;
const say = (text) => process.stdout.write(`${clock()}  ${text}\n`);

const broker = await startFakeBroker({ holdMs: 500, sessionIdleTimeoutMs: 1_000 });
say(`fake broker listening on ${broker.url}`);
const runnerRequestId = 42;
broker.enqueueJobs([{ runnerRequestId, jobId: 'build-and-test' }]);
say(`broker: job ${runnerRequestId} queued`);
broker.injectFault('createSession', { kind: 'stallAfterAccept' });
broker.injectFault('acquireJobs', { kind: 'stallAfterRequest' });
say('broker: the next create-session will be accepted and never answered; so will the next acquire-job');

const describe = {
  'listener-service-started': (r) => `listener started: control-plane deadline ${r.controlPlaneTimeoutMs} ms, long-poll deadline ${r.longPollTimeoutMs} ms`,
  'broker-call-failed': (r) =>
    r.outcome === 'deadline_exceeded'
      ? `${r.operation}: DeadlineExceededError after ${r.durationMs} ms (deadline ${r.error?.ms} ms); the call was aborted`
      : r.outcome === 'cancelled'
        ? `${r.operation}: aborted by shutdown after ${r.durationMs} ms`
        : `${r.operation}: failed (${r.outcome}) after ${r.durationMs} ms`,
  'listener-restarting': (r) => `supervisor: restarting listener ${r.listener} (reason ${r.reason}) in ${r.delayMs} ms`,
  'session-created': (r) => `session registered: ${r.sessionId}`,
  'session-conflict-retrying': (r) => `create-session answered 409 (the old session still exists); retrying in ${r.delayMs} ms`,
  'jobs-acquired': (r) => `acquired jobs [${r.acquired.join(', ')}]`,
  'job-dispatched': (r) => `job ${r.runnerRequestId} handed off to the scaler; acknowledging the message now`,
  'session-deleted': (r) => `session ${r.sessionId} deleted`,
  'session-delete-failed': (r) => `session ${r.sessionId} could not be deleted (${r.error?.name}); the broker will expire it`,
  'listener-service-stopped': () => 'listener stopped',
};
const redactor = new SecretRedactor();
const logger = createJsonLogger({
  level: 'info',
  redactor,
  write: (line) => {
    const record = JSON.parse(line);
    const text = describe[record.event]?.(record);
    if (text !== undefined) say(text);
  },
});

const service = await startListenerService({
  brokerUrl: broker.url,
  scaleSetId: broker.scaleSetId,
  clientId: 'demo-listener',
  clientAssertion: () => 'eyJhbGciOiJSUzI1NiJ9.demo-assertion.signature',
  // The fake broker speaks plain HTTP on loopback.
  brokerTransport: { allowInsecureHttp: true },
  ownerName: 'demo-host',
  controlPlaneTimeoutMs: CONTROL_PLANE_TIMEOUT_MS,
  longPollTimeoutMs: LONG_POLL_TIMEOUT_MS,
  backoff: { baseMs: 200, capMs: 2_000 },
  sessionConflictWindowMs: 5_000,
  sessionConflictRetryBaseMs: 200,
  logger,
  redactor,
  scaler: {
    handOff: async (job) => {
      broker.ledger.recordDispatched(job.runnerRequestId);
      say(`scaler: starting a runner for job ${job.runnerRequestId} (${job.jobId})`);
    },
  },
});

const deadline = Date.now() + DEMO_LIMIT_MS;
const messageId = broker.ledger.enqueued.find((job) => job.runnerRequestId === runnerRequestId)?.messageId;
while (!(broker.ledger.dispatchCount(runnerRequestId) >= 1 && broker.ledger.isAcknowledged(messageId)) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
// Two more polls: a duplicate dispatch, if there were one, would show up now.
const polls = broker.requestsTo('getMessage').length;
while (broker.requestsTo('getMessage').length < polls + 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
say(`broker ledger: message ${messageId} acknowledged: ${broker.ledger.isAcknowledged(messageId)}`);
say('shutting down (as on SIGTERM): stop polling, abort the in-flight poll, delete the session');
await service.stop(5_000);
await broker.close();

const dispatched = broker.ledger.dispatchCount(runnerRequestId);
const stalled = broker.requestLog.filter((request) => request.fault !== undefined).map((request) => `${request.endpoint} (${request.fault})`);
process.stdout.write(`\nStalls the broker served: ${stalled.join(', ')}\n`);
process.stdout.write(`Job ${runnerRequestId} dispatched ${dispatched} time(s) according to the broker's ledger.\n`);
process.exit(dispatched === 1 ? 0 : 1);
