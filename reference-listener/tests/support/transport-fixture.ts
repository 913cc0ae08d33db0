// A fake broker and a broker client wired together with the small deadlines the tests use.
import type { Session } from '../../src/broker-protocol.js';
import { BrokerClient, type AccessToken, type BrokerClientOptions } from '../../src/broker-client.js';
import { DeadlineExceededError } from '../../src/errors.js';
import { startFakeBroker, type FakeBroker, type FakeBrokerEndpoint, type FakeBrokerOptions, type Fault, type RequestLogEntry } from '../../src/testing.js';

/** The tight deadlines of the stall tests: every call of `stallClient` has them. */
export const CONTROL_PLANE_TIMEOUT_MS = 200;
export const LONG_POLL_TIMEOUT_MS = 1_000;
/**
 * The deadlines of `client`, for calls that must succeed: far above any scheduling delay on a loaded
 * machine, so a healthy call can never be cut short and a test never flakes on it.
 */
export const HEALTHY_CONTROL_PLANE_TIMEOUT_MS = 10_000;
export const HEALTHY_LONG_POLL_TIMEOUT_MS = 20_000;
/** "Bounded" in a test means within the deadline plus this: generous, so a loaded machine never flakes. */
export const SCHEDULING_MARGIN_MS = 1_500;
export const CLIENT_ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.client-assertion-secret.signature';

export interface TransportFixture {
  broker: FakeBroker;
  /** Generous deadlines: for setup and for calls a test expects to succeed or to fail with a status. */
  client: BrokerClient;
  /** Tight deadlines (CONTROL_PLANE_TIMEOUT_MS, LONG_POLL_TIMEOUT_MS): for calls a test expects to time out. */
  stallClient: BrokerClient;
  close(): Promise<void>;
}

export async function startTransport(brokerOptions: FakeBrokerOptions = {}, clientOptions: Partial<BrokerClientOptions> = {}): Promise<TransportFixture> {
  const broker = await startFakeBroker({ holdMs: 100, ...brokerOptions });
  const client = brokerClientFor(broker, clientOptions);
  const stallClient = brokerClientFor(broker, { controlPlaneTimeoutMs: CONTROL_PLANE_TIMEOUT_MS, longPollTimeoutMs: LONG_POLL_TIMEOUT_MS });
  return {
    broker,
    client,
    stallClient,
    close: async () => {
      await Promise.all([client.close(), stallClient.close()]);
      await broker.close();
    },
  };
}

/** A client of `broker` with the generous deadlines unless overridden. The caller closes it. */
export function brokerClientFor(broker: FakeBroker, overrides: Partial<BrokerClientOptions> = {}): BrokerClient {
  return new BrokerClient({
    brokerUrl: broker.url,
    scaleSetId: broker.scaleSetId,
    clientId: 'listener-test',
    clientAssertion: () => CLIENT_ASSERTION,
    // The fake broker speaks plain HTTP on loopback.
    allowInsecureHttp: true,
    controlPlaneTimeoutMs: HEALTHY_CONTROL_PLANE_TIMEOUT_MS,
    longPollTimeoutMs: HEALTHY_LONG_POLL_TIMEOUT_MS,
    ...overrides,
  });
}

/**
 * Runs a call that should succeed on a tight-deadline client, retrying only a DeadlineExceededError
 * (which a loaded machine can cause) up to 5 times. A wedged client fails all five.
 */
export async function succeedsDespiteLoad<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof DeadlineExceededError) || attempt === 5) throw error;
    }
  }
}

export async function openSession(client: BrokerClient, ownerName = 'runner-scale-set-listener'): Promise<{ token: AccessToken; session: Session }> {
  const token = await client.exchangeToken();
  const session = await client.createSession(token, ownerName);
  return { token, session };
}

/** Settles `call` and reports how long it took, so a test can assert both the outcome and the bound. */
export async function timed<T>(call: () => Promise<T>): Promise<{ outcome: { value: T } | { error: unknown }; elapsedMs: number }> {
  const started = performance.now();
  const outcome = await call().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { outcome, elapsedMs: performance.now() - started };
}

/** Polls `condition` every 20 ms until it holds or `withinMs` passes; returns whether it held. */
export async function eventually(condition: () => boolean, withinMs = 5_000): Promise<boolean> {
  const giveUpAt = Date.now() + withinMs;
  while (Date.now() < giveUpAt) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

/**
 * Injects `fault` for one request to `operation`, makes the call and times it. Then waits (bounded)
 * for the request to show up at the broker and drops the fault if it was never consumed: on a loaded
 * machine a tight-deadline client can give up before its request even reaches the broker, and a
 * leftover fault, or a late request, would otherwise land on the next test case.
 */
export async function callWithFault<T>(
  broker: FakeBroker,
  operation: FakeBrokerEndpoint,
  fault: Fault,
  call: () => Promise<T>,
): Promise<{ outcome: { value: T } | { error: unknown }; elapsedMs: number; seenByBroker: RequestLogEntry | undefined }> {
  const requestsBefore = broker.requestsTo(operation).length;
  broker.injectFault(operation, fault);
  const { outcome, elapsedMs } = await timed(call);
  await eventually(() => broker.requestsTo(operation).length > requestsBefore, 2_000);
  broker.clearFaults();
  return { outcome, elapsedMs, seenByBroker: broker.requestsTo(operation)[requestsBefore] };
}
