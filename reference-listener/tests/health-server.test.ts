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

describe('health semantics and addresses', () => {
  it('answers 503 on /healthz, naming the file, while a state write is failing, and 200 once one succeeds', async () => {
    const harness = await startHarness({ broker: { sessionIdleTimeoutMs: 10_000 }, service: { healthPort: 0, controlPlaneTimeoutMs: 5_000 } });
    try {
      const healthz = `${harness.service.healthServer?.url ?? ''}/healthz`;
      await waitFor('a successful poll', () => harness.broker.requestsTo('getMessage').some((entry) => entry.status === 202));
      expect((await get(healthz)).status).toBe(200);
      // The hook every state file reports to (the service opens its state directory with it).
      harness.service.stateHealth.writeFailed('/var/lib/listener/listener-0.json', new Error('ENOSPC: no space left on device'));
      expect(await get(healthz)).toEqual({ status: 503, text: 'state cannot be written: /var/lib/listener/listener-0.json (ENOSPC: no space left on device)\n' });
      harness.service.stateHealth.writeSucceeded('/var/lib/listener/listener-0.json');
      expect((await get(healthz)).status).toBe(200);
    } finally {
      await harness.stop();
    }
  });

  it('answers 503 on /healthz while every poll fails, although the listener restarts and retries', async () => {
    const harness = await startHarness({
      service: { healthPort: 0, longPollTimeoutMs: 300, watchdogMarginMs: 100 },
      beforeStart: (broker) => broker.injectFault('getMessage', { kind: 'status', status: 500 }, 'always'),
    });
    try {
      const healthz = `${harness.service.healthServer?.url ?? ''}/healthz`;
      // The watchdog window is 300 + 200 + 100 ms; wait until it has passed with restarts inside it.
      await waitFor('restarts, and the window passed', () => harness.logs.filter((record) => record.event === 'listener-restarting').length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const { status, text } = await get(healthz);
      expect({ status, text }).toEqual({ status: 503, text: 'no successful poll within the 600 ms watchdog window (listener 0)\n' });
    } finally {
      await harness.stop();
    }
  });

  it('serves /metrics on a server of its own when told to, and each server only its own paths', async () => {
    const harness = await startHarness({ service: { healthPort: 0, healthHost: '127.0.0.1', metricsHost: '127.0.0.1', metricsPort: 0 } });
    try {
      const health = harness.service.healthServer?.url ?? '';
      const metrics = harness.service.metricsServer?.url ?? '';
      expect(metrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(metrics).not.toBe(health);
      expect((await get(`${metrics}/metrics`)).text).toContain('listener_broker_requests_total');
      expect((await get(`${metrics}/healthz`)).status).toBe(404);
      expect((await get(`${health}/metrics`)).status).toBe(404);
      expect((await get(`${health}/readyz`)).status).toBeGreaterThanOrEqual(200);
    } finally {
      await harness.stop();
    }
  });
});
