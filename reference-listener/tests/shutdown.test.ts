// SIGTERM semantics, through the service the CLI runs: stop polling and abort the in-flight poll at once,
// let the message in hand finish within the grace period, delete the session within min(control-plane
// deadline, remaining grace), and return.
import { afterAll, describe, expect, it } from 'vitest';

import type { JobHandoff } from '../src/scaler.js';
import { capturedLogLines, CONTROL_PLANE_TIMEOUT_MS, expectNoTokensIn, failedCalls, MARGIN_MS, startHarness, waitFor } from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

describe.concurrent('shutdown', () => {
  it('aborts the in-flight long-poll at once and deletes the session', async () => {
    // The broker would hold this poll for 20 s.
    const harness = await startHarness({ broker: { holdMs: 20_000, sessionIdleTimeoutMs: 10_000 }, service: { longPollTimeoutMs: 30_000, controlPlaneTimeoutMs: 5_000 } });
    await waitFor('a poll in flight', () => harness.broker.requestsTo('getMessage').length > 0);
    const startedAt = Date.now();
    await harness.service.stop(10_000);
    expect(Date.now() - startedAt).toBeLessThan(MARGIN_MS);
    expect([...harness.broker.ledger.endedSessions.values()]).toEqual(['deleted']);
    expect(harness.service.supervisor.status()[0]?.state).toBe('stopped');
    await harness.stop();
  });

  it('exits within the grace period while the session delete is stalled (control-plane deadline first)', async () => {
    const harness = await startHarness();
    await waitFor('the session registered', () => harness.service.supervisor.isReady());
    harness.broker.injectFault('deleteSession', { kind: 'stallAfterAccept' }, 'always');
    const graceMs = 2_000;
    const startedAt = Date.now();
    await harness.service.stop(graceMs);
    expect(Date.now() - startedAt).toBeLessThan(graceMs + MARGIN_MS);
    expect(failedCalls(harness.logs, 'deleteSession')[0]).toMatchObject({ outcome: 'deadline_exceeded' });
    expect(failedCalls(harness.logs, 'deleteSession')[0]?.durationMs).toBeLessThan(CONTROL_PLANE_TIMEOUT_MS + MARGIN_MS);
    await harness.stop();
  });

  it('exits within the grace period while the session delete is stalled (grace shorter than the deadline)', async () => {
    const harness = await startHarness({ service: { controlPlaneTimeoutMs: 20_000 } });
    await waitFor('the session registered', () => harness.service.supervisor.isReady());
    harness.broker.injectFault('deleteSession', { kind: 'stallAfterRequest' }, 'always');
    const graceMs = 300;
    const startedAt = Date.now();
    await harness.service.stop(graceMs);
    expect(Date.now() - startedAt).toBeLessThan(graceMs + MARGIN_MS);
    expect(failedCalls(harness.logs, 'deleteSession')[0]).toMatchObject({ outcome: 'cancelled' });
    await harness.stop();
  });

  it('lets the message in hand finish (hand-off, then acknowledgement) before deleting the session', async () => {
    let handOffStarted = false;
    const dispatchTo: { broker?: { ledger: { recordDispatched(id: number): void } } } = {};
    const slowScaler = {
      handOff: async (job: JobHandoff) => {
        handOffStarted = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        dispatchTo.broker?.ledger.recordDispatched(job.runnerRequestId);
      },
    };
    // The harness's 400 ms session idle expiry could end the session during a slow hand-off on a loaded machine.
    const harness = await startHarness({
      broker: { sessionIdleTimeoutMs: 10_000 },
      service: { scaler: slowScaler, handOffTimeoutMs: 5_000, controlPlaneTimeoutMs: 5_000 },
    });
    dispatchTo.broker = harness.broker;
    const messageId = harness.broker.enqueueJobs([{ runnerRequestId: 11, jobId: 'job-11' }]);
    await waitFor('the hand-off in progress', () => handOffStarted);
    await harness.service.stop(5_000);
    expect(harness.broker.ledger.dispatchCount(11)).toBe(1);
    expect(harness.broker.ledger.isAcknowledged(messageId)).toBe(true);
    expect([...harness.broker.ledger.endedSessions.values()]).toEqual(['deleted']);
    await harness.stop();
  });
});

describe.concurrent('shutdown keeps the end of the grace period for the session delete', () => {
  // The acknowledgement's deadline (5 s) and the hand-off's (30 s) are far beyond the 2 s grace period: without the
  // reserve, the message in hand would spend all of it and the session would never be deleted.
  const roomy = { broker: { sessionIdleTimeoutMs: 30_000 }, service: { controlPlaneTimeoutMs: 5_000, longPollTimeoutMs: 10_000, handOffTimeoutMs: 30_000 } };
  const graceMs = 2_000;

  it('abandons an acknowledgement that never answers and still deletes the session', async () => {
    const harness = await startHarness(roomy);
    harness.broker.injectFault('acknowledgeMessage', { kind: 'stallAfterAccept' }, 'always');
    const messageId = harness.broker.enqueueJobs([{ runnerRequestId: 41, jobId: 'job-41' }]);
    await waitFor('the acknowledgement in flight', () => harness.broker.requestsTo('acknowledgeMessage').length > 0);
    const startedAt = Date.now();
    await harness.service.stop(graceMs);
    expect(Date.now() - startedAt).toBeLessThan(graceMs + MARGIN_MS);
    expect(harness.broker.requestsTo('deleteSession').map((entry) => entry.status)).toEqual([204]);
    expect([...harness.broker.ledger.endedSessions.values()]).toEqual(['deleted']);
    // Abandoned, not acknowledged: the broker redelivers it, and the hand-off is deduplicated by runnerRequestId.
    expect(harness.broker.ledger.isAcknowledged(messageId)).toBe(false);
    expect(harness.broker.ledger.dispatchCount(41)).toBe(1);
    expect(harness.logs.some((record) => record.event === 'message-abandoned-at-shutdown')).toBe(true);
    await harness.stop();
  });

  it('abandons a scaler slower than the handling share of the grace period and still deletes the session', async () => {
    let handOffSignal: AbortSignal | undefined;
    // Slower than the whole grace period, and deaf to its signal: the worst scaler there is.
    const slowScaler = {
      handOff: (_job: JobHandoff, signal: AbortSignal) => {
        handOffSignal = signal;
        return new Promise<void>(() => undefined);
      },
    };
    const harness = await startHarness({ ...roomy, service: { ...roomy.service, scaler: slowScaler } });
    const messageId = harness.broker.enqueueJobs([{ runnerRequestId: 42, jobId: 'job-42' }]);
    await waitFor('the hand-off in progress', () => handOffSignal !== undefined);
    const startedAt = Date.now();
    await harness.service.stop(graceMs);
    expect(Date.now() - startedAt).toBeLessThan(graceMs + MARGIN_MS);
    expect(handOffSignal?.aborted).toBe(true);
    expect(harness.broker.requestsTo('deleteSession').map((entry) => entry.status)).toEqual([204]);
    expect([...harness.broker.ledger.endedSessions.values()]).toEqual(['deleted']);
    expect(harness.broker.ledger.isAcknowledged(messageId)).toBe(false);
    await harness.stop();
  });
});
