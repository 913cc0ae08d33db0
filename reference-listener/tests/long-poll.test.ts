// The long-poll is the one call the broker legitimately holds open, so it cannot share the control-plane
// deadline; it has its own, longer bound instead of none.
import { afterAll, describe, expect, it } from 'vitest';

import {
  capturedLogLines,
  expectEveryJobDispatchedExactlyOnce,
  expectNoTokensIn,
  failedCalls,
  LONG_POLL_TIMEOUT_MS,
  MARGIN_MS,
  restartCount,
  startHarness,
  waitFor,
} from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

describe.concurrent('the long-poll', () => {
  it('a hold shorter than the bound is an empty 202 followed by a new poll, not an error', async () => {
    // Roomy bounds (the hold is still well inside them): this test asserts "no restart", which load must not cause.
    const harness = await startHarness({ broker: { holdMs: 300, sessionIdleTimeoutMs: 10_000 }, service: { controlPlaneTimeoutMs: 5_000, longPollTimeoutMs: 5_000 } });
    try {
      await waitFor('four empty polls', () => harness.broker.requestsTo('getMessage').filter((entry) => entry.status === 202).length >= 4);
      expect(failedCalls(harness.logs, 'getMessage')).toEqual([]);
      expect(await restartCount(harness.service)).toBe(0);
      const lastPoll = await harness.service.metrics.lastSuccessfulPoll.get();
      expect(lastPoll.values[0]?.value).toBeGreaterThan(0);
    } finally {
      await harness.stop();
    }
  });

  it('a poll stalled past the bound fails with a deadline error, and the listener recovers in place', async () => {
    const harness = await startHarness({ beforeStart: (broker) => broker.injectFault('getMessage', { kind: 'stallAfterRequest' }) });
    try {
      await waitFor('the stalled poll failing', () => failedCalls(harness.logs, 'getMessage').length > 0, LONG_POLL_TIMEOUT_MS + 10_000);
      const [stall] = failedCalls(harness.logs, 'getMessage');
      expect(stall).toMatchObject({ outcome: 'deadline_exceeded' });
      expect(stall?.durationMs).toBeGreaterThanOrEqual(LONG_POLL_TIMEOUT_MS - 5);
      expect(stall?.durationMs).toBeLessThan(LONG_POLL_TIMEOUT_MS + MARGIN_MS);
      // A transient failure: the poll is retried inside the session, not by a restart (retry-in-session.test.ts counts it).
      await waitFor('the poll retried in place', () => harness.logs.some((record) => record.event === 'broker-call-retrying' && record.operation === 'getMessage'));
      harness.broker.enqueueJobs([{ runnerRequestId: 3, jobId: 'job-3' }]);
      await expectEveryJobDispatchedExactlyOnce(harness);
    } finally {
      await harness.stop();
    }
  });

  it('a poll whose body trickles past the bound fails the same way', async () => {
    const harness = await startHarness({ beforeStart: (broker) => broker.injectFault('getMessage', { kind: 'trickleBody', intervalMs: 20 }) });
    try {
      await waitFor('the trickling poll failing', () => failedCalls(harness.logs, 'getMessage').length > 0, LONG_POLL_TIMEOUT_MS + 10_000);
      expect(failedCalls(harness.logs, 'getMessage')[0]).toMatchObject({ outcome: 'deadline_exceeded' });
      harness.broker.enqueueJobs([{ runnerRequestId: 4, jobId: 'job-4' }]);
      await expectEveryJobDispatchedExactlyOnce(harness);
    } finally {
      await harness.stop();
    }
  });
});
