#!/usr/bin/env node
// `npm run bench:listener:stall`: the stall-detection ratio of the broker client.
//
// For every operation and every fault that should end in DeadlineExceededError, it measures the time
// from the call to the rejection and divides it by the configured deadline. A ratio of 1.0 means the
// stall was detected exactly at the deadline; the goal is a median of at most 1.1.
//
// Options: --deadline-ms <n> (control-plane deadline, default 300), --long-poll-ms <n> (default 1000),
// --repeats <n> (runs per case, default 3). Runs against the built package: `npm run build` first
// (the npm script does it).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference-listener');
const distFile = (file) => join(packageRoot, 'dist', file);
if (!existsSync(distFile('broker-client.js'))) {
  process.stderr.write('bench:listener:stall: reference-listener/dist is missing; run `npm run build -w reference-listener` first.\n');
  process.exit(1);
}
const { BrokerClient } = await import(pathToFileURL(distFile('broker-client.js')).href);
const { DeadlineExceededError } = await import(pathToFileURL(distFile('errors.js')).href);
const { startFakeBroker } = await import(pathToFileURL(distFile('testing.js')).href);

function positiveInteger(name, text) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    process.stderr.write(`bench:listener:stall: --${name} must be a positive whole number, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    'deadline-ms': { type: 'string', default: '300' },
    'long-poll-ms': { type: 'string', default: '1000' },
    repeats: { type: 'string', default: '3' },
  },
});
const controlPlaneTimeoutMs = positiveInteger('deadline-ms', values['deadline-ms']);
const longPollTimeoutMs = positiveInteger('long-poll-ms', values['long-poll-ms']);
const repeats = positiveInteger('repeats', values.repeats);

const faults = [
  { kind: 'stallAfterAccept' },
  { kind: 'stallAfterRequest' },
  { kind: 'slowHeaders', delayMs: 60_000 },
  { kind: 'trickleBody', intervalMs: 20 },
];

const broker = await startFakeBroker({ holdMs: 50, sessionIdleTimeoutMs: 600_000 });
const client = new BrokerClient({
  brokerUrl: broker.url,
  scaleSetId: broker.scaleSetId,
  clientId: 'bench',
  clientAssertion: () => 'bench-assertion',
  // The fake broker speaks plain HTTP on loopback.
  allowInsecureHttp: true,
  controlPlaneTimeoutMs,
  longPollTimeoutMs,
});
const token = await client.exchangeToken();
const session = await client.createSession(token, 'bench');
broker.enqueueJobs([{ runnerRequestId: 1, jobId: 'job-1' }]);

const operations = {
  exchangeToken: () => client.exchangeToken(),
  createSession: () => client.createSession(token, 'bench-second-owner'),
  refreshSession: () => client.refreshSession(token, session.sessionId),
  deleteSession: () => client.deleteSession(token, session.sessionId),
  getMessage: () => client.getMessage(session, 0),
  acknowledgeMessage: () => client.acknowledgeMessage(session, 1),
  acquireJobs: () => client.acquireJobs(token, [1]),
};

/**
 * On a loaded machine a call can give up before its request reaches the broker. Wait (at most 2 s)
 * for it to arrive, then drop an unconsumed fault, so neither lands on the next sample.
 */
async function settleFault(operation, requestsBefore) {
  const giveUpAt = Date.now() + 2_000;
  while (broker.requestsTo(operation).length === requestsBefore && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  broker.clearFaults();
}

const samples = [];
try {
  for (const [operation, call] of Object.entries(operations)) {
    const deadlineMs = operation === 'getMessage' ? longPollTimeoutMs : controlPlaneTimeoutMs;
    for (const fault of faults) {
      for (let run = 0; run < repeats; run++) {
        const requestsBefore = broker.requestsTo(operation).length;
        broker.injectFault(operation, fault);
        const started = performance.now();
        const outcome = await call().then(
          () => undefined,
          (error) => error,
        );
        const elapsedMs = performance.now() - started;
        await settleFault(operation, requestsBefore);
        if (!(outcome instanceof DeadlineExceededError)) {
          throw new Error(`${operation} under ${fault.kind} ended with ${outcome === undefined ? 'success' : outcome.name}, expected DeadlineExceededError`);
        }
        samples.push({ operation, fault: fault.kind, deadlineMs, elapsedMs, ratio: elapsedMs / deadlineMs });
      }
    }
  }
} finally {
  await client.close();
  await broker.close();
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const format = (ratio) => ratio.toFixed(3);

process.stdout.write(`Stall-detection ratio (time to DeadlineExceededError / deadline)\n`);
process.stdout.write(`control-plane deadline ${controlPlaneTimeoutMs} ms, long-poll ${longPollTimeoutMs} ms, ${repeats} run(s) per case, node ${process.version}\n\n`);
process.stdout.write(`${'operation'.padEnd(20)}${faults.map((fault) => fault.kind.padStart(19)).join('')}\n`);
for (const operation of Object.keys(operations)) {
  const cells = faults.map((fault) => {
    const ratios = samples.filter((sample) => sample.operation === operation && sample.fault === fault.kind).map((sample) => sample.ratio);
    return `${format(median(ratios))} / ${format(Math.max(...ratios))}`.padStart(19);
  });
  process.stdout.write(`${operation.padEnd(20)}${cells.join('')}\n`);
}
const ratios = samples.map((sample) => sample.ratio);
const summary = { cases: samples.length, medianRatio: Number(format(median(ratios))), maxRatio: Number(format(Math.max(...ratios))), goalMedianAtMost: 1.1 };
process.stdout.write(`\n(cells: median / max)\nmedian ${format(summary.medianRatio)}, max ${format(summary.maxRatio)} over ${summary.cases} stalled calls (goal: median <= 1.1)\n`);
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exitCode = summary.medianRatio <= summary.goalMedianAtMost ? 0 : 1;
