// The delivery journal: what it records survives a new process (a new DeliveryJournal on the same file),
// held jobs follow the broker's answers, and a file it did not write stops the start with the path and the fix.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { AtomicFile } from '../src/atomic-file.js';
import { DeliveryJournal, DeliveryJournalFileError } from '../src/delivery-journal.js';
import { jobHandoff } from '../src/scaler.js';

async function journalFile(): Promise<AtomicFile> {
  return new AtomicFile(join(await mkdtemp(join(tmpdir(), 'journal-')), 'delivery-journal.json'));
}

describe('DeliveryJournal', () => {
  it('remembers, in the next process, the jobs sent to acquire and the jobs handed off', async () => {
    const file = await journalFile();
    const clock = { now: 1_000_000 };
    const options = { now: () => clock.now, mayHoldTtlMs: 60_000, reacquireDelayMs: 1_000 };
    const first = await DeliveryJournal.open(file, options);
    await first.beginAcquire([jobHandoff(1, 'a'), jobHandoff(2, 'b')]);
    await first.recordHandedOff(2);
    // kill -9 here: the acquire of job 1 was sent, its answer never processed.

    const second = await DeliveryJournal.open(file, options);
    expect(second.mayHold(1)).toBe(true);
    expect(second.wasHandedOff(2)).toBe(true);
    expect(second.mayHold(2)).toBe(false);
    // A restarted process retries at once (the retry schedule is not persisted).
    expect(second.heldJobsDue()).toEqual([jobHandoff(1, 'a')]);
  });

  it('after a refusal keeps only the jobs an ended session of ours may hold, with that session\'s time, until the TTL', async () => {
    const clock = { now: 0 };
    const journal = DeliveryJournal.inMemory({ now: () => clock.now, mayHoldTtlMs: 10_000, reacquireDelayMs: 1_000 });
    // Job 5: an earlier acquire of ours whose answer was lost. Job 6: never ours.
    await journal.beginAcquire([jobHandoff(5, 'e')]);
    clock.now = 4_000;
    const attempt = await journal.beginAcquire([jobHandoff(5, 'e'), jobHandoff(6, 'f')]);
    expect(await journal.endAcquire(attempt, new Set())).toEqual([5]);
    expect(journal.mayHold(6)).toBe(false);
    expect(journal.heldJobsDue()).toEqual([]);
    clock.now = 5_000;
    expect(journal.heldJobsDue()).toEqual([jobHandoff(5, 'e')]);
    // The refusal says this session does not hold it, so the clock is the earlier session's (0), not 4 000.
    clock.now = 10_001;
    expect(journal.mayHold(5)).toBe(false);
    expect(await journal.expireHeldJobs()).toEqual([{ runnerRequestId: 5, jobId: 'e', sinceMs: 0 }]);
  });

  it('forgets handed-off jobs past their retention or beyond their capacity, oldest first', async () => {
    const clock = { now: 0 };
    const journal = DeliveryJournal.inMemory({ now: () => clock.now, handedOffRetentionMs: 1_000, handedOffCapacity: 2 });
    for (const id of [1, 2, 3]) await journal.recordHandedOff(id);
    expect([1, 2, 3].map((id) => journal.wasHandedOff(id))).toEqual([false, true, true]);
    clock.now = 2_000;
    await journal.recordHandedOff(4);
    expect([2, 3, 4].map((id) => journal.wasHandedOff(id))).toEqual([false, false, true]);
  });

  it('refuses a file it did not write, naming the path and what deleting it costs', async () => {
    const file = await journalFile();
    for (const text of ['garbage', '{"version":1,"mayHold":[{"runnerRequestId":1e300,"jobId":"a","sinceMs":0}],"handedOff":[]}', '{"version":2,"mayHold":[],"handedOff":[]}']) {
      await writeFile(file.path, text);
      const opening = DeliveryJournal.open(file);
      await expect(opening).rejects.toBeInstanceOf(DeliveryJournalFileError);
      await expect(opening).rejects.toThrow(`${file.path} is not a delivery journal this listener wrote. Fix: restore it from a backup, or delete it`);
    }
  });
});
