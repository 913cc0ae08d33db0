/**
 * A file's audit findings as report records, whichever engine found them (ESLint in-process, or oxlint): the
 * same fingerprints, snippets and suppression wording, so the two engines' reports can be identical. Loads
 * neither engine.
 */
import type { Site } from './find-sites.js';
import { fingerprintsOf, normaliseSnippet } from './fingerprint.js';
import type { SiteRecord } from './report.js';
import { suppressionOf } from './suppression.js';

/** Longest snippet a report carries: enough for a reader to recognise the call in a baseline or fleet page. */
const maxSnippetLength = 120;

export function auditSiteRecords(sites: readonly Site[], text: string): SiteRecord[] {
  const code = (site: Site): string => text.slice(site.range[0], site.range[1]);
  const fingerprints = fingerprintsOf(sites.map((site) => ({ ruleId: site.ruleId, code: code(site) })));
  return sites.map((site, index) => {
    const snippet = normaliseSnippet(code(site));
    const record: SiteRecord = {
      ruleId: site.ruleId,
      messageId: site.messageId,
      action: site.suppressed ? 'suppressed' : 'reported',
      reason: site.message,
      location: { line: site.line, column: site.column, endLine: site.endLine, endColumn: site.endColumn },
      fingerprint: fingerprints[index] ?? '',
      snippet: snippet.length > maxSnippetLength ? `${snippet.slice(0, maxSnippetLength - 1)}…` : snippet,
    };
    const suppression = suppressionOf(site);
    if (suppression) {
      record.suppression = suppression.kind;
      record.reason = `${suppression.reason}: ${site.message}`;
    }
    if (site.family !== undefined) record.family = site.family;
    return record;
  });
}

