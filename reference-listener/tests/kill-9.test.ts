// The real CLI, killed with SIGKILL 20 times while jobs flow, once with the same owner name every time and
// once with a new one every time (a recreated pod's hostname): nothing lost, nothing duplicated at the side
// effect, read from the fake broker's ledger, which lives in this process and survives every kill. The
// longer variant, with more kills and jobs, is scripts/measure/listener-kill-9.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { runKillCampaign, type KillCampaignResult } from '../src/fake-broker/kill-campaign.js';

const builtCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const KILLS = 20;
const JOBS = 150;

function expectCrashSafe(result: KillCampaignResult): void {
  const { drainLog, ...figures } = result;
  // On failure the figures and the draining process's warnings say what went wrong.
  expect(figures, drainLog).toMatchObject({ lost: 0, duplicated: 0 });
  expect(result.handOffCalls).toBeGreaterThanOrEqual(JOBS);
  // A kill finds at most one hand-off between the side effect and the journal write that records it.
  expect(result.repeatedHandOffs).toBeLessThanOrEqual(KILLS);
  // The kills did interrupt deliveries: some message was delivered again after its first delivery.
  expect(result.redeliveredMessages).toBeGreaterThanOrEqual(1);
}

// Both modes at once: each spends most of its time waiting (process start, session expiry), not computing.
describe.concurrent('kill -9 of the real CLI while jobs flow', () => {
  // npm test builds before it tests; a bare vitest run needs `npm run build -w reference-listener` first.
  it.each(['same', 'new'] as const)('with the %s owner name each time: 0 lost, 0 duplicated', { timeout: 240_000 }, async (ownerNames) => {
    expect(existsSync(builtCli), `${builtCli} is missing: run npm run build -w reference-listener`).toBe(true);
    expectCrashSafe(await runKillCampaign({ cliPath: builtCli, kills: KILLS, jobs: JOBS, ownerNames, drainLimitMs: 90_000 }));
  });
});
