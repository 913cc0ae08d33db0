// The two bugs this package exists for, by name. The original listener made these calls with no deadline:
// a broker that accepted the connection and stayed silent wedged it inside one call, no error was ever
// returned, and a supervisor that restarted only on errors never restarted it.
import { afterAll, describe, expect, it } from 'vitest';

import {
  capturedLogLines,
  CONTROL_PLANE_TIMEOUT_MS,
  expectEveryJobDispatchedExactlyOnce,
  expectNoTokensIn,
  failedCalls,
  MARGIN_MS,
  startHarness,
  waitFor,
} from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

describe.concurrent('the original regressions', () => {
  it('a create-session stall does not wedge session registration', async () => {
    const harness = await startHarness({
      beforeStart: (broker) => {
        broker.enqueueJobs([{ runnerRequestId: 1, jobId: 'job-1' }]);
        // An outage spanning several attempts: the broker accepts each connection and never answers.
        broker.injectFault('createSession', { kind: 'stallAfterAccept' }, 3);
      },
    });
    try {
      await waitFor('the session registered', () => harness.service.supervisor.isReady(), 15_000);
      const stalls = failedCalls(harness.logs, 'createSession').filter((record) => record.outcome === 'deadline_exceeded');
      expect(stalls.length).toBeGreaterThanOrEqual(3);
      for (const stall of stalls) expect(stall.durationMs).toBeLessThan(CONTROL_PLANE_TIMEOUT_MS + MARGIN_MS);
      expect(harness.logs.filter((record) => record.event === 'listener-restarting' && record.reason === 'deadline_exceeded').length).toBeGreaterThanOrEqual(3);
      expect(harness.broker.ledger.activeSessions.size).toBe(1);
      await expectEveryJobDispatchedExactlyOnce(harness);
    } finally {
      await harness.stop();
    }
  });

  it('an acquire-job stall does not wedge job pickup', async () => {
    const harness = await startHarness({
      beforeStart: (broker) => {
        broker.enqueueJobs([{ runnerRequestId: 2, jobId: 'job-2' }]);
        broker.injectFault('acquireJobs', { kind: 'stallAfterRequest' }, 2);
      },
    });
    try {
      await waitFor('two acquire stalls', () => failedCalls(harness.logs, 'acquireJobs').length >= 2);
      for (const stall of failedCalls(harness.logs, 'acquireJobs')) {
        expect(stall).toMatchObject({ outcome: 'deadline_exceeded' });
        expect(stall.durationMs).toBeLessThan(CONTROL_PLANE_TIMEOUT_MS + MARGIN_MS);
      }
      // The listener goes back to polling: polls keep coming after the last stall.
      const pollsAfterStalls = harness.broker.requestsTo('getMessage').length;
      await waitFor('polling resumed', () => harness.broker.requestsTo('getMessage').length > pollsAfterStalls);
      await expectEveryJobDispatchedExactlyOnce(harness);
    } finally {
      await harness.stop();
    }
  });
});
