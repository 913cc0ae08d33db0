import { parseArgs } from 'node:util';

import { applyBaseline, baselineOf, formatBaseline, readBaseline } from '../baseline.js';
import { type TargetFlags, commonOptions, parseChoice, parseCommandLine, parseJobs, parseOpaqueOptions, parseTargetFlags, resolvePaths, targetOptions, withOptionalConfigValue } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import type { RuleConfig } from '../file-job.js';
import { formatJson } from '../formats/json.js';
import { formatAuditText, shouldColour } from '../formats/text.js';
import { buildReport, leftUnprocessed, runOnFiles } from '../run.js';
import { selectionFor, targetReportOptions } from '../select-files.js';
import { describeError, UsageError } from '../usage-error.js';
import { writeFileAtomic } from '../write-atomic.js';
import { defaultJobs } from '../workers.js';
import { writeReportFile } from '../write-report.js';

const auditHelp = `Usage: bounded-http audit [options] [paths...]

Finds outbound HTTP calls without a deadline in every JS/TS file under each path (default: .),
honouring .gitignore and skipping node_modules and dist. Runs the eslint-plugin-bounded-http rules
in-process with the TypeScript parser: no ESLint config is needed in the target. Prints one
summary per git repository, by rule and by client family.

Options:
  --config <name>     rule set: recommended (default) or strict (adds no-idle-only-timeout and
                      requires signals that carry a deadline)
  --opaque-options <mode>
                      ignore (default, as the presets) or report: also report calls whose
                      options the rules cannot read without types, e.g. fetch(url, init)
  --ignore-pattern <glob>
                      leave out files matching <glob> (repeatable), in ESLint's flat-config
                      syntax, relative to the current folder: "**/*.test.ts", "fixtures/"
  --eslint-config [file]
                      lint as the target's own flat config does: its files/ignores and its
                      options for the bounded-http rules, so this gate and the lint gate report
                      the same set (default file: each repository's eslint.config.*, looked up
                      as ESLint does); replaces --config and --opaque-options
  --type-aware        read types through the target's tsconfig.json (typescript-eslint's project
                      service), as recommended-type-checked does: calls whose options come from
                      typed helpers are checked too; slower, and every file is parsed
  --engine <engine>   eslint (default), oxlint (the same rules hosted by oxlint, several times
                      faster on large trees; needs oxlint installed) or auto (oxlint when it is
                      installed and no flag needs ESLint); both engines give the same report
  --format <format>   text (default), json (the report schema), or sarif (SARIF 2.1.0 for GitHub
                      code scanning)
  --report <file>     also write the JSON report to <file>
  --baseline <file>   fail only on findings <file> does not hold (a bounded-http baseline, or
                      ESLint's eslint-suppressions.json); the others are listed as baselined
  --update-baseline   write this run's findings to the --baseline file and exit 0 (the ratchet:
                      run it when findings were fixed, review the diff, commit it)
  --sarif-category <id>
                      with --format sarif: set the run's automationDetails.id to <id>/;
                      leave it out when upload-sarif's category input names the run
  -j, --jobs <n>      most threads that parse, one per 250 candidate files
                      (default: min(cores, 4) = ${defaultJobs()})
  -q, --quiet         no progress display
  -h, --help          show this help

Exit codes:
  0  no findings
  1  findings (unbounded calls not covered by an eslint-disable comment, nor by --baseline)
  2  usage error (nothing was scanned)
  3  some files could not be read or parsed (the others were scanned; see the errors)

Examples:
  bounded-http audit
  bounded-http audit --format sarif > bounded-http.sarif
  bounded-http audit ../service-a ../service-b --config strict
  bounded-http audit --opaque-options report src
  bounded-http audit --eslint-config --ignore-pattern "scripts/**"
  bounded-http audit --type-aware
  bounded-http audit --baseline bounded-http-baseline.json --update-baseline
  bounded-http audit --baseline bounded-http-baseline.json
`;

const auditOptions = {
  ...commonOptions,
  ...targetOptions,
  config: { type: 'string' },
  format: { type: 'string' },
  engine: { type: 'string' },
  baseline: { type: 'string' },
  'update-baseline': { type: 'boolean' },
  'sarif-category': { type: 'string' },
} as const;

/**
 * `--engine`: oxlint hosts the same rules without type information and reads no ESLint config, so it is
 * refused next to `--type-aware` and `--eslint-config`, and `auto` picks ESLint there.
 */
async function chooseEngine(asked: 'eslint' | 'oxlint' | 'auto', target: TargetFlags): Promise<'eslint' | 'oxlint'> {
  const needsEslint = target.typeAware ? '--type-aware' : target.eslintConfig !== undefined ? '--eslint-config' : undefined;
  if (asked === 'eslint') return 'eslint';
  if (needsEslint !== undefined) {
    if (asked === 'auto') return 'eslint';
    throw new UsageError(`--engine oxlint cannot run with ${needsEslint}: oxlint gives the rules no type information and reads no ESLint config`, `use --engine eslint (or auto) with ${needsEslint}`);
  }
  const { resolveOxlint } = await import('../oxlint/engine.js');
  if (resolveOxlint(process.cwd()) !== undefined) return 'oxlint';
  if (asked === 'auto') return 'eslint';
  throw new UsageError('--engine oxlint needs oxlint, which is not installed', 'npm install --save-dev oxlint, or use --engine eslint (or auto)');
}

export async function runAudit(given: string[]): Promise<ExitCode> {
  const args = withOptionalConfigValue(given);
  const { values, positionals } = parseCommandLine('audit', args, () =>
    parseArgs({ args, options: auditOptions, allowPositionals: true, strict: true }),
    auditOptions,
  );
  if (values.help) {
    process.stdout.write(auditHelp);
    return ExitCode.ok;
  }
  const target = parseTargetFlags(values);
  if (target.eslintConfig !== undefined && (values.config !== undefined || values['opaque-options'] !== undefined)) {
    throw new UsageError(`--eslint-config takes the rules and their options from the target's config, so ${values.config !== undefined ? '--config' : '--opaque-options'} has nothing to choose`, 'set the rules in eslint.config.*, or leave --eslint-config out');
  }
  const config = parseChoice<RuleConfig>('--config', values.config ?? 'recommended', ['recommended', 'strict']);
  const engine = await chooseEngine(parseChoice('--engine', values.engine ?? 'eslint', ['eslint', 'oxlint', 'auto']), target);
  const format = parseChoice('--format', values.format ?? 'text', ['text', 'json', 'sarif']);
  const opaqueOptions = parseOpaqueOptions(values['opaque-options']);
  const jobs = parseJobs(values.jobs, defaultJobs);
  const paths = resolvePaths('audit', positionals);
  const baselineFile = values.baseline;
  const updateBaseline = values['update-baseline'] ?? false;
  if (updateBaseline && baselineFile === undefined) {
    throw new UsageError('--update-baseline needs the file to write', 'bounded-http audit --baseline bounded-http-baseline.json --update-baseline');
  }
  const sarifCategory = values['sarif-category'];
  if (sarifCategory !== undefined && format !== 'sarif') throw new UsageError('--sarif-category only applies to --format sarif', `bounded-http audit --format sarif --sarif-category ${sarifCategory}`);
  // Read before the scan: a bad baseline is a usage error, and nothing should be scanned for nothing.
  const baseline = baselineFile === undefined ? undefined : readBaseline(baselineFile, updateBaseline);

  const result = await runOnFiles({
    command: 'audit',
    paths,
    task: { command: 'audit', config, opaqueOptions, engine, ...(target.typeAware ? { typeAware: true } : {}) },
    jobs,
    quiet: values.quiet ?? false,
    ...(await selectionFor(target)),
  });
  const comparison = baseline === undefined ? undefined : applyBaseline(result.records, baseline);
  const findings = comparison === undefined ? result.records.some((record) => record.status === 'findings') : !updateBaseline && comparison.new > 0;
  let exitCode: ExitCode = leftUnprocessed(result.records) ? ExitCode.partialFailure : findings ? ExitCode.findings : ExitCode.ok;
  const options = { config, format, opaqueOptions, jobs, engine, ...targetReportOptions(target), ...(baselineFile === undefined ? {} : { baseline: baselineFile, updateBaseline }) };
  const report = buildReport({ command: 'audit', dryRun: false, options, result, exitCode });
  if (comparison !== undefined && baselineFile !== undefined) {
    report.baseline = { ...comparison, updated: false };
    if (updateBaseline) {
      try {
        writeFileAtomic(baselineFile, formatBaseline(baselineOf(result.records, baselineFile)));
        report.baseline.updated = true;
      } catch (error) {
        process.stderr.write(`bounded-http audit: could not write the baseline to ${baselineFile}: ${describeError(error)}\n`);
        exitCode = ExitCode.partialFailure;
        report.exitCode = exitCode;
      }
    }
  }
  if (values.report !== undefined && !writeReportFile('audit', values.report, report)) {
    exitCode = ExitCode.partialFailure;
    report.exitCode = exitCode;
  }
  if (format !== 'text') {
    // The failures are in the document too, but a human watching the run must not miss them.
    for (const record of result.records) {
      const problem = record.error ?? record.message;
      if (problem !== undefined) process.stderr.write(`bounded-http audit: ${problem}\n`);
    }
  }
  // The SARIF formatter loads the plugin for its rule metadata; only pay for that when asked.
  const output = format === 'json' ? formatJson(report) : format === 'sarif' ? (await import('../formats/sarif.js')).formatSarif(report, sarifCategory === undefined ? {} : { category: sarifCategory }) : formatAuditText(report, { colour: shouldColour(process.stdout) });
  process.stdout.write(output);
  return exitCode;
}
