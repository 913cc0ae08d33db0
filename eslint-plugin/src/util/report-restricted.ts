import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { fileMatchesAnyGlob, findRestrictedReferences, type PresetRestrictedApi } from './restricted-api.js';

/** The one message of the restriction engine's rules: the API as resolved, then why and what to do instead. */
export const restrictedMessages = {
  restricted: 'use of `{{api}}` is forbidden: {{message}}',
} as const;

export type RestrictedMessageId = keyof typeof restrictedMessages;

export interface ReportRestrictedOptions {
  /** A write that puts this value in place of the API is not reported (`no-global-agent`: a test double). */
  readonly ignoresWrittenValue?: (value: TSESTree.Node) => boolean;
}

/**
 * Reports every reference to the restricted APIs, unless the file is in the restriction's `allowIn` or the
 * write is one `options` lets through. Shared by `no-restricted-http-api` and its presets (`no-global-agent`):
 * rules do not import each other, so the reporting half of the engine lives here.
 */
export function reportRestrictedReferences(
  context: Readonly<TSESLint.RuleContext<RestrictedMessageId, readonly unknown[]>>,
  restrictions: readonly PresetRestrictedApi[],
  options: ReportRestrictedOptions = {},
): void {
  for (const { node, restriction, apiName, writtenValue } of findRestrictedReferences(context.sourceCode, restrictions)) {
    if (restriction.allowIn && fileMatchesAnyGlob(context.filename, context.cwd, restriction.allowIn)) continue;
    if (writtenValue && options.ignoresWrittenValue?.(writtenValue)) continue;
    context.report({ node, messageId: 'restricted', data: { api: apiName, message: restriction.message } });
  }
}
