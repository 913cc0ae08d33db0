import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { type BoundSettings, type BoundVerdict, evaluateBound, evaluateInstance } from '../detection/bounds.js';
import { type InstanceSite, type RequestSite, getFileRequests } from '../detection/request-sites.js';
import type { FamilyId } from '../knowledge/index.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** One thing a rule reports: a call, or an instance reported once where it is created. */
export type Finding =
  | { readonly kind: 'call'; readonly node: TSESTree.CallExpression | TSESTree.NewExpression; readonly site: RequestSite; readonly verdict: BoundVerdict }
  | {
      readonly kind: 'instance';
      readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
      readonly instance: InstanceSite;
      readonly verdict: BoundVerdict;
      /** How many calls on the instance in this file share its problem. */
      readonly affectedCalls: number;
    };

/**
 * Runs the shared detection engine for some families and keeps what `isFinding` selects. A call whose
 * problem comes from its instance is folded into one finding at the instance's creation.
 */
export function findingsFor(
  sourceCode: SourceCode,
  families: ReadonlySet<FamilyId>,
  settings: BoundSettings,
  isFinding: (verdict: BoundVerdict) => boolean,
): Finding[] {
  const requests = getFileRequests(sourceCode);
  const instanceVerdicts = new Map<InstanceSite, BoundVerdict>();
  for (const instance of requests.instances) {
    if (families.has(instance.family.id)) instanceVerdicts.set(instance, evaluateInstance(sourceCode, instance, settings));
  }
  const findings: Finding[] = [];
  const affectedCalls = new Map<InstanceSite, number>();
  for (const site of requests.sites) {
    if (!families.has(site.family.id)) continue;
    const verdict = evaluateBound(sourceCode, requests, site, settings);
    if (!isFinding(verdict)) continue;
    const instanceVerdict = site.instance ? instanceVerdicts.get(site.instance) : undefined;
    if (site.instance && instanceVerdict && isFinding(instanceVerdict)) {
      affectedCalls.set(site.instance, (affectedCalls.get(site.instance) ?? 0) + 1);
      continue;
    }
    findings.push({ kind: 'call', node: site.node, site, verdict });
  }
  for (const [instance, verdict] of instanceVerdicts) {
    if (!isFinding(verdict)) continue;
    const affected = affectedCalls.get(instance) ?? 0;
    const usedHere = instance.calls.length > 0 || requests.instances.some((other) => other.parent === instance);
    if (affected > 0 || (!usedHere && instance.factory.reportWhenNoCallSeen)) {
      findings.push({ kind: 'instance', node: instance.node, instance, verdict, affectedCalls: affected });
    }
  }
  return findings.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** Unbounded: nothing bounds it, and its options are readable (or the user asked for opaque ones too). */
export function isUnbounded(opaqueOptions: 'ignore' | 'report'): (verdict: BoundVerdict) => boolean {
  return (verdict) => verdict.bound === 'none' && (!verdict.opaque || opaqueOptions === 'report');
}
