// Configuration from flags and environment (a flag wins over its variable, which wins over the default).
// Every bad value is reported with the flag and the variable that set it, what was expected, and an example
// of a good value; all problems at once, so a misconfigured deployment is fixed in one round.
import { accessSync, constants } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';

import type { LogLevel } from './logger.js';

export interface ListenerConfig {
  brokerUrl: string;
  scaleSetId: number;
  clientId: string;
  /** A file holding the signed JWT client assertion; read at every token exchange, so it can be rotated. */
  clientAssertionFile: string;
  ownerName: string;
  listenerCount: number;
  controlPlaneTimeoutMs: number;
  longPollTimeoutMs: number;
  shutdownGraceMs: number;
  stateDir: string;
  healthPort: number;
  logLevel: LogLevel;
  // Delivery (the side effect and its state).
  /** POST every hand-off here (see WebhookScaler); without it the demo scaler logs each job. */
  handOffUrl?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid listener configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nRun with --help for every option.`);
    this.problems = problems;
  }
}

type Kind = 'url' | 'positiveInteger' | 'port' | 'string' | 'readableFile' | 'logLevel';

interface Setting {
  flag: string;
  env: string;
  kind: Kind;
  description: string;
  example: string;
  defaultValue?: string;
  min?: number;
  max?: number;
  /** Neither required nor defaulted: absent means the feature is off. */
  optional?: boolean;
}

export const settings = {
  brokerUrl: { flag: 'broker-url', env: 'LISTENER_BROKER_URL', kind: 'url', description: 'Base URL of the job broker', example: 'https://broker.example.com' },
  scaleSetId: { flag: 'scale-set-id', env: 'LISTENER_SCALE_SET_ID', kind: 'positiveInteger', description: 'Scale set to listen for', example: '42', min: 1, max: Number.MAX_SAFE_INTEGER },
  clientId: { flag: 'client-id', env: 'LISTENER_CLIENT_ID', kind: 'string', description: 'OAuth client id', example: 'my-listener' },
  clientAssertionFile: {
    flag: 'client-assertion-file',
    env: 'LISTENER_CLIENT_ASSERTION_FILE',
    kind: 'readableFile',
    description: 'File holding the signed JWT client assertion (re-read at every token exchange)',
    example: '/var/run/secrets/broker/assertion.jwt',
  },
  ownerName: { flag: 'owner-name', env: 'LISTENER_OWNER_NAME', kind: 'string', description: 'Session owner name', example: 'listener-a', defaultValue: hostname() },
  listenerCount: { flag: 'listeners', env: 'LISTENER_COUNT', kind: 'positiveInteger', description: 'Listeners to run', example: '1', defaultValue: '1', min: 1, max: 64 },
  controlPlaneTimeoutMs: {
    flag: 'control-plane-timeout-ms',
    env: 'LISTENER_CONTROL_PLANE_TIMEOUT_MS',
    kind: 'positiveInteger',
    description: 'Deadline of every broker call except the long-poll',
    example: '30000',
    defaultValue: '30000',
    min: 1,
    max: 600_000,
  },
  longPollTimeoutMs: {
    flag: 'long-poll-timeout-ms',
    env: 'LISTENER_LONG_POLL_TIMEOUT_MS',
    kind: 'positiveInteger',
    description: 'Deadline of the message long-poll; must exceed how long the broker holds a poll (about 50 s)',
    example: '90000',
    defaultValue: '90000',
    min: 1,
    max: 3_600_000,
  },
  shutdownGraceMs: {
    flag: 'shutdown-grace-ms',
    env: 'LISTENER_SHUTDOWN_GRACE_MS',
    kind: 'positiveInteger',
    description: 'On SIGTERM, time to finish the message in hand and delete the session',
    example: '10000',
    defaultValue: '10000',
    min: 1,
    max: 600_000,
  },
  stateDir: { flag: 'state-dir', env: 'LISTENER_STATE_DIR', kind: 'string', description: 'Directory for the persisted lastMessageId', example: '/var/lib/listener', defaultValue: 'listener-state' },
  healthPort: { flag: 'health-port', env: 'LISTENER_HEALTH_PORT', kind: 'port', description: 'Port of /metrics, /healthz and /readyz on 127.0.0.1 (0 picks one)', example: '9464', defaultValue: '9464', min: 0, max: 65_535 },
  logLevel: { flag: 'log-level', env: 'LISTENER_LOG_LEVEL', kind: 'logLevel', description: 'debug, info, warn or error', example: 'info', defaultValue: 'info' },
  // Delivery.
  handOffUrl: {
    flag: 'hand-off-url',
    env: 'LISTENER_HAND_OFF_URL',
    kind: 'url',
    description: 'POST each job here with an Idempotency-Key header, which the receiver must deduplicate by',
    example: 'https://runners.example.com/hand-offs',
    optional: true,
  },
} satisfies Record<keyof ListenerConfig, Setting>;

const logLevels: readonly string[] = ['debug', 'info', 'warn', 'error'];

export function usage(): string {
  const lines = Object.values(settings).map((setting: Setting) => {
    const fallback = setting.optional === true ? 'optional' : setting.defaultValue === undefined ? 'required' : `default ${setting.defaultValue}`;
    return `  --${setting.flag.padEnd(26)} ${setting.env.padEnd(34)} ${setting.description} (${fallback})`;
  });
  return `Usage: bounded-listener [options]\n\nEvery option can also be set by its environment variable; the flag wins.\n\n${lines.join('\n')}\n  --help                       Print this help\n`;
}

/** Parses flags and environment; throws ConfigError listing every problem. `--help` is the caller's to handle. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ListenerConfig {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const setting of Object.values(settings) as Setting[]) options[setting.flag] = { type: 'string' };
  let flags: Record<string, unknown>;
  try {
    flags = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ConfigError([`${(error as Error).message}. Fix: remove it; run with --help for the options.`]);
  }

  const problems: string[] = [];
  const config: Record<string, string | number> = {};
  for (const [key, setting] of Object.entries(settings) as [keyof ListenerConfig, Setting][]) {
    const fromFlag = flags[setting.flag];
    const raw = typeof fromFlag === 'string' ? fromFlag : (env[setting.env] ?? setting.defaultValue);
    const source = typeof fromFlag === 'string' ? `--${setting.flag}` : env[setting.env] !== undefined ? setting.env : undefined;
    const name = `--${setting.flag} (or ${setting.env})`;
    if (raw === undefined || raw.trim() === '') {
      if (setting.optional === true) continue;
      problems.push(`${name} is required: ${setting.description.toLowerCase()}. Fix: pass e.g. --${setting.flag} ${setting.example}.`);
      continue;
    }
    const checked = check(setting, raw.trim());
    if (typeof checked === 'string' || typeof checked === 'number') config[key] = checked;
    else problems.push(`${source ?? name} ${checked.problem}, got ${JSON.stringify(raw)}. Fix: pass e.g. --${setting.flag} ${setting.example}.`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as unknown as ListenerConfig;
}

function check(setting: Setting, raw: string): string | number | { problem: string } {
  switch (setting.kind) {
    case 'url': {
      let url: URL | undefined;
      try {
        url = new URL(raw);
      } catch {
        url = undefined;
      }
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return { problem: 'must be an http:// or https:// URL' };
      return raw.replace(/\/+$/, '');
    }
    case 'positiveInteger':
    case 'port': {
      const value = Number(raw);
      const { min = 0, max = Number.MAX_SAFE_INTEGER } = setting;
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
        return { problem: `must be a whole number from ${min} to ${max}` };
      }
      return value;
    }
    case 'readableFile':
      try {
        accessSync(raw, constants.R_OK);
        return raw;
      } catch {
        return { problem: 'must name a readable file' };
      }
    case 'logLevel':
      return logLevels.includes(raw) ? raw : { problem: `must be one of ${logLevels.join(', ')}` };
    case 'string':
      return raw;
  }
}
