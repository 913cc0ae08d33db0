// /metrics, /healthz and /readyz, on 127.0.0.1 only: they are for the node's own probes and scraper, and the
// metrics name the broker and the session, which has no business leaving the host.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ListenerMetrics } from './metrics.js';

/** What the probes ask; the supervisor answers. */
export interface HealthSource {
  /** Every listener made progress within the watchdog window. */
  isHealthy(): boolean;
  /** A broker session exists, so jobs can arrive. */
  isReady(): boolean;
}

export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHealthServer(options: { port: number; metrics: ListenerMetrics; health: HealthSource; host?: string }): Promise<HealthServer> {
  const { metrics, health } = options;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://health.invalid').pathname;
    const plain = (status: number, text: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
    };
    if (request.method !== 'GET') return plain(405, 'only GET');
    if (path === '/healthz') return health.isHealthy() ? plain(200, 'ok') : plain(503, 'no progress within the watchdog window');
    if (path === '/readyz') return health.isReady() ? plain(200, 'ready') : plain(503, 'no broker session');
    if (path === '/metrics') {
      metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => plain(500, 'metrics unavailable'),
      );
      return;
    }
    plain(404, 'try /metrics, /healthz or /readyz');
  });
  // A probe that opens a connection and never sends a request must not hold a socket forever.
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
