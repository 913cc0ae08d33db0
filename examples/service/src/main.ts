// The billing sync worker's process entry point: process-wide settings, set once, then the worker until a stop signal.
import https from 'node:https';

import { runWorker } from './worker.js';

// Every https call in the process shares the global agent, libraries included, so its size is a decision about the
// whole process: made here, before the first request, and nowhere else (webhook-sender.ts only sends).
// eslint-disable-next-line bounded-http/no-global-agent -- entry point: the one place that sizes the process-wide https pool
https.globalAgent.maxSockets = 64;

// A stop signal ends the loop between polls; the poll in flight is bounded by LONG_POLL_TIMEOUT_MS.
const shutdown = new AbortController();
for (const stopSignal of ['SIGTERM', 'SIGINT'] as const) process.once(stopSignal, () => shutdown.abort());

runWorker(shutdown.signal).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
