// Structured logs: one JSON object per line, so an operator can grep and a collector can parse.
// Tokens must never reach a log line: known secrets are replaced wherever they appear, and any field
// whose name says it holds a credential is replaced whatever its value.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line, e.g. the listener index. */
  child(fields: LogFields): Logger;
}

/** The secrets seen so far (access tokens, queue tokens, the client assertion), scrubbed from every line. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private readonly maxSecrets: number;

  constructor(maxSecrets = 64) {
    this.maxSecrets = maxSecrets;
  }

  /** Remember a secret; the oldest is forgotten once the set is full, since expired tokens stop mattering. */
  add(secret: string): void {
    // Very short values would redact ordinary words; real tokens are long.
    if (secret.length < 8 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    if (this.secrets.size > this.maxSecrets) {
      const oldest = this.secrets.values().next().value;
      if (oldest !== undefined) this.secrets.delete(oldest);
    }
  }

  redact(text: string): string {
    let redacted = text;
    for (const secret of this.secrets) redacted = redacted.split(secret).join('[REDACTED]');
    return redacted.replace(/\b(Bearer|Basic)\s+[^\s"\\]+/gi, '$1 [REDACTED]');
  }
}

const credentialFieldName = /token|assertion|authorization|secret|password|credential/i;

export interface JsonLoggerOptions {
  /** Where each line goes; stderr by default, so stdout stays free for a program's own output. */
  write?: (line: string) => void;
  level?: LogLevel;
  now?: () => number;
  redactor?: SecretRedactor;
  fields?: LogFields;
}

export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const minimumRank = levelRank[options.level ?? 'info'];
  const now = options.now ?? Date.now;
  const redactor = options.redactor ?? new SecretRedactor();

  const make = (baseFields: LogFields): Logger => {
    const log = (level: LogLevel, event: string, fields: LogFields = {}): void => {
      if (levelRank[level] < minimumRank) return;
      const record = { time: new Date(now()).toISOString(), level, event, ...baseFields, ...fields };
      const line = JSON.stringify(record, (key, value: unknown) => sanitize(key, value));
      write(`${redactor.redact(line)}\n`);
    };
    return {
      debug: (event, fields) => log('debug', event, fields),
      info: (event, fields) => log('info', event, fields),
      warn: (event, fields) => log('warn', event, fields),
      error: (event, fields) => log('error', event, fields),
      child: (fields) => make({ ...baseFields, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

function sanitize(key: string, value: unknown): unknown {
  if (key !== '' && credentialFieldName.test(key) && value !== undefined && typeof value !== 'number') return '[REDACTED]';
  if (value instanceof Error) return describeError(value);
  return value;
}

/** The fields of an error worth logging: the typed broker errors carry operation, status and request id. */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { message: String(error) };
  const described: LogFields = { name: error.name, message: error.message };
  for (const field of ['operation', 'ms', 'status', 'brokerRequestId', 'retryAfterMs', 'reason']) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (value !== undefined) described[field] = value;
  }
  if (error.cause !== undefined) described.cause = describeError(error.cause);
  return described;
}

/** For tests and libraries that want no output. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
