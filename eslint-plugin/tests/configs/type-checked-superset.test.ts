import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { describe, expect, it, vi } from 'vitest';

import plugin from '../../src/index.js';
import { loadRuleSamples, type RuleSample } from '../support/rule-samples.js';

// Every rule test file builds RuleTesters and calls run(); this stand-in records their samples instead of
// running them, so the whole fixture set of every rule becomes the corpus of this test.
vi.mock('@typescript-eslint/rule-tester', async () => ({ RuleTester: (await import('../support/rule-samples.js')).RecordingRuleTester }));

const typedProjectDir = fileURLToPath(new URL('../fixtures/typed-clients/', import.meta.url));

/**
 * Calls that `recommended` reports and `recommended-type-checked` does not, because the types show the
 * bound lives somewhere the syntax cannot see. Each entry: the rule, a fragment of the sample, and why.
 */
const TYPES_PROVE_BOUNDED: readonly { rule: string; fragment: string; why: string }[] = [
  { rule: 'no-unbounded-fetch', fragment: 'load(target: Request) { return fetch(target); }', why: 'the input is typed Request, which carries its own signal' },
];

type Finding = `${string}@${number}:${number}`;

function findings(linter: Linter, sample: RuleSample, config: TSESLint.FlatConfig.Config, typed: boolean): { found: Set<Finding>; fatal: string | undefined } {
  const jsx = /\.[jt]sx$/.test(sample.filename ?? '') || (sample.languageOptions['parserOptions'] as { ecmaFeatures?: { jsx?: boolean } } | undefined)?.ecmaFeatures?.jsx === true;
  const parserOptions = {
    ...(sample.languageOptions['parserOptions'] as Record<string, unknown> | undefined),
    ...(typed ? { projectService: true, tsconfigRootDir: typedProjectDir } : { projectService: false, project: null }),
  };
  // Every sample is linted as the fixture program's own file.ts (or react.tsx), whose contents it replaces.
  const filename = `${typedProjectDir}${jsx ? 'react.tsx' : 'file.ts'}`;
  const messages = linter.verify(
    sample.code,
    [
      { files: ['**/*.ts', '**/*.tsx'], languageOptions: { ...sample.languageOptions, parser: tseslint.parser, parserOptions } },
      // typescript-eslint's FlatConfig.Config and ESLint's Linter.Config differ in details the linter ignores.
      { ...config, files: ['**/*.ts', '**/*.tsx'] } as never,
    ],
    { filename },
  );
  const fatal = messages.find((message) => message.fatal)?.message;
  const found = new Set<Finding>(messages.filter((message) => message.ruleId).map((message) => `${message.ruleId}@${message.line}:${message.column}` as Finding));
  return { found, fatal };
}

describe('the recommended-type-checked preset', () => {
  it('is recommended plus the rules types make precise enough for it, with the same settings', () => {
    const recommendedRules = plugin.configs.recommended.rules ?? {};
    const typeCheckedRules = plugin.configs['recommended-type-checked'].rules ?? {};
    expect(typeCheckedRules).toMatchObject(recommendedRules);
    expect(Object.keys(typeCheckedRules).filter((rule) => !(rule in recommendedRules))).toEqual(['bounded-http/require-signal-propagation']);
    expect(plugin.configs['recommended-type-checked'].name).toBe('bounded-http/recommended-type-checked');
  });
});

describe('recommended-type-checked finds at least everything recommended finds', () => {
  it('over every sample of every rule test file, except where types prove a call bounded', async () => {
    const samples = await loadRuleSamples();
    expect(samples.length).toBeGreaterThan(300);

    const linter = new Linter({ configType: 'flat' });
    const recommended = plugin.configs.recommended;
    const typeChecked = plugin.configs['recommended-type-checked'];
    const missed: string[] = [];
    const usedExceptions = new Set<string>();
    let reportedByRecommended = 0;
    for (const sample of samples) {
      const syntaxOnly = findings(linter, sample, recommended, false);
      // Samples that do not parse never reach a rule; samples recommended finds nothing in cannot be missed.
      if (syntaxOnly.fatal !== undefined || syntaxOnly.found.size === 0) continue;
      const typed = findings(linter, sample, typeChecked, true);
      expect(typed.fatal, `${sample.source}: ${sample.code}`).toBeUndefined();
      reportedByRecommended += syntaxOnly.found.size;
      for (const finding of syntaxOnly.found) {
        if (typed.found.has(finding)) continue;
        const rule = finding.slice('bounded-http/'.length, finding.indexOf('@'));
        const exception = TYPES_PROVE_BOUNDED.find((entry) => entry.rule === rule && sample.code.includes(entry.fragment));
        if (exception) usedExceptions.add(exception.fragment);
        else missed.push(`${sample.source}: ${finding} in ${sample.code}`);
      }
    }
    expect(reportedByRecommended).toBeGreaterThan(100);
    expect(missed).toEqual([]);
    // An exception nothing needs any more is a stale claim about what types prove.
    expect([...usedExceptions].sort()).toEqual(TYPES_PROVE_BOUNDED.map((entry) => entry.fragment).sort());
  }, 600_000);
});
