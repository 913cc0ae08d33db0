/** The process exit codes are a public contract: CI gates branch on them. */
export const ExitCode = {
  /** audit: no findings; fix: done. */
  ok: 0,
  /** audit: findings; fix --check: sites left that were not fixed. */
  findings: 1,
  /** The command line was wrong; nothing was read or written. */
  usage: 2,
  /** Some files could not be read, analysed or written; the others were processed. */
  partialFailure: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
