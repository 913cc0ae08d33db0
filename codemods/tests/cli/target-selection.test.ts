/**
 * One gate (issue 13): with `--ignore-pattern` and `--eslint-config`, the CLI audits exactly what ESLint lints
 * with the same patterns and the same config, and reports what ESLint reports there. The comparison runs ESLint
 * itself on the same temporary repository. `--type-aware` reads types through the target's tsconfig.json, and
 * refuses to run without one.
 */
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { cliTestOptions, makeFolder, makeRepo, removeTemporaryFolders, runCli } from './support/cli-harness.js';
import { boundedFetch, unboundedFetch } from './support/sources.js';

afterAll(removeTemporaryFolders);

const require = createRequire(import.meta.url);
const pluginEntry = pathToFileURL(fileURLToPath(new URL('../../../eslint-plugin/dist/index.js', import.meta.url))).href;
const parserEntry = pathToFileURL(require.resolve('@typescript-eslint/parser')).href;

interface Report {
  exitCode: number;
  options: Record<string, unknown>;
  leftOut?: { files: number; byReason: Record<string, number> };
  files: { path: string; status: string; types?: string; sites: { ruleId: string; action: string; location: { line: number } }[] }[];
}

function audit(cwd: string, args: readonly string[]): { status: number | null; report: Report; stderr: string } {
  const result = runCli(['audit', '--format', 'json', '--quiet', '--jobs', '1', ...args], { cwd });
  return { status: result.status, report: JSON.parse(result.stdout || '{}') as Report, stderr: result.stderr };
}

/** `path:line rule` for every finding the CLI reported. */
function cliFindings(report: Report): string[] {
  return report.files.flatMap((file) => file.sites.filter((site) => site.action === 'reported').map((site) => `${file.path}:${site.location.line} ${site.ruleId}`)).sort();
}

/** The same for ESLint, run on the same repository with the same options. */
async function eslintFindings(cwd: string, options: ESLint.Options): Promise<string[]> {
  const results = await new ESLint({ cwd, ...options }).lintFiles(['.']);
  return results
    .flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId?.startsWith('bounded-http/'))
        .map((message) => `${result.filePath.slice(cwd.length + 1)}:${message.line} ${(message.ruleId ?? '').slice('bounded-http/'.length)}`),
    )
    .sort();
}

const flatConfig = `import boundedHttp from '${pluginEntry}';
import tsParser from '${parserEntry}';

export default [
  { ignores: ['scripts/**'] },
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  boundedHttp.configs.recommended,
  // The usual test-file override: the lint gate does not hold test files to the rule.
  { files: ['**/*.test.ts'], rules: { 'bounded-http/no-unbounded-fetch': 'off', 'bounded-http/no-global-agent': 'off' } },
  // A rule option the CLI must take from here: a controller that nothing aborts on a timer is no deadline.
  { files: ['src/strict/**'], rules: { 'bounded-http/no-unbounded-fetch': ['error', { requireDeadlineSignal: true }] } },
];
`;

const controllerOnly = 'export async function load(url: string) {\n  const controller = new AbortController();\n  return fetch(url, { signal: controller.signal });\n}\n';
const mockedFetch = "import { vi } from 'vitest';\nglobalThis.fetch = vi.fn();\nexport async function load(url: string) {\n  return fetch(url);\n}\n";

describe('bounded-http audit --ignore-pattern and --eslint-config: one gate', cliTestOptions, () => {
  it('--ignore-pattern leaves out what ESLint leaves out with the same pattern, and says how many', async () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'src/user.test.ts': unboundedFetch, 'fixtures/old.ts': unboundedFetch, 'src/ok.ts': boundedFetch });
    const { status, report } = audit(repo, ['--ignore-pattern', '**/*.test.ts', '--ignore-pattern', 'fixtures/']);
    expect(status).toBe(1);
    expect(report.files.map((file) => file.path).sort()).toEqual(['src/ok.ts', 'src/user.ts']);
    expect(report.leftOut).toEqual({ files: 2, byReason: { 'an --ignore-pattern': 2 } });
    expect(report.options['ignorePatterns']).toEqual(['**/*.test.ts', 'fixtures/']);
    const eslint = await eslintFindings(repo, { overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: require('@typescript-eslint/parser') as never } }, ((await import(pluginEntry)) as { default: { configs: { recommended: never } } }).default.configs.recommended], ignorePatterns: ['**/*.test.ts', 'fixtures/'] });
    expect(cliFindings(report)).toEqual(eslint);
  });

  it('reads patterns relative to the current folder, as ESLint does', () => {
    const repo = makeRepo({ 'packages/api/src/user.ts': unboundedFetch, 'packages/api/generated/client.ts': unboundedFetch });
    const { report } = audit(join(repo, 'packages/api'), ['--ignore-pattern', 'generated/**']);
    expect(report.files.map((file) => file.path)).toEqual(['packages/api/src/user.ts']);
  });

  it("--eslint-config reports exactly what ESLint reports with the repository's own flat config", async () => {
    const repo = makeRepo({
      'eslint.config.mjs': flatConfig,
      'src/user.ts': unboundedFetch,
      'src/user.test.ts': mockedFetch,
      'src/strict/load.ts': controllerOnly,
      'src/lenient/load.ts': controllerOnly,
      'scripts/seed.ts': unboundedFetch,
    });
    const { status, report } = audit(repo, ['--eslint-config']);
    expect(status).toBe(1);
    expect(cliFindings(report)).toEqual(await eslintFindings(repo, {}));
    // The override's rule option came through: the same code is a finding in src/strict only.
    expect(cliFindings(report)).toEqual(['src/strict/load.ts:3 no-unbounded-fetch', 'src/user.ts:2 no-unbounded-fetch']);
    expect(report.leftOut?.files).toBe(1);
    expect(report.options['eslintConfig']).toBe('eslint.config.* of each repository');
  });

  it('--eslint-config <file> takes that file, as ESLint --config does', async () => {
    const repo = makeRepo({ 'config/lint.mjs': flatConfig, 'src/user.ts': unboundedFetch, 'scripts/seed.ts': unboundedFetch });
    const { report } = audit(repo, ['--eslint-config', 'config/lint.mjs']);
    expect(cliFindings(report)).toEqual(await eslintFindings(repo, { overrideConfigFile: join(repo, 'config/lint.mjs') }));
    expect(report.options['eslintConfig']).toBe('config/lint.mjs');
  });

  it.each([
    [['--eslint-config', '--config', 'strict'], '--eslint-config takes the rules and their options from the target'],
    [['--eslint-config=missing.mjs'], '--eslint-config missing.mjs: no such file'],
    [['--ignore-pattern', ''], '--ignore-pattern is empty'],
  ])('refuses %j with a message that says why, and scans nothing', (args, message) => {
    const repo = makeRepo({ 'eslint.config.mjs': flatConfig, 'src/user.ts': unboundedFetch });
    const result = runCli(['audit', '--quiet', ...args], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('fix takes the same flags: it rewrites only what that gate reports', () => {
    const repo = makeRepo({ 'eslint.config.mjs': flatConfig, 'src/user.ts': unboundedFetch, 'src/user.test.ts': unboundedFetch, 'fixtures/old.ts': unboundedFetch });
    const ignored = runCli(['fix', '--quiet', '--ignore-pattern', 'fixtures/'], { cwd: repo });
    expect(ignored.status).toBe(0);
    expect(readFileSync(join(repo, 'fixtures/old.ts'), 'utf8')).toBe(unboundedFetch);
    expect(readFileSync(join(repo, 'src/user.test.ts'), 'utf8')).toContain('AbortSignal.timeout(30_000)');
    execFileSync('git', ['checkout', '--', '.'], { cwd: repo });
    const configured = runCli(['fix', '--quiet', '--eslint-config'], { cwd: repo });
    expect(configured.status).toBe(0);
    // The config turns the rule off for test files: the lint gate does not ask for a deadline there, nor does fix.
    expect(readFileSync(join(repo, 'src/user.test.ts'), 'utf8')).toBe(unboundedFetch);
    expect(readFileSync(join(repo, 'src/user.ts'), 'utf8')).toContain('AbortSignal.timeout(30_000)');
  });

  it('--eslint-config in a repository without a flat config is a usage error that says what to do', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch });
    const result = runCli(['audit', '--quiet', '--eslint-config'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no eslint\.config\.\* applies to .*user\.ts/u);
    expect(result.stderr).toContain('--eslint-config path/to/eslint.config.js');
  });
});

/** axios typed by an ambient module, and a helper whose declared return type has no timeout. */
const typedProject = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', target: 'es2022', noEmit: true }, include: ['src'] }),
  'src/axios.d.ts': "declare module 'axios' {\n  export interface Settings { headers: Record<string, string> }\n  const axios: { get(url: string, config?: object): Promise<unknown> };\n  export default axios;\n}\n",
  'src/settings.ts': "import type { Settings } from 'axios';\nexport function settings(): Settings {\n  return { headers: { accept: 'application/json' } };\n}\n",
  'src/load.ts': "import axios from 'axios';\nimport { settings } from './settings.js';\nexport const load = (url: string) => axios.get(url, settings());\n",
  'scripts/tool.js': 'export const ping = (url) => fetch(url);\n',
};

describe('bounded-http audit --type-aware', cliTestOptions, () => {
  it('finds the call whose options come from a typed helper, which the syntax-only audit trusts', () => {
    const repo = makeRepo(typedProject);
    const plain = audit(repo, []);
    const typed = audit(repo, ['--type-aware']);
    expect(cliFindings(plain.report)).toEqual(['scripts/tool.js:1 no-unbounded-fetch']);
    expect(cliFindings(typed.report)).toEqual(['scripts/tool.js:1 no-unbounded-fetch', 'src/load.ts:3 no-unbounded-client']);
    // Every file is parsed with types, and one no tsconfig includes says it was not.
    expect(Object.fromEntries(typed.report.files.map((file) => [file.path, file.types]))).toMatchObject({ 'src/load.ts': 'checked', 'src/settings.ts': 'checked', 'scripts/tool.js': 'none' });
    expect(typed.report.options['typeAware']).toBe(true);
  });

  it('without a tsconfig.json, refuses to run and says why', () => {
    const repo = makeFolder({ 'src/load.ts': unboundedFetch });
    const result = runCli(['audit', '--quiet', '--type-aware'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--type-aware found no tsconfig.json above any file to audit');
    expect(result.stderr).toContain('leave --type-aware out');
  });
});
