/**
 * What a fetch fix promises, checked by running it (issue 16): every site reported fixed gets a deadline that
 * fires, and a signal the caller passes (in the init, in a spread, in a `Request` given as input) still aborts
 * the request. A text comparison cannot show that; this can. Each case is a call shape the fetch fixtures cover,
 * written as a module whose `send(url, callerSignal)` makes the call; it goes through the real fixFile, and the
 * rewritten module (types stripped by TypeScript) runs against a loopback server that accepts every request and
 * never answers, while garbage is collected every 10 ms: a deadline nothing holds must be lost here, not in
 * production.
 *
 * The Node that runs the tests decides what `fix` may write, as `engines.node` would: where `AbortSignal.any`
 * loses a timeout to a collection (before 22.16 / 24), a shape that must combine the caller's signal with the
 * deadline is reported unfixable instead, and that is asserted too. Nothing here waits on a clock: each outcome
 * is an event (the deadline is short; the caller's abort is sent once the server holds the request, whose own
 * deadline is ten minutes away).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { rangeAllowsAbortSignalAny } from 'eslint-plugin-bounded-http/node-target';
import { ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type FixOptions, fixFile } from '../src/fix-file.js';
import { whileCollecting } from './support/garbage-collection.js';

type Send = (url: string, signal: AbortSignal) => Promise<Response>;

interface Shape {
  name: string;
  /** A module exporting `send(url, signal)`, or one that `call` adapts. */
  code: string;
  /** The rewrite must combine a caller's signal with the deadline, which needs `AbortSignal.any`. */
  combinesCallerSignal: boolean;
  options?: Partial<FixOptions>;
  /** How the module's callers call it, when its export is not `send(url, signal)`. */
  call?: (module: Record<string, (...args: never[]) => Promise<Response>>) => Send;
}

const shapes: Shape[] = [
  { name: 'no init', code: 'export const send = (url: string, _signal?: AbortSignal) => fetch(url);', combinesCallerSignal: false },
  { name: 'an object init', code: "export const send = (url: string, _signal?: AbortSignal) => fetch(url, { method: 'GET', headers: { accept: 'application/json' } });", combinesCallerSignal: false },
  { name: 'a nullish signal', code: 'export const send = (url: string, _signal?: AbortSignal) => fetch(url, { signal: undefined });', combinesCallerSignal: false },
  { name: 'an undefined init', code: 'export const send = (url: string, _signal?: AbortSignal) => fetch(url, undefined);', combinesCallerSignal: false },
  { name: 'a disabled timeout option fetch ignores', code: 'export const send = (url: string, _signal?: AbortSignal) => fetch(url, { timeout: 0 } as RequestInit);', combinesCallerSignal: false },
  { name: 'new Request(url)', code: 'export const send = (url: string, _signal?: AbortSignal) => fetch(new Request(url));', combinesCallerSignal: false },
  { name: 'globalThis.fetch through an alias', code: 'const get = globalThis.fetch;\nexport const send = (url: string, _signal?: AbortSignal) => get(url);', combinesCallerSignal: false },
  {
    name: 'a controller the caller aborts (strict: a signal that is no deadline)',
    code: "export function send(url: string, signal: AbortSignal) {\n  const controller = new AbortController();\n  signal.addEventListener('abort', () => controller.abort(), { once: true });\n  return fetch(url, { signal: controller.signal });\n}",
    combinesCallerSignal: true,
    options: { strict: true },
  },
  {
    name: "an opaque init carrying the caller's signal (--opaque-options report)",
    code: "export const send = (url: string, signal: AbortSignal) => load(url, { method: 'GET', signal });\nfunction load(url: string, init: RequestInit) {\n  return fetch(url, init);\n}",
    combinesCallerSignal: true,
    options: { opaqueOptions: 'report' },
  },
  {
    name: 'an untyped init parameter, which callers may leave out (--opaque-options report)',
    code: 'export async function load(url, init) {\n  return fetch(url, init);\n}\n',
    combinesCallerSignal: true,
    options: { opaqueOptions: 'report' },
    call: (module) => (url, signal) => (module['load'] as (url: string, init?: RequestInit) => Promise<Response>)(url, { signal }),
  },
  {
    name: 'a Request passed as input keeps its own signal (--opaque-options report)',
    code: 'export async function load(request) {\n  return fetch(request);\n}\n',
    combinesCallerSignal: true,
    options: { opaqueOptions: 'report' },
    call: (module) => (url, signal) => (module['load'] as (request: Request) => Promise<Response>)(new Request(url, { signal })),
  },
];

/** What `fix` may write on the Node running the tests, as `engines.node` of the same range would decide. */
const abortSignalAnyKeepsDeadline = rangeAllowsAbortSignalAny(process.version);
const fixable = shapes.filter((shape) => abortSignalAnyKeepsDeadline || !shape.combinesCallerSignal);
const leftAlone = shapes.filter((shape) => !abortSignalAnyKeepsDeadline && shape.combinesCallerSignal);

function fixed(shape: Shape, timeoutMs: number): ReturnType<typeof fixFile> {
  const file = `src/${shape.name.replace(/\W+/gu, '-')}.ts`;
  return fixFile(`${shape.code}\n`, file, { timeoutMs, strict: false, allowAbortSignalAny: abortSignalAnyKeepsDeadline, ...shape.options });
}

/** The shape fixed with `timeoutMs`, as a runnable function; fails unless every site was reported fixed. */
async function fixedSend(shape: Shape, timeoutMs: number): Promise<Send> {
  const result = fixed(shape, timeoutMs);
  expect(result.outcomes.map((outcome) => outcome.action)).toEqual(result.outcomes.map(() => 'fixed'));
  expect(result.outcomes.length).toBeGreaterThan(0);
  const javascript = ts.transpileModule(result.text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = (await import(`data:text/javascript,${encodeURIComponent(javascript)}`)) as Record<string, (...args: never[]) => Promise<Response>>;
  return shape.call ? shape.call(module) : (module['send'] as Send);
}

let server: Server;
let baseUrl = '';
const sockets = new Set<Socket>();
/** Called with each request the server receives (and never answers). */
let onRequest: () => void = () => {};

beforeAll(async () => {
  server = createServer(() => onRequest());
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The name of the error the request ends with. */
async function failureOf(request: Promise<Response>): Promise<string> {
  try {
    await whileCollecting(request);
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error: the server never answers, so the request cannot have succeeded';
}

describe(`a fixed fetch call on ${process.version}, run against a server that never answers`, { timeout: 60_000 }, () => {
  it.each(fixable)('$name: the deadline fires', async (shape) => {
    const send = await fixedSend(shape, 200);
    expect(await failureOf(send(baseUrl, new AbortController().signal))).toBe('TimeoutError');
  });

  it.each(fixable.filter((shape) => shape.combinesCallerSignal))("$name: the caller's signal still aborts it", async (shape) => {
    const send = await fixedSend(shape, 600_000);
    const caller = new AbortController();
    const received = new Promise<void>((resolve) => {
      onRequest = resolve;
    });
    const request = send(baseUrl, caller.signal);
    await received;
    caller.abort();
    expect(await failureOf(request)).toBe('AbortError');
  });

  // Only on a Node where AbortSignal.any loses its timeout: there, a combined signal would be a fake deadline.
  it.each(leftAlone)('$name: left alone and reported unfixable, naming why', (shape) => {
    const result = fixed(shape, 200);
    expect(result.text).toBe(`${shape.code}\n`);
    expect(result.outcomes.map((outcome) => outcome.action)).toEqual(result.outcomes.map(() => 'unfixable'));
    expect(result.outcomes.map((outcome) => outcome.reason).join('\n')).toMatch(/garbage collection loses its AbortSignal\.timeout/u);
  });

  it('the server does hold a request unanswered: without the fix, only the caller can end it', async () => {
    const caller = new AbortController();
    const received = new Promise<void>((resolve) => {
      onRequest = resolve;
    });
    const request = fetch(baseUrl, { signal: caller.signal });
    await received;
    caller.abort();
    expect(await failureOf(request)).toBe('AbortError');
  });
});
