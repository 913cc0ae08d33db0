// Where the listener remembers the last message it acknowledged, so a restarted process asks the broker for
// what comes next. Written through AtomicFile: a crash mid-write leaves the old value, never a half-written
// file that would fail to parse on the next start.
import { AtomicFile, StateFileError } from './atomic-file.js';

export interface LastMessageIdStore {
  /** 0 when nothing has been stored yet. */
  load(): Promise<number>;
  save(lastMessageId: number): Promise<void>;
}

export class LastMessageIdFileError extends StateFileError {
  override readonly name = 'LastMessageIdFileError';
}

export class FileLastMessageIdStore implements LastMessageIdStore {
  readonly path: string;
  private readonly file: AtomicFile;

  constructor(file: AtomicFile | string) {
    this.file = typeof file === 'string' ? new AtomicFile(file) : file;
    this.path = this.file.path;
  }

  async load(): Promise<number> {
    let text: string | undefined;
    try {
      text = await this.file.read();
    } catch (error) {
      throw new LastMessageIdFileError(this.path, (error as Error).message, { cause: error });
    }
    if (text === undefined) return 0;
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

  save(lastMessageId: number): Promise<void> {
    return this.file.write(`${JSON.stringify({ lastMessageId })}\n`);
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
