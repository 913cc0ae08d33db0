import { execFileSync } from 'node:child_process';

import type { RepoGroup } from './repo-root.js';

/** Why `fix` may not write into this repository, or undefined when the work tree is clean. */
export function dirtyWorkTreeReason(group: RepoGroup): string | undefined {
  if (!group.isGitRepo) {
    return `${group.root} is not inside a git work tree, so the changes could not be reviewed or reverted with git`;
  }
  let status: string;
  try {
    status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: group.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // A wedged git (a lock held by an editor) must not wedge the codemod.
      timeout: 60_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return `${group.root}: could not run 'git status' (${stderr || (error as Error).message})`;
  }
  const changed = status.split('\n').filter((line) => line.trim() !== '');
  if (changed.length === 0) return undefined;
  const shown = changed.slice(0, 5).map((line) => line.trim()).join(', ');
  const more = changed.length > 5 ? `, and ${changed.length - 5} more` : '';
  return `${group.root} has uncommitted changes (${shown}${more})`;
}
