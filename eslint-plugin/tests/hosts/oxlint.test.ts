import { ESLint } from 'eslint';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { loadRuleSamples } from '../support/rule-samples.js';

// The corpus is every sample of every rule test file.
vi.mock('@typescript-eslint/rule-tester', async () => ({ RuleTester: (await import('../support/rule-samples.js')).RecordingRuleTester }));

/**
 * oxlint as a host: the built plugin, loaded through `.oxlintrc.json` `jsPlugins`, must report exactly what ESLint
 * reports with the same plugin and the same rule settings (rule, line, column, message), on every rule test sample
 * that needs no type information (oxlint's JS plugins get none) and on examples/. One oxlint run and one ESLint run
 * over a folder holding all of them: one process per sample would cost minutes.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const builtPlugin = path.join(repoRoot, 'eslint-plugin', 'dist', 'index.js');
const oxlintBin = path.join(repoRoot, 'node_modules', 'oxlint', 'bin', 'oxlint');
const run = promisify(execFile);

/** Globals the samples of `ruleTesterWithGlobals` declare (tests/rule-tester.ts); their files go in with-globals/. */
const DECLARED_GLOBALS = ['fetch', 'globalThis', 'window', 'self', 'AbortSignal', 'AbortController', 'Request', 'setTimeout', 'clearTimeout', 'process', 'require'];

/** Every rule at its `strict`/`all` settings, and restrictions that exercise module, global and pattern roots. */
async function ruleSettings(): Promise<Record<string, unknown>> {
  const { default: plugin } = (await import(builtPlugin)) as { default: { configs: Record<string, { rules: Record<string, unknown> }> } };
  const allRules = plugin.configs['all']?.rules;
  if (!allRules) throw new Error('the built plugin has no `all` preset');
  return {
    ...allRules,
    'bounded-http/no-restricted-http-api': [
      'error',
      { module: 'axios', name: 'defaults.timeout', message: 'set timeouts per client.' },
      { module: 'node:http', pattern: 'get|request', message: 'use the deadline helper.' },
      { global: 'fetch', message: 'use the shared client.' },
    ],
  };
}

interface Finding {
  readonly file: string;
  readonly rule: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const byPosition = (left: Finding, right: Finding): number =>
  left.file.localeCompare(right.file) || left.line - right.line || left.column - right.column || left.rule.localeCompare(right.rule) || left.message.localeCompare(right.message);

let workDir: string;
let settings: Record<string, unknown>;
const sampleFiles: string[] = [];

beforeAll(async () => {
  if (!existsSync(builtPlugin)) throw new Error(`${builtPlugin} is missing: run \`npm run build -w eslint-plugin\` first`);
  settings = await ruleSettings();
  workDir = mkdtempSync(path.join(tmpdir(), 'bounded-http-oxlint-'));
  const samples = await loadRuleSamples();
  let index = 0;
  for (const sample of samples) {
    const parserOptions = sample.languageOptions['parserOptions'] as { projectService?: unknown; project?: unknown } | undefined;
    // Type-aware samples need a program: oxlint hands JS plugins none, so they are out of scope by design.
    if (parserOptions?.projectService !== undefined || parserOptions?.project !== undefined) continue;
    const folder = sample.languageOptions['globals'] === undefined ? 'plain' : 'with-globals';
    const jsx = (parserOptions as { ecmaFeatures?: { jsx?: boolean } } | undefined)?.ecmaFeatures?.jsx === true;
    const name = sample.filename ?? (jsx ? 'sample.tsx' : 'sample.ts');
    const file = path.join(workDir, 'samples', folder, String(index++).padStart(4, '0'), name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, sample.code);
    sampleFiles.push(file);
  }
  cpSync(path.join(repoRoot, 'examples'), path.join(workDir, 'examples'), { recursive: true });
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function oxlintFindings(target: string, rules = settings): Promise<{ findings: Finding[]; otherDiagnostics: string[] }> {
  const config = {
    categories: { correctness: 'off' },
    jsPlugins: [builtPlugin],
    rules,
    overrides: [{ files: ['**/with-globals/**'], globals: Object.fromEntries(DECLARED_GLOBALS.map((name) => [name, 'readonly'])) }],
  };
  const configPath = path.join(workDir, '.oxlintrc.json');
  writeFileSync(configPath, JSON.stringify(config));
  // oxlint exits non-zero when it reports an error; the JSON on stdout is the result either way.
  const { stdout } = await run(process.execPath, [oxlintBin, '-c', configPath, '--format', 'json', target], { cwd: workDir, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string; message?: string }) => {
      if (!error.stdout) throw new Error(`oxlint failed: ${error.stderr ?? error.message ?? 'no output'}`);
      return { stdout: error.stdout };
    },
  );
  const report = JSON.parse(stdout) as { diagnostics: { code?: string; message: string; filename: string; labels?: { span: { line: number; column: number } }[] }[] };
  const findings: Finding[] = [];
  const otherDiagnostics: string[] = [];
  for (const diagnostic of report.diagnostics) {
    const rule = /^bounded-http\((.+)\)$/u.exec(diagnostic.code ?? '')?.[1];
    const span = diagnostic.labels?.[0]?.span;
    if (rule === undefined || !span) {
      otherDiagnostics.push(`${path.relative(workDir, diagnostic.filename)}: ${diagnostic.code ?? ''} ${diagnostic.message}`);
      continue;
    }
    findings.push({ file: path.relative(workDir, path.resolve(workDir, diagnostic.filename)), rule: `bounded-http/${rule}`, line: span.line, column: span.column, message: diagnostic.message });
  }
  return { findings: findings.sort(byPosition), otherDiagnostics };
}

async function eslintFindings(target: string, rules = settings): Promise<{ findings: Finding[]; fatal: string[] }> {
  const { default: plugin } = (await import(builtPlugin)) as { default: ESLint.Plugin };
  const files = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];
  const eslint = new ESLint({
    cwd: workDir,
    overrideConfigFile: true,
    overrideConfig: [
      { files, languageOptions: { parser: tseslint.parser }, plugins: { 'bounded-http': plugin }, rules: rules as never },
      { files: ['**/with-globals/**'], languageOptions: { globals: Object.fromEntries(DECLARED_GLOBALS.map((name) => [name, 'readonly'])) } },
    ],
  });
  const results = await eslint.lintFiles([target]);
  const findings: Finding[] = [];
  const fatal: string[] = [];
  for (const result of results) {
    for (const message of result.messages) {
      if (message.fatal || !message.ruleId) fatal.push(`${path.relative(workDir, result.filePath)}: ${message.message}`);
      else findings.push({ file: path.relative(workDir, result.filePath), rule: message.ruleId, line: message.line, column: message.column, message: message.message });
    }
  }
  return { findings: findings.sort(byPosition), fatal };
}

describe('oxlint hosts the built plugin with the same findings as ESLint', () => {
  it('on every rule test sample that needs no type information', async () => {
    expect(sampleFiles.length).toBeGreaterThan(300);
    const [oxlint, eslint] = await Promise.all([oxlintFindings('samples'), eslintFindings('samples')]);
    expect(oxlint.otherDiagnostics).toEqual([]);
    expect(eslint.fatal).toEqual([]);
    // Not vacuous: most rules report somewhere in the samples.
    expect(new Set(eslint.findings.map((finding) => finding.rule)).size).toBeGreaterThanOrEqual(7);
    expect(eslint.findings.length).toBeGreaterThan(300);
    expect(oxlint.findings).toEqual(eslint.findings);
  }, 300_000);

  it('on examples/', async () => {
    const [oxlint, eslint] = await Promise.all([oxlintFindings('examples'), eslintFindings('examples')]);
    expect(oxlint.otherDiagnostics).toEqual([]);
    expect(eslint.fatal).toEqual([]);
    expect(eslint.findings.length).toBeGreaterThan(5);
    expect(oxlint.findings).toEqual(eslint.findings);
  }, 300_000);

  it("docs/oxlint.md's .oxlintrc.json is the recommended preset, and gives ESLint's findings on examples/", async () => {
    const page = readFileSync(path.join(repoRoot, 'docs', 'oxlint.md'), 'utf8');
    const block = /```json\n([\s\S]*?)```/u.exec(page)?.[1];
    if (block === undefined) throw new Error('docs/oxlint.md has no json block');
    const documented = JSON.parse(block) as { jsPlugins: string[]; rules: Record<string, unknown> };
    expect(documented.jsPlugins).toEqual(['eslint-plugin-bounded-http']);
    const { default: plugin } = (await import(builtPlugin)) as { default: { configs: Record<string, { rules: Record<string, unknown> }> } };
    expect(documented.rules).toEqual(plugin.configs['recommended']?.rules);
    const [oxlint, eslint] = await Promise.all([oxlintFindings('examples', documented.rules), eslintFindings('examples', documented.rules)]);
    expect(eslint.findings.length).toBeGreaterThan(5);
    expect(oxlint.findings).toEqual(eslint.findings);
  }, 300_000);
});
