/**
 * The plugin as `bounded-http audit --engine oxlint` hands it to oxlint (`jsPlugins`): the same rules, each
 * wrapped so that every finding a rule reports, including those an `eslint-disable` comment hides, is appended
 * as one JSON line per file to the file `BOUNDED_HTTP_OXLINT_SITES` names, with what oxlint's JSON output
 * leaves out: the message id, the client family of its site descriptor, and, should a comment hide it, which
 * kind of comment that is. oxlint prints only what no comment hides, so the engine reads a finding that is here
 * and not in oxlint's output as suppressed (see engine.ts). Runs inside oxlint's JavaScript host, one process
 * per run.
 */
import boundedHttp from 'eslint-plugin-bounded-http';
import { siteDescriptorsOf, siteKey } from 'eslint-plugin-bounded-http/detection';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { classifySuppression, disableCommentsOf, type DisableComment, type SuppressionKind } from '../suppression.js';

type Listener = (node: unknown) => void;
interface ReportedNode {
  readonly range: readonly [number, number];
  readonly loc: { readonly start: { readonly line: number }; readonly end: { readonly line: number } };
}
interface ReportDescriptor {
  readonly node: ReportedNode;
  readonly messageId: string;
  readonly data?: Readonly<Record<string, unknown>>;
}
interface RuleContext {
  readonly filename: string;
  readonly sourceCode: { readonly text: string };
  report(descriptor: ReportDescriptor): void;
}
interface Rule {
  readonly meta?: { readonly messages?: Readonly<Record<string, string>> };
  create(context: RuleContext): Record<string, Listener>;
}

/** One finding as the rule reported it. */
export interface ReportedFinding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly message: string;
  /** The reported node's `[start, end)` in the text oxlint hands the rules (UTF-16, no BOM). */
  readonly range: readonly [number, number];
  readonly familyId: string | null;
  /** Which comment would hide it, were it hidden: read only when oxlint's output lacks the finding. */
  readonly suppression: SuppressionKind;
}

/** One line per file and rule: what the engine reads back. */
export interface SitesLine {
  /** Absolute: resolved in oxlint's process, whose cwd is the repository's root. */
  readonly file: string;
  readonly findings: readonly ReportedFinding[];
  /**
   * The file's disable comments are of a kind oxlint reads differently from ESLint, for one of its findings at
   * least: the engine hands such a file to ESLint. See `readDifferently`.
   */
  readonly disputed: boolean;
}

/**
 * Whether oxlint may hide a different set of these findings than ESLint would. Found by auditing generated
 * files that combine every form of comment with both engines (codemods/tests/cli/engine.test.ts keeps a sample):
 * - an `eslint-enable` that is blanket or names one of these rules: after a blanket `eslint-disable`,
 *   `eslint-enable <rule>` brings the rule back in ESLint and not in oxlint, and the two track enable/disable
 *   ranges apart in other combinations too (one that names only other rules changes nothing for these);
 * - a `-line` or `-next-line` directive written as a block comment (`/* eslint-disable-next-line r *\/ code`):
 *   oxlint applies it to code on its own line as well;
 * - a finding over several lines with such a directive on one of its later lines: ESLint reads the line the
 *   finding starts on, oxlint its whole span.
 * What remains, and what real code writes (`// eslint-disable-next-line rule -- reason`, a file-wide
 * `/* eslint-disable *\/`), the two read alike.
 */
function readDifferently(comments: readonly DisableComment[], spans: readonly { startLine: number; endLine: number }[]): boolean {
  return comments.some((comment) => {
    // Only a comment that can end the silence of one of this plugin's rules.
    if (comment.type === 'enable') return comment.ruleIds.length === 0 || comment.ruleIds.some((ruleId) => ruleId.startsWith('bounded-http/'));
    if (comment.type === 'disable') return false;
    return comment.block || spans.some((span) => comment.line > span.startLine && comment.line <= span.endLine);
  });
}

const sitesFile = process.env['BOUNDED_HTTP_OXLINT_SITES'];

/** ESLint's message interpolation: `{{ name }}` becomes `data.name`; a name without data stays as written. */
function interpolate(template: string, data: Readonly<Record<string, unknown>> | undefined): string {
  if (data === undefined) return template;
  return template.replace(/\{\{([^{}]+?)\}\}/gu, (written, name: string) => {
    const key = name.trim();
    return key in data ? String(data[key]) : written;
  });
}

function wrap(ruleId: string, rule: Rule): Rule {
  const messages = rule.meta?.messages ?? {};
  return {
    ...(rule.meta ? { meta: rule.meta } : {}),
    create(context) {
      if (sitesFile === undefined) return rule.create(context);
      const reported: { descriptor: ReportDescriptor; message: string }[] = [];
      // oxlint's context reads its state from the module, not from `this`: an object on top of it keeps every getter.
      const recording = Object.create(context, {
        report: {
          value(descriptor: ReportDescriptor) {
            reported.push({ descriptor, message: interpolate(messages[descriptor.messageId] ?? '', descriptor.data) });
            context.report(descriptor);
          },
        },
      }) as RuleContext;
      const listeners = rule.create(recording);
      // No listener: oxlint then skips the file's AST altogether, and nothing can be reported.
      if (Object.keys(listeners).length === 0) return listeners;
      const ownExit = listeners['Program:exit'];
      return {
        ...listeners,
        'Program:exit'(node: unknown) {
          ownExit?.(node);
          if (reported.length === 0) return;
          const families = new Map<string, string | null>();
          for (const descriptor of siteDescriptorsOf(context.sourceCode)) families.set(siteKey(descriptor.ruleId, descriptor.messageId, descriptor.range), descriptor.familyId);
          const comments = disableCommentsOf(context.sourceCode);
          const findings = reported.map(({ descriptor, message }): ReportedFinding => {
            const range = descriptor.node.range;
            return {
              ruleId,
              messageId: descriptor.messageId,
              message,
              range: [range[0], range[1]],
              familyId: families.get(siteKey(ruleId, descriptor.messageId, range)) ?? null,
              suppression: classifySuppression(comments, ruleId, descriptor.node.loc.start.line),
            };
          });
          const spans = reported.map(({ descriptor }) => ({ startLine: descriptor.node.loc.start.line, endLine: descriptor.node.loc.end.line }));
          const line: SitesLine = { file: resolve(context.filename), findings, disputed: readDifferently(comments, spans) };
          appendFileSync(sitesFile, `${JSON.stringify(line)}\n`);
        },
      };
    },
  };
}

const rules = Object.fromEntries(Object.entries(boundedHttp.rules ?? {}).map(([name, rule]) => [name, wrap(name, rule as unknown as Rule)]));

export default { meta: { name: 'bounded-http' }, rules };
