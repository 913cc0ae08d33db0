#!/usr/bin/env node
// `npm run bench:codemod`: files per second for `bounded-http audit` and `bounded-http fix --dry-run`, with
// --jobs 1 against --jobs 2. A benchmark only: it prints figures and ratios and never fails on them. The goals
// are stated so that they carry across machines: `audit --jobs 1` within 1.3x of the printed parse floor of its
// engine, and a 2-job speed-up of at least 80% of the printed parallel ceiling of the machine (the older absolute
// goals, >= 500 files/s and >= 1.6x, are printed beside the figures).
//
// Two corpora:
// - the lint benchmark's generated corpus (the one the goals are stated on): a third of its files make
//   requests, far more than in most repositories;
// - the sources of the packages installed in this repository's node_modules, copied to a temporary folder:
//   real code, in which few files make requests.
// And one measure of the machine rather than of the tool: the parallel ceiling, two independent single-thread
// audits run at once on the two halves of the generated corpus, against one audit of the whole. No division of
// the work inside one process can beat what two separate processes get from the machine.
//
// And a size sweep: `fix --dry-run --jobs 1` on one generated file of 256 kB to 4 MB (85 sites per MB), with wall
// time, CPU time and peak RSS per size, and the growth exponent (the log-log slope: 1 is linear, 2 quadratic).
//
// Usage: node codemods/scripts/bench-codemod.mjs [--files 2000] [--seed 1] [--runs 3] [--corpus <folder>]
//                                                [--no-installed] [--no-ceiling] [--no-floor] [--no-sweep]
//                                                [--sweep-only] [--sweep-sizes 256,512,1024,2048,4096] [--no-engines]
//
// And the two audit engines side by side (`--engine eslint` against `--engine oxlint`, --jobs 2, interleaved) on the
// pinned real-code corpus (scripts/real-corpus, npm-packed into .cache on first use): files/s of each, the ratio of
// wall and CPU time (goal: oxlint >= 5x), and whether the two reports are identical (they must be).
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'codemods/dist/cli.js');
const generator = join(root, 'eslint-plugin/scripts/bench/generate-corpus.mjs');

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    corpus: { type: 'string' },
    'no-installed': { type: 'boolean', default: false },
    'no-ceiling': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    'no-sweep': { type: 'boolean', default: false },
    'sweep-only': { type: 'boolean', default: false },
    'sweep-sizes': { type: 'string', default: '256,512,1024,2048,4096' },
    'no-engines': { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));

if (!existsSync(cli)) {
  process.stderr.write(`bench:codemod: ${cli} is missing; run 'npm run build' first\n`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'bounded-http-bench-codemod-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** The source files of the installed packages (no declaration files, none over 200 kB), copied out of the repository, whose .gitignore would hide them. */
function copyInstalledSources(target) {
  const sourceExtensions = new Set(['.js', '.mjs', '.cjs', '.ts']);
  const nodeModules = join(root, 'node_modules');
  const pending = [nodeModules];
  let copied = 0;
  while (pending.length > 0) {
    const directory = pending.pop();
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = join(directory, entry.name);
      // Nested node_modules are skipped, as the CLI itself skips them; links are workspace packages.
      if (entry.isDirectory() && entry.name !== 'node_modules') pending.push(full);
      if (!entry.isFile() || !sourceExtensions.has(extname(entry.name)) || /\.d\.[cm]?ts$/u.test(entry.name)) continue;
      if (statSync(full).size > 200_000) continue;
      const destination = join(target, relative(nodeModules, full));
      mkdirSync(dirname(destination), { recursive: true });
      copyFileSync(full, destination);
      copied += 1;
    }
  }
  return copied;
}

/** Runs the CLI once on `paths`; resolves with wall seconds and the JSON report. */
function runCli(args, paths) {
  return new Promise((resolve, reject) => {
    const reportPath = join(scratch, `report-${process.hrtime.bigint()}.json`);
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args, '--quiet', '--report', reportPath, ...paths], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    // Bounded, like every loop here: a wedged CLI ends the benchmark instead of holding it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (status === null || status >= 2) {
        reject(new Error(`'bounded-http ${args.join(' ')}' failed (exit ${String(status)}): ${stderr.slice(-2000)}`));
        return;
      }
      const report = JSON.parse(readFileSync(reportPath, 'utf8'));
      rmSync(reportPath, { force: true });
      resolve({ seconds, report });
    });
  });
}

/** Best wall time of `runs` runs per configuration, the configurations interleaved so that a noisy minute hits them all alike. */
async function measure(configurations) {
  const best = new Map();
  for (let run = 0; run < runs; run += 1) {
    for (const configuration of configurations) {
      const { seconds, report } = await configuration.run();
      const previous = best.get(configuration.key);
      if (!previous || seconds < previous.seconds) best.set(configuration.key, { seconds, report });
    }
  }
  return best;
}

function line(label, jobs, { seconds, report }) {
  const { files, filesWithSites, findings, fixed } = report.totals;
  const perCpuSecond = files / (report.timing.cpuMs / 1000);
  const threads = report.timing.analysisThreads;
  return `${label.padEnd(14)} --jobs ${jobs}  ${(files / seconds).toFixed(0).padStart(6)} files/s  (${files} files in ${seconds.toFixed(2)} s; ${perCpuSecond.toFixed(0)} files per CPU-second; ${threads} parsing thread${threads === 1 ? '' : 's'}; ${filesWithSites} with sites, ${findings + fixed} ${label.startsWith('fix') ? 'fixes' : 'findings'})`;
}

const out = (text) => process.stdout.write(`${text}\n`);

/** Least-squares slope of log(y) against log(x): the exponent k of y ~ x^k. */
function growthExponent(points) {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  const covariance = xs.reduce((sum, x, index) => sum + (x - meanX) * ((ys[index] ?? 0) - meanY), 0);
  const variance = xs.reduce((sum, x) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}

/** `fix --dry-run --jobs 1` on one file: wall seconds, and the child's own CPU time and peak RSS (report-usage.mjs). */
function runFixOnFile(folder) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(root, 'codemods/scripts/report-usage.mjs')).href, cli, 'fix', '--dry-run', '--quiet', '--jobs', '1', folder], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let usage = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.stdio[3].on('data', (chunk) => {
      usage += String(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (status !== 0) {
        reject(new Error(`fix --dry-run on ${folder} failed (exit ${String(status)}): ${stderr.slice(-2000)}`));
        return;
      }
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, ...JSON.parse(usage), summary: stderr.trim().split('\n').find((line) => line.includes(' scanned, ')) ?? '' });
    });
  });
}

async function sizeSweep() {
  const { generateLargeFile } = await import(pathToFileURL(join(root, 'codemods/scripts/generate-large-file.mjs')).href);
  const sizes = values['sweep-sizes'].split(',').map((kilobytes) => Number(kilobytes));
  out(`size sweep: fix --dry-run --jobs 1 on one generated file, 85 sites per MB (load average ${loadavg().map((load) => load.toFixed(1)).join(' ')})`);
  out('     size   sites    wall s     CPU s   peak RSS MB  summary');
  const points = [];
  for (const kilobytes of sizes) {
    const folder = join(scratch, `sweep-${kilobytes}`);
    mkdirSync(folder, { recursive: true });
    const sites = Math.max(1, Math.round((85 * kilobytes) / 1024));
    writeFileSync(join(folder, 'large.ts'), generateLargeFile(kilobytes * 1024, sites));
    const result = await runFixOnFile(folder);
    points.push({ kilobytes, ...result });
    out(`${`${kilobytes} kB`.padStart(9)} ${String(sites).padStart(7)} ${result.seconds.toFixed(1).padStart(9)} ${(result.cpuMs / 1000).toFixed(1).padStart(9)} ${(result.maxRssKb / 1024).toFixed(0).padStart(13)}  ${result.summary.trim()}`);
    rmSync(folder, { recursive: true, force: true });
  }
  if (points.length >= 2) {
    // The fixed start-up cost (loading ESLint, the parser, ts-morph: about 1.5 s and 200 MB) flattens the small sizes;
    // the exponent over the two largest sizes shows the growth where the file dominates.
    const tail = points.slice(-2);
    const exponent = (select, list) => growthExponent(list.map((point) => [point.kilobytes, select(point)])).toFixed(2);
    out(
      `growth exponent (log-log slope; 1 = linear, 2 = quadratic): CPU ${exponent((point) => point.cpuMs, points)} over all sizes, ${exponent((point) => point.cpuMs, tail)} over the two largest; ` +
        `peak RSS ${exponent((point) => point.maxRssKb, points)}, ${exponent((point) => point.maxRssKb, tail)}`,
    );
  }
  out('');
}

if (!values['no-sweep']) await sizeSweep();
if (values['sweep-only']) process.exit(0);

// The generated corpus.
let corpusDir = values.corpus;
if (!corpusDir) {
  corpusDir = join(scratch, 'generated');
  const { generateCorpus } = await import(pathToFileURL(generator).href);
  await generateCorpus(corpusDir, { files: Number(values.files), seed: Number(values.seed) });
}
out(values.corpus ? `corpus: the existing folder ${values.corpus}` : `corpus: ${values.files} files, seed ${values.seed}, from eslint-plugin/scripts/bench/generate-corpus.mjs (the lint benchmark corpus)`);
out(
  `machine: ${availableParallelism()} cores, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}, node ${process.version}; best of ${runs} interleaved runs; ` +
    'wall-clock time of the whole CLI process, start-up included.',
);
out('');

const commands = [
  ['audit', ['audit', '--format', 'json']],
  ['fix --dry-run', ['fix', '--dry-run']],
];
const generated = await measure(commands.flatMap(([label, args]) => [1, 2].map((jobs) => ({ key: `${label}:${jobs}`, run: () => runCli([...args, '--jobs', String(jobs)], [corpusDir]) }))));
for (const [label] of commands) {
  const one = generated.get(`${label}:1`);
  const two = generated.get(`${label}:2`);
  out(line(label, 1, one));
  out(line(label, 2, two));
  out(`${label.padEnd(14)} speed-up with 2 jobs: ${(one.seconds / two.seconds).toFixed(2)}x (goal >= 1.6x)`);
  out('');
}

if (!values['no-ceiling'] && !values.corpus) {
  // The corpus generator writes src/area-NN folders: half of them for each process.
  const areas = readdirSync(join(corpusDir, 'src')).sort().map((name) => join(corpusDir, 'src', name));
  const halves = [areas.slice(0, Math.ceil(areas.length / 2)), areas.slice(Math.ceil(areas.length / 2))];
  let bestPair = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    await Promise.all(halves.map((half) => runCli(['audit', '--format', 'json', '--jobs', '1'], half)));
    bestPair = Math.min(bestPair, Number(process.hrtime.bigint() - started) / 1e9);
  }
  const whole = generated.get('audit:1').seconds;
  const ceiling = whole / bestPair;
  const achieved = whole / generated.get('audit:2').seconds;
  out(`parallel ceiling of this machine: ${ceiling.toFixed(2)}x (two independent 'audit --jobs 1' processes on the two halves at once: ${bestPair.toFixed(2)} s, against ${whole.toFixed(2)} s for one on the whole)`);
  // A share of the possible gain means something only when the machine allows a gain at all.
  if (ceiling > 1.05) out(`audit --jobs 2 gets ${((100 * (achieved - 1)) / (ceiling - 1)).toFixed(0)}% of the gain that ceiling allows`);
  else out('this machine gives no gain to a second process on this work, so no speed-up with 2 jobs can be expected here');
  // The goal in terms that carry across machines: the speed-up as a share of what this machine allows.
  out(`goal: audit 2-job speed-up / parallel ceiling: ${(achieved / ceiling).toFixed(2)} (goal >= 0.80)`);
  out('');
}

if (!values['no-floor']) {
  // Where the time of one audit goes, measured in this process on the generated corpus's candidate files: the
  // cost every tool that runs ESLint with the TypeScript parser pays, whatever it does around it.
  const loadStarted = performance.now();
  const [{ Linter }, { default: tsParser }, { default: boundedHttp }, { mayContainRequests }] = await Promise.all([
    import('eslint'),
    import('@typescript-eslint/parser'),
    import('eslint-plugin-bounded-http'),
    import('eslint-plugin-bounded-http/prefilter'),
  ]);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const allFiles = [];
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.[cm]?[jt]sx?$/u.test(entry.name)) allFiles.push(full);
    }
  };
  walk(corpusDir);
  const candidates = allFiles.map((file) => [file, readFileSync(file, 'utf8')]).filter(([, text]) => mayContainRequests(text));
  // `**/*` alone matches no file in flat config: a config object needs a pattern with an extension to apply.
  const parserOnly = [{ files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'], languageOptions: { parser: tsParser }, linterOptions: { reportUnusedDisableDirectives: 'off' } }];
  const withRules = [...parserOnly, boundedHttp.configs.recommended];
  const linter = new Linter({ configType: 'flat', cwd: corpusDir });
  const pass = (config) => {
    const started = performance.now();
    for (const [file, text] of candidates) {
      const fatal = linter.verify(text, config, { filename: file }).find((message) => message.ruleId === null);
      // A file that is not parsed would make the floor a fiction.
      if (fatal) throw new Error(`bench:codemod: ${file}: ${fatal.message}`);
    }
    return (performance.now() - started) / candidates.length;
  };
  const firstPass = pass(withRules);
  let steadyRules = Number.POSITIVE_INFINITY;
  let steadyParse = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run += 1) {
    steadyRules = Math.min(steadyRules, pass(withRules));
    steadyParse = Math.min(steadyParse, pass(parserOnly));
  }
  const bestCase = allFiles.length / (loadSeconds + (candidates.length * steadyParse) / 1000);
  out(
    `where the time goes (in this process, ${candidates.length} of ${allFiles.length} files pass the pre-filter): loading ESLint, the parser and the plugin ${loadSeconds.toFixed(2)} s; ` +
      `first pass ${firstPass.toFixed(2)} ms per candidate (JIT warm-up included); then ${steadyRules.toFixed(2)} ms with the recommended rules, ${steadyParse.toFixed(2)} ms parsing alone (no rule)`,
  );
  out(`parse floor: even with rules that cost nothing and no warm-up, one thread could audit this corpus at no more than ${bestCase.toFixed(0)} files/s on this machine`);
  // The throughput goal in terms that carry across machines: the CLI's time against the floor of its engine.
  const auditOne = generated.get('audit:1');
  out(`goal: audit --jobs 1 time / parse floor time: ${(auditOne.seconds / (allFiles.length / bestCase)).toFixed(2)} (goal <= 1.30)`);
  out('');
}

if (!values['no-installed']) {
  const installedDir = join(scratch, 'installed');
  const copied = copyInstalledSources(installedDir);
  out(`corpus: the sources of the packages installed in node_modules (${copied} .js/.mjs/.cjs/.ts files, no declarations, none over 200 kB)`);
  const installed = await measure([1, 2].map((jobs) => ({ key: `audit:${jobs}`, run: () => runCli(['audit', '--format', 'json', '--jobs', String(jobs)], [installedDir]) })));
  const one = installed.get('audit:1');
  const two = installed.get('audit:2');
  out(line('audit (installed packages)', 1, one).replace(/^audit \(installed packages\)\s*/u, 'audit (installed packages) '));
  out(line('audit (installed packages)', 2, two).replace(/^audit \(installed packages\)\s*/u, 'audit (installed packages) '));
  out(`audit (installed packages) speed-up with 2 jobs: ${(one.seconds / two.seconds).toFixed(2)}x`);
}

if (!values['no-engines'] && !values['sweep-only']) {
  const { ensureRealCorpus } = await import(pathToFileURL(join(root, 'scripts/real-corpus/fetch.mjs')).href);
  // The repository's .gitignore hides .cache from the CLI, as it would any ignored folder: audit a copy.
  const realDir = join(scratch, 'real-corpus');
  for (const { dir } of await ensureRealCorpus()) cpSync(dir, join(realDir, relative(dirname(dir), dir)), { recursive: true });
  const engines = await measure(['eslint', 'oxlint'].map((engine) => ({ key: engine, run: () => runCli(['audit', '--format', 'json', '--jobs', '2', '--engine', engine], [realDir]) })));
  const eslint = engines.get('eslint');
  const oxlint = engines.get('oxlint');
  const comparable = ({ report }) => JSON.stringify({ ...report, timing: undefined, options: { ...report.options, engine: undefined } });
  out(`corpus: the pinned real-code corpus (scripts/real-corpus/packages.json), ${eslint.report.totals.files} files`);
  out(line('audit eslint', 2, eslint));
  out(line('audit oxlint', 2, oxlint));
  // Wall time only: the report's CPU time is the CLI process's, and oxlint parses in a child process of its own.
  out(`goal: oxlint engine throughput / ESLint engine throughput: ${(eslint.seconds / oxlint.seconds).toFixed(2)}x wall (goal >= 5); reports ${comparable(eslint) === comparable(oxlint) ? 'identical' : 'DIFFERENT (a defect: they must be identical)'}`);
}
