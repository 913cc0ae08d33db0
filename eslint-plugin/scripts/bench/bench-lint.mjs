#!/usr/bin/env node
// The lint benchmark: what the plugin costs on a realistic code base. A benchmark only; nothing asserts a
// time. It prints medians, the overhead ratio and the per-rule times ESLint measures (`stats: true`).
//
//   npm run bench:lint                               syntax-only: typescript-eslint `recommended` alone vs
//                                                    the same plus bounded-http `recommended` (goal <= 1.05)
//   npm run bench:lint -- --type-checked             typescript-eslint `recommended-type-checked` alone vs the
//                                                    same plus bounded-http `recommended-type-checked` (goal <= 1.10)
//   options: --files N (default 2000) --runs N (default 3) --seed N (default 1)
//
// The corpus is generated into bench-out/ (git-ignored) by generate-corpus.mjs, deterministically.
import { ESLint } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

import { generateCorpus } from './generate-corpus.mjs';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function parseArguments(argv) {
  const options = { files: 2000, runs: 3, seed: 1, typeChecked: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--type-checked') {
      options.typeChecked = true;
    } else if (argument === '--files' || argument === '--runs' || argument === '--seed') {
      const value = Number(argv[++index]);
      if (!Number.isInteger(value) || value < 1) throw new UsageError(`${argument} expects a whole number >= 1, got ${String(argv[index])}`);
      options[argument.slice(2)] = value;
    } else {
      throw new UsageError(`unknown argument ${argument}`);
    }
  }
  return options;
}

class UsageError extends Error {}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The two configurations compared: the same base, with and without this plugin's preset. */
function configurations(corpusDir, typeChecked) {
  const files = ['**/*.ts'];
  if (!typeChecked) {
    const base = tseslint.configs.recommended.map((config) => ({ ...config, files }));
    return { base, withPlugin: [...base, { ...boundedHttp.configs.recommended, files }], note: 'bounded-http recommended' };
  }
  const parserOptions = { projectService: { allowDefaultProject: [] }, tsconfigRootDir: corpusDir };
  const base = [...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files })), { files, languageOptions: { parserOptions } }];
  const typedPreset = boundedHttp.configs['recommended-type-checked'];
  const note = typedPreset
    ? 'bounded-http recommended-type-checked'
    : 'bounded-http recommended (the plugin has no `recommended-type-checked` config yet, so its syntax-only preset runs on top)';
  return { base, withPlugin: [...base, { ...(typedPreset ?? boundedHttp.configs.recommended), files }], note };
}

async function lintOnce(corpusDir, overrideConfig) {
  const eslint = new ESLint({ cwd: corpusDir, overrideConfigFile: true, overrideConfig, cache: false, stats: true });
  const startedAt = performance.now();
  const results = await eslint.lintFiles(['src']);
  const elapsedMs = performance.now() - startedAt;
  const ruleTimes = new Map();
  let problems = 0;
  for (const result of results) {
    problems += result.messages.length;
    for (const pass of result.stats?.times.passes ?? []) {
      for (const [ruleId, { total }] of Object.entries(pass.rules ?? {})) ruleTimes.set(ruleId, (ruleTimes.get(ruleId) ?? 0) + total);
    }
  }
  const pluginFindings = results.reduce((count, result) => count + result.messages.filter((message) => message.ruleId?.startsWith('bounded-http/')).length, 0);
  return { elapsedMs, ruleTimes, problems, pluginFindings, files: results.length };
}

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench-lint: ${error.message}\nusage: npm run bench:lint -- [--type-checked] [--files N] [--runs N] [--seed N]`);
    process.exitCode = 2;
    return;
  }
  const corpusDir = path.join(repoRoot, 'bench-out', options.typeChecked ? 'lint-corpus-typed' : 'lint-corpus');
  generateCorpus(corpusDir, { files: options.files, seed: options.seed });
  const { base, withPlugin, note } = configurations(corpusDir, options.typeChecked);
  console.log(`bench-lint: ${options.files} generated files (seed ${options.seed}) in ${path.relative(repoRoot, corpusDir)}, ${options.runs} run(s) each`);
  console.log(`  base: typescript-eslint ${options.typeChecked ? 'recommended-type-checked' : 'recommended'}; with: base + ${note}`);

  // Warm-up (module loading, JIT) is not the cost being measured.
  await lintOnce(corpusDir, base);
  const baseRuns = [];
  const pluginRuns = [];
  // Interleaved, so drift in machine load hits both sides alike.
  for (let run = 0; run < options.runs; run++) {
    baseRuns.push(await lintOnce(corpusDir, base));
    pluginRuns.push(await lintOnce(corpusDir, withPlugin));
    console.log(`  run ${run + 1}: base ${baseRuns.at(-1).elapsedMs.toFixed(0)} ms, with plugin ${pluginRuns.at(-1).elapsedMs.toFixed(0)} ms`);
  }
  const baseMedian = median(baseRuns.map((run) => run.elapsedMs));
  const pluginMedian = median(pluginRuns.map((run) => run.elapsedMs));
  const last = pluginRuns.at(-1);
  const pluginRuleMs = [...last.ruleTimes].filter(([ruleId]) => ruleId.startsWith('bounded-http/'));
  const allRuleMs = [...last.ruleTimes].reduce((sum, [, ms]) => sum + ms, 0);

  console.log(`\nmedian: base ${baseMedian.toFixed(0)} ms, with plugin ${pluginMedian.toFixed(0)} ms`);
  console.log(`overhead ratio (with / base): ${(pluginMedian / baseMedian).toFixed(3)}  (goal <= ${options.typeChecked ? '1.10' : '1.05'})`);
  console.log(`bounded-http findings on the corpus: ${last.pluginFindings} in ${last.files} files`);
  console.log('\nper-rule time in the last run with the plugin (ESLint stats, ms):');
  for (const [ruleId, ms] of pluginRuleMs.sort((left, right) => right[1] - left[1])) console.log(`  ${ruleId.padEnd(44)} ${ms.toFixed(1)}`);
  const pluginTotal = pluginRuleMs.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`  ${'bounded-http rules, total'.padEnd(44)} ${pluginTotal.toFixed(1)}  (${((100 * pluginTotal) / last.elapsedMs).toFixed(2)} % of the run; all rules ${allRuleMs.toFixed(0)} ms)`);
  const slowest = [...last.ruleTimes].filter(([ruleId]) => !ruleId.startsWith('bounded-http/')).sort((left, right) => right[1] - left[1]).slice(0, 5);
  console.log('slowest other rules:');
  for (const [ruleId, ms] of slowest) console.log(`  ${ruleId.padEnd(44)} ${ms.toFixed(1)}`);
}

await main();
