#!/usr/bin/env node
// `npm run bench:listener`, part 1: what one injected fault costs the listener. For each fault, a fresh fake
// broker and listener service; once the session is up, the fault is injected and one job enqueued, and the
// broker's request log says how many token exchanges and session creates it took to get that job dispatched
// and acknowledged, beyond the first of each. Goal for a transient fault on poll, acquire or acknowledge:
// 0 and 0 (retried inside the session). Loopback only, bounded: every case gives up after --case-limit-s.
//
// Options: --case-limit-s <n> (default 30). Runs against the built package (the npm script builds it).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference-listener', 'dist');
if (!existsSync(join(dist, 'index.js'))) {
  process.stderr.write('bench:listener: reference-listener/dist is missing; run `npm run build -w reference-listener` first.\n');
  process.exit(1);
}
const { startListenerService, createJsonLogger } = await import(pathToFileURL(join(dist, 'index.js')).href);
const { startFakeBroker } = await import(pathToFileURL(join(dist, 'testing.js')).href);

const { values } = parseArgs({ options: { 'case-limit-s': { type: 'string', default: '30' } } });
const caseLimitMs = Number(values['case-limit-s']) * 1000;
if (!Number.isSafeInteger(caseLimitMs) || caseLimitMs < 1000) {
  process.stderr.write(`bench:listener: --case-limit-s must be a whole number of seconds, at least 1, got ${JSON.stringify(values['case-limit-s'])}\n`);
  process.exit(2);
}

const inject = (endpoint, fault, times) => (broker) => broker.injectFault(endpoint, fault, times);
/** `atStart`: the fault is on a call made only when a listener starts, so it is injected before the service starts. */
const cases = [
  { name: 'getMessage 503', meetsPollFirst: true, arrange: inject('getMessage', { kind: 'status', status: 503 }) },
  { name: 'getMessage reset', meetsPollFirst: true, arrange: inject('getMessage', { kind: 'reset' }) },
  { name: 'getMessage truncated body', meetsPollFirst: true, arrange: inject('getMessage', { kind: 'truncatedBody' }) },
  { name: 'acquireJobs 500', arrange: inject('acquireJobs', { kind: 'status', status: 500 }) },
  { name: 'acquireJobs reset', arrange: inject('acquireJobs', { kind: 'reset' }) },
  { name: 'acquireJobs stall (deadline)', arrange: inject('acquireJobs', { kind: 'stallAfterRequest' }) },
  { name: 'acquireJobs answer lost (granted, late)', arrange: inject('acquireJobs', { kind: 'delayedSuccess', delayMs: 400 }) },
  { name: 'acknowledgeMessage 500', arrange: inject('acknowledgeMessage', { kind: 'status', status: 500 }) },
  { name: 'acknowledgeMessage truncated body', arrange: inject('acknowledgeMessage', { kind: 'truncatedBody' }) },
  { name: 'acknowledgeMessage stall (deadline)', arrange: inject('acknowledgeMessage', { kind: 'stallAfterAccept' }) },
  {
    name: 'acknowledgeMessage 500 for 6 s',
    arrange: (broker) => {
      broker.injectFault('acknowledgeMessage', { kind: 'status', status: 500 }, 'always');
      setTimeout(() => broker.clearFaults(), 6_000).unref();
    },
  },
  { name: 'session gone (404 on poll)', arrange: (broker) => broker.ledger.endSession([...broker.ledger.activeSessions.keys()][0], 'expired') },
  { name: 'token rejected (401 on acquire)', arrange: inject('acquireJobs', { kind: 'status', status: 401 }) },
  { name: 'queue token rejected (401 on poll), refresh reset', meetsPollFirst: true, arrange: (broker) => (inject('getMessage', { kind: 'status', status: 401 })(broker), inject('refreshSession', { kind: 'reset' })(broker)) },
  { name: 'exchangeToken slow (deadline), at start', atStart: true, arrange: inject('exchangeToken', { kind: 'slowHeaders', delayMs: 1_000 }) },
  { name: 'createSession stall (deadline), at start', atStart: true, arrange: inject('createSession', { kind: 'stallAfterAccept' }) },
];

async function waitUntil(condition, limitMs) {
  const giveUpAt = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

const sum = async (metric) => (await metric.get()).values.reduce((total, sample) => total + sample.value, 0);

async function measure(testCase) {
  const broker = await startFakeBroker({ holdMs: 50, sessionIdleTimeoutMs: 60_000 });
  const restartReasons = [];
  const logger = createJsonLogger({
    level: 'warn',
    write: (line) => {
      const record = JSON.parse(line);
      if (record.event === 'listener-restarting') restartReasons.push(record.reason);
    },
  });
  if (testCase.atStart) testCase.arrange(broker);
  const service = await startListenerService({
    brokerUrl: broker.url,
    scaleSetId: broker.scaleSetId,
    clientId: 'bench',
    clientAssertion: () => 'eyJhbGciOiJSUzI1NiJ9.bench-assertion.signature',
    // The fake broker speaks plain HTTP on loopback.
    brokerTransport: { allowInsecureHttp: true },
    ownerName: 'bench',
    controlPlaneTimeoutMs: 200,
    longPollTimeoutMs: 2_000,
    watchdogMarginMs: 500,
    backoff: { baseMs: 20, capMs: 200 },
    sessionConflictWindowMs: 3_000,
    sessionConflictRetryBaseMs: 20,
    logger,
    scaler: { handOff: async (job) => broker.ledger.recordDispatched(job.runnerRequestId) },
  });
  const startedAt = performance.now();
  try {
    const up = await waitUntil(() => service.supervisor.isReady(), caseLimitMs);
    // Without the fault, a listener costs one exchange and one create; those are not the fault's.
    const exchangesBefore = testCase.atStart ? 1 : broker.requestsTo('exchangeToken').length;
    const createsBefore = testCase.atStart ? 1 : broker.requestsTo('createSession').length;
    if (!testCase.atStart) testCase.arrange(broker);
    // A poll already held open when the fault is injected would carry the job past it: wait until a poll meets it.
    const pollFault = () => broker.requestsTo('getMessage').some((entry) => entry.fault !== undefined);
    if (testCase.meetsPollFirst) await waitUntil(pollFault, caseLimitMs);
    const messageId = broker.enqueueJobs([{ runnerRequestId: 1, jobId: 'job-1' }]);
    const done = up && (await waitUntil(() => broker.ledger.isAcknowledged(messageId) && broker.ledger.dispatchCount(1) >= 1, caseLimitMs));
    return {
      name: testCase.name,
      done,
      tokenExchanges: broker.requestsTo('exchangeToken').length - exchangesBefore,
      sessionCreates: broker.requestsTo('createSession').length - createsBefore,
      faultsServed: broker.requestLog.filter((entry) => entry.fault !== undefined).length,
      restarts: await sum(service.metrics.restarts),
      restartReasons: [...new Set(restartReasons)].join(','),
      retries: await sum(service.metrics.retries),
      dispatched: broker.ledger.dispatchCount(1),
      ms: Math.round(performance.now() - startedAt),
    };
  } finally {
    await service.stop(1_000);
    await broker.close();
  }
}

const results = [];
for (const testCase of cases) results.push(await measure(testCase));

const columns = ['token exchanges', 'session creates', 'retries', 'restarts', 'faults served', 'dispatched', 'ms'];
const reasonsColumn = '  restart reasons';
process.stdout.write(`bench:listener fault cost: one fault, one job; counts beyond the first exchange and create (load ${loadavg()[0].toFixed(1)})\n\n`);
process.stdout.write(`${'fault'.padEnd(52)}${columns.map((column) => column.padStart(17)).join('')}${reasonsColumn}\n`);
for (const result of results) {
  const cells = [result.tokenExchanges, result.sessionCreates, result.retries, result.restarts, result.faultsServed, result.dispatched, result.done ? result.ms : `gave up ${result.ms}`];
  process.stdout.write(`${result.name.padEnd(52)}${cells.map((cell) => String(cell).padStart(17)).join('')}  ${result.restartReasons}\n`);
}
const transient = results.filter((result) => /^(getMessage|acquireJobs|acknowledgeMessage) /.test(result.name) && !result.name.endsWith('for 6 s'));
const summary = {
  cases: results.length,
  completed: results.filter((result) => result.done).length,
  duplicated: results.filter((result) => result.dispatched > 1).length,
  transientFaults: transient.length,
  transientTokenExchanges: transient.reduce((total, result) => total + result.tokenExchanges, 0),
  transientSessionCreates: transient.reduce((total, result) => total + result.sessionCreates, 0),
};
process.stdout.write(
  `\n${summary.transientFaults} transient faults on poll, acquire and acknowledge: ${summary.transientTokenExchanges} token exchanges, ${summary.transientSessionCreates} session creates (goal 0 and 0)\n`,
);
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exitCode = summary.completed === summary.cases && summary.duplicated === 0 && summary.transientTokenExchanges === 0 && summary.transientSessionCreates === 0 ? 0 : 1;
