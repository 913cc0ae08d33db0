// WebhookScaler, the side effect outside the process: the key travels as Idempotency-Key, a repeat is
// absorbed by the receiver, a refusal is an error, and a receiver that never answers cannot outlast the signal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BrokerLedger } from '../src/fake-broker/ledger.js';
import { startHandOffSink, type HandOffSink } from '../src/fake-broker/hand-off-sink.js';
import { startSilentServer } from '../src/fake-broker/silent-server.js';
import { jobHandoff } from '../src/scaler.js';
import { WebhookScaler } from '../src/webhook-scaler.js';

describe('WebhookScaler', () => {
  const ledger = new BrokerLedger(60_000);
  let sink: HandOffSink;
  beforeAll(async () => {
    sink = await startHandOffSink(ledger);
  });
  afterAll(() => sink.close());

  it('hands a job off once at the receiver, however often it is called with the same key', async () => {
    const scaler = new WebhookScaler(sink.url);
    const signal = AbortSignal.timeout(5_000);
    await scaler.handOff(jobHandoff(7, 'job-7'), signal);
    await scaler.handOff(jobHandoff(7, 'job-7'), signal);
    await scaler.handOff(jobHandoff(8, 'job-8'), signal);
    expect(ledger.dispatched).toEqual([7, 8]);
    expect({ calls: sink.calls(), repeats: sink.repeats() }).toEqual({ calls: 3, repeats: 1 });
  });

  it('rejects when the receiver refuses the hand-off', async () => {
    // Without an idempotency key the sink answers 400, as any receiver that refuses a hand-off would.
    const refusing = new WebhookScaler(sink.url);
    const job = { ...jobHandoff(9, 'job-9'), idempotencyKey: '' };
    await expect(refusing.handOff(job, AbortSignal.timeout(5_000))).rejects.toThrow(`${sink.url} answered 400 to the hand-off of job job-9`);
  });

  it('gives up when its signal aborts, even if the receiver never reads the request', async () => {
    const silent = await startSilentServer();
    try {
      const startedAt = Date.now();
      await expect(new WebhookScaler(`${silent.url}/hand-offs`).handOff(jobHandoff(10, 'job-10'), AbortSignal.timeout(200))).rejects.toThrow();
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });
});
