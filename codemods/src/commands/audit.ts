import { parseArgs } from 'node:util';

import { commonOptions, parseChoice, parseCommandLine, parseJobs, parseOpaqueOptions, resolvePaths } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { formatJson } from '../formats/json.js';
import { formatAuditText } from '../formats/text.js';
import type { RuleConfig } from '../file-job.js';
import { buildReport, leftUnprocessed, runOnFiles } from '../run.js';
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
  --format <format>   text (default), json (the report schema), or sarif (SARIF 2.1.0 for GitHub
                      code scanning)
  --report <file>     also write the JSON report to <file>
  -j, --jobs <n>      most threads that parse, one per 250 candidate files
                      (default: min(cores, 4) = ${defaultJobs()})
  -q, --quiet         no progress display
  -h, --help          show this help

Exit codes:
  0  no findings
  1  findings (unbounded calls not covered by an eslint-disable comment)
  2  usage error (nothing was scanned)
  3  some files could not be read or parsed (the others were scanned; see the errors)

Examples:
  bounded-http audit
  bounded-http audit --format sarif > bounded-http.sarif
  bounded-http audit ../service-a ../service-b --config strict
  bounded-http audit --opaque-options report src
`;

const auditOptions = {
  ...commonOptions,
  config: { type: 'string' },
  format: { type: 'string' },
} as const;

export async function runAudit(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine('audit', args, () =>
    parseArgs({ args, options: auditOptions, allowPositionals: true, strict: true }),
  );
  if (values.help) {
    process.stdout.write(auditHelp);
    return ExitCode.ok;
  }
  const config = parseChoice<RuleConfig>('--config', values.config ?? 'recommended', ['recommended', 'strict']);
  const format = parseChoice('--format', values.format ?? 'text', ['text', 'json', 'sarif']);
  const opaqueOptions = parseOpaqueOptions(values['opaque-options']);
  const jobs = parseJobs(values.jobs, defaultJobs);
  const paths = resolvePaths('audit', positionals);

  const result = await runOnFiles({ command: 'audit', paths, task: { command: 'audit', config, opaqueOptions }, jobs, quiet: values.quiet ?? false });
  const findings = result.records.some((record) => record.status === 'findings');
  let exitCode: ExitCode = leftUnprocessed(result.records) ? ExitCode.partialFailure : findings ? ExitCode.findings : ExitCode.ok;
  const report = buildReport({ command: 'audit', dryRun: false, options: { config, format, opaqueOptions, jobs }, result, exitCode });
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
  const output = format === 'json' ? formatJson(report) : format === 'sarif' ? (await import('../formats/sarif.js')).formatSarif(report) : formatAuditText(report);
  process.stdout.write(output);
  return exitCode;
}
