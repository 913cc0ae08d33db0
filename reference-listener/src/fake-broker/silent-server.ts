// The connection-level variant of "stall after accept": a TCP server that accepts every connection
// and then never reads or writes a byte, so not even the request line is parsed. The fake broker's
// per-endpoint `stallAfterAccept` has to parse the request line to know the endpoint; this one is
// the literal peer from the original incident, for tests that point a whole client at it.
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface SilentServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** How many connections it has accepted (and ignored). */
  readonly acceptedConnections: () => number;
  /** Destroys every accepted socket, so nothing waits on them. */
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    acceptedConnections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
