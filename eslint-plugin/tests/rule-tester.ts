import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

// @typescript-eslint/rule-tester needs the test framework's hooks, wired once for every rule test.
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** Most TypeScript projects declare no globals (typescript-eslint turns `no-undef` off): the harder case. */
export const ruleTester = new RuleTester();

/** A project that declares its runtime's globals, as `globals.node`/`globals.browser` would. */
export const ruleTesterWithGlobals = new RuleTester({
  languageOptions: {
    globals: {
      fetch: 'readonly',
      globalThis: 'readonly',
      window: 'readonly',
      self: 'readonly',
      AbortSignal: 'readonly',
      AbortController: 'readonly',
      Request: 'readonly',
      setTimeout: 'readonly',
      clearTimeout: 'readonly',
      process: 'readonly',
      require: 'readonly',
    },
  },
});

/** The text a suggestion adds when it creates a deadline. */
export const DEADLINE = 'signal: AbortSignal.timeout(30_000)';

type TesterRule<MessageIds extends string, Options extends readonly unknown[]> = Parameters<typeof ruleTester.run<MessageIds, Options>>[1];

/**
 * The rule as RuleTester's own copy of @typescript-eslint/utils types it: the rule tester (8.72) and the
 * plugin (8.74) resolve different copies whose types are structurally equal but nominally distinct.
 */
export function testable<MessageIds extends string, Options extends readonly unknown[]>(rule: {
  defaultOptions?: Options;
  meta: { messages: Record<MessageIds, string> };
}): TesterRule<MessageIds, Options> {
  return rule as unknown as TesterRule<MessageIds, Options>;
}
