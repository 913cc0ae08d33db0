// Where the listener remembers the last message it acknowledged, so a restarted process asks the broker for
// what comes next. Writes are atomic (temp file, fsync, rename): a crash mid-write leaves the old value,
// never a half-written file that would fail to parse on the next start.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface LastMessageIdStore {
  /** 0 when nothing has been stored yet. */
  load(): Promise<number>;
  save(lastMessageId: number): Promise<void>;
}

export class LastMessageIdFileError extends Error {
  override readonly name = 'LastMessageIdFileError';
  readonly path: string;
  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

export class FileLastMessageIdStore implements LastMessageIdStore {
  readonly path: string;
  private writes = 0;

  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<number> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw new LastMessageIdFileError(this.path, `Cannot read ${this.path}: ${(error as Error).message}. Fix its permissions or point --state-dir elsewhere.`, {
        cause: error,
      });
    }
    let value: unknown;
    try {
      value = (JSON.parse(text) as { lastMessageId?: unknown } | null)?.lastMessageId;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new LastMessageIdFileError(
        this.path,
        `${this.path} does not hold {"lastMessageId": <non-negative integer>}. Delete it to start from the broker's oldest unacknowledged message.`,
      );
    }
    return value;
  }

  async save(lastMessageId: number): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporaryPath = `${this.path}.${process.pid}.${++this.writes}.tmp`;
    const file = await open(temporaryPath, 'w');
    try {
      await file.writeFile(`${JSON.stringify({ lastMessageId })}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporaryPath, this.path);
    } catch (error) {
      await rm(temporaryPath, { force: true });
      throw error;
    }
  }
}

export class InMemoryLastMessageIdStore implements LastMessageIdStore {
  private value: number;
  constructor(initial = 0) {
    this.value = initial;
  }
  load(): Promise<number> {
    return Promise.resolve(this.value);
  }
  save(lastMessageId: number): Promise<void> {
    this.value = lastMessageId;
    return Promise.resolve();
  }
}
