#!/usr/bin/env node
// Recall and false positives of the presets on the labelled real-code corpus (tests/corpus/real/labels.json):
// call sites in the published sources of pinned npm packages, fetched by scripts/real-corpus/fetch.mjs into a
// git-ignored cache. Three runs: `recommended` (no types), `recommended-type-checked` and `strict` with a
// program per package and no dependencies installed (the cache holds the packages' own files only).
//
//   npm run build -w eslint-plugin && node eslint-plugin/scripts/real-corpus-recall.mjs
//
// A site counts as reported when any bounded-http rule reports on its line (`--sites` lists them, with the
// message). In strict, an idle-only site reported by no-idle-only-timeout is not a false positive. Labels are anchored by line and
// re-anchored by their snippet when a line moved (a re-packed version), within 40 lines.
import { ESLint } from 'eslint';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

import { ensureRealCorpus } from '../../scripts/real-corpus/fetch.mjs';
import plugin from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { sites } = JSON.parse(readFileSync(path.join(here, '../tests/corpus/real/labels.json'), 'utf8'));

const entries = await ensureRealCorpus([...new Set(sites.map((site) => site.package))]);
const dirOf = new Map(entries.map(({ spec, dir }) => [spec, dir]));

const normalize = (text) => text.trim().replace(/\s+/g, ' ');

/** The line a label points at today: its own, or the nearest one whose text starts with its snippet. */
function anchor(site) {
  const lines = readFileSync(path.join(dirOf.get(site.package), site.file), 'utf8').split('\n');
  const matches = (line) => normalize(lines[line - 1] ?? '').startsWith(site.snippet);
  if (matches(site.line)) return site.line;
  for (let distance = 1; distance <= 40; distance++) {
    if (matches(site.line - distance)) return site.line - distance;
    if (matches(site.line + distance)) return site.line + distance;
  }
  throw new Error(`real corpus: ${site.package} ${site.file}:${site.line} no longer reads "${site.snippet}"; relabel it`);
}

const anchored = sites.map((site) => ({ ...site, anchoredLine: anchor(site) }));

const configs = [
  { name: 'recommended', preset: plugin.configs.recommended, typed: false },
  { name: 'recommended-type-checked', preset: plugin.configs['recommended-type-checked'], typed: true },
  { name: 'strict (typed)', preset: plugin.configs.strict, typed: true },
];

/** A program per package over its labelled files: JS allowed, no types of dependencies (none are installed). */
function writeProject(dir, files) {
  const tsconfig = path.join(dir, 'tsconfig.bounded-http-recall.json');
  const compilerOptions = { allowJs: true, checkJs: false, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM'], types: [], skipLibCheck: true };
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files }, null, 2));
  return tsconfig;
}

const results = [];
for (const config of configs) {
  const reported = new Map();
  const started = performance.now();
  for (const [spec, dir] of dirOf) {
    const files = [...new Set(anchored.filter((site) => site.package === spec).map((site) => site.file))];
    const parserOptions = config.typed ? { project: writeProject(dir, files), tsconfigRootDir: dir } : {};
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      ignore: false,
      overrideConfig: [
        { files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx,jsx}'], languageOptions: { parser: tseslint.parser, parserOptions } },
        config.preset,
      ],
    });
    for (const result of await eslint.lintFiles(files)) {
      const file = path.relative(dir, result.filePath).replaceAll('\\', '/');
      for (const message of result.messages) {
        if (message.ruleId?.startsWith('bounded-http/')) reported.set(`${spec}\0${file}\0${message.line}`, `${message.ruleId}: ${message.message}`);
        else if (message.fatal) console.error(`${spec} ${file}: ${message.message}`);
      }
    }
  }
  const messageAt = (site) => reported.get(`${site.package}\0${site.file}\0${site.anchoredLine}`);
  const isReported = (site) => messageAt(site) !== undefined;
  results.push({ config: config.name, strict: config.preset === plugin.configs.strict, seconds: (performance.now() - started) / 1000, isReported, messageAt });
}

const percent = (part, whole) => (whole === 0 ? 'n/a' : `${Math.round((100 * part) / whole)}%`);
const byLabel = (label) => anchored.filter((site) => site.label === label);
console.log(`${anchored.length} labelled sites in ${dirOf.size} packages: ${byLabel('unbounded').length} unbounded, ${byLabel('bounded-locally').length} bounded locally, ${byLabel('bounded-elsewhere').length} bounded elsewhere\n`);
console.log('config                     | unbounded found | FP (bounded locally) | bounded elsewhere reported | time');
for (const { config, strict, seconds, isReported } of results) {
  const found = byLabel('unbounded').filter(isReported).length;
  // An idle timer is not a deadline: strict reporting one (no-idle-only-timeout) is what strict is for.
  const falsePositives = byLabel('bounded-locally').filter((site) => isReported(site) && !(strict && site.pattern === 'idle')).length;
  const elsewhere = byLabel('bounded-elsewhere').filter(isReported).length;
  console.log(
    `${config.padEnd(26)} | ${`${found}/${byLabel('unbounded').length} (${percent(found, byLabel('unbounded').length)})`.padEnd(15)} | ${`${falsePositives}/${byLabel('bounded-locally').length}`.padEnd(20)} | ${`${elsewhere}/${byLabel('bounded-elsewhere').length} (${percent(elsewhere, byLabel('bounded-elsewhere').length)})`.padEnd(26)} | ${seconds.toFixed(1)} s`,
  );
}
console.log('\nper pattern (reported / labelled), by label:');
const patterns = [...new Set(anchored.map((site) => `${site.label}\0${site.pattern}`))].sort();
console.log(`${'label / pattern'.padEnd(44)} | ${results.map(({ config }) => config.padEnd(24)).join(' | ')}`);
for (const key of patterns) {
  const [label, pattern] = key.split('\0');
  const group = anchored.filter((site) => site.label === label && site.pattern === pattern);
  console.log(`${`${label} / ${pattern}`.padEnd(44)} | ${results.map(({ isReported }) => `${group.filter(isReported).length}/${group.length}`.padEnd(24)).join(' | ')}`);
}
if (process.argv.includes('--sites')) {
  for (const site of anchored) {
    console.log(`${results.map(({ isReported }) => (isReported(site) ? 'R' : '.')).join('')} ${site.label.padEnd(17)} ${site.package} ${site.file}:${site.anchoredLine} ${site.snippet}`);
    for (const { config, messageAt } of results) if (messageAt(site)) console.log(`      ${config}: ${messageAt(site).slice(0, 200)}`);
  }
}
