/**
 * A mistake in how the command was invoked (unknown flag, bad value, missing path). The CLI prints
 * the message and the one-line fix, points to --help, and exits 2: never a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** What the user should type or change, in one line. */
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** An operational failure that names the file and the reason (exit 3 unless something worse happened). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
