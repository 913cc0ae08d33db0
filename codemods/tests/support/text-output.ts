/**
 * The text output of audit and fix lists each file's path once and its findings indented under it, wrapped to
 * 120 columns. Tests ask about findings, not layout: this reads them back as one line each,
 * `path:line:column  label  rule  message`, with the message unwrapped.
 */
const findingLine = /^ {4}(\d+:\d+) +(\S+) {2}(\S+) {2}(.*)$/u;
const continuation = /^ {8,}(\S.*)$/u;
const fileLine = /^ {2}(\S.*)$/u;

export function findingLines(text: string): string[] {
  const findings: string[] = [];
  let path = '';
  let last: { head: string; message: string } | undefined;
  const flush = (): void => {
    if (last) findings.push(`${last.head}  ${last.message}`);
    last = undefined;
  };
  for (const line of text.split('\n')) {
    const finding = findingLine.exec(line);
    if (finding) {
      flush();
      last = { head: `${path}:${finding[1] ?? ''}  ${finding[2] ?? ''}  ${finding[3] ?? ''}`, message: finding[4] ?? '' };
      continue;
    }
    const more = continuation.exec(line);
    if (more && last) {
      last.message = `${last.message} ${more[1] ?? ''}`;
      continue;
    }
    flush();
    const file = fileLine.exec(line);
    if (file) path = file[1] ?? '';
  }
  flush();
  return findings;
}
