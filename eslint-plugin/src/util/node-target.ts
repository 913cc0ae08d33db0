import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import semver from 'semver';

/** `AbortSignal.any` exists from Node 18.17 and 20.3. */
const ABORT_SIGNAL_ANY = '^18.17.0 || >=20.3.0';

const rangeByDirectory = new Map<string, string | null>();

/** `engines.node` of the nearest package.json above `filename`, or null when none says. */
export function nearestEnginesNode(filename: string): string | null {
  const visited: string[] = [];
  let directory = dirname(filename);
  let found: string | null | undefined;
  for (let depth = 0; depth < 64; depth += 1) {
    const cached = rangeByDirectory.get(directory);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(directory);
    const range = readEnginesNode(join(directory, 'package.json'));
    if (range !== undefined) {
      found = range;
      break;
    }
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  for (const directoryOnTheWay of visited) rangeByDirectory.set(directoryOnTheWay, found ?? null);
  return found ?? null;
}

/** `undefined`: no package.json here; `null`: one without engines.node (it still ends the search). */
function readEnginesNode(path: string): string | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { engines?: { node?: unknown } };
    return typeof parsed.engines?.node === 'string' ? parsed.engines.node : null;
  } catch {
    return null;
  }
}

/** Whether every Node version the code targets has `AbortSignal.any`; unknown targets get no such suggestion. */
export function targetAllowsAbortSignalAny(filename: string, targetNodeVersion: string | undefined): boolean {
  const range = targetNodeVersion ?? nearestEnginesNode(filename);
  if (!range) return false;
  const minimum = semver.minVersion(range);
  return minimum !== null && semver.satisfies(minimum, ABORT_SIGNAL_ANY);
}
