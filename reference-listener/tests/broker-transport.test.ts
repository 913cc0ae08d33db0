// The transport of a real deployment: plain HTTP refused unless asked for, proxies from the environment
// (bounded like the broker itself), and a private CA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BrokerClient, type BrokerClientOptions } from '../src/broker-client.js';
import { BrokerConnectionError, DeadlineExceededError } from '../src/errors.js';
import { startHostilePeer } from './support/hostile-peer.js';
import { CLIENT_ASSERTION, SCHEDULING_MARGIN_MS, brokerClientFor, startTransport, timed, type TransportFixture } from './support/transport-fixture.js';

const base: BrokerClientOptions = {
  brokerUrl: 'https://broker.example.com',
  scaleSetId: 1,
  clientId: 'transport-test',
  clientAssertion: () => CLIENT_ASSERTION,
  controlPlaneTimeoutMs: 10_000,
  longPollTimeoutMs: 10_000,
};

describe('plain HTTP and trusted origins', () => {
  it('refuses an http:// broker URL unless allowInsecureHttp, and says how to allow it', () => {
    expect(() => new BrokerClient({ ...base, brokerUrl: 'http://broker.example.com' })).toThrow(
      /^BrokerClientOptions\.brokerUrl: expected an https:\/\/ URL \(http:\/\/ sends tokens in clear text: only with allowInsecureHttp: true\)/,
    );
    expect(() => new BrokerClient({ ...base, brokerUrl: 'http://broker.example.com', allowInsecureHttp: true })).not.toThrow();
    expect(() => new BrokerClient(base)).not.toThrow();
  });

  it.each([
    ['https://queue.example.com/path', false],
    ['https://queue.example.com?x=1', false],
    ['http://queue.example.com', false],
    ['not a url', false],
    ['https://queue.example.com', true],
    ['https://queue.example.com:8443/', true],
  ])('messageQueueOrigins %j accepted: %s', (origin, accepted) => {
    const build = (): BrokerClient => new BrokerClient({ ...base, messageQueueOrigins: [origin] });
    if (accepted) expect(build).not.toThrow();
    else expect(build).toThrow(/^BrokerClientOptions\.messageQueueOrigins: expected origins only/);
  });

  it.each([
    ['maxControlPlaneResponseBytes', 0],
    ['maxMessageResponseBytes', 1.5],
    ['maxMessageResponseBytes', 2 * 1024 * 1024 * 1024],
    ['ca', 'not a certificate'],
  ] as const)('rejects %s = %j with an error naming the option', (option, value) => {
    expect(() => new BrokerClient({ ...base, [option]: value })).toThrow(new RegExp(`^BrokerClientOptions\\.${option}: expected `));
  });
});

/** A CONNECT proxy on loopback that records every tunnel it opens. */
async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createHttpServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request, client: Socket, head: Buffer) => {
    tunnels.push(request.url ?? '');
    sockets.add(client);
    const [host = '', port = ''] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('proxies (undici EnvHttpProxyAgent)', () => {
  let transport: TransportFixture;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;

  beforeAll(async () => {
    transport = await startTransport();
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await transport.close();
    await proxy.close();
  });

  it('goes through the proxy that HTTP_PROXY names', async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    let client: BrokerClient;
    try {
      // The environment is read when the client is built.
      client = brokerClientFor(transport.broker);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    try {
      const before = proxy.tunnels.length;
      await expect(client.exchangeToken()).resolves.toMatchObject({ expiresAtMs: expect.any(Number) as unknown });
      expect(proxy.tunnels.slice(before)).toEqual([new URL(transport.broker.url).host]);
    } finally {
      await client.close();
    }
  });

  it('goes direct to a host NO_PROXY lists', async () => {
    const client = brokerClientFor(transport.broker, { proxy: { httpProxy: proxy.url, noProxy: '127.0.0.1' } });
    try {
      const before = proxy.tunnels.length;
      await client.exchangeToken();
      expect(proxy.tunnels.length).toBe(before);
    } finally {
      await client.close();
    }
  });

  it('a proxy that accepts and never answers is bounded by the same deadline', async () => {
    const silentProxy = await startHostilePeer(undefined);
    const client = brokerClientFor(transport.broker, { proxy: { httpProxy: silentProxy.url }, controlPlaneTimeoutMs: 300 });
    try {
      const { outcome, elapsedMs } = await timed(() => client.exchangeToken());
      expect('error' in outcome && outcome.error).toBeInstanceOf(DeadlineExceededError);
      expect(elapsedMs).toBeLessThan(300 + SCHEDULING_MARGIN_MS);
      expect(silentProxy.connections()).toBeGreaterThan(0);
    } finally {
      await client.close();
      await silentProxy.close();
    }
  });

  it('a proxy URL that is not a URL is a clear error that does not quote it (it may hold credentials)', () => {
    const build = (): BrokerClient => brokerClientFor(transport.broker, { proxy: { httpProxy: 'http://user:hunter2@[bad' } });
    expect(build).toThrow(/^BrokerClientOptions\.proxy: the proxy URL .* is not a valid URL/);
    expect(build).not.toThrow(/hunter2/);
  });
});

/** A self-signed certificate for 127.0.0.1, made by the system's openssl; undefined where there is none. */
function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'broker-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore', timeout: 20_000 },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const certificate = selfSignedCertificate();

// Skipped only where the machine has no openssl binary to make a certificate with.
describe.skipIf(certificate === undefined)('a private CA (ca, --ca-file)', () => {
  const { key, cert } = certificate ?? { key: '', cert: '' };
  const clients: BrokerClient[] = [];
  let url: string;
  let closeServer: () => Promise<void>;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;

  beforeAll(async () => {
    const server = createHttpsServer({ key, cert }, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"at-tls","expires_in":60}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await closeServer();
    await proxy.close();
  });

  const clientOf = (options: Partial<BrokerClientOptions>): BrokerClient => {
    const client = new BrokerClient({ ...base, brokerUrl: url, ...options });
    clients.push(client);
    return client;
  };

  it('without it, a certificate from a private CA is refused as a connection error', async () => {
    const error: unknown = await clientOf({}).exchangeToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BrokerConnectionError);
    expect(error).toMatchObject({ cause: expect.objectContaining({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) as unknown });
  });

  it('with it, the broker is trusted', async () => {
    await expect(clientOf({ ca: cert }).exchangeToken()).resolves.toMatchObject({ value: 'at-tls' });
  });

  it('with it, the broker is trusted through a proxy tunnel too', async () => {
    const before = proxy.tunnels.length;
    await expect(clientOf({ ca: cert, proxy: { httpsProxy: proxy.url } }).exchangeToken()).resolves.toMatchObject({ value: 'at-tls' });
    expect(proxy.tunnels.length).toBe(before + 1);
  });
});
