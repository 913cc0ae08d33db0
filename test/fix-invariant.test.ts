/**
 * The invariant of `bounded-http fix` (issue 11 item 3): after fix with `recommended`, the file is clean under
 * `recommended` and under `strict` for every site fix reported as fixed. Checked over every codemod fixture and
 * every sample of every rule test that fix rewrites, with one in-process linter (findSites keeps it) rather than
 * a process per sample.
 *
 * The check does not reuse fix's own mapping of findings to sites, which it would then only repeat. It counts:
 * - recommended: per rule, the output has no more unsuppressed findings than the input had sites fix did not fix
 *   (each fixed site is gone, and nothing new appeared; a site left may be gone too, when a fixed site's edit
 *   ended it: `{ timeout: 0 }` fixed for no-disabled-timeout ends no-unbounded-client's finding there);
 * - strict: the output has no more findings than the input had, less one for every fixed site strict reported
 *   at the same place (so a rewrite that strict reports, such as an idle-only timeout, fails it).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

import { findSites, type PresetName, type Site } from '../codemods/src/find-sites.js';
import { FixFileError, type FixOptions, fixFile } from '../codemods/src/fix-file.js';
import { discoverFixtures } from '../codemods/tests/support/fixture-pairs.js';
import { loadRuleSamples } from '../eslint-plugin/tests/support/rule-samples.js';

vi.mock('@typescript-eslint/rule-tester', async () => ({ RuleTester: (await import('../eslint-plugin/tests/support/rule-samples.js')).RecordingRuleTester }));

interface Case {
  name: string;
  filePath: string;
  text: string;
  options: FixOptions;
}

const recommended: FixOptions = { timeoutMs: 30_000, strict: false, allowAbortSignalAny: true };

function unsuppressed(text: string, filePath: string, preset: PresetName, options: FixOptions): Site[] {
  return findSites(text, filePath, { config: preset, opaqueOptions: options.opaqueOptions ?? 'ignore' }).filter((site) => !site.suppressed);
}

/** What breaks the invariant in one case, or undefined; `fixed` counts the sites fix reported fixed. */
function violation(testCase: Case): { problem?: string; fixed: number } {
  const { text, filePath, options } = testCase;
  let result: ReturnType<typeof fixFile>;
  try {
    result = fixFile(text, filePath, options);
  } catch (error) {
    // A sample that does not parse (a rule test of a parse-error path) has nothing to fix.
    if (error instanceof FixFileError) return { fixed: 0 };
    throw error;
  }
  const preset: PresetName = options.strict ? 'strict' : 'recommended';
  const sites = findSites(text, filePath, { config: preset, opaqueOptions: options.opaqueOptions ?? 'ignore' });
  const fixed = sites.filter((_site, index) => result.outcomes[index]?.action === 'fixed');
  if (fixed.length === 0) return { fixed: 0 };
  // Per rule, so that a fixed site still reported cannot hide behind a site left that the rewrite happened to end.
  const left = new Map<string, number>();
  for (const [index, site] of sites.entries()) if (!site.suppressed && result.outcomes[index]?.action !== 'fixed') left.set(site.ruleId, (left.get(site.ruleId) ?? 0) + 1);
  const after = unsuppressed(result.text, filePath, preset, options);
  for (const ruleId of new Set(after.map((site) => site.ruleId))) {
    const count = after.filter((site) => site.ruleId === ruleId).length;
    if (count > (left.get(ruleId) ?? 0)) {
      return { fixed: fixed.length, problem: `${preset}: ${count} ${ruleId} findings after fix, ${left.get(ruleId) ?? 0} such sites were left: ${after.map((site) => `${site.line}:${site.column} ${site.ruleId}`).join(', ')}` };
    }
  }
  const strictBefore = unsuppressed(text, filePath, 'strict', options);
  const strictAfter = unsuppressed(result.text, filePath, 'strict', options);
  const fixedStrictly = fixed.filter((site) => strictBefore.some((other) => other.ruleId === site.ruleId && other.range[0] === site.range[0] && other.range[1] === site.range[1])).length;
  if (strictAfter.length > strictBefore.length - fixedStrictly) {
    return { fixed: fixed.length, problem: `strict: ${strictAfter.length} findings after fix, at most ${strictBefore.length - fixedStrictly} allowed: ${strictAfter.map((site) => `${site.line}:${site.column} ${site.ruleId}`).join(', ')}` };
  }
  return { fixed: fixed.length };
}

function check(cases: readonly Case[]): { problems: string[]; withFixes: number } {
  const problems: string[] = [];
  let withFixes = 0;
  for (const testCase of cases) {
    const { problem, fixed } = violation(testCase);
    if (fixed > 0) withFixes += 1;
    if (problem !== undefined) problems.push(`${testCase.name}: ${problem}\n${testCase.text}`);
  }
  return { problems, withFixes };
}

// About 10 s of CPU for the samples; generous, so that a loaded two-core machine does not fail a correct run.
describe('after fix, no site reported fixed is still reported, under recommended or strict', { timeout: 240_000 }, () => {
  it('over every codemod fixture', () => {
    const cases = discoverFixtures().map((fixture) => ({ name: `${fixture.transform}/${fixture.name}`, filePath: fixture.filePath, text: fixture.input, options: fixture.options }));
    const { problems, withFixes } = check(cases);
    expect(problems).toEqual([]);
    // Not vacuous: most fixtures are rewritten.
    expect(withFixes).toBeGreaterThan(cases.length / 2);
  });

  it('over every rule test sample that fix rewrites', async () => {
    const samples = await loadRuleSamples();
    const root = path.join(tmpdir(), 'bounded-http-rule-samples');
    const cases = samples.map((sample, index) => {
      const extension = path.extname(sample.filename ?? '') || '.ts';
      return { name: `${sample.source} #${String(index)}`, filePath: path.join(root, `sample-${String(index)}${extension}`), text: sample.code, options: recommended };
    });
    const { problems, withFixes } = check(cases);
    expect(problems).toEqual([]);
    expect(withFixes).toBeGreaterThan(100);
  });
});
