// The stall matrix: every control-plane operation × every way a broker can go silent or break mid-answer,
// against a real fake broker over loopback, through the real supervisor. For each case: the faulted call
// rejects within its deadline plus a margin, the supervisor restarts the listener, and once the fault has
// been consumed the queued job is dispatched exactly once according to the broker's ledger.
import { afterAll, describe, expect, it } from 'vitest';

import type { BrokerOperation } from '../src/errors.js';
import type { FakeBroker, Fault } from '../src/testing.js';
import {
  capturedLogLines,
  CONTROL_PLANE_TIMEOUT_MS,
  expectEveryJobDispatchedExactlyOnce,
  expectNoTokensIn,
  failedCalls,
  MARGIN_MS,
  restartCount,
  startHarness,
  waitFor,
} from './support/listener-harness.js';

const faults: { name: string; fault: Fault; outcome: string }[] = [
  { name: 'stallAfterAccept', fault: { kind: 'stallAfterAccept' }, outcome: 'deadline_exceeded' },
  { name: 'stallAfterRequest', fault: { kind: 'stallAfterRequest' }, outcome: 'deadline_exceeded' },
  { name: 'slowHeaders', fault: { kind: 'slowHeaders', delayMs: CONTROL_PLANE_TIMEOUT_MS * 10 }, outcome: 'deadline_exceeded' },
  { name: 'trickleBody', fault: { kind: 'trickleBody', intervalMs: 20 }, outcome: 'deadline_exceeded' },
  { name: 'truncatedBody', fault: { kind: 'truncatedBody' }, outcome: 'connection_error' },
  { name: 'reset', fault: { kind: 'reset' }, outcome: 'connection_error' },
];

/**
 * How each operation is reached: most are on the path of the first job; a session refresh needs a 401 on
 * the poll first, and a session delete needs a restart (here a 500 on acquire) to happen at all.
 */
const operations: { operation: BrokerOperation; arrange: (broker: FakeBroker, fault: Fault) => void }[] = [
  { operation: 'exchangeToken', arrange: (broker, fault) => broker.injectFault('exchangeToken', fault, 'always') },
  { operation: 'createSession', arrange: (broker, fault) => broker.injectFault('createSession', fault, 'always') },
  {
    operation: 'refreshSession',
    arrange: (broker, fault) => {
      broker.injectFault('getMessage', { kind: 'status', status: 401 }, 'always');
      broker.injectFault('refreshSession', fault, 'always');
    },
  },
  { operation: 'acquireJobs', arrange: (broker, fault) => broker.injectFault('acquireJobs', fault, 'always') },
  { operation: 'acknowledgeMessage', arrange: (broker, fault) => broker.injectFault('acknowledgeMessage', fault, 'always') },
  {
    operation: 'deleteSession',
    arrange: (broker, fault) => {
      broker.injectFault('acquireJobs', { kind: 'status', status: 500 }, 'always');
      broker.injectFault('deleteSession', fault, 'always');
    },
  },
];

const matrix = operations.flatMap(({ operation, arrange }) => faults.map(({ name, fault, outcome }) => ({ operation, arrange, name, fault, outcome })));

afterAll(() => expectNoTokensIn(capturedLogLines));

describe.concurrent('stall matrix: every control-plane operation × every stall', () => {
  it.each(matrix)('$operation × $name: rejects within the deadline, restarts, dispatches the job exactly once', async ({ operation, arrange, fault, outcome }) => {
    const harness = await startHarness({
      beforeStart: (broker) => {
        broker.enqueueJobs([{ runnerRequestId: 101, jobId: 'job-101' }]);
        arrange(broker, fault);
      },
    });
    try {
      // The fault stays until the broker has served it and the listener has seen its effect: on a loaded
      // machine a 200 ms deadline can expire before the broker even reads a request, so a fault served once
      // could go unseen, or a failure could come from the load rather than the fault.
      const served = (): boolean => harness.broker.requestsTo(operation).some((entry) => entry.fault === fault.kind);
      await waitFor(`${operation} served ${fault.kind} and failing with ${outcome}`, () => served() && failedCalls(harness.logs, operation).some((record) => record.outcome === outcome));
      const failure = failedCalls(harness.logs, operation).find((record) => record.outcome === outcome);
      if (outcome === 'deadline_exceeded') expect(failure?.durationMs).toBeGreaterThanOrEqual(CONTROL_PLANE_TIMEOUT_MS - 5);
      for (const record of failedCalls(harness.logs, operation)) expect(record.durationMs).toBeLessThan(CONTROL_PLANE_TIMEOUT_MS + MARGIN_MS);
      await waitFor('a supervisor restart', () => harness.logs.some((record) => record.event === 'listener-restarting'));
      expect(await restartCount(harness.service)).toBeGreaterThanOrEqual(1);
      harness.broker.clearFaults();
      await expectEveryJobDispatchedExactlyOnce(harness);
    } finally {
      await harness.stop();
    }
  });
});
