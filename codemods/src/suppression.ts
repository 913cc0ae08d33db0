/**
 * Which eslint-disable comment hides a finding, and whether it is the documented exception. The documented form
 * is one line, one rule and a reason: `// eslint-disable-next-line bounded-http/<rule> -- long-poll, bounded by
 * the broker` (or `eslint-disable-line`). A blanket `/* eslint-disable *\/` names no rule and gives no reason: it
 * silences the gate, it does not document an exception, and the report must not say it does.
 */

/** `documented`: the per-rule line comment with a reason; `blanket`: a comment naming no rule; `undocumented`: any other form. */
export type SuppressionKind = 'documented' | 'blanket' | 'undocumented';

/** One `eslint-disable…` comment of the file, as ESLint parsed it. */
export interface DisableComment {
  type: 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
  /** The rules it names; empty for a blanket comment. */
  ruleIds: string[];
  justification: string;
  /** `-line`/`-next-line`: the line it covers; `disable`/`enable`: the line it starts on. */
  line: number;
  /** A `/* … *\/` comment rather than a `// …` one. */
  block: boolean;
}

interface EslintDirective {
  type: DisableComment['type'];
  value: string;
  justification: string;
  node: { type: string; loc: { start: { line: number }; end: { line: number } } };
}

/** The disable comments of a file, from ESLint's own directive parser (SourceCode#getDisableDirectives). */
export function disableCommentsOf(sourceCode: unknown): DisableComment[] {
  const { directives } = (sourceCode as { getDisableDirectives(): { directives: EslintDirective[] } }).getDisableDirectives();
  return directives.map((directive) => ({
    type: directive.type,
    ruleIds: directive.value
      .split(',')
      .map((ruleId) => ruleId.trim())
      .filter((ruleId) => ruleId !== ''),
    justification: directive.justification.trim(),
    line: directive.type === 'disable-next-line' ? directive.node.loc.end.line + 1 : directive.node.loc.start.line,
    block: directive.node.type === 'Block',
  }));
}

/** How the finding of `bounded-http/<ruleId>` on `line`, which ESLint reports suppressed, came to be suppressed. */
export function classifySuppression(comments: readonly DisableComment[], ruleId: string, line: number): SuppressionKind {
  const fullId = `bounded-http/${ruleId}`;
  const onLine = comments.filter((comment) => (comment.type === 'disable-line' || comment.type === 'disable-next-line') && comment.line === line);
  if (onLine.some((comment) => comment.ruleIds.includes(fullId) && comment.justification !== '')) return 'documented';
  const blanketBlock = comments.some((comment) => comment.type === 'disable' && comment.ruleIds.length === 0 && comment.line <= line);
  if (blanketBlock || onLine.some((comment) => comment.ruleIds.length === 0)) return 'blanket';
  return 'undocumented';
}

/** What the report says about a suppressed finding of `ruleId`, by kind of comment. */
function suppressionReason(kind: SuppressionKind, ruleId: string): string {
  const documentedForm = `// eslint-disable-next-line bounded-http/${ruleId} -- <why this call needs no deadline>`;
  switch (kind) {
    case 'documented':
      return `an eslint-disable comment for bounded-http/${ruleId} with a reason covers this call: the documented exception (e.g. a long-poll), left as it is`;
    case 'blanket':
      return `a blanket eslint-disable comment (it names no rule) hides this call: that is not the documented exception; name the rule and say why (${documentedForm}), or remove the comment and let fix bound the call`;
    case 'undocumented':
      return `an eslint-disable comment hides this call, but not in the documented form (${documentedForm}, on the call's line or the one above): write it that way, or remove it and let fix bound the call`;
  }
}

/** The kind and the report's reason for a suppressed site; undefined for one no comment covers. */
export function suppressionOf(site: { suppressed: boolean; suppression?: SuppressionKind; ruleId: string }): { kind: SuppressionKind; reason: string } | undefined {
  if (!site.suppressed) return undefined;
  const kind = site.suppression ?? 'undocumented';
  return { kind, reason: suppressionReason(kind, site.ruleId) };
}
