import { afterAll, describe, expect, it } from 'vitest';

import { capturedLogLines, expectNoTokensIn, startHarness, waitFor } from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, text: await response.text() };
}

describe('health server', () => {
  it('serves /readyz once a session exists, /healthz while progressing, and the metrics the issue lists', async () => {
    // Roomy deadline and session expiry: the exact counters below assume no load-induced restart.
    const harness = await startHarness({ broker: { sessionIdleTimeoutMs: 10_000 }, service: { healthPort: 0, controlPlaneTimeoutMs: 5_000 } });
    try {
      const base = harness.service.healthServer?.url ?? '';
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      harness.broker.enqueueJobs([{ runnerRequestId: 21, jobId: 'job-21' }]);
      await waitFor('the job dispatched', () => harness.broker.ledger.dispatchCount(21) === 1);
      await waitFor('acknowledged', () => harness.broker.ledger.acknowledged.length === 1);
      expect(await get(`${base}/readyz`)).toEqual({ status: 200, text: 'ready\n' });
      expect((await get(`${base}/healthz`)).status).toBe(200);
      const { status, text } = await get(`${base}/metrics`);
      expect(status).toBe(200);
      for (const name of [
        'listener_broker_requests_total{operation="createSession",outcome="success"} 1',
        'listener_broker_request_duration_seconds_bucket',
        'listener_deadlines_exceeded_total',
        'listener_restarts_total',
        'listener_state{listener="0",state="polling"} 1',
        'listener_last_successful_poll_timestamp_seconds{listener="0"}',
        'listener_messages_acknowledged_total 1',
        'listener_messages_redelivered_total 0',
        'listener_messages_poisoned_total 0',
        'listener_jobs_acquired_total 1',
        'listener_jobs_dispatched_total 1',
        'listener_duplicates_suppressed_total 0',
      ]) {
        expect(text).toContain(name);
      }
      expect((await get(`${base}/nope`)).status).toBe(404);
    } finally {
      await harness.stop();
    }
  });

  it('answers 503 on /readyz while no session can be created', async () => {
    const harness = await startHarness({ service: { healthPort: 0 }, beforeStart: (broker) => broker.injectFault('createSession', { kind: 'status', status: 503 }, 'always') });
    try {
      await waitFor('a failed create', () => harness.broker.requestsTo('createSession').length >= 2);
      expect((await get(`${harness.service.healthServer?.url ?? ''}/readyz`)).status).toBe(503);
    } finally {
      await harness.stop();
    }
  });
});
