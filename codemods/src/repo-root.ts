import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface RepoGroup {
  /** The git work tree root, or the path itself when it is not inside a git repository. */
  root: string;
  isGitRepo: boolean;
  /** The absolute paths (as given on the command line, resolved) that live in this repo. */
  paths: string[];
}

const gitRootCache = new Map<string, string | undefined>();

/**
 * The nearest ancestor holding `.git` (a folder, or a file for worktrees and submodules). Looked up on
 * the file system rather than by spawning git once per path: fifty repos cost fifty stat walks, not fifty processes.
 */
function findGitRoot(path: string): string | undefined {
  let dir = resolve(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  const visited: string[] = [];
  let found: string | undefined;
  for (;;) {
    if (gitRootCache.has(dir)) {
      found = gitRootCache.get(dir);
      break;
    }
    visited.push(dir);
    if (existsSync(join(dir, '.git'))) {
      found = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const seen of visited) gitRootCache.set(seen, found);
  return found;
}

/** Groups command-line paths by repository so that each repository gets one summary, in first-seen order. */
export function groupByRepo(paths: readonly string[]): RepoGroup[] {
  const groups = new Map<string, RepoGroup>();
  for (const given of paths) {
    const absolute = resolve(given);
    const gitRoot = findGitRoot(absolute);
    const root = gitRoot ?? (existsSync(absolute) && !statSync(absolute).isDirectory() ? dirname(absolute) : absolute);
    let group = groups.get(root);
    if (!group) {
      group = { root, isGitRepo: gitRoot !== undefined, paths: [] };
      groups.set(root, group);
    }
    if (!group.paths.includes(absolute)) group.paths.push(absolute);
  }
  return [...groups.values()];
}
