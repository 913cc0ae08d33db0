#!/usr/bin/env node
// Measures a held-out retrofit: `bounded-http fix` on real code nobody on this project wrote (the pinned packages of
// scripts/real-corpus), the way a user runs it on a repository. For each package it copies the package's source
// files (as `realCorpusFiles` selects them, plus its package.json, whose engines.node decides AbortSignal.any) into
// a temporary git repository with one commit (the corpus cache is git-ignored, and fix refuses a dirty work tree),
// then runs the built CLI there:
//
//   1. audit --format json                      (recommended): findings before
//   2. fix --report                             (recommended): fixed, and why each other site was left
//   3. audit --format json, and --config strict : what is left, and whether fix broke a file that parsed (strict
//                                                 also runs before fix, to tell its findings from fix's)
//   4. fix a second time                        : it must change nothing (git status after it)
//
// and prints, per package and in total: findings before, fixed, remaining (grouped by the reason fix gives for
// leaving each site), new parse errors (a file audit parsed before fix and cannot parse after), whether the second
// fix changed anything, and strict findings on lines fix wrote (from `git diff -U0` of the first fix), and of those
// the ones strict did not report before fix (a minified file is one line, which fix may write on).
//
//   npm run build && node scripts/measure/retrofit.mjs [--only axios@1.21.1,got@16.1.0] [--max-kb 4096]
//                                                      [--jobs 2] [--details retrofit.json] [--keep]
//
// --max-kb leaves out packages whose selected sources exceed it (the largest SDKs take minutes each on two cores);
// --details writes every remaining site and every strict finding on a written line (file:line, rule, reason);
// --keep leaves the temporary repositories in place and prints where they are.
//
// audit skips every `dist` folder, and many packages publish their code only there, so a `dist` segment of a
// copied path is renamed `dist.published`; nothing else about a file changes.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

import { ensureRealCorpus, realCorpusFiles } from '../real-corpus/fetch.mjs';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repoRoot, 'codemods', 'dist', 'cli.js');
const MAX_BUFFER = 512 * 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    'max-kb': { type: 'string' },
    jobs: { type: 'string', default: '2' },
    details: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

if (!existsSync(cli)) {
  console.error(`retrofit: ${path.relative(repoRoot, cli)} is missing; run \`npm run build\` first`);
  process.exit(2);
}

/** Runs a command; a non-zero exit is an outcome here (audit exits 1 on findings), not an error. */
async function runCommand(file, commandArgs, cwd) {
  try {
    const { stdout, stderr } = await run(file, commandArgs, { cwd, maxBuffer: MAX_BUFFER });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    return { code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
  }
}

const git = (cwd, ...gitArgs) => runCommand('git', ['-c', 'user.name=retrofit', '-c', 'user.email=retrofit@localhost', '-c', 'commit.gpgsign=false', ...gitArgs], cwd);

/** The CLI, failing loudly on a usage error or a crash (exit 2, or no report), which would make every figure wrong. */
async function bh(cwd, commandArgs, reportFile) {
  const result = await runCommand(process.execPath, [cli, ...commandArgs, '--quiet', '--jobs', args.jobs], cwd);
  const text = reportFile ? (existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '') : result.stdout;
  if (result.code === 2 || text === '') throw new Error(`bounded-http ${commandArgs.join(' ')} in ${cwd} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(text);
}

/** Copies a package's selected sources and its package.json into a new git repository with one commit. */
async function stageRepository(entry, workRoot) {
  const repo = path.join(workRoot, entry.spec.replace('/', '__'));
  mkdirSync(repo, { recursive: true });
  const files = realCorpusFiles([entry]);
  for (const file of [path.join(entry.dir, 'package.json'), ...files]) {
    const relative = path.relative(entry.dir, file).split(path.sep).map((segment) => (segment === 'dist' ? 'dist.published' : segment));
    const target = path.join(repo, ...relative);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  await git(repo, 'init', '-q');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', entry.spec);
  return { repo, files };
}

/** The new-side lines each file's diff touched: `{ 'src/a.js': [[12, 12], [40, 42]] }`. */
function changedLines(diff) {
  const lines = {};
  let current;
  for (const line of diff.split('\n')) {
    const file = /^\+\+\+ b\/(.*)$/u.exec(line);
    if (file) {
      current = file[1];
      lines[current] = [];
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/u.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (count > 0) lines[current].push([start, start + count - 1]);
    }
  }
  return lines;
}

const failedFiles = (report) => new Set(report.files.filter((file) => file.status === 'failed').map((file) => file.path));
const reportedSites = (report) => report.files.flatMap((file) => file.sites.filter((site) => site.action === 'reported').map((site) => ({ file: file.path, ...site })));

async function measure(entry, workRoot) {
  const { repo, files } = await stageRepository(entry, workRoot);
  const reports = path.join(workRoot, `${path.basename(repo)}.reports`);
  mkdirSync(reports, { recursive: true });
  const started = Date.now();
  const before = await bh(repo, ['audit', '--format', 'json', '.']);
  const strictBefore = await bh(repo, ['audit', '--format', 'json', '--config', 'strict', '.']);
  const firstFix = path.join(reports, 'fix-1.json');
  const fix = await bh(repo, ['fix', '--report', firstFix, '.'], firstFix);
  const written = changedLines((await git(repo, 'diff', '-U0', '--no-color')).stdout);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '--allow-empty', '-m', 'bounded-http fix');
  const after = await bh(repo, ['audit', '--format', 'json', '.']);
  const strict = await bh(repo, ['audit', '--format', 'json', '--config', 'strict', '.']);
  const secondFix = path.join(reports, 'fix-2.json');
  const again = await bh(repo, ['fix', '--report', secondFix, '.'], secondFix);
  const secondChanges = (await git(repo, 'status', '--porcelain')).stdout.split('\n').filter(Boolean);

  // Every site fix did not fix and no eslint-disable comment covers: what a human is left with.
  const left = fix.files.flatMap((file) =>
    file.sites.filter((site) => site.action !== 'fixed' && site.suppression === undefined).map((site) => ({ file: file.path, ...site })),
  );
  const parsedBefore = failedFiles(before);
  const newParseErrors = [...failedFiles(after)].filter((file) => !parsedBefore.has(file));
  const strictOnWritten = reportedSites(strict).filter((site) => {
    const last = site.location.endLine ?? site.location.line;
    return (written[site.file] ?? []).some(([start, end]) => site.location.line <= end && last >= start);
  });
  // A minified file is one line: a finding that was there before fix (same fingerprint: rule, code, occurrence; no
  // line) shares the written line without being about what fix wrote.
  const strictFingerprintsBefore = new Set(reportedSites(strictBefore).map((site) => `${site.file}\0${site.fingerprint}`));
  const strictNewOnWritten = strictOnWritten.filter((site) => !strictFingerprintsBefore.has(`${site.file}\0${site.fingerprint}`));
  return {
    spec: entry.spec,
    repo,
    files: files.length,
    seconds: Math.round((Date.now() - started) / 1000),
    before: before.totals.findings,
    fixed: fix.totals.fixed,
    remaining: fix.totals.remaining,
    remainingByAudit: after.totals.findings,
    left,
    newParseErrors,
    unparsedBefore: parsedBefore.size,
    secondFixChanged: secondChanges.length > 0 || again.totals.fixed > 0 ? `${secondChanges.length} files, ${again.totals.fixed} sites` : 'no',
    strictBefore: strictBefore.totals.findings,
    strictFindings: strict.totals.findings,
    strictOnWritten,
    strictNewOnWritten,
  };
}

function groupByReason(sites) {
  const groups = new Map();
  for (const site of sites) {
    const key = `${site.action}: ${site.reason}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].sort((a, b) => b[1] - a[1]);
}

const selectedSpecs = args.only?.split(',').map((spec) => spec.trim()).filter(Boolean);
let entries = await ensureRealCorpus();
if (selectedSpecs) entries = entries.filter((entry) => selectedSpecs.includes(entry.spec));
if (args['max-kb']) {
  const limit = Number(args['max-kb']) * 1024;
  entries = entries.filter((entry) => realCorpusFiles([entry]).reduce((sum, file) => sum + statSync(file).size, 0) <= limit);
}
const workRoot = mkdtempSync(path.join(os.tmpdir(), 'bounded-http-retrofit-'));
const results = [];
for (const entry of entries) {
  const result = await measure(entry, workRoot);
  results.push(result);
  console.log(
    `${result.spec.padEnd(32)} files ${String(result.files).padStart(5)}  before ${String(result.before).padStart(4)}  fixed ${String(result.fixed).padStart(4)}  remaining ${String(result.remaining).padStart(4)}` +
      ` (audit after: ${result.remainingByAudit})  new parse errors ${result.newParseErrors.length}  2nd fix changed: ${result.secondFixChanged}` +
      `  strict ${result.strictBefore} -> ${result.strictFindings}, on written lines ${result.strictOnWritten.length} (new ${result.strictNewOnWritten.length})  (${result.seconds} s)`,
  );
  for (const [reason, count] of groupByReason(result.left)) console.log(`    ${String(count).padStart(4)}  ${reason}`);
}

const sum = (key) => results.reduce((total, result) => total + (typeof result[key] === 'number' ? result[key] : result[key].length), 0);
const before = sum('before');
const fixed = sum('fixed');
console.log('');
console.log(`total: ${results.length} packages, ${sum('files')} files`);
console.log(`  findings before (recommended)   ${before}`);
console.log(`  fixed                           ${fixed} (${before === 0 ? 0 : Math.round((fixed / before) * 1000) / 10}%)`);
console.log(`  remaining (fix's count)         ${sum('remaining')} (audit after fix: ${sum('remainingByAudit')})`);
console.log(`  new parse errors after fix      ${sum('newParseErrors')} (files audit could not parse before: ${sum('unparsedBefore')})`);
console.log(`  second fix changed anything     ${results.filter((result) => result.secondFixChanged !== 'no').map((result) => `${result.spec} (${result.secondFixChanged})`).join(', ') || 'no'}`);
console.log(`  strict findings                 ${sum('strictBefore')} before fix, ${sum('strictFindings')} after`);
console.log(`  strict findings on lines fix wrote: ${sum('strictOnWritten')}, of them not there before fix: ${sum('strictNewOnWritten')}`);
console.log('  remaining, by the reason fix gives:');
for (const [reason, count] of groupByReason(results.flatMap((result) => result.left))) console.log(`    ${String(count).padStart(4)}  ${reason}`);

if (args.details) {
  const details = results.map(({ spec, left, newParseErrors, strictOnWritten, strictNewOnWritten }) => ({
    spec,
    left: left.map((site) => ({ at: `${site.file}:${site.location.line}`, ruleId: site.ruleId, action: site.action, reason: site.reason, transform: site.transform })),
    newParseErrors,
    strictOnWritten: strictOnWritten.map((site) => ({ at: `${site.file}:${site.location.line}`, ruleId: site.ruleId, reason: site.reason, new: strictNewOnWritten.includes(site) })),
  }));
  writeFileSync(args.details, `${JSON.stringify(details, null, 2)}\n`);
  console.log(`details: ${args.details}`);
}
if (args.keep) console.log(`repositories kept in ${workRoot}`);
else rmSync(workRoot, { recursive: true, force: true });
