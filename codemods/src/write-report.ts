import { formatJson } from './formats/json.js';
import type { Report } from './report.js';
import { describeError } from './usage-error.js';
import { writeFileAtomic } from './write-atomic.js';

/**
 * `--report <file>` for audit and fix: the JSON report, written atomically. Returns false, after saying why on
 * stderr, when it cannot be written; the caller then exits 3.
 */
export function writeReportFile(command: Report['command'], path: string, report: Report): boolean {
  try {
    writeFileAtomic(path, formatJson(report));
    return true;
  } catch (error) {
    process.stderr.write(`bounded-http ${command}: could not write the report to ${path}: ${describeError(error)}\n`);
    return false;
  }
}
