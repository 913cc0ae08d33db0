import { parseNodeRange } from 'eslint-plugin-bounded-http/node-target';
import { parseArgs } from 'node:util';

import { commonOptions, parseChoice, parseCommandLine, parseJobs, parseOpaqueOptions, parseTargetFlags, parseTimeoutMs, resolvePaths, targetOptions, withOptionalConfigValue } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import type { FixOptions } from '../fix-file.js';
import { formatFixText, shouldColour } from '../formats/text.js';
import { dirtyWorkTreeReason } from '../git-guard.js';
import type { FileTask } from '../file-job.js';
import { groupByRepo } from '../repo-root.js';
import { ImportSpecError, parseImportSpec } from '../import-spec.js';
import { buildReport, leftUnprocessed, recordFilePath, runOnFiles } from '../run.js';
import { selectionFor, targetReportOptions } from '../select-files.js';
import { UsageError } from '../usage-error.js';
import { defaultJobs } from '../workers.js';
import { writeOutcome } from '../write-outcome.js';
import { writeReportFile } from '../write-report.js';

const fixHelp = (transformNames: readonly string[]): string => `Usage: bounded-http fix [options] [paths...]

Adds a deadline to every outbound HTTP call that the eslint-plugin-bounded-http rules report, in
every JS/TS file under each path (default: .), honouring .gitignore. Only the reported sites are
rewritten; quotes, semicolons, indentation, EOL and BOM are kept. Sites covered by an eslint-disable
comment for the rule (the documented long-poll exception) are skipped and counted. Writes are
atomic, and a file whose new text would not parse is never written. A second run changes nothing.

Options:
  --dry-run                  print a unified diff of every change and write nothing (the diff goes
                             to stdout, the summary to stderr)
  --check                    exit 1 when unbounded calls remain after fixing (for CI)
  --allow-dirty              write even when the git work tree has uncommitted changes, or the path
                             is not in a git repository
  --timeout-ms <ms>          the deadline to insert (default: 30000)
  --timeout-expr <expr>      insert this expression instead of a number, e.g. HTTP_TIMEOUT_MS
  --timeout-import <import>  with --timeout-expr: the import it needs, e.g.
                             "HTTP_TIMEOUT_MS from './config.js'"
  --client <import>          rewrite fetch-family calls to the repo's own bounded client instead of
                             inlining a signal, e.g. "boundedFetch from ./src/lib/http.js"
  --transforms <a,b>         run only these transforms (${transformNames.join(', ') || 'see the transforms docs'})
  --config <name>            rule set to fix for: recommended (default) or strict (also fix what
                             the strict config reports, e.g. idle-only timeouts and signals that
                             nothing aborts on a timer), as on audit
  --strict                   the same as --config strict
  --node-version <range>     the Node versions the code runs on; decides whether AbortSignal.any may
                             be used (default: engines.node of the nearest package.json that states
                             it, up to the workspace or repository root)
  --opaque-options <mode>    ignore (default, as the presets) or report: also bound calls whose
                             options the rules cannot read without types, e.g. fetch(url, init)
                             becomes fetch(url, { ...init, signal }), keeping init's own signal
                             through AbortSignal.any (needs --node-version / engines.node within
                             ^22.16 || >=24, where a garbage collection cannot lose the deadline)
  --ignore-pattern <glob>    leave out files matching <glob> (repeatable), in ESLint's flat-config
                             syntax, relative to the current folder, as on audit
  --eslint-config [file]     fix what the target's own flat config reports: its files/ignores and
                             its options for the bounded-http rules (default file: each repository's
                             eslint.config.*); replaces --config and --opaque-options
  --type-aware               find the sites with types, through the target's tsconfig.json, as on
                             audit (the rewrite is checked again without types)
  --report <file>            write the JSON report (schema: report.schema.json) to <file>
  -j, --jobs <n>             most threads that parse, one per 250 candidate files
                             (default: min(cores, 4) = ${defaultJobs()})
  -q, --quiet                no progress display
  -h, --help                 show this help

Exit codes:
  0  done
  1  with --check: unbounded calls remain that could not be fixed
  2  usage error, or a dirty work tree without --allow-dirty (nothing was written)
  3  some files could not be read, fixed or written (each error names the file; those files are
     left unchanged, the others were fixed)

Examples:
  bounded-http fix --dry-run src
  bounded-http fix --config strict --dry-run src
  bounded-http fix --timeout-expr HTTP_TIMEOUT_MS --timeout-import "HTTP_TIMEOUT_MS from './config.js'"
  bounded-http fix --client "boundedFetch from ./src/lib/http.js" --check --report fix-report.json
`;

const fixOptions = {
  ...commonOptions,
  ...targetOptions,
  'dry-run': { type: 'boolean' },
  check: { type: 'boolean' },
  'allow-dirty': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  'timeout-expr': { type: 'string' },
  'timeout-import': { type: 'string' },
  client: { type: 'string' },
  transforms: { type: 'string' },
  config: { type: 'string' },
  strict: { type: 'boolean' },
  'node-version': { type: 'string' },
} as const;

/** `--timeout-import` and `--client`, checked by the one parser fixFile uses too. */
function checkImportSpec(flag: string, value: string): string {
  try {
    parseImportSpec(flag, value);
  } catch (error) {
    if (error instanceof ImportSpecError) throw new UsageError(error.message, `for example: ${flag} "${error.example}"`);
    throw error;
  }
  return value.trim();
}

/** The transforms module loads ts-morph and the TypeScript compiler, so it is imported only when needed. */
async function loadTransformNames(): Promise<readonly string[]> {
  return (await import('../fix-file.js')).transformNames;
}

function parseTransforms(value: string, transformNames: readonly string[]): string[] {
  const requested = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = requested.filter((name) => !transformNames.includes(name));
  if (requested.length === 0 || unknown.length > 0) {
    throw new UsageError(`unknown transform${unknown.length === 1 ? '' : 's'} in --transforms: '${unknown.join(', ') || value}'`, `choose from: ${transformNames.join(', ')}`);
  }
  return requested;
}

export async function runFix(given: string[]): Promise<ExitCode> {
  const args = withOptionalConfigValue(given);
  const { values, positionals } = parseCommandLine('fix', args, () =>
    parseArgs({ args, options: fixOptions, allowPositionals: true, strict: true }),
    fixOptions,
  );
  if (values.help) {
    process.stdout.write(fixHelp(await loadTransformNames()));
    return ExitCode.ok;
  }
  if (values['timeout-ms'] !== undefined && values['timeout-expr'] !== undefined) {
    throw new UsageError('--timeout-ms and --timeout-expr both set the deadline', 'pass only one of them');
  }
  if (values['timeout-import'] !== undefined && values['timeout-expr'] === undefined) {
    throw new UsageError('--timeout-import only makes sense with --timeout-expr', 'add --timeout-expr NAME, the expression that uses the import');
  }
  const target = parseTargetFlags(values);
  if (target.eslintConfig !== undefined && (values.config !== undefined || values.strict !== undefined || values['opaque-options'] !== undefined)) {
    throw new UsageError("--eslint-config takes the rules and their options from the target's config, so --config, --strict and --opaque-options have nothing to choose", 'set the rules in eslint.config.*, or leave --eslint-config out');
  }
  // One spelling of the preset on both commands: --config, as on audit; --strict stays as its alias.
  const config = parseChoice('--config', values.config ?? (values.strict ? 'strict' : 'recommended'), ['recommended', 'strict']);
  if (values.strict && config !== 'strict') throw new UsageError('--strict and --config recommended disagree', 'pass only one of them');
  const options: Omit<FixOptions, 'allowAbortSignalAny'> = {
    timeoutMs: parseTimeoutMs(values['timeout-ms']),
    strict: config === 'strict',
    opaqueOptions: parseOpaqueOptions(values['opaque-options']),
    // Relative --client and --timeout-import paths are written as the user typed them: from the cwd.
    rootDir: process.cwd(),
  };
  if (values['timeout-expr'] !== undefined) {
    if (values['timeout-expr'].trim() === '') throw new UsageError('--timeout-expr is empty', 'for example: --timeout-expr HTTP_TIMEOUT_MS');
    options.timeoutExpr = values['timeout-expr'];
  }
  if (values['timeout-import'] !== undefined) {
    options.timeoutImport = checkImportSpec('--timeout-import', values['timeout-import']);
  }
  if (values.client !== undefined) options.client = checkImportSpec('--client', values.client);
  if (values.transforms !== undefined) options.transforms = parseTransforms(values.transforms, await loadTransformNames());
  let nodeVersion: string | undefined;
  if (values['node-version'] !== undefined) {
    nodeVersion = parseNodeRange(values['node-version']);
    if (nodeVersion === undefined) throw new UsageError(`--node-version must be a version or range, got '${values['node-version']}'`, 'for example: --node-version 20.11 or --node-version ">=18"');
  }
  const jobs = parseJobs(values.jobs, defaultJobs);
  const dryRun = values['dry-run'] ?? false;
  const paths = resolvePaths('fix', positionals);

  // Refuse before reading anything: a fix must be reviewable and revertable with git.
  if (!dryRun && !values['allow-dirty']) {
    const groups = groupByRepo(paths);
    const reasons = groups.flatMap((group) => dirtyWorkTreeReason(group) ?? []);
    if (reasons.length > 0) {
      // Outside git there is nothing to commit or stash: say how to get a reviewable change instead.
      const hint = groups.some((group) => !group.isGitRepo)
        ? 'run fix inside a git repository (git init && git add -A && git commit -m baseline) so that the change can be reviewed and reverted, or pass --allow-dirty (or preview with --dry-run)'
        : 'commit or stash your changes first, or pass --allow-dirty (or preview with --dry-run)';
      throw new UsageError(`refusing to write: ${reasons.join('; ')}`, hint);
    }
  }

  const task: FileTask = { command: 'fix', fixOptions: options, dryRun, ...(nodeVersion === undefined ? {} : { nodeVersion }), ...(target.typeAware ? { typeAware: true } : {}) };
  const diffs = new Map<string, string>();
  const result = await runOnFiles({
    command: 'fix',
    paths,
    task,
    jobs,
    quiet: values.quiet ?? false,
    ...(await selectionFor(target)),
    onOutcome: (outcome) => {
      if (outcome.diff !== undefined) diffs.set(recordFilePath(outcome.record), outcome.diff);
      writeOutcome(outcome);
    },
  });

  const remaining = result.records.reduce((sum, record) => sum + (record.remaining ?? 0), 0);
  let exitCode: ExitCode = leftUnprocessed(result.records) ? ExitCode.partialFailure : values.check && remaining > 0 ? ExitCode.findings : ExitCode.ok;
  const reportOptions = {
    ...options,
    dryRun,
    check: values.check ?? false,
    jobs,
    ...targetReportOptions(target),
    ...(nodeVersion === undefined ? {} : { nodeVersion }),
  };
  const report = buildReport({ command: 'fix', dryRun, options: reportOptions, result, exitCode });
  if (values.report !== undefined && !writeReportFile('fix', values.report, report)) exitCode = ExitCode.partialFailure;

  if (dryRun) {
    for (const record of result.records) {
      const diff = diffs.get(recordFilePath(record));
      if (diff !== undefined) process.stdout.write(diff);
    }
  }
  // Under --dry-run stdout carries only the patch, so that it can be piped to `git apply`.
  const summaryStream = dryRun ? process.stderr : process.stdout;
  summaryStream.write(formatFixText(report, { colour: shouldColour(summaryStream) }));
  return exitCode;
}
