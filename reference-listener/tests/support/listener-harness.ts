// A real fake broker on loopback plus the real listener service, with the small timings the suites use:
// 200 ms control-plane deadline, 1 s long-poll deadline, backoff (restarts and in-session retries) from 20 ms. Every wait is bounded.
import { expect } from 'vitest';

import { startFakeBroker, type FakeBroker, type FakeBrokerOptions } from '../../src/testing.js';
import { createJsonLogger, SecretRedactor } from '../../src/logger.js';
import type { JobHandoff, Scaler } from '../../src/scaler.js';
import { startListenerService, type ListenerService, type ListenerServiceOptions } from '../../src/service.js';

export const CONTROL_PLANE_TIMEOUT_MS = 200;
export const LONG_POLL_TIMEOUT_MS = 1_000;
/** Generous on purpose: the suites run on a loaded two-core machine. Speed is measured by the benchmark. */
export const MARGIN_MS = 2_000;
export const CLIENT_ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.test-client-assertion.signature';

/** Every log line every harness in this worker wrote, checked for tokens by the suites. */
export const capturedLogLines: string[] = [];

export interface LogRecord {
  event: string;
  level: string;
  [field: string]: unknown;
}

export interface Harness {
  broker: FakeBroker;
  service: ListenerService;
  logs: LogRecord[];
  /** Jobs the scaler saw, with whether the broker had already acknowledged their message at that moment. */
  dispatches: { runnerRequestId: number; acknowledgedBeforeDispatch: boolean }[];
  stop(graceMs?: number): Promise<void>;
}

export async function startHarness(
  options: { broker?: FakeBrokerOptions; service?: Partial<ListenerServiceOptions>; beforeStart?: (broker: FakeBroker) => void } = {},
): Promise<Harness> {
  const broker = await startFakeBroker({ holdMs: 100, sessionIdleTimeoutMs: 400, ...options.broker });
  options.beforeStart?.(broker);
  const logs: LogRecord[] = [];
  const dispatches: Harness['dispatches'] = [];
  const redactor = new SecretRedactor();
  const logger = createJsonLogger({
    level: 'debug',
    redactor,
    write: (line) => {
      capturedLogLines.push(line);
      logs.push(JSON.parse(line) as LogRecord);
    },
  });
  const scaler: Scaler = {
    handOff: (job: JobHandoff) => {
      const messageId = broker.ledger.enqueued.find((queued) => queued.runnerRequestId === job.runnerRequestId)?.messageId;
      dispatches.push({ runnerRequestId: job.runnerRequestId, acknowledgedBeforeDispatch: messageId !== undefined && broker.ledger.isAcknowledged(messageId) });
      broker.ledger.recordDispatched(job.runnerRequestId);
      return Promise.resolve();
    },
  };
  let service: ListenerService;
  try {
    service = await startListenerService({
      brokerUrl: broker.url,
      scaleSetId: broker.scaleSetId,
      clientId: 'test-client',
      clientAssertion: () => CLIENT_ASSERTION,
      // The fake broker speaks plain HTTP on loopback.
      brokerTransport: { allowInsecureHttp: true },
      ownerName: 'test-owner',
      controlPlaneTimeoutMs: CONTROL_PLANE_TIMEOUT_MS,
      longPollTimeoutMs: LONG_POLL_TIMEOUT_MS,
      watchdogMarginMs: 500,
      backoff: { baseMs: 20, capMs: 200 },
      retry: { retries: 3, baseMs: 20, capMs: 200 },
      configOrAuthBackoffCapMs: 500,
      healthyPeriodMs: 2_000,
      // Longer than the fake broker's session idle timeout, so a session left behind by a failed delete
      // expires inside the window and the 409s end.
      sessionConflictWindowMs: 3_000,
      sessionConflictRetryBaseMs: 20,
      mayHoldTtlMs: 3_000,
      heldJobRetryDelayMs: 50,
      scaler,
      logger,
      redactor,
      ...options.service,
    });
  } catch (error) {
    await broker.close();
    throw error;
  }
  let stopped = false;
  return {
    broker,
    service,
    logs,
    dispatches,
    stop: async (graceMs = 2_000) => {
      if (stopped) return;
      stopped = true;
      try {
        await service.stop(graceMs);
      } finally {
        await broker.close();
      }
    },
  };
}

/** Polls `condition` every 10 ms; fails the test with `what` if it does not hold within `limitMs`. */
export async function waitFor(what: string, condition: () => boolean, limitMs = 10_000): Promise<void> {
  const startedAt = Date.now();
  while (!condition()) {
    if (Date.now() - startedAt > limitMs) throw new Error(`timed out after ${limitMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function failedCalls(logs: readonly LogRecord[], operation: string): LogRecord[] {
  return logs.filter((record) => record.event === 'broker-call-failed' && record.operation === operation);
}

export async function restartCount(service: ListenerService): Promise<number> {
  const metric = await service.metrics.restarts.get();
  return metric.values.reduce((sum, sample) => sum + sample.value, 0);
}

/** Waits until every enqueued job was dispatched and its message acknowledged, then checks exactly-once. */
export async function expectEveryJobDispatchedExactlyOnce(harness: Harness, limitMs = 15_000): Promise<void> {
  const { ledger } = harness.broker;
  const messageIds = [...new Set(ledger.enqueued.map((job) => job.messageId))];
  await waitFor(
    'every job dispatched and every message acknowledged',
    () => ledger.enqueued.every((job) => ledger.dispatchCount(job.runnerRequestId) >= 1) && messageIds.every((id) => ledger.isAcknowledged(id)),
    limitMs,
  );
  // One more poll cycle, so a duplicate that was about to be dispatched would be.
  const polls = harness.broker.requestsTo('getMessage').length;
  await waitFor('one more poll', () => harness.broker.requestsTo('getMessage').length > polls + 1, limitMs);
  for (const job of ledger.enqueued) expect({ runnerRequestId: job.runnerRequestId, dispatched: ledger.dispatchCount(job.runnerRequestId) }).toEqual({ runnerRequestId: job.runnerRequestId, dispatched: 1 });
  expect(harness.dispatches.filter((dispatch) => dispatch.acknowledgedBeforeDispatch)).toEqual([]);
}

/** No access token, queue token or client assertion in any captured line. */
export function expectNoTokensIn(lines: readonly string[]): void {
  const text = lines.join('');
  expect(text).not.toMatch(/\b(at|mq)-[0-9a-f]{32}\b/);
  expect(text).not.toContain(CLIENT_ASSERTION);
  expect(text).not.toContain('test-client-assertion');
}
