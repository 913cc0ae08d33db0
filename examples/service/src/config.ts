// Settings for the billing sync worker, read once at start-up from the environment.

/** Every request to a peer that answers promptly (the control plane) must finish within this. */
export const CONTROL_PLANE_TIMEOUT_MS = 10_000;

/** The event broker holds a long-poll open for up to 50 s before it answers "nothing new". */
export const LONG_POLL_TIMEOUT_MS = 60_000;

export interface WorkerConfig {
  ledgerUrl: string;
  paymentsUrl: string;
  warehouseUrl: string;
  taxRatesUrl: string;
  eventFeedUrl: string;
  batchSize: number;
}

function requireEnv(environment: NodeJS.ProcessEnv, name: string): string {
  const value = environment[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: export ${name}=https://… before starting the billing sync worker`);
  }
  return value;
}

export function readConfig(environment: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const batchSize = Number(environment.BILLING_BATCH_SIZE ?? '50');
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`BILLING_BATCH_SIZE must be a positive integer, got ${JSON.stringify(environment.BILLING_BATCH_SIZE)}`);
  }
  return {
    ledgerUrl: requireEnv(environment, 'LEDGER_URL'),
    paymentsUrl: requireEnv(environment, 'PAYMENTS_URL'),
    warehouseUrl: requireEnv(environment, 'WAREHOUSE_URL'),
    taxRatesUrl: requireEnv(environment, 'TAX_RATES_URL'),
    eventFeedUrl: requireEnv(environment, 'EVENT_FEED_URL'),
    batchSize,
  };
}
