import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whichever worktree or clone the tests run in. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const repoPath = (...segments: string[]): string => join(repoRoot, ...segments);
