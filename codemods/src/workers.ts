import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import type { FileJob, FileOutcome, FileTask } from './process-file.js';
import { toReportPath } from './report.js';
import { describeError } from './usage-error.js';

/** Parsing is CPU-bound; beyond four threads the start-up cost of each ESLint instance wins. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

export interface WorkerData {
  task: FileTask;
}
export type ToWorker = { batch: FileJob[] };
export type FromWorker = { outcomes: FileOutcome[] };

/** Small batches keep both threads busy to the end; not one file each, to spare the message overhead. */
function batchSize(remaining: number, threads: number): number {
  return Math.max(1, Math.min(32, Math.ceil(remaining / (threads * 4))));
}

/**
 * Runs `task` on every file, in this thread when `threads` is 1, else on that many worker threads.
 * Outcomes arrive in completion order; callers sort. A worker that dies fails only the batch it held.
 */
export async function processFiles(
  jobs: readonly FileJob[],
  task: FileTask,
  threads: number,
  onOutcome: (outcome: FileOutcome) => void,
): Promise<void> {
  const workerCount = Math.min(threads, jobs.length);
  // Loaded on demand: with worker threads, this thread never pays for loading ESLint and the parser.
  const inThisThread = async (): Promise<(job: FileJob) => FileOutcome> => (await import('./process-file.js')).createFileProcessor(task);
  if (workerCount <= 1) {
    const processFile = await inThisThread();
    for (const job of jobs) onOutcome(processFile(job));
    return;
  }

  const queue = [...jobs];
  const workerScript = new URL('./worker.js', import.meta.url);
  const runWorker = (): Promise<void> =>
    new Promise((resolveWorker) => {
      const worker = new Worker(workerScript, { workerData: { task } satisfies WorkerData });
      let inFlight: FileJob[] = [];
      let settled = false;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        resolveWorker();
      };
      const sendNext = (): void => {
        inFlight = queue.splice(0, batchSize(queue.length, workerCount));
        if (inFlight.length === 0) {
          void worker.terminate().then(finish, finish);
          return;
        }
        worker.postMessage({ batch: inFlight } satisfies ToWorker);
      };
      worker.on('message', (message: FromWorker) => {
        for (const outcome of message.outcomes) onOutcome(outcome);
        sendNext();
      });
      const failBatch = (reason: string): void => {
        for (const job of inFlight) {
          const path = toReportPath(job.repo, job.path);
          onOutcome({
            record: { path, repo: job.repo, status: 'failed', sites: [], error: `${path}: worker thread failed: ${reason}` },
          });
        }
        inFlight = [];
      };
      worker.on('error', (error) => {
        failBatch(describeError(error));
        finish();
      });
      // A thread that ends without an error (process.exit in a library) while it holds a batch died all the same.
      worker.on('exit', (code) => {
        failBatch(`the thread exited with code ${String(code)} before answering`);
        finish();
      });
      sendNext();
    });

  await Promise.all(Array.from({ length: workerCount }, runWorker));
  // Only reachable with files left when every worker died: finish them here rather than drop them.
  if (queue.length > 0) {
    const processFile = await inThisThread();
    for (const job of queue.splice(0)) onOutcome(processFile(job));
  }
}
