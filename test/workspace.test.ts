import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

import { repoPath } from './support/repo-paths.js';

const require = createRequire(import.meta.url);
const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Record<string, unknown>;

// Package names, the bin name and privacy are a public contract: users install and invoke them by name.
describe('workspace packages', () => {
  it('publishes the plugin and the codemods under their contract names', () => {
    expect(readJson('../eslint-plugin/package.json')).toMatchObject({ name: 'eslint-plugin-bounded-http', type: 'module' });
    expect(readJson('../codemods/package.json')).toMatchObject({
      name: 'bounded-http-codemods',
      type: 'module',
      bin: { 'bounded-http': './bin/bounded-http.js' },
    });
  });

  it('links a bin in a fresh clone: the bin target is committed, not built after npm has linked bins', () => {
    // `npm ci` links bins before `npm run build` writes dist/, so a bin inside dist/ is never linked in a clone.
    expect(execFileSync('git', ['ls-files', '--error-unmatch', 'codemods/bin/bounded-http.js'], { cwd: repoPath(), encoding: 'utf8' }).trim()).toBe('codemods/bin/bounded-http.js');
    const linked = repoPath('node_modules', '.bin', 'bounded-http');
    expect(existsSync(linked)).toBe(true);
    expect(execFileSync(linked, ['--version'], { cwd: repoPath(), encoding: 'utf8' }).trim()).toBe(readJson('../codemods/package.json')['version']);
  });

  it('names its repository, issue tracker and licence, which npm and the rule docs URLs rely on', () => {
    for (const folder of ['eslint-plugin', 'codemods']) {
      expect(readJson(`../${folder}/package.json`)).toMatchObject({
        license: 'MIT',
        repository: { type: 'git', url: 'git+https://github.com/bounded-http/bounded-http.git', directory: folder },
        bugs: { url: 'https://github.com/bounded-http/bounded-http/issues' },
        homepage: expect.stringContaining(`github.com/bounded-http/bounded-http/tree/main/${folder}`) as unknown,
      });
      expect(existsSync(repoPath(folder, 'LICENSE'))).toBe(true);
    }
  });

  it('keeps the reference listener private, because it is a template to copy', () => {
    expect(readJson('../reference-listener/package.json')).toMatchObject({
      name: 'bounded-http-reference-listener',
      private: true,
    });
  });

  it('pins the workspace and the private template exactly, and gives published packages caret ranges', () => {
    // Development is reproducible through the exact pins and package-lock.json; a user's install shares one ESLint,
    // one parser and one ts-morph with their own project instead of getting a second copy of each.
    for (const path of ['../package.json', '../reference-listener/package.json']) {
      const manifest = readJson(path);
      for (const field of ['dependencies', 'devDependencies'] as const) {
        for (const [dependency, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
          expect({ path, dependency, range }).toMatchObject({ range: expect.stringMatching(/^(npm:[^@]+@)?\d+\.\d+\.\d+$/) as unknown });
        }
      }
    }
    for (const path of ['../eslint-plugin/package.json', '../codemods/package.json']) {
      const manifest = readJson(path);
      expect(manifest['devDependencies']).toBeUndefined();
      for (const [dependency, range] of Object.entries((manifest['dependencies'] ?? {}) as Record<string, string>)) {
        expect({ path, dependency, range }).toMatchObject({ range: expect.stringMatching(/^\^\d+\.\d+\.\d+$/) as unknown });
      }
      // The codemods' oxlint engine uses the target's oxlint when it has one, and needs none otherwise.
      const optionalPeers = path.includes('codemods') ? { oxlint: '^1.95.0' } : {};
      expect({ path, peer: manifest['peerDependencies'] }).toEqual({ path, peer: { eslint: '^9.0.0 || ^10.0.0', ...optionalPeers } });
      expect({ path, optional: manifest['peerDependenciesMeta'] }).toEqual({ path, optional: path.includes('codemods') ? { oxlint: { optional: true } } : undefined });
      expect({ path, dependsOnEslint: Object.keys((manifest['dependencies'] ?? {})).includes('eslint') }).toEqual({ path, dependsOnEslint: false });
    }
  });

  it('resolves the built plugin through its exports map, with its four presets', async () => {
    const entry = require.resolve('eslint-plugin-bounded-http');
    expect(entry).toMatch(/eslint-plugin[/\\]dist[/\\]index\.js$/);
    const plugin = ((await import('eslint-plugin-bounded-http')) as { default: { meta: { name: string }; configs: Record<string, unknown> } }).default;
    expect(plugin.meta.name).toBe('eslint-plugin-bounded-http');
    expect(Object.keys(plugin.configs).sort()).toEqual(['all', 'recommended', 'recommended-type-checked', 'strict']);
  });
});
