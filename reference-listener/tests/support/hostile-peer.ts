// Hostile peers on raw node:net sockets: each one speaks just enough HTTP/1.1 (or none at all) to break a
// client in one specific way. Deliberately not the fake broker's HTTP server, whose node:http stack
// would normalise exactly what these peers get wrong (header counts, chunk framing, byte encodings).
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface HostilePeer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Every byte received on every connection, as latin1 text (request lines, headers, bodies). */
  received(): string;
  /** Bytes written to all sockets, counted when each one closed or now for open ones. */
  bytesWritten(): number;
  close(): Promise<void>;
}

/** What the peer does once it has the request head; `undefined` means: accept and never read a byte. */
export type Respond = ((socket: Socket, head: string) => void) | undefined;

export async function startHostilePeer(respond: Respond): Promise<HostilePeer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let received = '';
  let closedBytesWritten = 0;
  const server = createServer({ pauseOnConnect: respond === undefined }, (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      closedBytesWritten += socket.bytesWritten;
      sockets.delete(socket);
    });
    if (respond === undefined) return;
    let head = '';
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      received += text;
      if (answered) return;
      head += text;
      if (!head.includes('\r\n\r\n')) return;
      answered = true;
      respond(socket, head);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    received: () => received,
    bytesWritten: () => closedBytesWritten + [...sockets].reduce((total, socket) => total + socket.bytesWritten, 0),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Stands, in a text body, for a message queue URL on the peer itself. */
export const SELF_QUEUE_URL = '__SELF__';

/** A complete response with a Content-Length; `body` may be bytes that are not UTF-8. */
export function respondWith(status: number, body: string | Buffer, extraHeaders: readonly string[] = []): Respond {
  return (socket) => {
    const bytes = typeof body === 'string' ? Buffer.from(body.replaceAll(SELF_QUEUE_URL, `http://127.0.0.1:${socket.localPort}/message-queues/s1`), 'utf8') : body;
    socket.write(`HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\ncontent-length: ${bytes.length}\r\n${extraHeaders.map((header) => `${header}\r\n`).join('')}\r\n`);
    socket.write(bytes);
  };
}

/** Headers, then one byte of a chunked body every `intervalMs`, forever. */
export function respondWithTrickle(intervalMs: number): Respond {
  return (socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
    const timer = setInterval(() => socket.write('1\r\n \r\n'), intervalMs);
    socket.once('close', () => clearInterval(timer));
  };
}

/**
 * A chunked body of up to `offeredBytes`, written as fast as the socket drains (respecting backpressure,
 * so the peer itself stays small), until the client closes the connection.
 */
export function respondWithFlood(offeredBytes: number, status = 200): Respond {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  return (socket) => {
    socket.write(`HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
    let offered = 0;
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });
    const pump = (): void => {
      while (!closed && offered < offeredBytes) {
        offered += chunk.length;
        if (!socket.write(framed)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!closed) socket.end('0\r\n\r\n');
    };
    pump();
  };
}

/** 200 with `count` distinct headers before a tiny valid body. */
export function respondWithHeaders(count: number): Respond {
  const headers = Array.from({ length: count }, (_, index) => `x-filler-${index}: v\r\n`).join('');
  return (socket) => {
    socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${headers}content-length: 2\r\n\r\n{}`);
  };
}
