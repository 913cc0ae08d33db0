/**
 * What fix writes into fetch calls, run for real against a loopback server that accepts requests and never
 * answers: the deadline ends the call, and the caller's own signal (in the init, or in a `Request` passed as
 * input) still aborts it. A text comparison cannot show that a rewrite kept cancellation working; this can.
 *
 * Not covered: a garbage collection while the call waits. On Node 20.20 a collection can drop the
 * `AbortSignal.timeout` inside `AbortSignal.any([...])`, and the combined signal then never fires
 * (nodejs/node#57736); that is the runtime's defect, reproduced with `--expose-gc`, not this rewrite's.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type FixOptions, fixFile } from '../../src/fix-file.js';

type Send = (url: string, signal: AbortSignal | undefined) => Promise<Response>;

interface Case {
  name: string;
  source: string;
  options?: Partial<FixOptions>;
  /** The caller hands the call a signal of its own, which must still abort it after the rewrite. */
  callerSignal: boolean;
  /** Calls the rewritten module's `send` the way its callers would. */
  call: (module: { send: (...args: never[]) => Promise<Response> }) => Send;
}

const cases: Case[] = [
  {
    name: 'a Request passed as input keeps its own signal',
    source: 'export async function send(request) {\n  return fetch(request);\n}\n',
    options: { opaqueOptions: 'report' },
    callerSignal: true,
    call: (module) => (url, signal) => (module.send as (request: Request) => Promise<Response>)(new Request(url, signal ? { signal } : {})),
  },
  {
    name: 'an init parameter keeps its signal, and may be left out',
    source: 'export async function send(url, init) {\n  return fetch(url, init);\n}\n',
    options: { opaqueOptions: 'report' },
    callerSignal: true,
    call: (module) => (url, signal) => (module.send as (url: string, init?: RequestInit) => Promise<Response>)(url, signal ? { signal } : undefined),
  },
  {
    name: 'an undefined init becomes a real one',
    source: 'export async function send(url) {\n  return fetch(url, undefined);\n}\n',
    callerSignal: false,
    call: (module) => (url) => (module.send as (url: string) => Promise<Response>)(url),
  },
];

let server: Server;
let url: string;
const arrivals: Array<(request: IncomingMessage) => void> = [];
const folder = mkdtempSync(path.join(tmpdir(), 'bounded-http-runtime-'));

beforeAll(async () => {
  // Accepts every request and never answers: only a signal ends a call to it.
  server = createServer((request) => {
    arrivals.shift()?.(request);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Fixes `source` with a short deadline and imports the result. */
async function rewritten(testCase: Case, index: number, timeoutMs: number): Promise<{ send: (...args: never[]) => Promise<Response> }> {
  const filePath = path.join(folder, `case-${String(index)}-${String(timeoutMs)}.mjs`);
  const result = fixFile(testCase.source, filePath, { timeoutMs, strict: false, allowAbortSignalAny: true, ...testCase.options });
  expect(result.outcomes.map((outcome) => outcome.action)).toEqual(['fixed']);
  writeFileSync(filePath, result.text);
  return (await import(pathToFileURL(filePath).href)) as { send: (...args: never[]) => Promise<Response> };
}

describe.each(cases.map((testCase, index) => ({ ...testCase, index })))('$name', (testCase) => {
  it('the deadline ends a call the peer never answers', async () => {
    const send = testCase.call(await rewritten(testCase, testCase.index, 200));
    await expect(send(url, undefined)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  if (testCase.callerSignal) {
    it("the caller's signal still aborts it, long before the deadline", async () => {
      // A deadline no test waits for: only the caller's abort can end this call in time.
      const send = testCase.call(await rewritten(testCase, testCase.index, 600_000));
      const controller = new AbortController();
      arrivals.push(() => controller.abort());
      await expect(send(url, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    });
  }
});
