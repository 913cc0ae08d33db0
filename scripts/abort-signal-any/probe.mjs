/**
 * Does `AbortSignal.any([signal, AbortSignal.timeout(ms)])` still end a request after a garbage collection on
 * this Node? Run with `--expose-gc`. Sends `REQUESTS` fetch and `REQUESTS` http.get calls to a loopback server
 * that accepts every connection and never answers, each with a caller's signal (never aborted) combined with a
 * 200 ms deadline, collects garbage every 20 ms, and gives each call 3 s to end. Prints one JSON line:
 * `{ node, fetch: { TimeoutError: n, hung: n }, http: { AbortError: n, hung: n }, keepsDeadline, handPattern }`,
 * where `handPattern` is whether the workaround the docs give for older Node (an `abort` listener on the timeout
 * signal, which keeps it alive until it fires) ended every call.
 * Used by versions.mjs (many Node versions) and by the plugin's test of the Node that runs it.
 */
import http from 'node:http';
import net from 'node:net';

if (typeof globalThis.gc !== 'function') {
  console.error('probe.mjs needs --expose-gc: node --expose-gc scripts/abort-signal-any/probe.mjs');
  process.exit(2);
}

const REQUESTS = 10;
const DEADLINE_MS = 200;
const GIVE_UP_MS = 3_000;

const server = net.createServer(() => {});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

/** How a call ended: its error's name, or `hung` when nothing ended it in time. */
function outcome(start) {
  return new Promise((resolve) => {
    const giveUp = setTimeout(() => resolve('hung'), GIVE_UP_MS);
    start((name) => {
      clearTimeout(giveUp);
      resolve(name);
    });
  });
}

const inline = () => AbortSignal.any([new AbortController().signal, AbortSignal.timeout(DEADLINE_MS)]);

/** The documented workaround: a listener keeps the timeout signal alive until it fires. */
function heldOpen() {
  const deadline = AbortSignal.timeout(DEADLINE_MS);
  deadline.addEventListener('abort', () => {}, { once: true });
  return AbortSignal.any([new AbortController().signal, deadline]);
}

const viaFetch = (combined) => () =>
  outcome((done) => {
    fetch(`http://127.0.0.1:${port}/`, { signal: combined() }).then(
      () => done('answered'),
      (error) => done(error.name),
    );
  });

const viaHttp = (combined) => () =>
  outcome((done) => {
    const request = http.get({ host: '127.0.0.1', port, signal: combined() });
    request.on('response', () => done('answered'));
    request.on('error', (error) => done(error.name));
  });

function tally(names) {
  const counts = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

const endedByDeadline = (names) => names.every((name) => name !== 'hung' && name !== 'answered');
const collector = setInterval(() => globalThis.gc(), 20);
const [fetchOutcomes, httpOutcomes, handPatternOutcomes] = await Promise.all([
  Promise.all(Array.from({ length: REQUESTS }, viaFetch(inline))),
  Promise.all(Array.from({ length: REQUESTS }, viaHttp(inline))),
  Promise.all([...Array.from({ length: REQUESTS }, viaFetch(heldOpen)), ...Array.from({ length: REQUESTS }, viaHttp(heldOpen))]),
]);
clearInterval(collector);
const keepsDeadline = endedByDeadline([...fetchOutcomes, ...httpOutcomes]);
const handPattern = endedByDeadline(handPatternOutcomes);
console.log(JSON.stringify({ node: process.version, fetch: tally(fetchOutcomes), http: tally(httpOutcomes), keepsDeadline, handPattern }));
server.close();
process.exit(0);
