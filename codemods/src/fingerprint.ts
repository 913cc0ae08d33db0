/**
 * The key of a finding that survives unrelated edits, shared by the baseline and SARIF's `partialFingerprints`:
 * the rule, the reported code with its whitespace collapsed, and which of the identical ones in the file it
 * is. Line numbers are not part of it, so adding an import or a function above a finding leaves it matched;
 * changing the call itself makes it a new finding, which is what a ratchet must see.
 */
import { createHash } from 'node:crypto';

/** The reported code as the key reads it: runs of whitespace (newlines included) become one space. */
export function normaliseSnippet(code: string): string {
  return code.replace(/\s+/gu, ' ').trim();
}

/** A short, stable hash of the rule and the snippet. */
function hashOf(ruleId: string, snippet: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${snippet}`).digest('hex').slice(0, 20);
}

/**
 * Fingerprints for the findings of one file, in source order: `<hash>` for the first finding with a given rule
 * and snippet, `<hash>:2`, `<hash>:3` … for the identical ones after it.
 */
export function fingerprintsOf(findings: readonly { ruleId: string; code: string }[]): string[] {
  const seen = new Map<string, number>();
  return findings.map(({ ruleId, code }) => {
    const hash = hashOf(ruleId, normaliseSnippet(code));
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return occurrence === 1 ? hash : `${hash}:${occurrence}`;
  });
}
