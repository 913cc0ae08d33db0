import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { createFileProcessor } from './process-file.js';
import type { FromWorker, ToWorker, WorkerData } from './workers.js';

/**
 * Test-only fault injection, like BOUNDED_HTTP_TEST_FAIL_WRITE: `throw:<base name>` or `exit:<base name>` makes
 * this thread die, before answering, on a batch that holds a file of that base name (`*`: on any batch): by an
 * uncaught exception (as a bug in a parser would) or by process.exit (as a library that calls it would). The CLI
 * tests use it to prove that a dead worker fails only the batch it held. Nothing else reads it.
 */
const crashForTestsEnv = 'BOUNDED_HTTP_TEST_CRASH_WORKER';
const crashForTests = /^(throw|exit):(.+)$/u.exec(process.env[crashForTestsEnv] ?? '');

function crashIfAskedForTests(message: ToWorker): void {
  const [, how, fileName] = crashForTests ?? [];
  if (fileName === undefined || !message.batch.some((job) => fileName === '*' || basename(job.path) === fileName)) return;
  if (how === 'exit') process.exit(70);
  throw new Error(`simulated worker crash (${crashForTestsEnv})`);
}

// One ESLint/ts-morph set-up per thread, reused for every batch it is sent.
const { task } = workerData as WorkerData;
const processFile = await createFileProcessor(task);

parentPort?.on('message', (message: ToWorker) => {
  crashIfAskedForTests(message);
  const reply: FromWorker = { outcomes: message.batch.map(processFile) };
  parentPort?.postMessage(reply);
});
