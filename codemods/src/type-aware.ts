/**
 * `--type-aware` reads types through typescript-eslint's project service, which finds, for each file, the
 * nearest `tsconfig.json` above it. A run with none at all would be a slow syntax-only audit that looks typed:
 * it is refused before anything is parsed, with what to do. Files no tsconfig includes are linted without types
 * and counted (`types: "none"` in the report).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { FileJob } from './file-job.js';
import { UsageError } from './usage-error.js';

/**
 * The nearest tsconfig.json in the file's folder or above it, up to its repository root, or null. `cache` maps the
 * folders already walked to their answer.
 */
export function nearestTsconfig(file: string, repo: string, cache: Map<string, string | null>): string | null {
  const visited: string[] = [];
  let found: string | null = null;
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    const known = cache.get(folder);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(folder);
    const candidate = join(folder, 'tsconfig.json');
    if (existsSync(candidate)) {
      found = candidate;
      break;
    }
    if (folder === repo || dirname(folder) === folder) break;
  }
  for (const folder of visited) cache.set(folder, found);
  return found;
}

/** Throws a usage error when no file to lint has a tsconfig.json above it. */
export function requireTypeScriptProject(jobs: readonly FileJob[]): void {
  if (jobs.length === 0) return;
  const cache = new Map<string, string | null>();
  if (jobs.some((job) => nearestTsconfig(job.path, job.repo, cache) !== null)) return;
  const repos = [...new Set(jobs.map((job) => job.repo))].join(', ');
  throw new UsageError(
    `--type-aware found no tsconfig.json above any file to audit (in ${repos}), so there are no types to read`,
    'run it in a TypeScript project (a tsconfig.json that includes the sources), or leave --type-aware out',
  );
}
