// A fake broker and a broker client wired together with the small deadlines the tests use.
import type { Session } from '../../src/broker-protocol.js';
import { BrokerClient, type AccessToken, type BrokerClientOptions } from '../../src/broker-client.js';
import { startFakeBroker, type FakeBroker, type FakeBrokerOptions } from '../../src/fake-broker/index.js';

export const CONTROL_PLANE_TIMEOUT_MS = 200;
export const LONG_POLL_TIMEOUT_MS = 1_000;
/** "Bounded" in a test means within the deadline plus this: generous, so a loaded machine never flakes. */
export const SCHEDULING_MARGIN_MS = 1_500;
export const CLIENT_ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.client-assertion-secret.signature';

export interface TransportFixture {
  broker: FakeBroker;
  client: BrokerClient;
  close(): Promise<void>;
}

export async function startTransport(brokerOptions: FakeBrokerOptions = {}, clientOptions: Partial<BrokerClientOptions> = {}): Promise<TransportFixture> {
  const broker = await startFakeBroker({ holdMs: 100, ...brokerOptions });
  const client = new BrokerClient({
    brokerUrl: broker.url,
    scaleSetId: broker.scaleSetId,
    clientId: 'listener-test',
    clientAssertion: () => CLIENT_ASSERTION,
    controlPlaneTimeoutMs: CONTROL_PLANE_TIMEOUT_MS,
    longPollTimeoutMs: LONG_POLL_TIMEOUT_MS,
    ...clientOptions,
  });
  return {
    broker,
    client,
    close: async () => {
      await client.close();
      await broker.close();
    },
  };
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
