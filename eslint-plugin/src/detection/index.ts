import type { TSESLint } from '@typescript-eslint/utils';

import type { FamilyId } from '../knowledge/index.js';
import { getFileRequests } from './request-sites.js';

/** Where a request or a request-making instance sits in a file, and which client family it belongs to. */
export interface RequestSpan {
  readonly range: readonly [number, number];
  readonly familyId: FamilyId;
}

/**
 * The request calls and instance creations the rules see in one file, by source range. Tools that read lint
 * messages (which carry no report data) use it to name the client family of a finding, from the same engine
 * and the same per-file cache the rules used, so there is no second classifier.
 */
export function requestSpans(sourceCode: Readonly<TSESLint.SourceCode>): RequestSpan[] {
  const requests = getFileRequests(sourceCode);
  return [...requests.sites, ...requests.instances].map((site) => ({ range: site.node.range, familyId: site.family.id }));
}
