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
        broker.injectFault(endpoint, fault, 1);
      },
    });
    try {
      const { metrics } = harness.service;
      await waitFor('the restart', () => harness.logs.some((record) => record.event === 'listener-restarting'), 15_000);
      const calls = await metrics.controlPlaneRequests.get();
      const restarts = await metrics.restarts.get();
      // Containment, not equality: on a loaded machine an unrelated call (the session delete) may also hit
      // the harness's tight deadline, and that is not what this test is about.
      expect(calls.values).toContainEqual(expect.objectContaining({ labels: { operation: endpoint, outcome: label }, value: 1 }));
      expect(restarts.values).toContainEqual(expect.objectContaining({ labels: { reason: label }, value: 1 }));
      expect(restarts.values.filter((sample) => sample.labels.reason === 'error')).toEqual([]);
      // A new session picks the job up again.
      await expectEveryJobDispatchedExactlyOnce(harness);
    } finally {
      await harness.stop();
    }
  });
});
