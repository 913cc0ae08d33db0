import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { type FileJob, type FileOutcome, type FileTask, failedOutcome } from './file-job.js';
import { screenFile } from './screen-file.js';

/** Parsing is CPU-bound; beyond four threads the start-up cost of each ESLint instance wins. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/**
 * Candidate files (those the pre-filter lets through) per analysis thread. A thread first spends about a
 * second of CPU loading ESLint, the TypeScript parser and the plugin, about what parsing 250 candidate files
 * of a few kilobytes costs; a thread that would get fewer would cost more than it saves.
 */
export const CANDIDATES_PER_THREAD = 250;

/** How many analysis threads `candidates` files are worth, at most `maxThreads`. */
export function threadsFor(candidates: number, maxThreads: number): number {
  return Math.max(1, Math.min(maxThreads, Math.ceil(candidates / CANDIDATES_PER_THREAD)));
}

export interface WorkerData {
  task: FileTask;
}
export type ToWorker = { batch: FileJob[] };
export type FromWorker = { outcomes: FileOutcome[] };

/** Small batches keep every thread busy to the end; not one file each, to spare the message overhead. */
function batchSize(remaining: number, threads: number): number {
  return Math.max(1, Math.min(32, Math.ceil(remaining / (threads * 4))));
}

/**
 * Analysis threads that start as soon as they are known to be worth it: loading ESLint in a new thread
 * overlaps the screening that is still going on in this one.
 */
class AnalysisThreads {
  readonly #workers: Worker[] = [];
  readonly #task: FileTask;
  readonly #script = new URL('./worker.js', import.meta.url);

  constructor(task: FileTask) {
    this.#task = task;
  }

  get size(): number {
    return this.#workers.length;
  }

  growTo(count: number): void {
    while (this.#workers.length < count) this.#workers.push(new Worker(this.#script, { workerData: { task: this.#task } satisfies WorkerData }));
  }

  /**
   * Hands out `queue` in batches to every thread until it is empty. Outcomes arrive in completion order.
   * A thread that dies fails only the batch it held; the files it never got go to the threads still alive.
   */
  async drain(queue: FileJob[], onOutcome: (outcome: FileOutcome) => void): Promise<void> {
    const threadCount = this.#workers.length;
    await Promise.all(
      this.#workers.map(
        (worker) =>
          new Promise<void>((resolveWorker) => {
            let inFlight: FileJob[] = [];
            let settled = false;
            const finish = (): void => {
              if (settled) return;
              settled = true;
              resolveWorker();
            };
            const sendNext = (): void => {
              inFlight = queue.splice(0, batchSize(queue.length, threadCount));
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
            worker.on('error', (error) => {
              for (const job of inFlight) onOutcome(failedOutcome(job, 'worker thread failed', error));
              inFlight = [];
              finish();
            });
            // A thread that ends without an error (process.exit in a library) while it holds a batch died all the same.
            worker.on('exit', (code) => {
              for (const job of inFlight) onOutcome(failedOutcome(job, 'worker thread failed', `the thread exited with code ${String(code)} before answering`));
              inFlight = [];
              finish();
            });
            sendNext();
          }),
      ),
    );
  }
}

/**
 * Runs `task` on every file. This thread screens each file with the plugin's text pre-filter, so a file no rule
 * can report on is settled without ever loading ESLint. The candidates are parsed in this thread when they
 * are worth one thread (`threadsFor`) or `maxThreads` is 1, else on as many worker threads as they are worth,
 * started while the screening goes on. Outcomes arrive in completion order; callers sort. Returns how many threads
 * parsed files: 0 when the pre-filter settled every file.
 */
export async function processFiles(
  jobs: readonly FileJob[],
  task: FileTask,
  maxThreads: number,
  onOutcome: (outcome: FileOutcome) => void,
): Promise<number> {
  let candidates: FileJob[] = [];
  const threads = maxThreads > 1 ? new AnalysisThreads(task) : undefined;
  // With types, a call of a wrapper typed in another module is a finding the text cannot show: parse everything.
  const screen = !task.typeAware;
  const oxlint = task.command === 'audit' && task.engine === 'oxlint';
  for (const job of jobs) {
    const settled = screen ? screenFile(job) : undefined;
    if (settled) {
      onOutcome(settled);
      continue;
    }
    candidates.push(job);
    // Worker threads only once two are worth it: one thread alone parses fastest in this thread, with no
    // messages to pass (on the installed packages' sources, one worker took 9.3 s where this thread took 8.7 s).
    // oxlint parses in its own threads; only the files it hands back may need ours.
    const wanted = threadsFor(candidates.length, maxThreads);
    if (wanted > 1 && !oxlint) threads?.growTo(wanted);
  }
  if (oxlint && task.command === 'audit' && candidates.length > 0) {
    const { auditWithOxlint } = await import('./oxlint/engine.js');
    candidates = (await auditWithOxlint(candidates, task, maxThreads, onOutcome)).handedToEslint;
    const wanted = threadsFor(candidates.length, maxThreads);
    if (wanted > 1) threads?.growTo(wanted);
  }
  if (candidates.length === 0) return 0;

  const workerCount = threads?.size ?? 0;
  if (threads && threads.size > 0) await threads.drain(candidates, onOutcome);
  // With one thread, or with files left after every worker died: finish them here rather than drop them.
  if (candidates.length > 0) {
    // Loaded on demand: a run whose files are all screened out never loads ESLint and the parser.
    const processFile = await (await import('./process-file.js')).createFileProcessor(task);
    for (const job of candidates.splice(0)) onOutcome(processFile(job));
    return workerCount + 1;
  }
  return workerCount;
}
