/**
 * `--opaque-options report|ignore`: calls whose options the rules cannot read without types (`fetch(url, init)`)
 * are trusted by the presets (`ignore`, the default); `report` finds them, and fix bounds them by spreading the
 * options and keeping the caller's signal through `AbortSignal.any`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkJsonSchema } from './support/check-json-schema.js';
import { cliTestOptions, makeFolder, makeRepo, readText, removeTemporaryFolders, reportSchemaPath, runCli, snapshot, stackTraceLine } from './support/cli-harness.js';
import { findingLines } from '../support/text-output.js';

afterAll(removeTemporaryFolders);

const schema = JSON.parse(readFileSync(reportSchemaPath, 'utf8')) as Record<string, unknown>;

/** The init is a parameter: only its type (or a caller) knows whether it carries a signal. */
const opaqueInit = 'export async function load(url: string, init?: RequestInit) {\n  return fetch(url, init);\n}\n';
const boundedOpaqueInit =
  'export async function load(url: string, init?: RequestInit) {\n' +
  '  return fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000) });\n' +
  '}\n';
/** A project whose every supported Node version has AbortSignal.any. */
// AbortSignal.any keeps an AbortSignal.timeout through a garbage collection only from Node 22.16 / 24.
const modernManifest = '{ "name": "service", "private": true, "engines": { "node": "^22.16 || >=24" } }\n';

interface Report {
  exitCode: number;
  options: Record<string, unknown>;
  files: { path: string; status: string; remaining?: number; sites: { ruleId: string; action: string; reason: string }[] }[];
}

describe('--opaque-options in the help', cliTestOptions, () => {
  const cwd = makeFolder({});
  it.each(['audit', 'fix'])('%s --help lists the flag and its values', (command) => {
    const result = runCli([command, '--help'], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--opaque-options <mode>\s+ignore \(default, as the presets\) or report/);
  });
});

describe('bounded-http audit --opaque-options', cliTestOptions, () => {
  it('reports fetch(url, init) only with report, and records the choice in the report', () => {
    const repo = makeRepo({ 'src/load.ts': opaqueInit });
    const reports = makeFolder({});

    const trusted = runCli(['audit', '--quiet', '--jobs', '1', '--report', join(reports, 'default.json')], { cwd: repo });
    expect(trusted.status).toBe(0);
    expect(trusted.stdout).toContain('1 file scanned, 0 unbounded calls');
    expect((JSON.parse(readFileSync(join(reports, 'default.json'), 'utf8')) as Report).options['opaqueOptions']).toBe('ignore');
    expect(runCli(['audit', '--quiet', '--jobs', '1', '--opaque-options', 'ignore'], { cwd: repo }).status).toBe(0);

    const reported = runCli(['audit', '--quiet', '--jobs', '1', '--opaque-options', 'report', '--report', join(reports, 'report.json')], { cwd: repo });
    expect(reported.status).toBe(1);
    expect(findingLines(reported.stdout)).toContainEqual(expect.stringMatching(/^src\/load\.ts:2:10 {2}reported {2}no-unbounded-fetch/u));
    const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8')) as Report;
    expect(checkJsonSchema(schema, report)).toEqual([]);
    expect(report.options['opaqueOptions']).toBe('report');
    expect(report.files.map((file) => [file.path, file.status])).toEqual([['src/load.ts', 'findings']]);
  });
});

describe('bounded-http fix --opaque-options', cliTestOptions, () => {
  it('leaves fetch(url, init) alone by default', () => {
    const repo = makeRepo({ 'package.json': modernManifest, 'src/load.ts': opaqueInit });
    const result = runCli(['fix', '--quiet', '--check'], { cwd: repo });
    expect(result.status).toBe(0);
    expect(readText(repo, 'src/load.ts')).toBe(opaqueInit);
  });

  it('with report, spreads the init and keeps its signal through AbortSignal.any; a second run changes nothing', () => {
    const repo = makeRepo({ 'package.json': modernManifest, 'src/load.ts': opaqueInit });
    const reportPath = join(makeFolder({}), 'fix-report.json');
    const first = runCli(['fix', '--quiet', '--check', '--opaque-options', 'report', '--report', reportPath], { cwd: repo });
    expect(first.status).toBe(0);
    expect(readText(repo, 'src/load.ts')).toBe(boundedOpaqueInit);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    expect(checkJsonSchema(schema, report)).toEqual([]);
    expect(report.options['opaqueOptions']).toBe('report');
    const loadFile = report.files.find((file) => file.path === 'src/load.ts');
    expect(loadFile).toMatchObject({ status: 'fixed', remaining: 0 });
    expect(loadFile?.sites).toEqual([expect.objectContaining({ ruleId: 'no-unbounded-fetch', action: 'fixed' })]);

    const before = snapshot(repo);
    const second = runCli(['fix', '--quiet', '--check', '--allow-dirty', '--opaque-options', 'report'], { cwd: repo });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('1 file scanned, 0 changed');
    expect(snapshot(repo)).toEqual(before);
  });

  it('with report but a Node version without AbortSignal.any, leaves the call unfixable and --check fails', () => {
    const repo = makeRepo({ 'src/load.ts': opaqueInit });
    const result = runCli(['fix', '--quiet', '--check', '--opaque-options', 'report', '--node-version', '18.0'], { cwd: repo });
    expect(result.status).toBe(1);
    expect(findingLines(result.stdout)).toContainEqual(expect.stringMatching(/^src\/load\.ts:2:10 {2}unfixable {2}no-unbounded-fetch {2}the options init may carry a signal; .*AbortSignal\.any/u));
    expect(result.stdout).toContain('1 unbounded call left');
    expect(readText(repo, 'src/load.ts')).toBe(opaqueInit);
  });
});

describe('--opaque-options usage errors', cliTestOptions, () => {
  it.each(['audit', 'fix'])('%s rejects a bad value with exit 2, naming the flag and the allowed values', (command) => {
    const repo = makeRepo({ 'src/load.ts': opaqueInit });
    const before = snapshot(repo);
    const result = runCli([command, '--opaque-options', 'always'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--opaque-options must be one of ignore, report, got 'always'");
    expect(result.stderr).toContain(`bounded-http ${command} --help`);
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(snapshot(repo)).toEqual(before);
  });
});
