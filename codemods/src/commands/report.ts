import { parseArgs } from 'node:util';

import { parseChoice, parseCommandLine } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { mergeReports, readAuditReport } from '../fleet.js';
import { formatFleetHtml, formatFleetJson, formatFleetText } from '../formats/fleet.js';
import { UsageError, describeError } from '../usage-error.js';
import { writeFileAtomic } from '../write-atomic.js';

export const reportHelp = `Usage: bounded-http report merge [options] <report.json...>

Merges the JSON reports of bounded-http audit (one per repository, e.g. one per CI matrix job) into one
fleet summary: by repository, rule and client family, with totals and the baseline delta of audits that
ran with --baseline. Nothing is scanned again.

Options:
  --format <format>   text (default), json, or html (a self-contained page: a chart per client family
                      and a table per repository)
  -o, --output <file> write to <file> instead of standard output
  -h, --help          show this help

Exit codes:
  0  merged; no repository has findings
  1  merged; some repository has findings (or, with baselines, new findings)
  2  usage error, or a file that is not an audit report (nothing was written)

Examples:
  bounded-http report merge reports/*.json
  bounded-http report merge --format html --output fleet.html reports/*.json
`;

const reportOptions = {
  help: { type: 'boolean', short: 'h' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

export function runReport(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine('report', args, () => parseArgs({ args, options: reportOptions, allowPositionals: true, strict: true }), reportOptions);
  const [subcommand, ...files] = positionals;
  if (values.help || subcommand === undefined) {
    process.stdout.write(reportHelp);
    return Promise.resolve(values.help ? ExitCode.ok : ExitCode.usage);
  }
  if (subcommand !== 'merge') throw new UsageError(`unknown report command '${subcommand}'`, 'bounded-http report merge reports/*.json');
  if (files.length === 0) throw new UsageError('report merge needs the audit reports to merge', 'bounded-http report merge reports/*.json');
  const format = parseChoice('--format', values.format ?? 'text', ['text', 'json', 'html']);
  // Every input is read and checked before anything is written: a bad file leaves no half-written output.
  const fleet = mergeReports(files.map((file) => ({ file, report: readAuditReport(file) })));
  const output = format === 'json' ? formatFleetJson(fleet) : format === 'html' ? formatFleetHtml(fleet) : formatFleetText(fleet);
  if (values.output === undefined) process.stdout.write(output);
  else {
    try {
      writeFileAtomic(values.output, output);
    } catch (error) {
      process.stderr.write(`bounded-http report: could not write ${values.output}: ${describeError(error)}\n`);
      return Promise.resolve(ExitCode.partialFailure);
    }
  }
  const failing = fleet.repos.some((repo) => (repo.baseline ? repo.baseline.new > 0 : repo.findings > 0));
  return Promise.resolve(failing ? ExitCode.findings : ExitCode.ok);
}
