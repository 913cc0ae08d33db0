/**
 * Garbage collections on demand, inside the test worker. A rewrite that relies on an object nothing holds (an
 * `AbortSignal.timeout` inside `AbortSignal.any` before Node 22.16, nodejs/node#57736) only fails once a collection
 * runs, which an idle test process may never do before the deadline: tests that run what `fix` wrote collect
 * while the request waits.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// `--expose-gc` set at run time takes effect for contexts created after it; a new context hands out `gc`.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Settles as `promise` does, collecting garbage every `everyMs` until then. */
export async function whileCollecting<T>(promise: Promise<T>, everyMs = 10): Promise<T> {
  const collector = setInterval(collect, everyMs);
  try {
    return await promise;
  } finally {
    clearInterval(collector);
  }
}
