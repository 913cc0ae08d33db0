#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each printing its own detail, then one table of the
// headline figures, in a form that can be pasted into the README's performance section.
// A benchmark only: it never fails on a slow figure, only when a benchmark itself fails to run.
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs one benchmark with its output shown live, and returns that output for the summary. */
function runBench(title, script, args = []) {
  process.stdout.write(`\n=== ${title}\n$ node ${script} ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [join(root, script), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0) process.stdout.write(`(${title} exited with ${result.status ?? result.signal})\n`);
  return { output: result.stdout, ok: result.status === 0 };
}

/** The first capture group of `pattern` in `output`, or "n/a" when the benchmark did not print it. */
function figure(output, pattern) {
  return pattern.exec(output)?.[1] ?? 'n/a';
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const lint = runBench('lint overhead per preset, real and generated code', 'eslint-plugin/scripts/bench/bench-lint.mjs', ['--files', '400', '--rounds', '5']);
const codemod = runBench('codemod throughput', 'codemods/scripts/bench-codemod.mjs');
// The soak ends by running the stall-detection benchmark, so its output holds both.
const listener = runBench('listener soak and stall detection', 'scripts/bench/listener-soak.mjs');

const rows = [
  ...['real', 'generated'].flatMap((corpus) =>
    [
      ['recommended', 'ESLint with the parser and no rules', corpus === 'real' ? '<= 1.08' : '-'],
      ['strict', 'ESLint with the parser and no rules', '-'],
      ['recommended-type-checked', 'typescript-eslint `recommended-type-checked`', corpus === 'real' ? '<= 1.10' : '-'],
    ].map(([config, base, goal]) => [
      `lint, ${corpus} code: \`${config}\` over ${base} (CPU, median and range of A/B rounds)`,
      figure(lint.output, new RegExp(`^  ratio ${corpus} ${config}: median ([\\d.]+, range [\\d.]+-[\\d.]+)`, 'm')),
      goal,
    ]),
  ),
  ['codemod: `audit --jobs 1`, files/s', figure(codemod.output, /^audit\s+--jobs 1\s+(\d+) files\/s/m), '>= 500'],
  ['codemod: `audit` speed-up with 2 jobs', figure(codemod.output, /^audit\s+speed-up with 2 jobs: ([\d.]+x)/m), '>= 1.6x'],
  ['codemod: `fix --dry-run --jobs 1`, files/s', figure(codemod.output, /^fix --dry-run\s+--jobs 1\s+(\d+) files\/s/m), '>= 500'],
  ['codemod: `fix --dry-run` speed-up with 2 jobs', figure(codemod.output, /^fix --dry-run\s+speed-up with 2 jobs: ([\d.]+x)/m), '>= 1.6x'],
  ['codemod: parse floor, files/s (ESLint + TypeScript parser alone, one thread, no rule, no warm-up)', figure(codemod.output, /no more than (\d+) files\/s/), '-'],
  ['codemod: `audit --jobs 1` time / parse floor time (ESLint engine)', figure(codemod.output, /^goal: audit --jobs 1 time \/ parse floor time: ([\d.]+)/m), '<= 1.30'],
  ['codemod: `audit` 2-job speed-up / parallel ceiling', figure(codemod.output, /^goal: audit 2-job speed-up \/ parallel ceiling: ([\d.]+)/m), '>= 0.80'],
  ['codemod: parallel ceiling of the machine (2 independent processes on the 2 halves)', figure(codemod.output, /^parallel ceiling of this machine: ([\d.]+x)/m), '-'],
  ['codemod: `audit --jobs 1` on the installed packages\' sources, files/s', figure(codemod.output, /^audit \(installed packages\) --jobs 1\s+(\d+) files\/s/m), '-'],
  ['codemod: `audit --jobs 2` on the installed packages\' sources, files/s', figure(codemod.output, /^audit \(installed packages\) --jobs 2\s+(\d+) files\/s/m), '-'],
  ['listener: stall detection, median (time to deadline error / deadline)', figure(listener.output, /median ([\d.]+), max/), '<= 1.1'],
  ['listener: stall detection, max', figure(listener.output, /median [\d.]+, max ([\d.]+)/), '-'],
  ['listener soak: jobs lost', figure(listener.output, /jobs lost:\s+(\d+)/), '0'],
  ['listener soak: jobs duplicated', figure(listener.output, /jobs duplicated:\s*(\d+)/), '0'],
  ['listener soak: throughput, jobs/s', figure(listener.output, /throughput:\s+(\d+) jobs\/s/), '-'],
  ['listener soak: RSS start / end', figure(listener.output, /RSS:\s+(\d+ MB at start, \d+ MB at end)/), '-'],
];

const date = new Date().toISOString().slice(0, 10);
process.stdout.write(
  `\n## Performance (measured ${date}; ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ` +
    `load average at the end ${loadavg()[0].toFixed(1)})\n\n| Measure | Figure | Goal |\n| --- | --- | --- |\n` +
    rows.map(([measure, value, goal]) => `| ${measure} | ${value} | ${goal} |`).join('\n') +
    '\n',
);
process.exit([lint, codemod, listener].every((bench) => bench.ok) ? 0 : 1);
