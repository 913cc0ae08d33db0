/**
 * The one parser of `NAME from PATH` (`--timeout-import`, `--client`), shared by the command line, which refuses a
 * bad value before reading any file, and fixFile's programmatic options. Loads nothing: the CLI answers at once.
 */

/** An import a rewrite needs: the local name the inserted code uses and the module it comes from, as given. */
export interface ImportSpec {
  name: string;
  /** A relative specifier is relative to the root directory (`--client`/`--timeout-import`: the cwd). */
  from: string;
}

/** A value that is not `NAME from MODULE`; the message names the option and the expected form. */
export class ImportSpecError extends Error {
  constructor(
    readonly option: string,
    readonly value: string,
    readonly example: string,
  ) {
    super(`${option} must look like "NAME from PATH", got '${value}'`);
    this.name = 'ImportSpecError';
  }
}

const examples: Readonly<Record<string, string>> = {
  '--timeout-import': "HTTP_TIMEOUT_MS from './src/config.js'",
  '--client': 'boundedFetch from ./src/lib/http.js',
};

/** Parses `NAME from './config.js'` (braces and quotes optional). */
export function parseImportSpec(option: string, value: string): ImportSpec {
  const match = /^\s*(\{\s*)?([A-Za-z_$][\w$]*)\s*(\})?\s+from\s+(['"]?)([^'"\s]+)\4\s*$/u.exec(value);
  if (!match?.[2] || !match[5] || Boolean(match[1]) !== Boolean(match[3])) {
    throw new ImportSpecError(option, value, examples[option] ?? "NAME from './module.js'");
  }
  return { name: match[2], from: match[5] };
}
