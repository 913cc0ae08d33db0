// The one way the listener writes state to disk. A crash (kill -9, power loss) at any instant must leave
// either the old contents or the new, never a torn file that the next start cannot parse:
//   1. write a temporary file next to the target and fsync it (its bytes are on disk),
//   2. rename it over the target (atomic on POSIX file systems),
//   3. fsync the directory (the rename itself is on disk; without it, a power loss can undo it).
// A crash between 1 and 2 leaves a temporary file behind; `removeInterruptedWrites` clears them at start.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A state file that cannot be read, parsed or written. The message names the path and the fix. */
export class StateFileError extends Error {
  override readonly name: string = 'StateFileError';
  readonly path: string;
  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** Told about every write's outcome, so the process can report "state cannot be written" (health). */
export interface WriteOutcomeObserver {
  writeSucceeded(path: string): void;
  writeFailed(path: string, error: StateFileError): void;
}

// `<target>.<pid>.<sequence>.tmp`: unique per process and write, and recognisable at cleanup.
const INTERRUPTED_WRITE = /^.+\.\d+\.\d+\.tmp$/;
let writeSequence = 0;

/**
 * One state file. Writes are serialised and coalesced: a write that starts while another is running waits
 * for it, and callers that arrive meanwhile share the next write, which takes the newest contents. So when
 * `write(contents)` resolves, `contents` or something newer is durable, and a slow older write can never
 * rename itself over a newer one.
 */
export class AtomicFile {
  readonly path: string;
  private readonly observer: WriteOutcomeObserver | undefined;
  private newest = '';
  private next: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(path: string, observer?: WriteOutcomeObserver) {
    this.path = path;
    this.observer = observer;
  }

  /** The file's contents, or undefined when it does not exist. */
  async read(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateFileError(this.path, `Cannot read ${this.path}: ${(error as Error).message}. Fix its permissions or point --state-dir elsewhere.`, {
        cause: error,
      });
    }
  }

  write(contents: string): Promise<void> {
    this.newest = contents;
    if (this.next !== undefined) return this.next;
    const write = this.tail.then(() => {
      this.next = undefined;
      return this.writeNow(this.newest);
    });
    this.next = write;
    this.tail = write.catch(() => undefined);
    return write;
  }

  private async writeNow(contents: string): Promise<void> {
    try {
      await writeFileAtomically(this.path, contents);
      this.observer?.writeSucceeded(this.path);
    } catch (error) {
      const failure = new StateFileError(
        this.path,
        `Cannot write ${this.path}: ${(error as Error).message}. Fix: make the directory writable and give it free space, or point --state-dir elsewhere.`,
        { cause: error },
      );
      this.observer?.writeFailed(this.path, failure);
      throw failure;
    }
  }
}

async function writeFileAtomically(path: string, contents: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temporaryPath = `${path}.${process.pid}.${++writeSequence}.tmp`;
  try {
    const file = await open(temporaryPath, 'wx');
    try {
      await file.writeFile(contents, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes a rename in `directory` durable. Windows cannot open a directory for fsync, and needs no such step. */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Deletes the temporary files that writes interrupted by a crash left in `directory`; returns their names. */
export async function removeInterruptedWrites(directory: string): Promise<string[]> {
  const leftovers = (await readdir(directory)).filter((name) => INTERRUPTED_WRITE.test(name));
  for (const name of leftovers) await rm(join(directory, name), { force: true });
  return leftovers;
}

