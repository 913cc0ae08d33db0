/**
 * What a fetch fix promises, checked by running it (issue 16): every site reported fixed gets a deadline that
 * fires, and a signal the caller passes still aborts the request. Each case is a call shape the fetch fixtures
 * cover, written as a module whose `run(url, callerSignal)` makes the call; it goes through the real fixFile,
 * which must report it fixed, and the rewritten module (types stripped by TypeScript) is run against a loopback
 * server that accepts every request and never answers. Nothing here waits on a clock: each outcome is an event
 * (the deadline is short, the caller's abort is sent once the server holds the request, whose own deadline is a
 * minute away).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type FixOptions, fixFile } from '../src/fix-file.js';

interface Shape {
  name: string;
  code: string;
  /** The call passes the caller's signal, so aborting it must abort the request. */
  takesCallerSignal: boolean;
  options?: Partial<FixOptions>;
}

const shapes: Shape[] = [
  { name: 'no init', code: 'export const run = (url: string, _signal?: AbortSignal) => fetch(url);', takesCallerSignal: false },
  { name: 'an object init', code: "export const run = (url: string, _signal?: AbortSignal) => fetch(url, { method: 'GET', headers: { accept: 'application/json' } });", takesCallerSignal: false },
  { name: 'a nullish signal', code: 'export const run = (url: string, _signal?: AbortSignal) => fetch(url, { signal: undefined });', takesCallerSignal: false },
  { name: 'a disabled timeout option fetch ignores', code: 'export const run = (url: string, _signal?: AbortSignal) => fetch(url, { timeout: 0 } as RequestInit);', takesCallerSignal: false },
  { name: 'new Request(url)', code: 'export const run = (url: string, _signal?: AbortSignal) => fetch(new Request(url));', takesCallerSignal: false },
  { name: 'globalThis.fetch through an alias', code: 'const get = globalThis.fetch;\nexport const run = (url: string, _signal?: AbortSignal) => get(url);', takesCallerSignal: false },
  {
    name: "a controller the caller aborts (strict: a signal that is no deadline)",
    code: "export function run(url: string, signal: AbortSignal) {\n  const controller = new AbortController();\n  signal.addEventListener('abort', () => controller.abort(), { once: true });\n  return fetch(url, { signal: controller.signal });\n}",
    takesCallerSignal: true,
    options: { strict: true },
  },
  {
    name: "an opaque init carrying the caller's signal (--opaque-options report)",
    code: "export const run = (url: string, signal: AbortSignal) => load(url, { method: 'GET', signal });\nfunction load(url: string, init: RequestInit) {\n  return fetch(url, init);\n}",
    takesCallerSignal: true,
    options: { opaqueOptions: 'report' },
  },
];

type Run = (url: string, signal: AbortSignal) => Promise<Response>;

/** The shape fixed with `timeoutMs`, as a runnable module; fails unless every site was reported fixed. */
async function fixedModule(shape: Shape, timeoutMs: number): Promise<Run> {
  const result = fixFile(`${shape.code}\n`, `src/${shape.name.replace(/\W+/gu, '-')}.ts`, { timeoutMs, strict: false, allowAbortSignalAny: true, ...shape.options });
  expect(result.outcomes.map((outcome) => outcome.action)).toEqual(result.outcomes.map(() => 'fixed'));
  expect(result.outcomes.length).toBeGreaterThan(0);
  const javascript = ts.transpileModule(result.text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = (await import(`data:text/javascript,${encodeURIComponent(javascript)}`)) as { run: Run };
  return module.run;
}

let server: Server;
let baseUrl = '';
const sockets = new Set<Socket>();
/** Resolved with each request the server receives (and never answers). */
let onRequest: (request: IncomingMessage) => void = () => {};

beforeAll(async () => {
  server = createServer((request) => onRequest(request));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The name of the error the request ends with. */
async function failureOf(request: Promise<Response>): Promise<string> {
  try {
    await request;
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error: the server never answers, so the request cannot have succeeded';
}

describe('a fixed fetch call, run against a server that never answers', { timeout: 60_000 }, () => {
  it.each(shapes)('$name: the deadline fires', async (shape) => {
    const run = await fixedModule(shape, 200);
    const caller = new AbortController();
    expect(await failureOf(run(baseUrl, caller.signal))).toBe('TimeoutError');
  });

  it.each(shapes.filter((shape) => shape.takesCallerSignal))("$name: the caller's signal still aborts it", async (shape) => {
    const run = await fixedModule(shape, 60_000);
    const caller = new AbortController();
    const received = new Promise<void>((resolve) => {
      onRequest = () => resolve();
    });
    const request = run(baseUrl, caller.signal);
    await received;
    caller.abort();
    expect(await failureOf(request)).toBe('AbortError');
  });

  it('the server does hold a request unanswered: without the fix, only the caller can end it', async () => {
    const caller = new AbortController();
    const received = new Promise<void>((resolve) => {
      onRequest = () => resolve();
    });
    const request = fetch(baseUrl, { signal: caller.signal });
    await received;
    caller.abort();
    expect(await failureOf(request)).toBe('AbortError');
  });
});
