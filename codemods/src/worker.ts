import { parentPort, workerData } from 'node:worker_threads';

import { createFileProcessor } from './process-file.js';
import type { FromWorker, ToWorker, WorkerData } from './workers.js';

// One ESLint/ts-morph set-up per thread, reused for every batch it is sent.
const { task } = workerData as WorkerData;
const processFile = await createFileProcessor(task);

parentPort?.on('message', (message: ToWorker) => {
  const reply: FromWorker = { outcomes: message.batch.map(processFile) };
  parentPort?.postMessage(reply);
});
