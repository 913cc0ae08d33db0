// Configuration from flags and environment (a flag wins over its variable, which wins over the default).
// Every bad value is reported with the flag and the variable that set it, what was expected, and an example
// of a good value; all problems at once, so a misconfigured deployment is fixed in one round.
import { accessSync, constants, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
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
  // Where the probes and the metrics listen.
  healthHost: string;
  /** Absent: the health host. */
  metricsHost?: string;
  /** Absent: the health port (one server for the probes and the metrics). */
  metricsPort?: number;
  // The broker transport (see BrokerTransportOptions).
  allowInsecureHttp: boolean;
  /** Absent: only the broker's own origin receives the queue token. */
  messageQueueOrigins?: string[];
  /** A PEM bundle trusted for the broker's TLS; read once at start. Absent: Node's default roots. */
  caFile?: string;
  maxControlPlaneResponseBytes: number;
  maxMessageResponseBytes: number;
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

type Kind = 'url' | 'positiveInteger' | 'port' | 'string' | 'readableFile' | 'logLevel' | 'host' | 'boolean' | 'originList' | 'certificateFile';

interface Setting {
  flag: string;
  env: string;
  kind: Kind;
  description: string;
  example: string;
  defaultValue?: string;
  /** The setting may be left out; says what its absence means, for --help. */
  whenAbsent?: string;
  min?: number;
  max?: number;
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
  // Where the probes and the metrics listen: 127.0.0.1 unless told otherwise; 0.0.0.0 in a pod.
  healthHost: {
    flag: 'health-host',
    env: 'LISTENER_HEALTH_HOST',
    kind: 'host',
    description: 'Address /healthz and /readyz listen on; 0.0.0.0 in a pod, so the kubelet can reach them',
    example: '0.0.0.0',
    defaultValue: '127.0.0.1',
  },
  metricsHost: {
    flag: 'metrics-host',
    env: 'LISTENER_METRICS_HOST',
    kind: 'host',
    description: 'Address /metrics listens on; 0.0.0.0 in a pod, so Prometheus can scrape it',
    example: '0.0.0.0',
    whenAbsent: 'the health host',
  },
  metricsPort: {
    flag: 'metrics-port',
    env: 'LISTENER_METRICS_PORT',
    kind: 'port',
    description: 'Port of /metrics when it should not share the probes\' server (0 picks one)',
    example: '9465',
    whenAbsent: 'the health port',
    min: 0,
    max: 65_535,
  },
  // The broker transport: TLS, plain HTTP, where the queue token may go, and the response caps.
  allowInsecureHttp: {
    flag: 'allow-insecure-http',
    env: 'LISTENER_ALLOW_INSECURE_HTTP',
    kind: 'boolean',
    description: 'Allow an http:// broker (tokens in clear text): a trusted network or a local test only',
    example: 'true',
    defaultValue: 'false',
  },
  messageQueueOrigins: {
    flag: 'message-queue-origins',
    env: 'LISTENER_MESSAGE_QUEUE_ORIGINS',
    kind: 'originList',
    description: "Comma-separated origins besides the broker's that may receive the message queue token",
    example: 'https://queue.example.com',
    whenAbsent: "none (the broker's origin only)",
  },
  caFile: {
    flag: 'ca-file',
    env: 'LISTENER_CA_FILE',
    kind: 'certificateFile',
    description: "PEM CA bundle trusted for the broker's TLS, replacing the default roots (read at start)",
    example: '/etc/ssl/private-ca.pem',
    whenAbsent: "Node's default roots",
  },
  maxControlPlaneResponseBytes: {
    flag: 'max-control-plane-response-bytes',
    env: 'LISTENER_MAX_CONTROL_PLANE_RESPONSE_BYTES',
    kind: 'positiveInteger',
    description: 'Largest response body of a control-plane call; more fails the call',
    example: '65536',
    defaultValue: '65536',
    min: 1,
    max: 1_073_741_824,
  },
  maxMessageResponseBytes: {
    flag: 'max-message-response-bytes',
    env: 'LISTENER_MAX_MESSAGE_RESPONSE_BYTES',
    kind: 'positiveInteger',
    description: 'Largest long-poll response body (one message with its job list); more fails the poll',
    example: '4194304',
    defaultValue: '4194304',
    min: 1,
    max: 1_073_741_824,
  },
  // Delivery.
  handOffUrl: {
    flag: 'hand-off-url',
    env: 'LISTENER_HAND_OFF_URL',
    kind: 'url',
    description: 'POST each job here with an Idempotency-Key header, which the receiver must deduplicate by',
    example: 'https://runners.example.com/hand-offs',
    whenAbsent: 'the demo scaler, which logs each job',
  },
} satisfies Record<keyof ListenerConfig, Setting>;

const logLevels: readonly string[] = ['debug', 'info', 'warn', 'error'];

export function usage(): string {
  const lines = Object.values(settings).map((setting: Setting) => {
    const fallback = setting.defaultValue !== undefined ? `default ${setting.defaultValue}` : setting.whenAbsent !== undefined ? `default ${setting.whenAbsent}` : 'required';
    return `  --${setting.flag.padEnd(26)} ${setting.env.padEnd(34)} ${setting.description} (${fallback})`;
  });
  return `Usage: bounded-listener [options]\n\nEvery option can also be set by its environment variable; the flag wins.\n\n${lines.join('\n')}\n  --help                       Print this help\n\nProxies: HTTP_PROXY, HTTPS_PROXY and NO_PROXY (or their lower-case forms) are honoured, under the same deadlines.\n`;
}

/** Parses flags and environment; throws ConfigError listing every problem. `--help` is the caller's to handle. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ListenerConfig {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const setting of Object.values(settings) as Setting[]) options[setting.flag] = { type: setting.kind === 'boolean' ? 'boolean' : 'string' };
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
  const config: Record<string, string | number | boolean | string[]> = {};
  for (const [key, setting] of Object.entries(settings) as [keyof ListenerConfig, Setting][]) {
    // A boolean flag has no value: present is true.
    const fromFlag = flags[setting.flag] === true ? 'true' : flags[setting.flag];
    const raw = typeof fromFlag === 'string' ? fromFlag : (env[setting.env] ?? setting.defaultValue);
    const source = typeof fromFlag === 'string' ? `--${setting.flag}` : env[setting.env] !== undefined ? setting.env : undefined;
    const name = `--${setting.flag} (or ${setting.env})`;
    const example = setting.kind === 'boolean' ? `--${setting.flag}` : `--${setting.flag} ${setting.example}`;
    if ((raw === undefined || raw.trim() === '') && setting.whenAbsent !== undefined) continue;
    if (raw === undefined || raw.trim() === '') {
      problems.push(`${name} is required: ${setting.description.toLowerCase()}. Fix: pass e.g. ${example}.`);
      continue;
    }
    const checked = check(setting, raw.trim());
    if (typeof checked === 'object' && !Array.isArray(checked)) problems.push(`${source ?? name} ${checked.problem}, got ${JSON.stringify(raw)}. Fix: pass e.g. ${example}.`);
    else config[key] = checked;
  }
  problems.push(...probeAddressProblems(config), ...insecureHttpProblems(config), ...proxyProblems(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return config as unknown as ListenerConfig;
}

/** /metrics on a host of its own needs a port of its own: on Linux, 0.0.0.0 and 127.0.0.1 cannot share one. */
function probeAddressProblems(config: Readonly<Record<string, unknown>>): string[] {
  const { healthHost, metricsHost, healthPort, metricsPort } = config as Partial<Record<'healthHost' | 'metricsHost' | 'healthPort' | 'metricsPort', string | number>>;
  if (metricsHost === undefined || metricsHost === healthHost || healthPort === undefined || healthPort === 0) return [];
  if (metricsPort !== undefined && metricsPort !== healthPort) return [];
  return [
    `--metrics-host ${String(metricsHost)} differs from --health-host ${String(healthHost)}, so /metrics needs a server of its own, but it would share port ${String(healthPort)}. Fix: pass e.g. --metrics-port 9465, or give both the same host.`,
  ];
}

/** Plain HTTP sends every token in clear text: only with the option that says so. */
function insecureHttpProblems(config: Record<string, unknown>): string[] {
  if (config.allowInsecureHttp === true) return [];
  const fix = `Fix: use https://, or pass --${settings.allowInsecureHttp.flag} (${settings.allowInsecureHttp.env}=true) for a trusted network or a local test.`;
  const problems: string[] = [];
  if (typeof config.brokerUrl === 'string' && config.brokerUrl.startsWith('http:')) {
    problems.push(`--${settings.brokerUrl.flag} (or ${settings.brokerUrl.env}) is an http:// URL, which would send the tokens in clear text. ${fix}`);
  }
  const insecureOrigins = Array.isArray(config.messageQueueOrigins) ? (config.messageQueueOrigins as string[]).filter((origin) => origin.startsWith('http:')) : [];
  if (insecureOrigins.length > 0) {
    problems.push(`--${settings.messageQueueOrigins.flag} (or ${settings.messageQueueOrigins.env}) lists http:// origins (${insecureOrigins.join(', ')}), which would receive the queue token in clear text. ${fix}`);
  }
  return problems;
}

/**
 * The proxy variables are read by undici's EnvHttpProxyAgent, which would throw a bare TypeError on a bad
 * one; checked here so it is a configuration problem like any other. The value is never quoted: a proxy
 * URL carries credentials (http://user:password@proxy:3128).
 */
function proxyProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let valid: boolean;
    try {
      valid = new URL(value).host !== '';
    } catch {
      valid = false;
    }
    if (!valid) problems.push(`${name} is not a proxy URL (value not shown: it may hold credentials). Fix: set it to e.g. http://proxy.example.com:3128, or unset it.`);
  }
  return problems;
}

function check(setting: Setting, raw: string): string | number | boolean | string[] | { problem: string } {
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
    case 'host':
      // An IP literal or a hostname; whether it is an address of this machine shows when the server listens.
      return isIP(raw) !== 0 || /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(raw) ? raw : { problem: 'must be an IP address or a hostname' };
    case 'logLevel':
      return logLevels.includes(raw) ? raw : { problem: `must be one of ${logLevels.join(', ')}` };
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return { problem: 'must be true or false' };
    case 'originList': {
      const origins: string[] = [];
      for (const entry of raw.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
        let url: URL | undefined;
        try {
          url = new URL(entry);
        } catch {
          url = undefined;
        }
        if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || `${url.origin}/` !== url.href) {
          return { problem: `must list origins only (scheme, host and optional port, no path), but ${JSON.stringify(entry)} is not one` };
        }
        origins.push(url.origin);
      }
      return origins;
    }
    case 'certificateFile': {
      // Read here, at start: a bundle that cannot be read must stop the start, not fail every TLS handshake later.
      let text: string;
      try {
        text = readFileSync(raw, 'utf8');
      } catch (error) {
        return { problem: `must name a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
      }
      return text.includes('-----BEGIN CERTIFICATE-----') ? raw : { problem: 'must hold PEM certificates (-----BEGIN CERTIFICATE----- blocks)' };
    }
    case 'string':
      return raw;
  }
}
