// The state directory (--state-dir): checked once at start, so a directory the listener cannot write fails
// the process with a clear message (exit 2) instead of letting it start and then fail after every message;
// and its files report every write to an observer afterwards, so health can say when state stops being
// writable (a full disk, a volume remounted read-only). The directory belongs to one process: two listeners sharing it would overwrite each
// other's state.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { AtomicFile, removeInterruptedWrites, StateFileError, type WriteOutcomeObserver } from './atomic-file.js';

export class StateDirectoryError extends StateFileError {
  override readonly name = 'StateDirectoryError';
}

export class StateDirectory {
  readonly path: string;
  /** Names of the temporary files that crashed writes had left, removed when the directory was opened. */
  readonly removedInterruptedWrites: readonly string[];
  private readonly observer: WriteOutcomeObserver | undefined;

  private constructor(path: string, removedInterruptedWrites: readonly string[], observer: WriteOutcomeObserver | undefined) {
    this.path = path;
    this.removedInterruptedWrites = removedInterruptedWrites;
    this.observer = observer;
  }

  /**
   * Creates the directory if needed, proves it writable with a real atomic write, and clears crashed writes.
   * @param observer Told the outcome of every later write of the directory's files (health: StateWriteHealth).
   */
  static async open(path: string, observer?: WriteOutcomeObserver): Promise<StateDirectory> {
    const directory = resolve(path);
    const fix = `Fix: make ${directory} writable by this user (e.g. a writable volume mounted there), or point --state-dir (LISTENER_STATE_DIR) elsewhere.`;
    try {
      await mkdir(directory, { recursive: true });
      const removed = await removeInterruptedWrites(directory);
      const probe = join(directory, '.write-probe');
      await new AtomicFile(probe).write('probe\n');
      await rm(probe, { force: true });
      return new StateDirectory(directory, removed, observer);
    } catch (error) {
      const reason = error instanceof StateFileError ? ((error.cause as Error | undefined)?.message ?? error.message) : (error as Error).message;
      throw new StateDirectoryError(directory, `The state directory ${directory} cannot be written: ${reason}. ${fix}`, { cause: error });
    }
  }

  /** A file in this directory whose writes are reported to the observer. */
  file(name: string): AtomicFile {
    return new AtomicFile(join(this.path, name), this.observer);
  }
}
