// /metrics, /healthz and /readyz. They bind to 127.0.0.1 unless told otherwise (--health-host, --metrics-host):
// on a VM they are for the node's own probes and scraper, and the metrics name the broker and the session,
// which has no business leaving the host. In a pod the kubelet and Prometheus connect to the pod's IP, so
// there they must bind 0.0.0.0 (docs/reference-listener.md, "Deployment").
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ListenerMetrics } from './metrics.js';

/** What the probes ask; the service answers from the supervisor and the state stores. */
export interface HealthSource {
  /** Why the process is not healthy (no successful poll within the watchdog window, state not writable), or undefined. */
  healthProblem(): string | undefined;
  /** A broker session exists, so jobs can arrive. */
  isReady(): boolean;
}

export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve /metrics. */
  metrics?: ListenerMetrics;
  /** Serve /healthz and /readyz. */
  health?: HealthSource;
}

/** The server could not listen; names the address, so the message can say which flag to change. */
export class ProbeListenError extends Error {
  override readonly name = 'ProbeListenError';
  readonly code: string | undefined;
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`cannot listen on ${host}:${port} (${code ?? (cause as Error).message})`, { cause });
    this.code = code;
    this.host = host;
    this.port = port;
  }
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { metrics, health } = options;
  const host = options.host ?? '127.0.0.1';
  const served = [...(metrics === undefined ? [] : ['/metrics']), ...(health === undefined ? [] : ['/healthz', '/readyz'])];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://health.invalid').pathname;
    const plain = (status: number, text: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
    };
    if (request.method !== 'GET') return plain(405, 'only GET');
    if (health !== undefined && path === '/healthz') {
      const problem = health.healthProblem();
      return problem === undefined ? plain(200, 'ok') : plain(503, problem);
    }
    if (health !== undefined && path === '/readyz') return health.isReady() ? plain(200, 'ready') : plain(503, 'no broker session');
    if (metrics !== undefined && path === '/metrics') {
      metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => plain(500, 'metrics unavailable'),
      );
      return;
    }
    plain(404, `try ${served.join(', ')}`);
  });
  // A probe that opens a connection and never sends a request must not hold a socket forever.
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new ProbeListenError(host, options.port, error)));
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const printableHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${printableHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
