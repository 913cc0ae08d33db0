import * as ESLintUtils from '@typescript-eslint/utils/eslint-utils';
import type { TSESLint } from '@typescript-eslint/utils';

import { mayContainRequests } from '../detection/candidate-text.js';

/** The `meta.docs` every rule of this plugin declares; eslint-doc-generator and the presets read it. */
export interface BoundedHttpRuleDocs {
  /** Which preset turns the rule on: `recommended` (and everything above it) or only `strict`/`all`. */
  recommended: 'recommended' | 'strict';
  /** True when the rule needs `parserServices.program`; a rule that merely uses types when present says false. */
  requiresTypeChecking?: boolean;
  /** A `strict` rule that type information makes precise enough for `recommended-type-checked`. */
  recommendedTypeChecked?: boolean;
  /** Options the `strict` preset passes (e.g. `{ requireDeadlineSignal: true }`); `recommended` uses the defaults. */
  strictOptions?: Record<string, unknown>;
}

/** A text test: `false` means that the rule cannot report anything in a file with this text. */
export type CandidateText = (text: string) => boolean;

type RuleDefinition<Options extends readonly unknown[], MessageIds extends string> = Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, BoundedHttpRuleDocs>> & {
  /**
   * Which files the rule can report in, decided from the text before any listener exists: a test, or
   * `undefined` to run on every file. `options` are the rule's options as configured (`context.options`: a
   * rule whose default options are `[]` gets no merged copy), `typed` says whether the file has a TypeScript program. The default is
   * the knowledge base's pre-filter without types, and no filter with them: with a program, an instance or an
   * options object typed in another module is recognised in a file that names no client.
   */
  readonly candidateText?: (options: Readonly<Options>, typed: boolean) => CandidateText | undefined;
};

const knowledgeBaseOnlyWithoutTypes = (_options: unknown, typed: boolean): CandidateText | undefined => (typed ? undefined : mayContainRequests);

const ruleCreator = ESLintUtils.RuleCreator<BoundedHttpRuleDocs>(
  (name) => `https://github.com/bounded-http/bounded-http/blob/main/eslint-plugin/docs/rules/${name}.md`,
);

/** Whether the file was parsed with a TypeScript program (typescript-eslint with `projectService`/`project`). */
function hasProgram(sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  return Boolean((sourceCode.parserServices as { program?: unknown } | undefined)?.program);
}

/** Each text test's verdict per file: the rules of a preset share one test, so the text is scanned once per file. */
const verdicts = new WeakMap<object, Map<CandidateText, boolean>>();

function passes(sourceCode: Readonly<TSESLint.SourceCode>, test: CandidateText): boolean {
  let byTest = verdicts.get(sourceCode);
  if (!byTest) {
    byTest = new Map();
    verdicts.set(sourceCode, byTest);
  }
  let verdict = byTest.get(test);
  if (verdict === undefined) {
    verdict = test(sourceCode.text) && test(codeOutsideComments(sourceCode));
    byTest.set(test, verdict);
  }
  return verdict;
}

/** Per file, its text with every comment blanked out: computed once, for the files whose text passes a test. */
const codeTexts = new WeakMap<object, string>();

/**
 * The file's text with each comment replaced by as many spaces, so offsets stay put. A module specifier or a
 * global is only reachable from code, so a test that passes on the text but not here matched prose: JSDoc
 * that says "fetch the page", a commented-out `require('axios')`. On real code that is about a fifth of the
 * files the text test lets through, and the largest ones (generated API clients document every method). The
 * parser already has the comments (in oxlint they are read without building the AST), so this costs one copy.
 */
function codeOutsideComments(sourceCode: Readonly<TSESLint.SourceCode>): string {
  let code = codeTexts.get(sourceCode);
  if (code === undefined) {
    const { text } = sourceCode;
    const parts: string[] = [];
    let end = 0;
    for (const comment of sourceCode.getAllComments()) {
      parts.push(text.slice(end, comment.range[0]), ' '.repeat(comment.range[1] - comment.range[0]));
      end = comment.range[1];
    }
    parts.push(text.slice(end));
    code = parts.join('');
    codeTexts.set(sourceCode, code);
  }
  return code;
}

/**
 * The one rule creator: every rule's `meta.docs.url` points at its page in `eslint-plugin/docs/rules/`, and
 * every rule pays only where requests can be. On real code most files contain none, so `create()` first asks
 * the rule's text test and returns no listeners when it says no: the engine then builds nothing for the file, and
 * not even the options are merged with their defaults (the test runs before RuleCreator's own `create()`).
 * The test reads the code outside comments: a name in a comment reaches nothing.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>({
  candidateText = knowledgeBaseOnlyWithoutTypes,
  ...rule
}: RuleDefinition<Options, MessageIds>): ReturnType<typeof ruleCreator<Options, MessageIds>> {
  const created = ruleCreator<Options, MessageIds>(rule);
  return {
    ...created,
    create(context) {
      const test = candidateText(context.options, hasProgram(context.sourceCode));
      if (test && !passes(context.sourceCode, test)) return {};
      return created.create(context);
    },
  };
}
