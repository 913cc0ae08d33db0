// Delivery is at least once on the wire and exactly once at the scaler: across resets, failed
// acknowledgements, lost answers and restarts, every job is dispatched once, and no message is acknowledged
// before its jobs were handed off. Checked on the broker's ledger, where the listener cannot fake it.
import { afterAll, describe, expect, it } from 'vitest';

import { capturedLogLines, expectEveryJobDispatchedExactlyOnce, expectNoTokensIn, restartCount, startHarness, waitFor } from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

const NO_RETRIES = { retries: 0, baseMs: 1, capMs: 1 };

describe.concurrent('delivery', () => {
  it('dispatches every job exactly once across resets, failed acknowledgements, lost answers and restarts', async () => {
    const harness = await startHarness({
      // In-session retries off, so that every fault costs a restart and a redelivery: the case this test is about.
      service: { retry: NO_RETRIES },
      beforeStart: (broker) => {
        for (let message = 0; message < 15; message++) {
          broker.enqueueJobs([
            { runnerRequestId: 1_000 + message * 2, jobId: `job-${message}-a` },
            { runnerRequestId: 1_001 + message * 2, jobId: `job-${message}-b` },
          ]);
        }
        broker.injectFault('acknowledgeMessage', { kind: 'reset' });
        broker.injectFault('acknowledgeMessage', { kind: 'status', status: 500 });
        broker.injectFault('acknowledgeMessage', { kind: 'truncatedBody' });
        // The broker grants the jobs, but the answer arrives after our deadline: the grant is "lost".
        broker.injectFault('acquireJobs', { kind: 'delayedSuccess', delayMs: 1_000 });
        broker.injectFault('acquireJobs', { kind: 'reset' });
        broker.injectFault('getMessage', { kind: 'reset' });
        broker.injectFault('getMessage', { kind: 'truncatedBody' });
      },
    });
    try {
      await expectEveryJobDispatchedExactlyOnce(harness, 30_000);
      expect(await restartCount(harness.service)).toBeGreaterThanOrEqual(5);
      expect(harness.broker.ledger.redelivered.size).toBeGreaterThanOrEqual(1);
      const duplicates = await harness.service.metrics.duplicatesSuppressed.get();
      // Each failed acknowledgement leaves a message whose jobs were already handed off: its redelivery is dropped.
      expect(duplicates.values[0]?.value).toBeGreaterThanOrEqual(2);
    } finally {
      await harness.stop();
    }
  });

  it('with two listeners sharing the queue, dispatches every job exactly once across lost acquire answers and stalled deletes', async () => {
    // An acquire is granted but its answer is lost, and the session delete stalls, so the broker keeps that
    // session (and its jobs) until it expires, while the other listener may see the redelivered message.
    // Which listener meets which fault depends on scheduling; the exact race is pinned down in listener.test.ts.
    const harness = await startHarness({
      // In-session retries off: each lost acquire answer then costs a restart, and the delete of that session stalls.
      service: { listenerCount: 2, retry: NO_RETRIES },
      beforeStart: (broker) => {
        for (let message = 0; message < 10; message++) {
          broker.enqueueJobs([
            { runnerRequestId: 2_000 + message * 2, jobId: `job-${message}-a` },
            { runnerRequestId: 2_001 + message * 2, jobId: `job-${message}-b` },
          ]);
        }
        broker.injectFault('acquireJobs', { kind: 'delayedSuccess', delayMs: 1_000 }, 2);
        broker.injectFault('deleteSession', { kind: 'stallAfterAccept' }, 2);
      },
    });
    try {
      await expectEveryJobDispatchedExactlyOnce(harness, 30_000);
      expect(harness.broker.requestsTo('deleteSession').filter((entry) => entry.fault === 'stallAfterAccept')).toHaveLength(2);
    } finally {
      await harness.stop();
    }
  });

  it('drops a job that arrives again in a later message', async () => {
    const harness = await startHarness({
      beforeStart: (broker) => {
        broker.enqueueJobs([{ runnerRequestId: 7, jobId: 'job-7' }]);
        broker.enqueueJobs([{ runnerRequestId: 7, jobId: 'job-7' }]);
      },
    });
    try {
      await expectEveryJobDispatchedExactlyOnce(harness);
      expect(harness.broker.ledger.dispatchCount(7)).toBe(1);
    } finally {
      await harness.stop();
    }
  });

  it('acknowledges a malformed message as poison on its third delivery and carries on', async () => {
    const harness = await startHarness({
      broker: { sessionIdleTimeoutMs: 10_000 },
      service: { controlPlaneTimeoutMs: 5_000 },
      beforeStart: (broker) => {
        broker.enqueueRawMessage('{"not json');
        broker.enqueueJobs([{ runnerRequestId: 8, jobId: 'job-8' }]);
      },
    });
    try {
      await expectEveryJobDispatchedExactlyOnce(harness);
      const poison = harness.broker.ledger.acknowledged[0];
      expect(poison).toBe(1);
      const decisions = harness.logs
        .filter((record) => record.event === 'malformed-message-left-unacknowledged' || record.event === 'poison-message-acknowledged')
        .map((record) => `${record.event}:${String(record.deliveries)}`);
      // A delivery whose answer was lost to load would make the broker count one more than the listener saw.
      expect(decisions).toEqual(['malformed-message-left-unacknowledged:1', 'malformed-message-left-unacknowledged:2', 'poison-message-acknowledged:3']);
      expect(harness.broker.ledger.deliveries(1)).toBeGreaterThanOrEqual(3);
      expect((await harness.service.metrics.messagesPoisoned.get()).values[0]?.value).toBe(1);
    } finally {
      await harness.stop();
    }
  });

  it('exchanges a new token after the broker expired every token (401), without a restart', async () => {
    const harness = await startHarness({ broker: { sessionIdleTimeoutMs: 10_000 }, service: { controlPlaneTimeoutMs: 5_000 } });
    try {
      await waitFor('the session registered', () => harness.service.supervisor.isReady());
      harness.broker.expireAccessTokens();
      harness.broker.enqueueJobs([{ runnerRequestId: 9, jobId: 'job-9' }]);
      await expectEveryJobDispatchedExactlyOnce(harness);
      expect(harness.logs.some((record) => record.event === 'token-expired-exchanging-again')).toBe(true);
      // Handled inside the listener: no restart was caused by the 401 (load may still cause others).
      expect(harness.logs.filter((record) => record.event === 'listener-restarting' && (record.error as { name?: string } | undefined)?.name === 'TokenExpiredError')).toEqual([]);
    } finally {
      await harness.stop();
    }
  });
});
