#!/usr/bin/env node
// The real-code corpus: the published sources of pinned npm packages (packages.json beside this file), code
// nobody on this project wrote. Benchmarks, sweeps and recall measurements read it; it is fetched with
// `npm pack` into a cache folder on first use and never committed.
//
//   node scripts/real-corpus/fetch.mjs            fetch what is missing, print one line per package
//   node scripts/real-corpus/fetch.mjs --list     also print every source file, one per line
//
// As a module: `await ensureRealCorpus()` returns `[{ spec, dir }]`, `realCorpusFiles(entries)` the source files.
// The cache is `.cache/real-corpus/` at the repository root (git-ignored), or BOUNDED_HTTP_CORPUS_CACHE.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the unpacked packages live, one folder per `name@version`. */
export const cacheDir = process.env.BOUNDED_HTTP_CORPUS_CACHE ?? path.join(repoRoot, '.cache', 'real-corpus');

/** The pinned `name@version` list. */
export function realCorpusSpecs() {
  return JSON.parse(readFileSync(path.join(here, 'packages.json'), 'utf8')).packages;
}

function folderOf(spec) {
  return path.join(cacheDir, spec.replace('/', '__'));
}

/** Downloads one package into the cache (atomically: unpacked beside, then renamed), retrying twice. */
async function fetchOne(spec) {
  const target = folderOf(spec);
  if (existsSync(path.join(target, 'package.json'))) return target;
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await run('npm', ['pack', spec, '--json', '--pack-destination', staging], { maxBuffer: 64 * 1024 * 1024 });
      const [{ filename }] = JSON.parse(stdout);
      await run('tar', ['-xzf', path.join(staging, filename), '-C', staging, '--strip-components', '1']);
      rmSync(path.join(staging, filename));
      rmSync(target, { recursive: true, force: true });
      renameSync(staging, target);
      return target;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(staging, { recursive: true, force: true });
        throw new Error(`real corpus: could not fetch ${spec} with npm pack: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** Makes sure every pinned package is unpacked in the cache; four downloads at a time. */
export async function ensureRealCorpus(specs = realCorpusSpecs()) {
  mkdirSync(cacheDir, { recursive: true });
  const entries = [];
  const pending = [...specs];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let spec = pending.shift(); spec; spec = pending.shift()) entries.push({ spec, dir: await fetchOne(spec) });
    }),
  );
  return entries.sort((a, b) => a.spec.localeCompare(b.spec));
}

const sourceExtensions = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx']);
/** Bundles and minified builds repeat the sources they were built from, and one line of them says nothing. */
const skippedFile = /\.d\.[cm]?ts$|\.min\.[cm]?js$|[.-](?:bundle|umd|browser)\.[cm]?js$/;
const skippedFolder = new Set(['node_modules', 'test', 'tests', '__tests__', 'example', 'examples', 'docs', 'umd', 'bundles']);
const maxFileBytes = 512 * 1024;

/** Every source file of the unpacked packages, sorted, without type declarations, bundles or tests. */
export function realCorpusFiles(entries) {
  const files = [];
  for (const { dir } of entries) {
    const pending = [dir];
    while (pending.length > 0) {
      const directory = pending.pop();
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const fullPath = path.join(directory, entry.name);
        if (entry.isDirectory()) {
          if (!skippedFolder.has(entry.name)) pending.push(fullPath);
        } else if (entry.isFile() && sourceExtensions.has(path.extname(entry.name)) && !skippedFile.test(entry.name) && statSync(fullPath).size <= maxFileBytes) {
          files.push(fullPath);
        }
      }
    }
  }
  return files.sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entries = await ensureRealCorpus();
  const files = realCorpusFiles(entries);
  for (const { spec, dir } of entries) console.log(`${spec}\t${path.relative(repoRoot, dir)}`);
  if (process.argv.includes('--list')) for (const file of files) console.log(file);
  console.log(`${entries.length} packages, ${files.length} source files in ${path.relative(repoRoot, cacheDir)}`);
}
