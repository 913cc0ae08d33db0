#!/usr/bin/env node
// `npm run demo`, section 1: the bounded-http CLI on the bundled example service, run for real:
// audit (findings by rule), fix --dry-run (the diff), then fix on a temporary copy and audit it again.
// Every line below the headings is the CLI's own output, or read from its JSON report; nothing here is canned.
//
// The story is that fix leaves the example clean: the second audit exits 0 with 0 findings, and only the
// documented exceptions (eslint-disable-next-line with a `--` reason) are left. If that stops being true, this
// script says so on stderr and exits 1, so `npm run demo` and test/demo-codemods.test.ts fail with it.
//
// Usage: node scripts/demo/codemods.mjs [folder]   (default examples/service; the test points it elsewhere to
// prove that the clean check can fail)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'codemods', 'dist', 'cli.js');
const example = process.argv[2] === undefined ? join(root, 'examples', 'service') : resolve(process.argv[2]);

const findings = (count) => (count === undefined ? 'an unknown number of findings (no report was written)' : `${count} finding${count === 1 ? '' : 's'}`);

function heading(text) {
  process.stdout.write(`\n--- ${text}\n`);
}

/** Runs the CLI, echoing the command as a user would type it, and returns its exit code. */
function bh(args, cwd) {
  const shown = args.map((arg) => (arg.startsWith(root) ? relative(root, arg) || '.' : arg));
  process.stdout.write(`$ bounded-http ${shown.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  process.stdout.write(`(exit code ${result.status ?? 'killed'})\n`);
  return result.status;
}

/** The text after `--` in the disable comment on the line above a suppressed site: the exception's stated reason. */
function exceptionReason(filePath, line) {
  const above = readFileSync(filePath, 'utf8').split('\n')[line - 2] ?? '';
  const reason = /eslint-disable-next-line\s+\S+\s+--\s+(.*)$/.exec(above)?.[1];
  return reason === undefined ? `(no \`--\` reason on the line above: ${above.trim() || 'empty'})` : reason.trim();
}

const failures = [];

if (!existsSync(cli)) {
  process.stderr.write(`${cli} is missing: run npm run build first.\n`);
  process.exit(1);
}

heading('audit: which calls in the example have no deadline (exit 1 = findings, the CI gate)');
const firstAudit = bh(['audit', '--quiet', example], root);
if (firstAudit !== 1) failures.push(`the first audit exited ${firstAudit ?? 'killed'}, expected 1 (the example has findings to fix)`);

heading('fix --dry-run: the change fix would make, as a unified diff; nothing is written');
const dryRun = bh(['fix', '--dry-run', '--quiet', '--allow-dirty', example], root);
if (dryRun !== 0) failures.push(`fix --dry-run exited ${dryRun ?? 'killed'}, expected 0`);

const scratch = mkdtempSync(join(tmpdir(), 'bounded-http-demo-'));
try {
  const copy = join(scratch, basename(example));
  const reportPath = join(scratch, 'audit-after-fix.json');
  cpSync(example, copy, { recursive: true });
  heading(`fix on a temporary copy (${copy}), then audit the copy again`);
  const fix = bh(['fix', '--quiet', '--allow-dirty', copy], scratch);
  if (fix !== 0) failures.push(`fix exited ${fix ?? 'killed'}, expected 0`);
  const secondAudit = bh(['audit', '--quiet', '--report', reportPath, copy], scratch);
  const report = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')) : undefined;
  const findingsAfterFix = report?.totals.findings;
  if (secondAudit !== 0 || findingsAfterFix !== 0) {
    failures.push(
      `the audit after fix exited ${secondAudit ?? 'killed'} with ${findings(findingsAfterFix)}, ` +
        'expected exit 0 and 0 findings: fix must leave the example clean apart from its documented exceptions',
    );
  }

  heading('result');
  process.stdout.write(`audit before fix: exit ${firstAudit}; audit after fix: exit ${secondAudit}, ${findings(findingsAfterFix)}\n`);
  const exceptions = (report?.files ?? []).flatMap((file) =>
    file.sites.filter((site) => site.action === 'suppressed').map((site) => ({ file, site })),
  );
  if (exceptions.length > 0) {
    process.stdout.write('left as they are, each under its eslint-disable comment (fix skips them, audit does not count them):\n');
    for (const { file, site } of exceptions) {
      const reason = exceptionReason(join(file.repo, file.path), site.location.line);
      process.stdout.write(`  ${file.path}:${site.location.line}  ${site.ruleId}  -- ${reason}\n`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  process.stderr.write(`\n${'!'.repeat(72)}\nDEMO FAILED: the codemods did not tell the story this demo promises.\n`);
  for (const failure of failures) process.stderr.write(`  - ${failure}\n`);
  process.stderr.write(`The CLI output above is the evidence.\n${'!'.repeat(72)}\n`);
  process.exitCode = 1;
}
