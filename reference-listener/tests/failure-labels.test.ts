// End to end, through the real client, listener and supervisor: a failure carries the same label in the
// call metric and in the restart metric, because both come from classifyError. A 404 on the poll used to be
// restart reason `error`; a malformed body was `malformed` in one metric and `malformed_response` in the other.
import { afterAll, describe, expect, it } from 'vitest';

import type { Fault, FakeBrokerEndpoint } from '../src/fake-broker/index.js';
import { capturedLogLines, expectEveryJobDispatchedExactlyOnce, expectNoTokensIn, startHarness, waitFor } from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

describe.concurrent('one label per failure, in both metrics', () => {
  it.each<[string, FakeBrokerEndpoint, Fault, string]>([
    ['404 on the poll (the session is gone)', 'getMessage', { kind: 'status', status: 404 }, 'session_not_found'],
    ['404 on acknowledge', 'acknowledgeMessage', { kind: 'status', status: 404 }, 'session_not_found'],
    ['404 on acquire', 'acquireJobs', { kind: 'status', status: 404 }, 'session_not_found'],
    ['a body that is not JSON', 'createSession', { kind: 'malformedJson' }, 'malformed_response'],
  ])('%s', async (_name, endpoint, fault, label) => {
    const harness = await startHarness({
      beforeStart: (broker) => {
        broker.enqueueJobs([{ runnerRequestId: 7, jobId: 'job-7' }]);
        // Until it is seen: on a loaded machine one faulted answer can arrive after the client's tight
        // deadline, and that attempt then counts as deadline_exceeded instead.
        broker.injectFault(endpoint, fault, 'always');
      },
    });
    try {
      const { metrics } = harness.service;
      // Waits for this failure's own restart: on a loaded machine an unrelated call may also hit the
      // harness's tight deadline (and restart first), which is not what this test is about.
      await waitFor(
        `the ${label} restart`,
        () => harness.logs.some((record) => record.event === 'listener-restarting' && record.reason === label),
        15_000,
      );
      harness.broker.clearFaults();
      const calls = await metrics.controlPlaneRequests.get();
      const restarts = await metrics.restarts.get();
      expect(calls.values).toContainEqual(expect.objectContaining({ labels: { operation: endpoint, outcome: label } }));
      expect(restarts.values).toContainEqual(expect.objectContaining({ labels: { reason: label } }));
      expect(restarts.values.filter((sample) => sample.labels.reason === 'error')).toEqual([]);
      // A new session picks the job up again.
      await expectEveryJobDispatchedExactlyOnce(harness);
    } finally {
      await harness.stop();
    }
  });
});
