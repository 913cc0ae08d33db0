import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';

/** `AbortSignal.any` shipped in Node 20.3 and was backported to 18.17. */
const abortSignalAnyRange = '>=20.3.0 || ^18.17.0';

/** Whether every Node version a project claims to support has `AbortSignal.any`. */
export function supportsAbortSignalAny(nodeRange: string): boolean {
  const lowest = semver.minVersion(nodeRange);
  return lowest !== null && semver.satisfies(lowest, abortSignalAnyRange);
}

/** Returns the normalised version, or undefined when `--node-version` is not a version or range. */
export function parseNodeVersionFlag(value: string): string | undefined {
  return semver.validRange(value) ?? undefined;
}

/**
 * Decides per file whether transforms may emit `AbortSignal.any`: the `--node-version` override when
 * given, else `engines.node` of the nearest package.json that states one. A project that states no engines gets the
 * cautious answer (no), so a fix never breaks an older runtime it cannot see.
 */
export function createAbortSignalAnyResolver(nodeVersionOverride: string | undefined): (filePath: string) => boolean {
  if (nodeVersionOverride !== undefined) {
    const allowed = supportsAbortSignalAny(nodeVersionOverride);
    return () => allowed;
  }
  const byFolder = new Map<string, boolean>();
  const lookUp = (folder: string): boolean => {
    const cached = byFolder.get(folder);
    if (cached !== undefined) return cached;
    let answer: boolean | undefined;
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { engines?: { node?: unknown } };
      const range = manifest.engines?.node;
      // A workspace package without engines inherits the answer of the manifest above it.
      if (typeof range === 'string') answer = semver.validRange(range) !== null && supportsAbortSignalAny(range);
    } catch {
      // No readable package.json here: the next folder up decides.
    }
    const parent = dirname(folder);
    answer ??= parent === folder ? false : lookUp(parent);
    byFolder.set(folder, answer);
    return answer;
  };
  return (filePath) => lookUp(dirname(filePath));
}
