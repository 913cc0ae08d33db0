// Test-only fault injection, loaded into the CLI with `node --import` by the CLI tests (runCli's `faults`), so
// that the shipped code holds no switch for it. Node runs --import preloads in worker threads too.
//
// BOUNDED_HTTP_TEST_FAIL_WRITE=<base name>: the rename that would replace that file fails, after its temp file
//   is written: the moment a crash or a full disk would hit.
// BOUNDED_HTTP_TEST_CRASH_WORKER=throw:<base name> | exit:<base name>: a worker thread dies, before answering,
//   on a batch that holds a file of that base name (`*`: on any batch), by an uncaught exception (as a bug in a
//   parser would) or by process.exit (as a library that calls it would).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';

const failWrite = process.env.BOUNDED_HTTP_TEST_FAIL_WRITE;
if (failWrite && isMainThread) {
  const renameSync = fs.renameSync;
  fs.renameSync = (from, to) => {
    if (basename(String(to)) === failWrite) throw new Error('simulated write failure (BOUNDED_HTTP_TEST_FAIL_WRITE)');
    return renameSync(from, to);
  };
  syncBuiltinESMExports();
}

const crash = /^(throw|exit):(.+)$/u.exec(process.env.BOUNDED_HTTP_TEST_CRASH_WORKER ?? '');
if (crash && !isMainThread && parentPort) {
  const [, how, fileName] = crash;
  const on = parentPort.on.bind(parentPort);
  // The worker's message listener, wrapped: it dies on the batch before handling it.
  parentPort.on = (event, listener) =>
    on(event, (message) => {
      if (event === 'message' && message?.batch?.some((job) => fileName === '*' || basename(job.path) === fileName)) {
        if (how === 'exit') process.exit(70);
        throw new Error('simulated worker crash (BOUNDED_HTTP_TEST_CRASH_WORKER)');
      }
      return listener(message);
    });
}
