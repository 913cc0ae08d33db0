#!/usr/bin/env node
// The listener as a process: configuration from flags and environment, then run until SIGTERM or SIGINT.
// On the signal: stop polling and abort the in-flight poll, let the message in hand finish within the grace
// period, delete the session within min(control-plane deadline, remaining grace), and exit 0.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { StateFileError } from './atomic-file.js';
import { ConfigError, parseConfig, usage } from './config.js';
import { ProbeListenError } from './health-server.js';
import { createJsonLogger, SecretRedactor } from './logger.js';
import { startListenerService } from './service.js';
import { WebhookScaler } from './webhook-scaler.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the process is asked to stop. */
  stopRequested: () => Promise<string>;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stopRequested: () =>
    new Promise((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    }),
};

/** Returns the exit code: 0 after a clean stop, 2 for a configuration or state-directory problem, 1 when the listener could not start. */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo = processIo): Promise<number> {
  if (argv.includes('--help')) {
    io.stdout(usage());
    return 0;
  }
  let config;
  try {
    config = parseConfig(argv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    return 2;
  }

  // The CA bundle is read once, at start (config checked it is readable PEM a moment ago).
  let ca: string | undefined;
  try {
    ca = config.caFile === undefined ? undefined : readFileSync(config.caFile, 'utf8');
  } catch (error) {
    io.stderr(`--ca-file (or LISTENER_CA_FILE) ${config.caFile ?? ''} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: point it at a readable PEM bundle.\n`);
    return 2;
  }

  const redactor = new SecretRedactor();
  const logger = createJsonLogger({ level: config.logLevel, redactor, write: io.stderr });
  const stopRequested = io.stopRequested();
  let service;
  try {
    service = await startListenerService({
      brokerUrl: config.brokerUrl,
      scaleSetId: config.scaleSetId,
      clientId: config.clientId,
      // Read at every exchange so a rotated assertion is picked up without a restart.
      clientAssertion: () => readFileSync(config.clientAssertionFile, 'utf8').trim(),
      ownerName: config.ownerName,
      listenerCount: config.listenerCount,
      controlPlaneTimeoutMs: config.controlPlaneTimeoutMs,
      longPollTimeoutMs: config.longPollTimeoutMs,
      brokerTransport: {
        allowInsecureHttp: config.allowInsecureHttp,
        messageQueueOrigins: config.messageQueueOrigins ?? [],
        maxControlPlaneResponseBytes: config.maxControlPlaneResponseBytes,
        maxMessageResponseBytes: config.maxMessageResponseBytes,
        ...(ca === undefined ? {} : { ca }),
      },
      stateDir: config.stateDir,
      healthPort: config.healthPort,
      healthHost: config.healthHost,
      ...(config.metricsHost === undefined ? {} : { metricsHost: config.metricsHost }),
      ...(config.metricsPort === undefined ? {} : { metricsPort: config.metricsPort }),
      ...(config.handOffUrl === undefined ? {} : { scaler: new WebhookScaler(config.handOffUrl) }),
      logger,
      redactor,
    });
  } catch (error) {
    // An unwritable state directory or a corrupt state file: restarting cannot fix it, so exit 2 (a
    // supervisor such as systemd can be told not to restart on it), with the path and the fix.
    if (error instanceof StateFileError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    if (error instanceof ProbeListenError && (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')) {
      const flags = error.port === config.healthPort && error.host === config.healthHost ? '--health-host/--health-port' : '--metrics-host/--metrics-port';
      io.stderr(
        `The probe server ${error.message}: check ${flags} (or their LISTENER_ variables). Fix: choose a free port (0 picks one) and an address of this machine (127.0.0.1, or 0.0.0.0 for every interface).\n`,
      );
      return 2;
    }
    io.stderr(`The listener could not start: ${(error as Error).message}\n`);
    return 1;
  }
  const signal = await stopRequested;
  logger.info('shutdown-requested', { signal, shutdownGraceMs: config.shutdownGraceMs });
  await service.stop(config.shutdownGraceMs);
  return 0;
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`The listener failed unexpectedly: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
