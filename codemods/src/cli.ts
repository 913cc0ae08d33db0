#!/usr/bin/env node
import { toolVersion } from './cli-options.js';
import { ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

const mainHelp = `Usage: bounded-http <command> [options] [paths...]

Every outbound network call needs a deadline. bounded-http finds the calls that have none, across
whole repositories, and retrofits one.

Commands:
  audit   report unbounded HTTP calls (exit 1 when there are any: a CI gate)
  fix     add deadlines to the reported calls (atomic writes, --dry-run, --check, --report)
  report  merge audit reports of many repositories into one fleet summary (text, json, html)

Run 'bounded-http <command> --help' for the options of a command.

Options:
  -h, --help      show this help
  -v, --version   print the version
`;

// Each command is loaded only when invoked, so that `--help` and usage errors answer at once.
const commands: Record<string, (args: string[]) => Promise<ExitCode>> = {
  audit: async (args) => (await import('./commands/audit.js')).runAudit(args),
  fix: async (args) => (await import('./commands/fix.js')).runFix(args),
  report: async (args) => (await import('./commands/report.js')).runReport(args),
};

async function main(argv: string[]): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    process.stdout.write(mainHelp);
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${toolVersion}\n`);
    return ExitCode.ok;
  }
  if (first === 'help') {
    const topic = rest[0] === undefined ? undefined : commands[rest[0]];
    if (!topic) {
      process.stdout.write(mainHelp);
      return ExitCode.ok;
    }
    return topic(['--help']);
  }
  const command = commands[first];
  if (!command) {
    throw new UsageError(`unknown command '${first}'`, 'the commands are audit, fix and report: bounded-http audit --help');
  }
  return command(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    const command = ['audit', 'fix', 'report'].includes(process.argv[2] ?? '') ? ` ${process.argv[2]}` : '';
    process.stderr.write(`bounded-http${command}: ${error.message}\n`);
    if (error.fix) process.stderr.write(`  fix: ${error.fix}\n`);
    process.stderr.write(`  see: bounded-http${command} --help\n`);
    process.exitCode = ExitCode.usage;
  } else {
    // Not a user mistake: a bug in bounded-http, so the stack is what the bug report needs.
    process.stderr.write(`bounded-http: internal error, please report it with this output:\n${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = ExitCode.partialFailure;
  }
}
