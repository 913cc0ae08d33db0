import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { repoPath } from './support/repo-paths.js';

// What a user gets from the registry: both packages packed with `npm pack` (exactly the files npm would
// publish), installed from the tarballs into fresh ESLint 9 and ESLint 10 projects, then `eslint` and
// `bounded-http audit` run there. Only the npm registry is reached, through npm's cache (--prefer-offline), so a
// second run on the same machine downloads nothing. The slowest test of the suite, so it runs once per major.

const run = promisify(execFile);
const root = mkdtempSync(path.join(tmpdir(), 'bounded-http-packed-'));
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd, maxBuffer: 32 * 1024 * 1024, timeout: 240_000 });

/** Runs a bin of the scratch project; a finding is exit 1, which is an answer here, not a failure. */
async function runBin(project: string, bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(project, 'node_modules', '.bin', bin), args, { cwd: project, maxBuffer: 32 * 1024 * 1024, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const service = `export async function loadProfile(userId) {
  const response = await fetch(\`https://profiles.internal/users/\${userId}\`);
  return response.json();
}

export async function loadSettings(userId) {
  const response = await fetch(\`https://settings.internal/users/\${userId}\`, { signal: AbortSignal.timeout(10_000) });
  return response.json();
}
`;

const majors = [
  { name: 'ESLint 9', eslint: '9.39.5' },
  { name: 'ESLint 10', eslint: '10.15.0' },
];
const projectOf = (eslint: string): string => path.join(root, `eslint-${eslint}`);

/** A user's project: ESLint of one major, both tarballs, the recommended preset and one file to lint. */
async function createProject(eslint: string, tarballs: Record<'plugin' | 'codemods', string>): Promise<void> {
  const project = projectOf(eslint);
  mkdirSync(path.join(project, 'src'), { recursive: true });
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'scratch', private: true, type: 'module', devDependencies: { eslint, 'eslint-plugin-bounded-http': `file:${tarballs.plugin}`, 'bounded-http-codemods': `file:${tarballs.codemods}` } }, null, 2)}\n`,
  );
  writeFileSync(path.join(project, 'eslint.config.js'), "import boundedHttp from 'eslint-plugin-bounded-http';\n\nexport default [boundedHttp.configs.recommended];\n");
  writeFileSync(path.join(project, 'src', 'service.js'), service);
  await npm(['install'], project);
}

beforeAll(async () => {
  const packed = path.join(root, 'tarballs');
  mkdirSync(packed);
  await npm(['pack', '--workspace', 'eslint-plugin', '--workspace', 'codemods', '--pack-destination', packed], repoPath());
  const tarballs = { plugin: '', codemods: '' };
  for (const file of readdirSync(packed)) {
    if (file.startsWith('eslint-plugin-bounded-http-')) tarballs.plugin = path.join(packed, file);
    if (file.startsWith('bounded-http-codemods-')) tarballs.codemods = path.join(packed, file);
  }
  // Both projects install at once: the installs wait on the cache and the disk more than on the CPU.
  await Promise.all(majors.map(({ eslint }) => createProject(eslint, tarballs)));
}, 300_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});


describe.each(majors)('the packed packages in a fresh $name project', ({ eslint }) => {
  const project = projectOf(eslint);

  it('installs one ESLint, the project’s own: the packages take it as a peer', async () => {
    const { stdout } = await run('npm', ['ls', 'eslint', '--all', '--parseable'], { cwd: project });
    const copies = stdout.split('\n').filter((line) => /node_modules[/\\]eslint$/.test(line));
    expect(copies).toEqual([path.join(project, 'node_modules', 'eslint')]);
    expect((JSON.parse(readFileSync(path.join(project, 'node_modules', 'eslint', 'package.json'), 'utf8')) as { version: string }).version).toBe(eslint);
  });

  it('ships LICENSE, dist and docs, and no source maps that point at unshipped sources', () => {
    const plugin = path.join(project, 'node_modules', 'eslint-plugin-bounded-http');
    expect(readdirSync(plugin).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'docs', 'package.json']);
    const map = JSON.parse(readFileSync(path.join(plugin, 'dist', 'index.js.map'), 'utf8')) as { sourcesContent?: unknown[] };
    expect(map.sourcesContent?.length).toBeGreaterThan(0);
    expect(readdirSync(path.join(plugin, 'dist')).filter((file) => file.endsWith('.d.ts.map'))).toEqual([]);
  });

  it('eslint reports the unbounded call and only that one', async () => {
    const result = await runBin(project, 'eslint', ['--format', 'json', '.']);
    expect(result.code).toBe(1);
    const findings = (JSON.parse(result.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[]).flatMap((file) =>
      file.messages.map((message) => `${path.relative(project, file.filePath)}:${message.line} ${message.ruleId}`),
    );
    expect(findings).toEqual(['src/service.js:2 bounded-http/no-unbounded-fetch']);
  });

  it('bounded-http audit agrees with eslint', async () => {
    const result = await runBin(project, 'bounded-http', ['audit', '--format', 'json', '.']);
    expect({ code: result.code, stderr: result.stderr.split('\n').filter((line) => !line.includes('files')).join('\n').trim() }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(result.stdout) as { files: { path: string; sites: { ruleId: string; location: { line: number } }[] }[] };
    expect(report.files.flatMap((file) => file.sites.map((site) => `${file.path}:${site.location.line} ${site.ruleId}`))).toEqual(['src/service.js:2 no-unbounded-fetch']);
  });
});
