// A loopback receiver for WebhookScaler: the side effect, outside the listener's process, honouring the
// idempotency key the way the Scaler contract requires of a real one. The first hand-off of a key is the
// effect, recorded in the broker's ledger as dispatched (the runner started and took its job); a repeat of
// the key is answered 200 and counted, with no second effect. Dispatches are recorded per runnerRequestId,
// so a listener that sent two keys for one job would show up as a job dispatched twice.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { BrokerLedger } from './ledger.js';
import { readRequestBody } from './read-request-body.js';

export interface HandOffSink {
  /** `http://127.0.0.1:<port>/hand-offs` */
  readonly url: string;
  /** Every hand-off request received. */
  readonly calls: () => number;
  /** Requests whose key had been seen before: hand-offs the listener repeated, absorbed by the key. */
  readonly repeats: () => number;
  close(): Promise<void>;
}

const LARGEST_HAND_OFF_BYTES = 64 * 1024;

function runnerRequestIdOf(body: string): number | undefined {
  try {
    const value = (JSON.parse(body) as { runnerRequestId?: unknown } | null)?.runnerRequestId;
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param effectDelayMs How long the effect takes (starting a runner is not instant), applied before the
 *   first hand-off of a key is recorded. It widens the window in which a crash finds a job acquired but not
 *   yet started; the effect completes even if the listener dies meanwhile, as a real receiver's would.
 */
export async function startHandOffSink(ledger: BrokerLedger, options: { effectDelayMs?: number } = {}): Promise<HandOffSink> {
  const effectDelayMs = options.effectDelayMs ?? 0;
  const seenKeys = new Set<string>();
  const sockets = new Set<Socket>();
  let calls = 0;
  let repeats = 0;
  const server = createServer((request, response) => {
    readRequestBody(request, LARGEST_HAND_OFF_BYTES).then(
      (body) => {
        const key = request.headers['idempotency-key'];
        const runnerRequestId = runnerRequestIdOf(body);
        if (request.method !== 'POST' || typeof key !== 'string' || key === '' || runnerRequestId === undefined) {
          response.writeHead(400).end('POST a JobHandoff with an Idempotency-Key header');
          return;
        }
        calls++;
        if (seenKeys.has(key)) {
          repeats++;
          response.writeHead(200).end();
          return;
        }
        seenKeys.add(key);
        setTimeout(() => {
          ledger.recordDispatched(runnerRequestId);
          if (!response.destroyed) response.writeHead(201).end();
        }, effectDelayMs);
      },
      () => response.destroy(),
    );
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hand-offs`,
    calls: () => calls,
    repeats: () => repeats,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
