// The state directory and the one atomic write: checked at start (a clear error naming the path and the
// fix), temporary files of crashed writes removed, a failed write reported until a write succeeds again.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { AtomicFile, StateFileError } from '../src/atomic-file.js';
import { StateDirectory, StateDirectoryError } from '../src/state-directory.js';
import { StateWriteHealth } from '../src/state-health.js';

const scratch = () => mkdtemp(join(tmpdir(), 'state-dir-'));

describe('StateDirectory', () => {
  it('creates a missing directory and removes only the temporary files that crashed writes left', async () => {
    const directory = join(await scratch(), 'state');
    await StateDirectory.open(directory);
    await writeFile(join(directory, 'listener-0.json'), '{"lastMessageId":3}\n');
    await writeFile(join(directory, 'listener-0.json.4242.7.tmp'), '{"lastMes');
    await writeFile(join(directory, 'delivery-journal.json.99.1.tmp'), '');
    await writeFile(join(directory, 'notes.tmp'), 'not ours');

    const state = await StateDirectory.open(directory);
    expect([...state.removedInterruptedWrites].sort()).toEqual(['delivery-journal.json.99.1.tmp', 'listener-0.json.4242.7.tmp']);
    expect((await readdir(directory)).sort()).toEqual(['listener-0.json', 'notes.tmp']);
  });

  it('refuses a directory it cannot write, naming the path and the fix', async () => {
    // A path below a regular file cannot be created, even by root (who ignores permission bits).
    const blocker = join(await scratch(), 'a-file');
    await writeFile(blocker, '');
    const opening = StateDirectory.open(join(blocker, 'state'));
    await expect(opening).rejects.toBeInstanceOf(StateDirectoryError);
    await expect(opening).rejects.toThrow(`The state directory ${join(blocker, 'state')} cannot be written`);
    await expect(opening).rejects.toThrow('point --state-dir (LISTENER_STATE_DIR) elsewhere');
  });

  it('reports a failed write to health until the same file is written again', async () => {
    const directory = await scratch();
    const health = new StateWriteHealth();
    const state = await StateDirectory.open(directory, health);
    const good = state.file('listener-0.json');
    await good.write('{"lastMessageId":1}\n');
    expect(health.problem()).toBeUndefined();

    // The target path is a directory now: rename fails, as it would on a full or read-only volume.
    const broken = state.file('blocked');
    await mkdir(join(directory, 'blocked', 'inside'), { recursive: true });
    await expect(broken.write('x')).rejects.toBeInstanceOf(StateFileError);
    expect(health.problem()).toContain(`state cannot be written: ${join(directory, 'blocked')} (Cannot write ${join(directory, 'blocked')}:`);
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    await rm(join(directory, 'blocked'), { recursive: true });
    await broken.write('y');
    expect(health.problem()).toBeUndefined();
  });
});

describe('AtomicFile', () => {
  it('serialises and coalesces concurrent writes: the newest contents win, and no temporary file is left', async () => {
    const directory = await scratch();
    const file = new AtomicFile(join(directory, 'value.json'));
    await Promise.all(Array.from({ length: 20 }, (_, index) => file.write(`${index}\n`)));
    expect(await readFile(join(directory, 'value.json'), 'utf8')).toBe('19\n');
    expect(await readdir(directory)).toEqual(['value.json']);
    expect(await new AtomicFile(join(directory, 'missing.json')).read()).toBeUndefined();
  });
});
