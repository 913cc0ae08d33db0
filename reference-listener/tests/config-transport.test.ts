// The transport flags: plain HTTP refused unless asked for, trusted queue origins, the CA bundle and the
// response caps, each reported like every other configuration mistake (flag, variable, fix; exit 2).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { main, type CliIo } from '../src/cli.js';
import { ConfigError, parseConfig, usage } from '../src/config.js';

let directory: string;
let required: Record<string, string>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'listener-transport-config-'));
  const assertion = join(directory, 'assertion.jwt');
  await writeFile(assertion, 'eyJ.assertion.sig\n');
  await writeFile(join(directory, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  await writeFile(join(directory, 'not-a-ca.pem'), 'hello\n');
  required = { LISTENER_BROKER_URL: 'https://broker.example.com', LISTENER_SCALE_SET_ID: '1', LISTENER_CLIENT_ID: 'c', LISTENER_CLIENT_ASSERTION_FILE: assertion };
});

function problemsOf(argv: string[], env: Record<string, string> = {}): readonly string[] {
  try {
    parseConfig(argv, { ...required, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('transport configuration', () => {
  it('defaults: https only, no extra origins, no CA bundle, 64 KiB and 4 MiB caps', () => {
    const config = parseConfig([], required);
    expect(config).toMatchObject({ allowInsecureHttp: false, maxControlPlaneResponseBytes: 65_536, maxMessageResponseBytes: 4_194_304 });
    // Absent means: the broker's origin only, and Node's default roots.
    expect(config.messageQueueOrigins).toBeUndefined();
    expect(config.caFile).toBeUndefined();
  });

  it('refuses an http:// broker URL, naming the option that allows it', () => {
    expect(problemsOf([], { LISTENER_BROKER_URL: 'http://broker.internal:8080' })).toEqual([
      '--broker-url (or LISTENER_BROKER_URL) is an http:// URL, which would send the tokens in clear text. Fix: use https://, or pass --allow-insecure-http (LISTENER_ALLOW_INSECURE_HTTP=true) for a trusted network or a local test.',
    ]);
    expect(parseConfig(['--allow-insecure-http'], { ...required, LISTENER_BROKER_URL: 'http://broker.internal:8080' })).toMatchObject({ allowInsecureHttp: true });
    expect(parseConfig([], { ...required, LISTENER_BROKER_URL: 'http://broker.internal:8080', LISTENER_ALLOW_INSECURE_HTTP: 'true' })).toMatchObject({ allowInsecureHttp: true });
  });

  it('reads message queue origins as a list, refusing paths and (without the option) http://', () => {
    expect(parseConfig(['--message-queue-origins', 'https://q1.example.com, https://q2.example.com:8443/'], required)).toMatchObject({
      messageQueueOrigins: ['https://q1.example.com', 'https://q2.example.com:8443'],
    });
    expect(problemsOf(['--message-queue-origins', 'https://q.example.com/queues'])).toEqual([
      '--message-queue-origins must list origins only (scheme, host and optional port, no path), but "https://q.example.com/queues" is not one, got "https://q.example.com/queues". Fix: pass e.g. --message-queue-origins https://queue.example.com.',
    ]);
    expect(problemsOf(['--message-queue-origins', 'http://q.example.com'])[0]).toMatch(/^--message-queue-origins \(or LISTENER_MESSAGE_QUEUE_ORIGINS\) lists http:\/\/ origins \(http:\/\/q\.example\.com\).*--allow-insecure-http/);
  });

  it('reads the CA bundle at start: unreadable or not PEM is a problem naming --ca-file', () => {
    expect(parseConfig(['--ca-file', join(directory, 'ca.pem')], required)).toMatchObject({ caFile: join(directory, 'ca.pem') });
    expect(problemsOf(['--ca-file', join(directory, 'missing.pem')])).toEqual([
      `--ca-file must name a readable file (ENOENT), got ${JSON.stringify(join(directory, 'missing.pem'))}. Fix: pass e.g. --ca-file /etc/ssl/private-ca.pem.`,
    ]);
    expect(problemsOf([], { LISTENER_CA_FILE: join(directory, 'not-a-ca.pem') })[0]).toMatch(/^LISTENER_CA_FILE must hold PEM certificates/);
  });

  it('bounds the response caps', () => {
    expect(parseConfig(['--max-message-response-bytes', '1048576'], required)).toMatchObject({ maxMessageResponseBytes: 1_048_576 });
    expect(problemsOf(['--max-control-plane-response-bytes', '0'])[0]).toMatch(/^--max-control-plane-response-bytes must be a whole number from 1 to 1073741824/);
    expect(problemsOf([], { LISTENER_ALLOW_INSECURE_HTTP: 'yes' })[0]).toMatch(/^LISTENER_ALLOW_INSECURE_HTTP must be true or false, got "yes"/);
  });

  it('a proxy variable that is not a URL is a problem that does not quote it', () => {
    expect(problemsOf([], { HTTPS_PROXY: 'user:hunter2@[proxy' })).toEqual([
      'HTTPS_PROXY is not a proxy URL (value not shown: it may hold credentials). Fix: set it to e.g. http://proxy.example.com:3128, or unset it.',
    ]);
    expect(problemsOf([], { http_proxy: 'http://proxy.internal:3128', NO_PROXY: 'localhost' })).toEqual([]);
  });

  it('--help lists the transport options and the proxy variables', () => {
    const text = usage();
    for (const flag of ['--allow-insecure-http', '--message-queue-origins', '--ca-file', '--max-control-plane-response-bytes', '--max-message-response-bytes', 'HTTPS_PROXY', 'NO_PROXY']) {
      expect(text).toContain(flag);
    }
  });

  it('the CLI exits 2 on an http:// broker URL without the option, with no stack trace', async () => {
    const err: string[] = [];
    const io: CliIo = { stdout: () => undefined, stderr: (text) => err.push(text), stopRequested: () => Promise.resolve('test') };
    expect(await main([], { ...required, LISTENER_BROKER_URL: 'http://broker.internal' }, io)).toBe(2);
    expect(err.join('')).toContain('--allow-insecure-http');
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });
});
