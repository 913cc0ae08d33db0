import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { FileLastMessageIdStore, LastMessageIdFileError } from '../src/last-message-store.js';

describe('FileLastMessageIdStore', () => {
  it('starts at 0, persists across instances, and leaves no temporary file behind', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'last-message-'));
    const path = join(directory, 'nested', 'listener-0.json');
    expect(await new FileLastMessageIdStore(path).load()).toBe(0);
    const store = new FileLastMessageIdStore(path);
    await store.save(41);
    await store.save(42);
    expect(await new FileLastMessageIdStore(path).load()).toBe(42);
    expect(await readdir(join(directory, 'nested'))).toEqual(['listener-0.json']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ lastMessageId: 42 });
  });

  it('keeps the old value intact while concurrent writes race (each write is a rename of a complete file)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'last-message-'));
    const path = join(directory, 'listener-0.json');
    const store = new FileLastMessageIdStore(path);
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.save(index + 1)));
    const value = await store.load();
    expect(value).toBeGreaterThanOrEqual(1);
    expect(value).toBeLessThanOrEqual(20);
    expect(await readdir(directory)).toEqual(['listener-0.json']);
  });

  it('names the file and the fix when the file is not what it wrote', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'last-message-'));
    const path = join(directory, 'listener-0.json');
    await writeFile(path, 'garbage');
    const failure = new FileLastMessageIdStore(path).load();
    await expect(failure).rejects.toBeInstanceOf(LastMessageIdFileError);
    await expect(failure).rejects.toThrow(`${path} does not hold {"lastMessageId": <non-negative integer>}. Delete it`);
  });
});
