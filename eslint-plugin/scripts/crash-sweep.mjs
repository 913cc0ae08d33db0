#!/usr/bin/env node
// The crash sweep: every rule of the plugin (the `all` preset) over every .js/.mjs/.cjs/.ts file under the
// repository's node_modules. Real-world code is the cheapest fuzzer there is: a rule that throws on some
// syntax breaks the user's whole lint run, so the sweep fails on any rule exception. Files the parsers
// cannot read are skipped and counted; they say nothing about the rules.
//
//   npm run sweep:crash                 all node_modules folders of the repository, one worker per core
//   node eslint-plugin/scripts/crash-sweep.mjs --workers 1 some/dir
//
// Exit code: 0 with no crash, 1 with at least one (each printed with file, rule and stack), 2 on bad usage.
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sweptExtensions = new Set(['.js', '.mjs', '.cjs', '.ts']);

/**
 * Rules whose defaults do nothing get options that exercise their engine; every other rule runs as the
 * `all` preset configures it.
 */
const sweepRuleOptions = {
  'bounded-http/no-restricted-http-api': [
    'error',
    { module: 'http', name: 'request', message: 'sweep' },
    { module: 'undici', pattern: '.*', message: 'sweep' },
    { module: 'axios', name: 'defaults.timeout', message: 'sweep' },
    { global: 'fetch', message: 'sweep' },
    { global: 'process', pattern: 'env\\..*', message: 'sweep' },
    { module: 'fs', message: 'sweep' },
    { type: { from: 'package', package: 'undici', name: 'Dispatcher' }, name: 'request', message: 'sweep' },
  ],
};

/** Every swept file under `roots`, sorted so runs are comparable; symlinks (workspace links) are not followed. */
export function collectFiles(roots) {
  const files = [];
  const pending = [...roots];
  while (pending.length > 0) {
    const directory = pending.pop();
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const fullPath = path.join(directory, entry.name);
      if (entry.isDirectory()) pending.push(fullPath);
      else if (entry.isFile() && sweptExtensions.has(path.extname(entry.name))) files.push(fullPath);
    }
  }
  return files.sort();
}

/** The repository's node_modules folders: the root's and each workspace package's own. */
export function repositoryNodeModules() {
  const roots = [path.join(repoRoot, 'node_modules')];
  for (const entry of readdirSync(repoRoot, { withFileTypes: true })) {
    const candidate = path.join(repoRoot, entry.name, 'node_modules');
    if (entry.isDirectory() && entry.name !== 'node_modules' && existsAsRealDirectory(candidate)) roots.push(candidate);
  }
  return roots;
}

function existsAsRealDirectory(candidate) {
  try {
    return lstatSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function lintConfigs(extraConfigs) {
  const allRules = { ...boundedHttp.configs.all.rules, ...sweepRuleOptions };
  return [
    // ESLint ignores node_modules by default; here it is the whole point.
    { ignores: ['!**/node_modules/'] },
    // `eslint-disable` comments in packages must not switch our rules off, and their stale directives are noise.
    { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
    { files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    { files: ['**/*'], plugins: boundedHttp.configs.all.plugins, rules: allRules },
    ...extraConfigs,
  ];
}

/**
 * Lints `files` in this thread. A fatal message is a parse error (skipped); a thrown error is a rule crash.
 * `.js` files are tried as modules, then as scripts, since node_modules holds both.
 */
export function sweepInProcess(files, { extraConfigs = [] } = {}) {
  // Files are matched relative to the filesystem root, so any absolute path gets the sweep's config.
  const linter = new Linter({ cwd: path.parse(repoRoot).root });
  const configs = lintConfigs(extraConfigs);
  const scriptConfigs = [...configs, { files: ['**/*.js'], languageOptions: { sourceType: 'script' } }];
  const summary = { covered: 0, parseErrors: 0, unreadable: 0, crashes: [] };
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      summary.unreadable++;
      continue;
    }
    try {
      let messages = linter.verify(text, configs, { filename: file });
      if (messages.some((message) => message.fatal) && file.endsWith('.js')) {
        messages = linter.verify(text, scriptConfigs, { filename: file });
      }
      const unmatched = messages.find((message) => message.ruleId === null && message.message.startsWith('No matching configuration'));
      // Silently linting nothing would make a sweep pass vacuously.
      if (unmatched) throw new Error(`crash-sweep configuration does not apply to ${file}: ${unmatched.message}`);
      if (messages.some((message) => message.fatal)) summary.parseErrors++;
      else summary.covered++;
    } catch (error) {
      summary.crashes.push(describeCrash(file, error));
    }
  }
  return summary;
}

function describeCrash(file, error) {
  const err = error instanceof Error ? error : new Error(String(error));
  // ESLint appends `Rule: "<id>"` to the message of an exception thrown inside a rule.
  const ruleId = /Rule: "([^"]+)"/u.exec(err.message)?.[1] ?? (typeof err.ruleId === 'string' ? err.ruleId : 'unknown (thrown outside a rule)');
  return { file, ruleId, message: err.message, stack: err.stack ?? err.message };
}

/** Splits `files` round-robin over worker threads (big and small files from one package spread out). */
export async function sweepFiles(files, { workers = Math.max(1, availableParallelism()), onProgress } = {}) {
  if (workers <= 1) return sweepInProcess(files);
  const chunks = Array.from({ length: workers }, () => []);
  files.forEach((file, index) => chunks[index % workers].push(file));
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'crash-sweep-worker', files: chunk } });
          worker.on('message', (message) => {
            if (message.type === 'progress') onProgress?.(message.done);
            else if (message.type === 'summary') resolve(message.summary);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`crash-sweep worker exited with code ${code}`));
          });
        }),
    ),
  );
  return results.reduce(
    (total, part) => ({
      covered: total.covered + part.covered,
      parseErrors: total.parseErrors + part.parseErrors,
      unreadable: total.unreadable + part.unreadable,
      crashes: [...total.crashes, ...part.crashes],
    }),
    { covered: 0, parseErrors: 0, unreadable: 0, crashes: [] },
  );
}

function runWorker() {
  const { files } = workerData;
  const batchSize = 200;
  const total = { covered: 0, parseErrors: 0, unreadable: 0, crashes: [] };
  for (let start = 0; start < files.length; start += batchSize) {
    const part = sweepInProcess(files.slice(start, start + batchSize));
    total.covered += part.covered;
    total.parseErrors += part.parseErrors;
    total.unreadable += part.unreadable;
    total.crashes.push(...part.crashes);
    parentPort.postMessage({ type: 'progress', done: Math.min(batchSize, files.length - start) });
  }
  parentPort.postMessage({ type: 'summary', summary: total });
}

function parseArguments(argv) {
  const options = { workers: Math.max(1, availableParallelism()), roots: [] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--workers') {
      const value = Number(argv[++index]);
      if (!Number.isInteger(value) || value < 1) throw new UsageError(`--workers expects a whole number >= 1, got ${String(argv[index])}`);
      options.workers = value;
    } else if (argument === '--help' || argument === '-h') {
      throw new UsageError('', 0);
    } else if (argument.startsWith('-')) {
      throw new UsageError(`unknown option ${argument}`);
    } else {
      options.roots.push(path.resolve(argument));
    }
  }
  if (options.roots.length === 0) options.roots = repositoryNodeModules();
  return options;
}

class UsageError extends Error {
  constructor(message, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`crash-sweep: ${error.message}`);
    console.error('usage: node eslint-plugin/scripts/crash-sweep.mjs [--workers N] [directory ...]  (default: every node_modules of the repo)');
    process.exitCode = error.exitCode;
    return;
  }
  const files = collectFiles(options.roots);
  const startedAt = performance.now();
  let done = 0;
  let lastReport = 0;
  console.log(`crash-sweep: ${files.length} files under ${options.roots.map((root) => path.relative(repoRoot, root) || '.').join(', ')}; ${options.workers} worker(s)`);
  const summary = await sweepFiles(files, {
    workers: options.workers,
    onProgress: (count) => {
      done += count;
      if (done - lastReport >= 2000) {
        lastReport = done;
        console.log(`  ${done}/${files.length}`);
      }
    },
  });
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  for (const crash of summary.crashes) {
    console.error(`\nCRASH in rule ${crash.ruleId}\n  file: ${crash.file}\n${crash.stack}`);
  }
  console.log(
    `crash-sweep: ${files.length} files, ${summary.covered} covered, ${summary.parseErrors} skipped (parse errors), ` +
      `${summary.unreadable} unreadable, ${summary.crashes.length} crashes, ${seconds} s`,
  );
  if (summary.crashes.length > 0) process.exitCode = 1;
}

if (!isMainThread && workerData?.role === 'crash-sweep-worker') {
  runWorker();
} else if (isMainThread && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
