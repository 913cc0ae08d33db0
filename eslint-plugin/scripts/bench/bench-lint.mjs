#!/usr/bin/env node
// The lint benchmark: what the plugin costs, per preset, on real code nobody on this project wrote (the pinned
// published sources of scripts/real-corpus/packages.json, fetched with `npm pack` into .cache/ on first use) and
// on the generated corpus. A benchmark only; nothing asserts a time.
//
//   npm run bench:lint
//   options: --corpus real|generated|both (default both)
//            --config recommended,strict,recommended-type-checked (default all three)
//            --files N   files per corpus (default 1000; the real corpus is sampled evenly from its sorted list)
//            --rounds N  A/B rounds per comparison (default 5)
//
// Each comparison is A = the baseline, B = the baseline plus the bounded-http preset, linted in this one process in
// alternating rounds (A B, then B A, ...), so drift in machine load and JIT state hits both sides alike. The figure
// is the per-round ratio B/A of process CPU time (user + system), which other processes on a shared machine
// disturb far less than wall-clock time: its median and range over the rounds. Every run starts after a full
// garbage collection, so neither side inherits the other's heap.
// Baselines: for `recommended` and `strict`, ESLint with @typescript-eslint/parser and no rules (what the plugin
// adds to parsing and traversal); for `recommended-type-checked`, typescript-eslint's own `recommended-type-checked`
// with a TypeScript program (what the plugin adds to a type-checked setup).
import { ESLint } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import tseslint from 'typescript-eslint';

import { ensureRealCorpus, realCorpusFiles } from '../../../scripts/real-corpus/fetch.mjs';
import { generateCorpus } from './generate-corpus.mjs';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const CONFIGS = ['recommended', 'strict', 'recommended-type-checked'];
/** The issue's goals, on the real corpus. */
const GOALS = { recommended: 1.08, 'recommended-type-checked': 1.1 };
const SOURCE_FILES = ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'];

class UsageError extends Error {}

function parseArguments(argv) {
  const options = { corpus: 'both', configs: CONFIGS, files: 1000, rounds: 5 };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = argv[++index];
    if (argument === '--corpus') {
      if (!['real', 'generated', 'both'].includes(value)) throw new UsageError(`--corpus expects real, generated or both, got ${String(value)}`);
      options.corpus = value;
    } else if (argument === '--config') {
      const configs = String(value).split(',');
      const unknown = configs.filter((config) => !CONFIGS.includes(config));
      if (value === undefined || unknown.length > 0) throw new UsageError(`--config expects a comma-separated list of ${CONFIGS.join(', ')}, got ${String(value)}`);
      options.configs = configs;
    } else if (argument === '--files' || argument === '--rounds') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) throw new UsageError(`${argument} expects a whole number >= 1, got ${String(value)}`);
      options[argument.slice(2)] = number;
    } else {
      throw new UsageError(`unknown argument ${argument}`);
    }
  }
  return options;
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `count` files spread evenly over the sorted list, so every package contributes in proportion to its size. */
function evenSample(files, count) {
  if (files.length <= count) return files;
  return Array.from({ length: count }, (_, index) => files[Math.floor((index * files.length) / count)]);
}

/**
 * One corpus: its files, a folder to lint from, and a tsconfig that puts every file in one program (the real
 * packages ship JavaScript, so `allowJs`; their dependencies are not installed, as in a repository without
 * `node_modules`, which costs the checker nothing it would not pay on a real one).
 */
function prepareCorpus(name, files, cwd) {
  const tsconfigDir = path.join(repoRoot, 'bench-out', `lint-${name}-program`);
  mkdirSync(tsconfigDir, { recursive: true });
  const tsconfigPath = path.join(tsconfigDir, 'tsconfig.json');
  writeFileSync(
    tsconfigPath,
    `${JSON.stringify({ compilerOptions: { allowJs: true, checkJs: false, noEmit: true, target: 'es2022', module: 'preserve', moduleResolution: 'bundler', skipLibCheck: true, strict: true, types: [] }, files }, null, 2)}\n`,
  );
  return { name, files, cwd, tsconfigPath };
}

async function loadCorpora(options) {
  const corpora = [];
  if (options.corpus !== 'generated') {
    const entries = await ensureRealCorpus();
    const all = realCorpusFiles(entries);
    const files = evenSample(all, options.files);
    const corpus = prepareCorpus('real', files, path.dirname(entries[0].dir));
    corpora.push({ ...corpus, label: `real: ${files.length} of ${all.length} source files of ${entries.length} pinned npm packages` });
  }
  if (options.corpus !== 'real') {
    const dir = path.join(repoRoot, 'bench-out', 'lint-corpus');
    const relative = generateCorpus(dir, { files: options.files, seed: 1 });
    const corpus = prepareCorpus('generated', relative.map((file) => path.join(dir, file)), dir);
    corpora.push({ ...corpus, label: `generated: ${relative.length} files (seed 1)` });
  }
  return corpora;
}

/** A = baseline, B = baseline + the preset. */
function configurationsFor(config, corpus) {
  const files = SOURCE_FILES;
  const preset = { ...boundedHttp.configs[config], files };
  if (config === 'recommended-type-checked') {
    const base = [
      ...tseslint.configs.recommendedTypeChecked.map((entry) => ({ ...entry, files })),
      { files, languageOptions: { parserOptions: { project: corpus.tsconfigPath, tsconfigRootDir: path.dirname(corpus.tsconfigPath) } } },
    ];
    return { base, withPlugin: [...base, preset], baseLabel: 'typescript-eslint recommended-type-checked' };
  }
  const base = [{ files, languageOptions: { parser: tseslint.parser } }];
  return { base, withPlugin: [...base, preset], baseLabel: '@typescript-eslint/parser, no rules' };
}

// `--expose-gc` set at run time applies to contexts created afterwards; a new context hands out `gc`.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

async function lintOnce(corpus, overrideConfig) {
  // Each run starts from a collected heap: otherwise one side pays for the garbage the other left, which on an idle
  // machine moved single-round ratios from 0.76 to 1.28 with the plugin's own rules costing a few percent.
  collectGarbage();
  const eslint = new ESLint({ cwd: corpus.cwd, overrideConfigFile: true, overrideConfig, cache: false, errorOnUnmatchedPattern: false });
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const results = await eslint.lintFiles(corpus.files);
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  let findings = 0;
  let fatal = 0;
  for (const result of results) {
    for (const message of result.messages) {
      if (message.fatal) fatal += 1;
      else if (message.ruleId?.startsWith('bounded-http/')) findings += 1;
    }
  }
  return { cpuMs: (cpu.user + cpu.system) / 1000, elapsedMs, findings, fatal, files: results.length };
}

/**
 * The plugin with a stopwatch on every rule's `create()` and on every listener it returns: the time the plugin's own
 * code runs, which a single round measures to the millisecond where A/B rounds on a shared machine wander by
 * tens of percent. It misses only what the plugin makes others pay (garbage collected later, in ESLint's time).
 */
function timedPlugin(plugin) {
  const clock = { ms: 0 };
  const timed = (fn) =>
    function (...args) {
      const start = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        clock.ms += performance.now() - start;
      }
    };
  const rules = Object.fromEntries(
    Object.entries(plugin.rules).map(([name, rule]) => [
      name,
      { ...rule, create: timed((context) => Object.fromEntries(Object.entries(rule.create(context)).map(([selector, listener]) => [selector, timed(listener)]))) },
    ]),
  );
  return { plugin: { ...plugin, rules }, clock };
}

/** One B run with the stopwatch: the plugin's own time against the run's CPU time. */
async function ownShare(corpus, config) {
  const { base } = configurationsFor(config, corpus);
  const { plugin, clock } = timedPlugin(boundedHttp);
  const preset = { ...boundedHttp.configs[config], files: SOURCE_FILES, plugins: { 'bounded-http': plugin } };
  const run = await lintOnce(corpus, [...base, preset]);
  return { ownMs: clock.ms, cpuMs: run.cpuMs };
}

/** Alternating A/B rounds after one warm-up of each side; returns the per-round CPU ratios B/A. */
async function compare(corpus, config, rounds) {
  const { base, withPlugin, baseLabel } = configurationsFor(config, corpus);
  await lintOnce(corpus, base);
  const warm = await lintOnce(corpus, withPlugin);
  const ratios = [];
  const walls = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    const runs = {};
    for (const side of order) runs[side] = await lintOnce(corpus, side === 'A' ? base : withPlugin);
    ratios.push(runs.B.cpuMs / runs.A.cpuMs);
    walls.push(runs.B.elapsedMs / runs.A.elapsedMs);
    console.log(
      `    round ${round + 1} (${order.join(' ')}): A ${runs.A.cpuMs.toFixed(0)} ms CPU, B ${runs.B.cpuMs.toFixed(0)} ms CPU, ratio ${ratios.at(-1).toFixed(3)} (wall ${walls.at(-1).toFixed(3)})`,
    );
  }
  return { ratios, walls, baseLabel, findings: warm.findings, fatal: warm.fatal, files: warm.files };
}

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench-lint: ${error.message}\nusage: npm run bench:lint -- [--corpus real|generated|both] [--config ${CONFIGS.join(',')}] [--files N] [--rounds N]`);
    process.exitCode = 2;
    return;
  }
  const corpora = await loadCorpora(options);
  console.log(`bench-lint: ${options.rounds} alternating A/B round(s) per comparison, CPU time; ${availableParallelism()} cores, load ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const summary = [];
  for (const corpus of corpora) {
    console.log(`\ncorpus ${corpus.label}`);
    for (const config of options.configs) {
      const { baseLabel } = configurationsFor(config, corpus);
      console.log(`  ${config}: A = ${baseLabel}; B = A + bounded-http ${config}`);
      const result = await compare(corpus, config, options.rounds);
      const own = await ownShare(corpus, config);
      console.log(`    the plugin's own code (create() and listeners, timed in one B run): ${own.ownMs.toFixed(0)} ms of ${own.cpuMs.toFixed(0)} ms CPU, ${((100 * own.ownMs) / own.cpuMs).toFixed(1)}%`);
      const goal = corpus.name === 'real' && GOALS[config] ? `  (goal <= ${GOALS[config].toFixed(2)})` : '';
      const line =
        `ratio ${corpus.name} ${config}: median ${median(result.ratios).toFixed(3)}, range ${Math.min(...result.ratios).toFixed(3)}-${Math.max(...result.ratios).toFixed(3)}` +
        ` (wall median ${median(result.walls).toFixed(3)}); plugin's own code ${((100 * own.ownMs) / own.cpuMs).toFixed(1)}% of B's CPU; ${result.findings} bounded-http findings in ${result.files} files${result.fatal > 0 ? `, ${result.fatal} files did not parse` : ''}${goal}`;
      console.log(`  ${line}`);
      summary.push(line);
    }
  }
  console.log(`\nsummary (load at the end ${loadavg().map((load) => load.toFixed(2)).join(' ')}):`);
  for (const line of summary) console.log(`  ${line}`);
}

await main();
