import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The CLI tests run the built bin, as users do: `npm test` builds before it runs vitest. */
export const cliPath = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
export const reportSchemaPath = fileURLToPath(new URL('../../../report.schema.json', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Preloaded by `faults`: the test-only fault injection (see the file), kept out of the shipped code. */
const faultInjectionPath = fileURLToPath(new URL('./fault-injection.mjs', import.meta.url));

export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string>; faults?: Record<string, string> }): CliResult {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run 'npm run build' before these tests`);
  const preload = options.faults === undefined ? [] : ['--import', pathToFileURL(faultInjectionPath).href];
  const result = spawnSync(process.execPath, [...preload, cliPath, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    // The CLI picks its worker count from the cores; the tests say how many they want.
    env: { ...process.env, ...options.env, ...options.faults },
    // Bounded, like every other loop in the tests: a hung CLI fails the test instead of wedging the run.
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const temporaryFolders: string[] = [];

/** A temp folder with `files` written into it (paths use forward slashes). */
export function makeFolder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bounded-http-cli-'));
  temporaryFolders.push(root);
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

function git(cwd: string, args: readonly string[]): void {
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    stdio: 'ignore',
    timeout: 30_000,
  });
}

/** A git repository with `files` committed (with the given permission bits): a clean work tree. */
export function makeRepo(files: Record<string, string>, modes: Record<string, number> = {}): string {
  const root = makeFolder(files);
  for (const [path, mode] of Object.entries(modes)) chmodSync(join(root, path), mode);
  git(root, ['init', '-q']);
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', 'fixture']);
  return root;
}

export function removeTemporaryFolders(): void {
  for (const folder of temporaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** Bytes and modification time of every file under `root` (except .git): proof that nothing was written. */
export function snapshot(root: string): Map<string, { bytes: string; mtimeMs: number }> {
  const files = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(full.slice(root.length + 1), { bytes: readFileSync(full).toString('base64'), mtimeMs: statSync(full).mtimeMs });
    }
  };
  walk(root);
  return files;
}

export function readText(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** A stack trace line: user mistakes must never print one. */
export const stackTraceLine = /^\s+at .+\(.+:\d+:\d+\)$/m;

/**
 * Each CLI run starts Node, ESLint and the TypeScript parser: a few seconds on a loaded two-core machine.
 * Not a speed assertion, only a ceiling generous enough that a busy machine does not fail a correct test.
 */
export const cliTestOptions = { timeout: 180_000 };
