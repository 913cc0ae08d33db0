#!/usr/bin/env node
// `npm run bench:codemod`: files per second for `bounded-http audit` and `bounded-http fix --dry-run` on the
// generated lint-benchmark corpus, with --jobs 1 against --jobs 2. A benchmark only: it prints figures and
// ratios (goals: >= 500 files/s, >= 1.6x with 2 jobs on 2 cores) and never fails on them.
//
// Usage: node codemods/scripts/bench-codemod.mjs [--files 2000] [--seed 1] [--runs 1] [--corpus <existing folder>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'codemods/dist/cli.js');
const sharedGenerator = join(root, 'eslint-plugin/scripts/bench/generate-corpus.mjs');

const { values } = parseArgs({ options: { files: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' }, runs: { type: 'string', default: '1' }, corpus: { type: 'string' } } });
const fileCount = Number(values.files);
const seed = Number(values.seed);
const runs = Math.max(1, Number(values.runs));

if (!existsSync(cli)) {
  process.stderr.write(`bench:codemod: ${cli} is missing; run 'npm run build' first\n`);
  process.exit(2);
}

/**
 * Fallback used only while the lint benchmark's generator is not on this branch: deterministic (a counter,
 * not Math.random), about a third of the files with a fetch/axios/http call, the rest ordinary code.
 */
function minimalCorpus(dir, { files, seed: corpusSeed }) {
  return import('node:fs').then(({ mkdirSync, writeFileSync }) => {
    for (let index = 0; index < files; index += 1) {
      const folder = join(dir, `module-${Math.floor(index / 100)}`);
      mkdirSync(folder, { recursive: true });
      const variant = (index * 7 + corpusSeed) % 9;
      const body =
        variant === 0
          ? `export async function load${index}(id: string) {\n  const response = await fetch(\`https://api.example.com/items/\${id}\`);\n  return response.json();\n}\n`
          : variant === 1
            ? `import axios from 'axios';\n\nexport async function sync${index}(id: string) {\n  return axios.get(\`https://api.example.com/items/\${id}\`);\n}\n`
            : variant === 2
              ? `import https from 'node:https';\n\nexport function ping${index}(url: string) {\n  return https.get(url, (response) => response.resume());\n}\n`
              : `export interface Item${index} { id: string; amountCents: number }\n\nexport function total${index}(items: readonly Item${index}[]): number {\n  let sum = 0;\n  for (const item of items) sum += item.amountCents;\n  return sum;\n}\n`;
      writeFileSync(join(folder, `file-${index}.ts`), body);
    }
  });
}

const corpusDir = values.corpus ?? mkdtempSync(join(tmpdir(), 'bounded-http-bench-codemod-'));
let generatorName;
if (values.corpus) {
  generatorName = `the existing folder ${values.corpus}`;
} else if (existsSync(sharedGenerator)) {
  const { generateCorpus } = await import(pathToFileURL(sharedGenerator).href);
  await generateCorpus(corpusDir, { files: fileCount, seed });
  generatorName = 'eslint-plugin/scripts/bench/generate-corpus.mjs (the lint benchmark corpus)';
} else {
  await minimalCorpus(corpusDir, { files: fileCount, seed });
  generatorName = 'the minimal fallback generator in this script (the lint benchmark generator is not on this branch)';
}

function timeRun(args) {
  let best = Number.POSITIVE_INFINITY;
  let bestCpuSeconds = Number.POSITIVE_INFINITY;
  let report;
  for (let run = 0; run < runs; run += 1) {
    const reportPath = join(corpusDir, '..', `${corpusDir.split('/').pop()}-report.json`);
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [cli, ...args, '--quiet', '--report', reportPath, corpusDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 30 * 60_000,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status === null || result.status >= 2) {
      process.stderr.write(`bench:codemod: '${args.join(' ')}' failed (exit ${String(result.status)}): ${result.stderr}\n`);
      process.exit(1);
    }
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
    rmSync(reportPath, { force: true });
    best = Math.min(best, seconds);
    bestCpuSeconds = Math.min(bestCpuSeconds, report.timing.cpuMs / 1000);
  }
  return { seconds: best, cpuSeconds: bestCpuSeconds, report };
}

process.stdout.write(values.corpus ? `corpus: ${generatorName}\n` : `corpus: ${fileCount} files, seed ${seed}, from ${generatorName}\n`);
process.stdout.write(`machine: ${availableParallelism()} cores, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}, node ${process.version}; best of ${runs} run(s); wall-clock time of the whole CLI process, start-up included.\nOn a loaded machine wall-clock figures understate; files per CPU-second (from the report's timing) is the load-independent one.\n\n`);

const rows = [];
for (const [label, args] of [
  ['audit', ['audit', '--format', 'json']],
  ['fix --dry-run', ['fix', '--dry-run']],
]) {
  const timings = {};
  for (const jobs of [1, 2]) {
    const { seconds, cpuSeconds, report } = timeRun([...args, '--jobs', String(jobs)]);
    const scanned = report.totals.files;
    timings[jobs] = seconds;
    rows.push(`${label.padEnd(14)} --jobs ${jobs}  ${(scanned / seconds).toFixed(0).padStart(6)} files/s  (${scanned} files in ${seconds.toFixed(2)} s; ${(scanned / cpuSeconds).toFixed(0)} files per CPU-second, all threads; ${report.totals.filesWithSites} with sites, ${report.totals.findings + report.totals.fixed} ${label === 'audit' ? 'findings' : 'fixes'})`);
    process.stdout.write(`${rows.at(-1)}\n`);
  }
  const ratio = timings[1] / timings[2];
  process.stdout.write(`${label.padEnd(14)} speed-up with 2 jobs: ${ratio.toFixed(2)}x (goal >= 1.6x)\n\n`);
}

if (!values.corpus) rmSync(corpusDir, { recursive: true, force: true });
