import type { RuleTester } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';

type TesterRule<MessageIds extends string, Options extends readonly unknown[]> = Parameters<RuleTester['run']>[1] &
  TSESLint.RuleModule<MessageIds, Options>;

/**
 * The plugin is built against @typescript-eslint/utils 8.74 while @typescript-eslint/rule-tester 8.72 brings
 * its own 8.72 copy; the two declare structurally different (but runtime-identical) RuleContext types. This
 * keeps the message ids and options of the rule typed for the test cases while bridging the two copies.
 */
export function testedRule<MessageIds extends string, Options extends readonly unknown[]>(
  rule: TSESLint.RuleModule<MessageIds, Options>,
): TesterRule<MessageIds, Options> {
  return rule as unknown as TesterRule<MessageIds, Options>;
}
