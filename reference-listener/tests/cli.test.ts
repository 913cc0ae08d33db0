// The CLI as users run it. Config mistakes: a message and exit code 2, never a stack trace. SIGTERM: the
// built binary stops, deletes its session and exits 0 within the grace period.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { main, type CliIo } from '../src/cli.js';
import { startFakeBroker } from '../src/testing.js';
import { expectNoTokensIn, waitFor } from './support/listener-harness.js';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), stopRequested: () => Promise.resolve('test') };
}

describe('cli', () => {
  it('prints every option with --help and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], {}, io)).toBe(0);
    expect(io.out.join('')).toContain('--control-plane-timeout-ms');
    expect(io.out.join('')).toContain('LISTENER_LONG_POLL_TIMEOUT_MS');
  });

  it('reports configuration mistakes with exit code 2 and no stack trace', async () => {
    const io = captureIo();
    expect(await main(['--long-poll-timeout-ms', 'forever'], {}, io)).toBe(2);
    const message = io.err.join('');
    expect(message).toContain('--long-poll-timeout-ms must be a whole number from 1 to 3600000, got "forever"');
    expect(message).toContain('--broker-url (or LISTENER_BROKER_URL) is required');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('exits 2 before connecting when the state directory cannot be written or holds a corrupt file, naming the path and the fix', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'listener-cli-state-'));
    const assertionPath = join(directory, 'assertion.jwt');
    await writeFile(assertionPath, 'eyJhbGciOiJSUzI1NiJ9.cli-test-client-assertion.signature\n');
    // Nothing listens on port 9: a listener that got past the state check would fail differently (exit 1).
    const env = { LISTENER_BROKER_URL: 'https://127.0.0.1:9', LISTENER_SCALE_SET_ID: '1', LISTENER_CLIENT_ID: 'c', LISTENER_CLIENT_ASSERTION_FILE: assertionPath };
    const run = async (stateDir: string): Promise<{ code: number; message: string }> => {
      const io = captureIo();
      const code = await main(['--state-dir', stateDir, '--health-port', '0'], env, io);
      return { code, message: io.err.join('') };
    };

    const unwritable = await run(join(assertionPath, 'state'));
    expect(unwritable.code).toBe(2);
    expect(unwritable.message).toContain(`The state directory ${join(assertionPath, 'state')} cannot be written`);

    const corruptLastMessage = join(directory, 'corrupt-last-message');
    await mkdir(corruptLastMessage);
    await writeFile(join(corruptLastMessage, 'listener-0.json'), '{"lastMessageId":1e300}');
    expect(await run(corruptLastMessage)).toEqual({ code: 2, message: expect.stringContaining(`${join(corruptLastMessage, 'listener-0.json')} does not hold`) as string });

    const corruptJournal = join(directory, 'corrupt-journal');
    await mkdir(corruptJournal);
    await writeFile(join(corruptJournal, 'delivery-journal.json'), '{"version":1,"mayHold":[{}],"handedOff":[]}');
    const journal = await run(corruptJournal);
    expect(journal.code).toBe(2);
    expect(journal.message).toContain(`${join(corruptJournal, 'delivery-journal.json')} is not a delivery journal this listener wrote. Fix:`);
    for (const failure of [unwritable, journal]) expect(failure.message).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming the probe flags when the health port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const directory = await mkdtemp(join(tmpdir(), 'listener-cli-port-'));
      const assertion = join(directory, 'assertion.jwt');
      await writeFile(assertion, 'eyJ.assertion.sig\n');
      const port = String((taken.address() as AddressInfo).port);
      const io = captureIo();
      const args = ['--broker-url', 'https://127.0.0.1:1', '--scale-set-id', '1', '--client-id', 'c', '--client-assertion-file', assertion];
      expect(await main([...args, '--state-dir', join(directory, 'state'), '--health-port', port], {}, io)).toBe(2);
      expect(io.err.join('')).toBe(
        `The probe server cannot listen on 127.0.0.1:${port} (EADDRINUSE): check --health-host/--health-port (or their LISTENER_ variables). Fix: choose a free port (0 picks one) and an address of this machine (127.0.0.1, or 0.0.0.0 for every interface).\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('lists the probe address flags in --help, with their defaults', async () => {
    const io = captureIo();
    await main(['--help'], {}, io);
    const help = io.out.join('');
    expect(help).toMatch(/--health-host .*LISTENER_HEALTH_HOST .*\(default 127\.0\.0\.1\)/);
    expect(help).toMatch(/--metrics-host .*\(default the health host\)/);
    expect(help).toMatch(/--metrics-port .*\(default the health port\)/);
  });

  const builtCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  it('on SIGTERM stops polling, deletes its session and exits 0 within the grace period', async () => {
    // npm test builds before it tests; a bare vitest run needs `npm run build` first.
    expect(existsSync(builtCli), `${builtCli} is missing: run npm run build`).toBe(true);
    const broker = await startFakeBroker({ holdMs: 5_000 });
    const directory = await mkdtemp(join(tmpdir(), 'listener-cli-'));
    const assertionPath = join(directory, 'assertion.jwt');
    await writeFile(assertionPath, 'eyJhbGciOiJSUzI1NiJ9.cli-test-client-assertion.signature\n');
    const child = spawn(process.execPath, [builtCli, '--health-port', '0', '--state-dir', join(directory, 'state'), '--shutdown-grace-ms', '3000'], {
      env: {
        ...process.env,
        LISTENER_BROKER_URL: broker.url,
        // The fake broker speaks plain HTTP on loopback.
        LISTENER_ALLOW_INSECURE_HTTP: 'true',
        LISTENER_SCALE_SET_ID: String(broker.scaleSetId),
        LISTENER_CLIENT_ID: 'cli-client',
        LISTENER_CLIENT_ASSERTION_FILE: assertionPath,
        LISTENER_OWNER_NAME: 'cli-owner',
        LISTENER_CONTROL_PLANE_TIMEOUT_MS: '2000',
        LISTENER_LONG_POLL_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('a poll in flight', () => broker.requestsTo('getMessage').length > 0, 15_000);
      const startedAt = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - startedAt).toBeLessThan(3_000 + 2_000);
      expect([...broker.ledger.endedSessions.values()]).toEqual(['deleted']);
      const events = stderr
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { event: string }).event);
      expect(events).toEqual(expect.arrayContaining(['listener-service-started', 'session-created', 'shutdown-requested', 'session-deleted', 'listener-service-stopped']));
      expectNoTokensIn([stderr]);
      expect(stderr).not.toContain('cli-test-client-assertion');
    } finally {
      child.kill('SIGKILL');
      await broker.close();
    }
  });
});
