/**
 * The Node versions a file targets, read once for the rules and for every tool
 * (`eslint-plugin-bounded-http/node-target`): both must agree on whether `AbortSignal.any` may be written to
 * combine a caller's signal with a deadline.
 *
 * The rule: walk up from the file's folder; the first `package.json` that states `engines.node` (a valid
 * semver range) decides. A `package.json` without it (a workspace package) defers to the folders above, up to
 * and including the workspace or repository root: the first folder whose `package.json` declares
 * `workspaces`, or that holds `.git`. Nothing stated up to there: the target is unknown, and unknown targets
 * get no `AbortSignal.any`.
 *
 * "May be written" means more than "exists". `AbortSignal.any` exists from Node 18.17 and 20.3, but until
 * Node 22.16 and 24.0 the combined signal holds its sources weakly and nothing else holds an
 * `AbortSignal.timeout(ms)` written inline, so a garbage collection before the timer fires loses the deadline
 * and the request waits forever (nodejs/node#57736): exactly the hang these tools exist to prevent. Only the
 * versions where the deadline survives count.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import semver from 'semver';

/**
 * The Node versions on which `AbortSignal.any([signal, AbortSignal.timeout(ms)])` still fires after a garbage
 * collection. Measured with `node scripts/abort-signal-any/versions.mjs` (the official Linux x64 binaries from
 * the npm registry; fetch and http.get to a loopback server that never answers, a collection every 20 ms):
 * every request hung on 18.20.8, 20.3.0, 20.20.2, 22.15.1, 23.0.0 and 23.11.1; every one ended with the
 * deadline on 22.16.0, 22.23.5, 24.0.0, 24.22.3 and 26.12.1. `tests/util/abort-signal-any-runtime.test.ts`
 * checks the Node that runs the tests against this range.
 */
export const ABORT_SIGNAL_ANY_KEEPS_DEADLINE = '^22.16.0 || >=24.0.0';

const rangeByDirectory = new Map<string, string | null>();

interface Manifest {
  /** `engines.node`, when it is a valid range. */
  readonly range: string | undefined;
  /** The folder ends the search: a workspace root (`workspaces`) or a repository root (`.git`). */
  readonly isRoot: boolean;
}

function readManifest(directory: string): Manifest {
  const isRepositoryRoot = existsSync(join(directory, '.git'));
  let text: string;
  try {
    text = readFileSync(join(directory, 'package.json'), 'utf8');
  } catch {
    return { range: undefined, isRoot: isRepositoryRoot };
  }
  try {
    const parsed = JSON.parse(text) as { engines?: { node?: unknown }; workspaces?: unknown };
    const stated = parsed.engines?.node;
    const range = typeof stated === 'string' ? (semver.validRange(stated) ?? undefined) : undefined;
    return { range, isRoot: isRepositoryRoot || parsed.workspaces !== undefined };
  } catch {
    return { range: undefined, isRoot: isRepositoryRoot };
  }
}

/** The `engines.node` range that governs `filename` under the rule above, or null when none is stated. */
export function nodeTargetOf(filename: string): string | null {
  const visited: string[] = [];
  let directory = dirname(filename);
  let found: string | null = null;
  for (;;) {
    const cached = rangeByDirectory.get(directory);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(directory);
    const manifest = readManifest(directory);
    if (manifest.range !== undefined) {
      found = manifest.range;
      break;
    }
    const parent = dirname(directory);
    if (manifest.isRoot || parent === directory) break;
    directory = parent;
  }
  for (const directoryOnTheWay of visited) rangeByDirectory.set(directoryOnTheWay, found);
  return found;
}

/** A semver range as given (`--node-version`, `targetNodeVersion`), normalised; undefined when it is none. */
export function parseNodeRange(value: string): string | undefined {
  return semver.validRange(value) ?? undefined;
}

/**
 * Whether `AbortSignal.any` keeps a deadline on every version in `range` ({@link ABORT_SIGNAL_ANY_KEEPS_DEADLINE}).
 * Every version, not the lowest: `>=22.16` admits 23.x, where it does not. An invalid range has none.
 */
export function rangeAllowsAbortSignalAny(range: string): boolean {
  const valid = semver.validRange(range);
  return valid !== null && semver.subset(valid, ABORT_SIGNAL_ANY_KEEPS_DEADLINE);
}

/**
 * Whether `AbortSignal.any` keeps a deadline on every Node version the code targets: `override` (a rule's
 * `targetNodeVersion`, the CLI's `--node-version`) when given, else {@link nodeTargetOf}. Unknown targets get
 * no `AbortSignal.any`.
 */
export function targetAllowsAbortSignalAny(filename: string, override: string | undefined): boolean {
  const range = override ?? nodeTargetOf(filename);
  return range !== null && rangeAllowsAbortSignalAny(range);
}
