import type { Report } from '../report.js';

/** The report itself, pretty-printed: the same document `--report out.json` writes. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
