// State that cannot be written is reported, not hidden: /healthz answers 503 and the service names the file,
// while the unacknowledged message waits; once the file can be written again, the job is dispatched once.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { capturedLogLines, expectEveryJobDispatchedExactlyOnce, expectNoTokensIn, startHarness, waitFor } from './support/listener-harness.js';

afterAll(() => expectNoTokensIn(capturedLogLines));

async function healthz(url: string): Promise<number> {
  return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) })).status;
}

describe('state that cannot be written', () => {
  it('makes /healthz unhealthy and names the file until a write succeeds again', async () => {
    const stateDir = join(await mkdtemp(join(tmpdir(), 'state-health-')), 'state');
    const harness = await startHarness({ broker: { sessionIdleTimeoutMs: 10_000 }, service: { healthPort: 0, stateDir, controlPlaneTimeoutMs: 5_000 } });
    try {
      const base = harness.service.healthServer?.url ?? '';
      await waitFor('the session registered', () => harness.service.supervisor.isReady());
      expect(await healthz(base)).toBe(200);

      // A directory where the journal's file goes: its rename fails, as on a full or read-only volume.
      const journalPath = join(stateDir, 'delivery-journal.json');
      await mkdir(join(journalPath, 'blocked'), { recursive: true });
      harness.broker.enqueueJobs([{ runnerRequestId: 31, jobId: 'job-31' }]);
      await waitFor('the failed write reported', () => harness.service.stateHealth.problem() !== undefined);
      expect(harness.service.stateHealth.problem()).toContain(`state cannot be written: ${journalPath} (`);
      expect(await healthz(base)).toBe(503);
      // The journal could not record the job before the acquire, so the job was not acquired nor acknowledged.
      expect(harness.broker.ledger.dispatchCount(31)).toBe(0);
      expect(harness.broker.ledger.acknowledged).toEqual([]);

      await rm(journalPath, { recursive: true });
      await expectEveryJobDispatchedExactlyOnce(harness);
      expect(harness.service.stateHealth.problem()).toBeUndefined();
      expect(await healthz(base)).toBe(200);
    } finally {
      await harness.stop();
    }
  });
});
