/**
 * The detection engine's public face (`eslint-plugin-bounded-http/detection`): the site descriptors of the
 * findings the rules reported in a file. Tools that lint a file in-process (the bounded-http codemods) read
 * them after `Linter#verify` from the same `SourceCode`, so what the rule said and what a tool rewrites come
 * from one analysis; lint messages carry no report data of their own.
 *
 * @packageDocumentation
 */
import type { TSESLint } from '@typescript-eslint/utils';

import type { SiteDescriptor, SourceRange } from './site-descriptor.js';

export type * from './site-descriptor.js';

const descriptorsBySource = new WeakMap<object, SiteDescriptor[]>();

/** Called by a rule next to `context.report`: the descriptor of the finding it reports. */
export function recordSiteDescriptor(sourceCode: Readonly<TSESLint.SourceCode>, descriptor: SiteDescriptor): void {
  const list = descriptorsBySource.get(sourceCode);
  if (list) list.push(descriptor);
  else descriptorsBySource.set(sourceCode, [descriptor]);
}

/**
 * The descriptors of every finding the bounded-http rules reported on this `SourceCode` (suppressed ones
 * included: a rule reports before ESLint applies `eslint-disable`). Empty for a file nothing was reported in.
 */
export function siteDescriptorsOf(sourceCode: object): readonly SiteDescriptor[] {
  return descriptorsBySource.get(sourceCode) ?? [];
}

/**
 * The key a finding is matched by: rule (without the plugin prefix), message id and the reported node's
 * range, which is also what a lint message's line and column locate.
 */
export function siteKey(ruleId: string, messageId: string, range: SourceRange): string {
  return `${ruleId}\u0000${messageId}\u0000${String(range[0])}:${String(range[1])}`;
}

