// The crash test, as a reusable procedure: the real CLI (a separate process) takes jobs from a fake broker
// in this process and hands them off to a loopback sink, and is killed with SIGKILL again and again, mid-way
// through whatever it was doing. Broker, ledger and sink live here, so they survive every kill. After the
// last kill one more CLI drains the queue, and the ledger says what was lost and what was duplicated.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startHandOffSink } from './hand-off-sink.js';
import { startFakeBroker } from './server.js';

export interface KillCampaignOptions {
  /** The built CLI (`reference-listener/dist/cli.js`). */
  cliPath: string;
  kills: number;
  jobs: number;
  /** `same`: every process uses one owner name. `new`: each uses a new one, as a recreated pod does by default. */
  ownerNames: 'same' | 'new';
  /** Listeners per process (`--listeners`), sharing one delivery journal. Default 1. */
  listeners?: number;
  /** How long the process that drains the queue after the last kill may take. Default 60000. */
  drainLimitMs?: number;
  random?: () => number;
}

export interface KillCampaignResult {
  ownerNames: 'same' | 'new';
  kills: number;
  jobs: number;
  /** Enqueued jobs never dispatched. */
  lost: number;
  /** Jobs dispatched more than once at the side effect. */
  duplicated: number;
  /** Hand-offs the listener sent again for a job already handed off, absorbed by the idempotency key. */
  repeatedHandOffs: number;
  handOffCalls: number;
  /** Messages the broker delivered more than once. */
  redeliveredMessages: number;
  durationMs: number;
  /** The stderr of the process that drained the queue, for a failure report. */
  drainLog: string;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  const giveUpAt = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) return false;
    await delay(10);
  }
  return true;
}

export async function runKillCampaign(options: KillCampaignOptions): Promise<KillCampaignResult> {
  const random = options.random ?? Math.random;
  const startedAt = Date.now();
  // The session a killed process left behind expires after this. With a new owner name the next process
  // must meet that session alive (a real broker's expiry is minutes), or the broker frees its jobs before
  // anyone is refused them and the dangerous case is never exercised. With the same owner name the next
  // process cannot register until it expires anyway, so a short expiry only saves time.
  const sessionIdleTimeoutMs = options.ownerNames === 'new' ? 5_000 : 500;
  const broker = await startFakeBroker({ holdMs: 200, sessionIdleTimeoutMs });
  const sink = await startHandOffSink(broker.ledger, { effectDelayMs: 10 });
  const directory = await mkdtemp(join(tmpdir(), 'kill-campaign-'));
  const assertionFile = join(directory, 'assertion.jwt');
  await writeFile(assertionFile, 'eyJhbGciOiJSUzI1NiJ9.kill-campaign-assertion.signature\n');
  for (let enqueued = 0; enqueued < options.jobs; ) {
    const size = Math.min(options.jobs - enqueued, 1 + Math.floor(random() * 3));
    broker.enqueueJobs(Array.from({ length: size }, (_, index) => ({ runnerRequestId: 10_000 + enqueued + index, jobId: `job-${enqueued + index}` })));
    enqueued += size;
  }

  const spawnCli = (life: number) => {
    const ownerName = options.ownerNames === 'same' ? 'kill-campaign' : `kill-campaign-${life}`;
    const child = spawn(
      process.execPath,
      [
        options.cliPath,
        ...['--broker-url', broker.url, '--scale-set-id', String(broker.scaleSetId), '--client-id', 'kill-campaign', '--client-assertion-file', assertionFile],
        ...['--owner-name', ownerName, '--listeners', String(options.listeners ?? 1), '--state-dir', join(directory, 'state'), '--hand-off-url', sink.url, '--health-port', '0'],
        // The fake broker speaks plain HTTP on loopback.
        '--allow-insecure-http',
        ...['--control-plane-timeout-ms', '2000', '--long-poll-timeout-ms', '5000', '--shutdown-grace-ms', '5000', '--log-level', 'warn'],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let hasExited = false;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        hasExited = true;
        resolve();
      }),
    );
    return { child, exited, hasExited: () => hasExited, stderr: () => stderr };
  };
  /** A process that exits before it is killed (bad flags, a start-up failure) ends the campaign: its stderr says why. */
  const exitedOnItsOwn = (cli: ReturnType<typeof spawnCli>): void => {
    if (cli.hasExited()) throw new Error(`the CLI exited before it was killed (exit code ${String(cli.child.exitCode)}):\n${cli.stderr().slice(-2000)}`);
  };

  const everyJobDispatched = (): boolean => broker.ledger.enqueued.every((job) => broker.ledger.dispatchCount(job.runnerRequestId) >= 1);
  let drainLog = '';
  try {
    for (let life = 0; life < options.kills; life++) {
      const cli = spawnCli(life);
      const callsAtStart = sink.calls();
      const acquiresAtStart = broker.requestsTo('acquireJobs').length;
      // Where the kill lands: just after an acquire (the job granted, not yet started: the window that lost
      // jobs), just after a hand-off reached the sink (started, not yet recorded or acknowledged), or at a
      // random moment of start-up (token exchange, session create, a 409 retry, the first poll).
      const trigger = random();
      if (trigger < 0.4) {
        const acquires = 1 + Math.floor(random() * 4);
        await until(() => broker.requestsTo('acquireJobs').length >= acquiresAtStart + acquires || everyJobDispatched() || cli.hasExited(), 15_000);
        await delay(Math.floor(random() * 15));
      } else if (trigger < 0.75) {
        const handOffs = 1 + Math.floor(random() * 6);
        await until(() => sink.calls() >= callsAtStart + handOffs || everyJobDispatched() || cli.hasExited(), 15_000);
        await delay(Math.floor(random() * 25));
      } else {
        await delay(50 + Math.floor(random() * 700));
      }
      exitedOnItsOwn(cli);
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
    const drainer = spawnCli(options.kills);
    const messageIds = [...new Set(broker.ledger.enqueued.map((job) => job.messageId))];
    await until(() => (everyJobDispatched() && messageIds.every((id) => broker.ledger.isAcknowledged(id))) || drainer.hasExited(), options.drainLimitMs ?? 60_000);
    exitedOnItsOwn(drainer);
    // Two more retry rounds of the journal (1 s each), so a repeat that was about to happen does.
    await delay(2_500);
    drainer.child.kill('SIGTERM');
    await drainer.exited;
    drainLog = drainer.stderr();
  } finally {
    await sink.close();
    await broker.close();
    await rm(directory, { recursive: true, force: true });
  }
  const counts = broker.ledger.enqueued.map((job) => broker.ledger.dispatchCount(job.runnerRequestId));
  return {
    ownerNames: options.ownerNames,
    kills: options.kills,
    jobs: options.jobs,
    lost: counts.filter((count) => count === 0).length,
    duplicated: counts.filter((count) => count > 1).length,
    repeatedHandOffs: sink.repeats(),
    handOffCalls: sink.calls(),
    redeliveredMessages: broker.ledger.redelivered.size,
    durationMs: Date.now() - startedAt,
    drainLog,
  };
}
