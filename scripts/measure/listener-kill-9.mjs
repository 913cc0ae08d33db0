#!/usr/bin/env node
// The long crash test: the real CLI killed with SIGKILL --kills times while --jobs jobs flow from the fake
// broker, once with the same owner name every time and once with a new one every time (both at once).
// Prints, per owner-name mode, jobs lost and duplicated at the side effect (read from the broker's ledger;
// goal 0 and 0), the hand-offs the listener repeated (absorbed by the idempotency key), and the machine load.
// `tests/kill-9.test.ts` is the short variant that runs in `npm test`.
//   npm run build -w reference-listener && node scripts/measure/listener-kill-9.mjs [--kills 100] [--jobs 1000] [--listeners 1]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliPath = join(root, 'reference-listener', 'dist', 'cli.js');
const campaign = join(root, 'reference-listener', 'dist', 'fake-broker', 'kill-campaign.js');
if (!existsSync(cliPath) || !existsSync(campaign)) {
  process.stderr.write('listener-kill-9: reference-listener/dist is missing; run `npm run build -w reference-listener` first.\n');
  process.exit(1);
}
const { runKillCampaign } = await import(pathToFileURL(campaign).href);

function positiveInteger(name, text) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    process.stderr.write(`listener-kill-9: --${name} must be a positive whole number, got ${JSON.stringify(text)}. Fix: e.g. --${name} 100\n`);
    process.exit(2);
  }
  return value;
}
let values;
try {
  ({ values } = parseArgs({
    options: { kills: { type: 'string', default: '100' }, jobs: { type: 'string', default: '1000' }, listeners: { type: 'string', default: '1' } },
  }));
} catch (error) {
  process.stderr.write(`listener-kill-9: ${error.message}. Usage: node scripts/measure/listener-kill-9.mjs [--kills 100] [--jobs 1000] [--listeners 1]\n`);
  process.exit(2);
}
const kills = positiveInteger('kills', values.kills);
const jobs = positiveInteger('jobs', values.jobs);
const listeners = positiveInteger('listeners', values.listeners);

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
process.stdout.write(`kill -9 of the real CLI: ${kills} kills, ${jobs} jobs per owner-name mode, ${listeners} listener(s) per process; load average at start ${load()}\n`);
const results = await Promise.all(
  ['same', 'new'].map((ownerNames) => runKillCampaign({ cliPath, kills, jobs, ownerNames, listeners, drainLimitMs: 300_000 })),
);
for (const result of results) {
  process.stdout.write(
    `owner name ${result.ownerNames.padEnd(4)}: lost ${result.lost}, duplicated ${result.duplicated}, repeated hand-offs ${result.repeatedHandOffs} ` +
      `(of ${result.handOffCalls}), redelivered messages ${result.redeliveredMessages}, ${result.kills} kills, ${result.jobs} jobs, ${(result.durationMs / 1000).toFixed(0)} s\n`,
  );
}
process.stdout.write(`load average at end ${load()}\n`);
const failed = results.filter((result) => result.lost > 0 || result.duplicated > 0);
for (const result of failed) process.stdout.write(`\n--- drain log, owner name ${result.ownerNames} ---\n${result.drainLog.slice(-4000)}\n`);
process.exit(failed.length === 0 ? 0 : 1);
