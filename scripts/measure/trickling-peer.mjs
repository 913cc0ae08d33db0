#!/usr/bin/env node
// Measures which timers end a request to a peer that trickles: it sends its headers at once, then one byte every
// `trickleIntervalMs`, for as long as the client listens. Idle timers (undici's headersTimeout/bodyTimeout,
// node:http's `timeout`) restart on every byte, so they never fire; only a total deadline (an AbortSignal) ends
// the call. Every measurement runs inside an observation window: when it closes, the request is aborted and the
// outcome is "still running", which is the finding. Loopback only (127.0.0.1, port 0).
//
//   node scripts/measure/trickling-peer.mjs [--observe-ms 3000] [--trickle-ms 100]
//
// The functions are exported for test/measure-trickling-peer.test.ts, which runs them with short windows.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';

/** Ends a measurement from outside, so that its outcome cannot be mistaken for the bound under test firing. */
class ObservationWindowClosed extends Error {
  constructor(observationMs) {
    super(`the request was still running when the ${observationMs} ms observation window closed`);
    this.name = 'ObservationWindowClosed';
  }
}

/**
 * Starts a loopback peer that answers every request with headers, then a byte every `trickleIntervalMs`
 * (`silent: true` sends the headers and then nothing, the control case in which idle timers do fire).
 * It ends a response by itself after `maxTrickleMs`, so a stuck client cannot keep it busy forever.
 */
export async function startTricklingPeer({ trickleIntervalMs = 100, maxTrickleMs = 60_000, silent = false } = {}) {
  const server = http.createServer((incoming, response) => {
    incoming.resume();
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.flushHeaders();
    const trickle = setInterval(() => silent || response.write('.'), trickleIntervalMs);
    const giveUp = setTimeout(() => response.end(), maxTrickleMs);
    response.on('close', () => {
      clearInterval(trickle);
      clearTimeout(giveUp);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/trickle`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

function observationWindow(observationMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new ObservationWindowClosed(observationMs)), observationMs);
  return { signal: controller.signal, close: () => clearTimeout(timer) };
}

/** How a measured request ended. */
function classifyEnd(error, observation) {
  if (error === undefined) return 'completed';
  // undici rejects with the abort reason itself; node:http wraps it in an AbortError.
  const abortedByWindow = error === observation.signal.reason || (error instanceof Error && error.name === 'AbortError');
  if (observation.signal.aborted && abortedByWindow) return 'observation window closed';
  const code = /** @type {{ code?: unknown }} */ (error).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'idle timer fired';
  if (code === 'NODE_HTTP_TIMEOUT_EVENT') return "'timeout' emitted";
  if (error instanceof Error && error.name === 'TimeoutError') return 'deadline signal fired';
  return 'failed';
}

/**
 * (a) undici with only its idle timers: an Agent with `headersTimeout` and `bodyTimeout`.
 * @returns {Promise<Measurement>}
 */
export async function measureUndiciIdleTimers({ url, observationMs, headersTimeoutMs = 300, bodyTimeoutMs = 300 }) {
  const agent = new Agent({ headersTimeout: headersTimeoutMs, bodyTimeout: bodyTimeoutMs });
  const observation = observationWindow(observationMs);
  const startedAt = performance.now();
  let bytesReceived = 0;
  let caught;
  try {
    const { body } = await request(url, { dispatcher: agent, signal: observation.signal });
    for await (const chunk of body) bytesReceived += chunk.length;
  } catch (error) {
    caught = error;
  } finally {
    observation.close();
    await agent.destroy();
  }
  return {
    bound: `undici Agent \`headersTimeout: ${headersTimeoutMs}, bodyTimeout: ${bodyTimeoutMs}\``,
    elapsedMs: performance.now() - startedAt,
    endedBy: classifyEnd(caught, observation),
    errorName: caught instanceof Error ? caught.name : undefined,
    bytesReceived,
    boundFired: classifyEnd(caught, observation) === 'idle timer fired',
  };
}

/**
 * (b) node:http with its `timeout` option. The option only emits 'timeout'; the handler here records when and
 * destroys the request, the usual way to make the option abort anything.
 * @returns {Promise<Measurement>}
 */
export async function measureNodeHttpTimeout({ url, observationMs, timeoutMs = 300 }) {
  const observation = observationWindow(observationMs);
  const startedAt = performance.now();
  let bytesReceived = 0;
  let timeoutEmitted = false;
  const caught = await new Promise((resolve) => {
    const outgoing = http.get(url, { timeout: timeoutMs, signal: observation.signal }, (response) => {
      response.on('data', (chunk) => (bytesReceived += chunk.length));
      response.on('end', () => resolve(undefined));
      response.on('error', resolve);
    });
    outgoing.on('timeout', () => {
      timeoutEmitted = true;
      outgoing.destroy(Object.assign(new Error(`'timeout' emitted after ${timeoutMs} ms idle`), { code: 'NODE_HTTP_TIMEOUT_EVENT' }));
    });
    outgoing.on('error', resolve);
  });
  observation.close();
  return {
    bound: `node:http \`timeout: ${timeoutMs}\` (with a handler that destroys)`,
    elapsedMs: performance.now() - startedAt,
    endedBy: classifyEnd(caught, observation),
    errorName: caught instanceof Error ? caught.name : undefined,
    bytesReceived,
    boundFired: timeoutEmitted,
  };
}

/**
 * (c) A total deadline: `signal: AbortSignal.timeout(deadlineMs)`, on an Agent that also has the idle timers
 * of (a), to show which of the two ends the call.
 * @returns {Promise<Measurement>}
 */
export async function measureDeadlineSignal({ url, observationMs, deadlineMs = 1_000, idleTimeoutMs = 300 }) {
  const agent = new Agent({ headersTimeout: idleTimeoutMs, bodyTimeout: idleTimeoutMs });
  const observation = observationWindow(observationMs);
  const startedAt = performance.now();
  let bytesReceived = 0;
  let caught;
  try {
    const { body } = await request(url, {
      dispatcher: agent,
      signal: AbortSignal.any([AbortSignal.timeout(deadlineMs), observation.signal]),
    });
    for await (const chunk of body) bytesReceived += chunk.length;
  } catch (error) {
    caught = error;
  } finally {
    observation.close();
    await agent.destroy();
  }
  return {
    bound: `\`signal: AbortSignal.timeout(${deadlineMs})\``,
    elapsedMs: performance.now() - startedAt,
    endedBy: classifyEnd(caught, observation),
    errorName: caught instanceof Error ? caught.name : undefined,
    bytesReceived,
    boundFired: classifyEnd(caught, observation) === 'deadline signal fired',
  };
}

/**
 * @typedef {{ bound: string, elapsedMs: number, endedBy: string, errorName: string | undefined,
 *   bytesReceived: number, boundFired: boolean, peer?: string }} Measurement
 */

/**
 * Runs the three measurements side by side against one trickling peer, then the two idle timers against a peer
 * that falls silent after its headers: the control that shows those timers are armed and do fire on silence.
 */
export async function measureTricklingPeer({ observationMs = 3_000, trickleIntervalMs = 100, idleTimeoutMs = 300, deadlineMs = 1_000 } = {}) {
  const measureAgainst = async (silent, measurements) => {
    const peer = await startTricklingPeer({ trickleIntervalMs, maxTrickleMs: observationMs * 2, silent });
    try {
      return await Promise.all(measurements.map((measure) => measure(peer.url)));
    } finally {
      await peer.close();
    }
  };
  const undiciIdle = (url) => measureUndiciIdleTimers({ url, observationMs, headersTimeoutMs: idleTimeoutMs, bodyTimeoutMs: idleTimeoutMs });
  const nodeHttpIdle = (url) => measureNodeHttpTimeout({ url, observationMs, timeoutMs: idleTimeoutMs });
  const trickling = await measureAgainst(false, [undiciIdle, nodeHttpIdle, (url) => measureDeadlineSignal({ url, observationMs, deadlineMs, idleTimeoutMs })]);
  const silentControl = await measureAgainst(true, [undiciIdle, nodeHttpIdle]);
  return [
    ...trickling.map((measurement) => ({ ...measurement, peer: `trickles 1 byte / ${trickleIntervalMs} ms` })),
    ...silentControl.map((measurement) => ({ ...measurement, peer: 'silent after headers (control)' })),
  ];
}

export function formatMarkdownTable(measurements) {
  const rows = measurements.map(
    (m) =>
      `| ${m.peer} | ${m.bound} | ${m.boundFired ? 'yes' : 'no'} | ${Math.round(m.elapsedMs)} ms | ${m.endedBy}${m.errorName ? ` (\`${m.errorName}\`)` : ''} | ${m.bytesReceived} |`,
  );
  return [
    '| Peer | Bound on the request | Did it fire? | Request ended after | How it ended | Bytes received |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function positiveInteger(text, flag) {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    process.stderr.write(`${flag} must be a positive whole number of milliseconds, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { 'observe-ms': { type: 'string', default: '3000' }, 'trickle-ms': { type: 'string', default: '100' } },
  });
  const observationMs = positiveInteger(values['observe-ms'], '--observe-ms');
  const trickleIntervalMs = positiveInteger(values['trickle-ms'], '--trickle-ms');
  const measurements = await measureTricklingPeer({ observationMs, trickleIntervalMs });
  process.stdout.write(
    `Trickling peer: headers at once, then 1 byte every ${trickleIntervalMs} ms; observation window ${observationMs} ms; Node ${process.version}.\n\n`,
  );
  process.stdout.write(`${formatMarkdownTable(measurements)}\n`);
}
