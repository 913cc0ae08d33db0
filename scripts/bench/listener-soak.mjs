#!/usr/bin/env node
// `npm run bench:listener`: first what one fault costs (listener-fault-cost.mjs), then a soak of 12,000 jobs
// through the fake broker with one fault every 150 ms sprinkled in, then the stall-detection ratio
// (`npm run bench:listener:stall`) when that script exists. Loopback only; the soak stops at --limit-s.
//
// Reports jobs lost and duplicated (goal 0 and 0, read from the broker's ledger), throughput, the longest
// stall (the longest time without a dispatch), token exchanges and session creates against the faults served,
// retries, restarts, and RSS at start and end. Options: --jobs <n> (default 12000), --jobs-per-message <n>
// (default 10), --listeners <n> (default 2), --fault-every-ms <n> (default 150), --limit-s <n> (default 300).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'reference-listener', 'dist', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write('bench:listener: reference-listener/dist is missing; run `npm run build -w reference-listener` first.\n');
  process.exit(1);
}
const { startListenerService, createJsonLogger } = await import(pathToFileURL(entry).href);
const { startFakeBroker } = await import(pathToFileURL(join(root, 'reference-listener', 'dist', 'testing.js')).href);

function positiveInteger(name, text) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    process.stderr.write(`bench:listener: --${name} must be a positive whole number, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}
const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '12000' },
    'jobs-per-message': { type: 'string', default: '10' },
    listeners: { type: 'string', default: '2' },
    'fault-every-ms': { type: 'string', default: '150' },
    'limit-s': { type: 'string', default: '300' },
  },
});
const jobCount = positiveInteger('jobs', values.jobs);
const jobsPerMessage = positiveInteger('jobs-per-message', values['jobs-per-message']);
const listenerCount = positiveInteger('listeners', values.listeners);
const faultEveryMs = positiveInteger('fault-every-ms', values['fault-every-ms']);
const limitMs = positiveInteger('limit-s', values['limit-s']) * 1000;

// Faults that end a call one way or another; each costs the listener a restart or a retry.
const sprinkled = [
  ['acquireJobs', { kind: 'reset' }],
  ['acquireJobs', { kind: 'stallAfterRequest' }],
  ['acquireJobs', { kind: 'delayedSuccess', delayMs: 400 }],
  ['acknowledgeMessage', { kind: 'status', status: 500 }],
  ['acknowledgeMessage', { kind: 'truncatedBody' }],
  ['acknowledgeMessage', { kind: 'stallAfterAccept' }],
  ['getMessage', { kind: 'reset' }],
  ['getMessage', { kind: 'truncatedBody' }],
  ['getMessage', { kind: 'status', status: 503, retryAfterSeconds: 0 }],
  ['createSession', { kind: 'stallAfterAccept' }],
  ['exchangeToken', { kind: 'slowHeaders', delayMs: 1_000 }],
  ['refreshSession', { kind: 'reset' }],
  ['deleteSession', { kind: 'trickleBody' }],
];
// A fixed-seed generator, so two runs sprinkle the same faults in the same order.
let seed = 0x2545f491;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};

const faultCostFailed = spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'listener-fault-cost.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0;
process.stdout.write('\n');

const rssStartMb = process.memoryUsage().rss / 2 ** 20;
const broker = await startFakeBroker({ holdMs: 50, sessionIdleTimeoutMs: 500 });
for (let first = 0; first < jobCount; first += jobsPerMessage) {
  const jobs = [];
  for (let id = first; id < Math.min(jobCount, first + jobsPerMessage); id++) jobs.push({ runnerRequestId: id + 1, jobId: `soak-${id + 1}` });
  broker.enqueueJobs(jobs);
}

let faultsInjected = 0;
const faultTimer = setInterval(() => {
  const [endpoint, fault] = sprinkled[Math.floor(random() * sprinkled.length)];
  broker.injectFault(endpoint, fault);
  faultsInjected++;
}, faultEveryMs);

const startedAt = performance.now();
// The longest time without a dispatch, from the start (so a slow first session counts too).
let lastDispatchAt = startedAt;
let longestStallMs = 0;
const restartCauses = new Map();
const service = await startListenerService({
  brokerUrl: broker.url,
  scaleSetId: broker.scaleSetId,
  clientId: 'soak',
  clientAssertion: () => 'eyJhbGciOiJSUzI1NiJ9.soak-assertion.signature',
  // The fake broker speaks plain HTTP on loopback.
  brokerTransport: { allowInsecureHttp: true },
  ownerName: 'soak',
  listenerCount,
  controlPlaneTimeoutMs: 200,
  longPollTimeoutMs: 2_000,
  watchdogMarginMs: 500,
  backoff: { baseMs: 20, capMs: 200 },
  configOrAuthBackoffCapMs: 1_000,
  sessionConflictWindowMs: 3_000,
  sessionConflictRetryBaseMs: 20,
  mayHoldTtlMs: 3_000,
  heldJobRetryDelayMs: 50,
  // Only the restarts are kept: which call failed, so the report can say what a restart was for.
  logger: createJsonLogger({
    level: 'warn',
    write: (line) => {
      const record = JSON.parse(line);
      if (record.event !== 'listener-restarting') return;
      const cause = `${record.error?.operation ?? record.error?.name ?? 'unknown'} ${record.reason}`;
      restartCauses.set(cause, (restartCauses.get(cause) ?? 0) + 1);
    },
  }),
  random,
  scaler: {
    handOff: async (job) => {
      const now = performance.now();
      if (lastDispatchAt !== undefined) longestStallMs = Math.max(longestStallMs, now - lastDispatchAt);
      lastDispatchAt = now;
      broker.ledger.recordDispatched(job.runnerRequestId);
    },
  },
});

const messageIds = [...new Set(broker.ledger.enqueued.map((job) => job.messageId))];
const done = () => broker.ledger.acknowledged.length >= messageIds.length;
while (!done() && performance.now() - startedAt < limitMs) await new Promise((resolve) => setTimeout(resolve, 50));
const elapsedS = (performance.now() - startedAt) / 1000;
clearInterval(faultTimer);
const total = async (metric) => (await metric.get()).values.reduce((sum, sample) => sum + sample.value, 0);
const restarts = await total(service.metrics.restarts);
const retries = await total(service.metrics.retries);
const restartReasons = [...restartCauses].map(([cause, count]) => `${cause} ×${count}`).join(', ');
const duplicatesSuppressed = (await service.metrics.duplicatesSuppressed.get()).values.reduce((sum, sample) => sum + sample.value, 0);
await service.stop(2_000);
await broker.close();

const counts = new Map();
for (const id of broker.ledger.dispatched) counts.set(id, (counts.get(id) ?? 0) + 1);
const lost = broker.ledger.enqueued.filter((job) => !counts.has(job.runnerRequestId)).length;
const duplicated = [...counts.values()].filter((count) => count > 1).length;
const faultsServed = broker.requestLog.filter((request) => request.fault !== undefined).length;
const tokenExchanges = broker.requestsTo('exchangeToken').length;
const sessionCreates = broker.requestsTo('createSession').length;
const rssEndMb = process.memoryUsage().rss / 2 ** 20;

process.stdout.write(
  [
    `bench:listener soak: ${jobCount} jobs in ${messageIds.length} messages, ${listenerCount} listeners, 200 ms control-plane deadline, one fault every ${faultEveryMs} ms (load ${loadavg()[0].toFixed(1)})`,
    `  completed:      ${done() ? 'yes' : `NO (stopped at the ${limitMs / 1000} s limit)`} in ${elapsedS.toFixed(1)} s`,
    `  jobs lost:      ${lost} (goal 0)`,
    `  jobs duplicated:${String(duplicated).padStart(2)} (goal 0)`,
    `  throughput:     ${(jobCount / elapsedS).toFixed(0)} jobs/s`,
    `  longest stall:  ${(longestStallMs / 1000).toFixed(2)} s without a dispatch`,
    `  faults:         ${faultsInjected} injected, ${faultsServed} served; ${retries} retried in the session; ${restarts} listener restarts (${restartReasons || 'none'}); ${duplicatesSuppressed} redelivered jobs dropped as duplicates`,
    `  broker cost:    ${tokenExchanges} token exchanges, ${sessionCreates} session creates for ${faultsServed} faults served (${listenerCount} of each to start)`,
    `  RSS:            ${rssStartMb.toFixed(0)} MB at start, ${rssEndMb.toFixed(0)} MB at end`,
    '',
  ].join('\n'),
);
const soakFailed = !done() || lost > 0 || duplicated > 0;

const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
let stallFailed = false;
if (scripts['bench:listener:stall'] !== undefined) {
  process.stdout.write('\n$ npm run bench:listener:stall\n');
  stallFailed = spawnSync('npm', ['run', '--silent', 'bench:listener:stall'], { cwd: root, stdio: 'inherit' }).status !== 0;
}
process.exit(faultCostFailed || soakFailed || stallFailed ? 1 : 0);
