import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { ConfigError, parseConfig } from '../src/config.js';

async function assertionFile(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'listener-config-')), 'assertion.jwt');
  await writeFile(path, 'eyJ.assertion.sig\n');
  return path;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads flags and environment, the flag winning, with documented defaults', async () => {
    const file = await assertionFile();
    const config = parseConfig(['--broker-url', 'https://broker.example.com/', '--control-plane-timeout-ms', '15000'], {
      LISTENER_SCALE_SET_ID: '3',
      LISTENER_CLIENT_ID: 'client',
      LISTENER_CLIENT_ASSERTION_FILE: file,
      LISTENER_CONTROL_PLANE_TIMEOUT_MS: '99',
      LISTENER_OWNER_NAME: 'owner-a',
    });
    expect(config).toMatchObject({
      brokerUrl: 'https://broker.example.com',
      scaleSetId: 3,
      clientId: 'client',
      clientAssertionFile: file,
      ownerName: 'owner-a',
      listenerCount: 1,
      controlPlaneTimeoutMs: 15_000,
      longPollTimeoutMs: 90_000,
      shutdownGraceMs: 10_000,
      healthPort: 9464,
      logLevel: 'info',
    });
  });

  it('lists every missing required option with its flag, its variable and an example', () => {
    const problems = problemsOf(() => parseConfig([], {}));
    expect(problems).toEqual([
      '--broker-url (or LISTENER_BROKER_URL) is required: base url of the job broker. Fix: pass e.g. --broker-url https://broker.example.com.',
      '--scale-set-id (or LISTENER_SCALE_SET_ID) is required: scale set to listen for. Fix: pass e.g. --scale-set-id 42.',
      '--client-id (or LISTENER_CLIENT_ID) is required: oauth client id. Fix: pass e.g. --client-id my-listener.',
      '--client-assertion-file (or LISTENER_CLIENT_ASSERTION_FILE) is required: file holding the signed jwt client assertion (re-read at every token exchange). Fix: pass e.g. --client-assertion-file /var/run/secrets/broker/assertion.jwt.',
    ]);
  });

  it('names the source of each bad value, what was expected, and the fix', async () => {
    const file = await assertionFile();
    const problems = problemsOf(() =>
      parseConfig(['--broker-url', 'ftp://x', '--control-plane-timeout-ms', '30s', '--listeners', '0', '--log-level', 'loud'], {
        LISTENER_SCALE_SET_ID: '-1',
        LISTENER_CLIENT_ID: 'client',
        LISTENER_CLIENT_ASSERTION_FILE: join(file, '..', 'missing.jwt'),
        LISTENER_HEALTH_PORT: '70000',
      }),
    );
    expect(problems).toEqual([
      '--broker-url must be an http:// or https:// URL, got "ftp://x". Fix: pass e.g. --broker-url https://broker.example.com.',
      `LISTENER_SCALE_SET_ID must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got "-1". Fix: pass e.g. --scale-set-id 42.`,
      `LISTENER_CLIENT_ASSERTION_FILE must name a readable file, got ${JSON.stringify(join(file, '..', 'missing.jwt'))}. Fix: pass e.g. --client-assertion-file /var/run/secrets/broker/assertion.jwt.`,
      '--listeners must be a whole number from 1 to 64, got "0". Fix: pass e.g. --listeners 1.',
      '--control-plane-timeout-ms must be a whole number from 1 to 600000, got "30s". Fix: pass e.g. --control-plane-timeout-ms 30000.',
      'LISTENER_HEALTH_PORT must be a whole number from 0 to 65535, got "70000". Fix: pass e.g. --health-port 9464.',
      '--log-level must be one of debug, info, warn, error, got "loud". Fix: pass e.g. --log-level info.',
    ]);
  });

  it('rejects an unknown flag with the fix', () => {
    const [problem] = problemsOf(() => parseConfig(['--control-plane-timeout', '5'], {}));
    expect(problem).toMatch(/^Unknown option '--control-plane-timeout'.*Fix: remove it; run with --help for the options\.$/);
  });

  it('binds the probes and the metrics to 127.0.0.1 by default, and to the hosts and port it is given', async () => {
    const file = await assertionFile();
    const required = { LISTENER_BROKER_URL: 'https://broker.example.com', LISTENER_SCALE_SET_ID: '3', LISTENER_CLIENT_ID: 'client', LISTENER_CLIENT_ASSERTION_FILE: file };
    const defaults = parseConfig([], required);
    expect({ healthHost: defaults.healthHost, metricsHost: defaults.metricsHost, metricsPort: defaults.metricsPort }).toEqual({
      healthHost: '127.0.0.1',
      metricsHost: undefined,
      metricsPort: undefined,
    });
    expect(parseConfig(['--health-host', '0.0.0.0', '--metrics-host', '127.0.0.1', '--metrics-port', '9465'], required)).toMatchObject({
      healthHost: '0.0.0.0',
      metricsHost: '127.0.0.1',
      metricsPort: 9465,
    });
    expect(parseConfig([], { ...required, LISTENER_HEALTH_HOST: '::' })).toMatchObject({ healthHost: '::' });
  });

  it('rejects a host that is not an address, and two hosts sharing one port, with the fix', async () => {
    const file = await assertionFile();
    const required = { LISTENER_BROKER_URL: 'https://broker.example.com', LISTENER_SCALE_SET_ID: '3', LISTENER_CLIENT_ID: 'client', LISTENER_CLIENT_ASSERTION_FILE: file };
    expect(problemsOf(() => parseConfig(['--health-host', 'http://0.0.0.0'], required))).toEqual([
      '--health-host must be an IP address or a hostname, got "http://0.0.0.0". Fix: pass e.g. --health-host 0.0.0.0.',
    ]);
    expect(problemsOf(() => parseConfig(['--health-host', '0.0.0.0', '--metrics-host', '127.0.0.1'], required))).toEqual([
      '--metrics-host 127.0.0.1 differs from --health-host 0.0.0.0, so /metrics needs a server of its own, but it would share port 9464. Fix: pass e.g. --metrics-port 9465, or give both the same host.',
    ]);
  });
});
