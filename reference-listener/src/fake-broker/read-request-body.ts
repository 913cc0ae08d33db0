import type { IncomingMessage } from 'node:http';

/**
 * The whole body of a request to one of the test doubles, refused past `largestBytes` while it streams: a test
 * server must not buffer without bound either.
 */
export async function readRequestBody(request: IncomingMessage, largestBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > largestBytes) throw new Error(`request body above ${largestBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
