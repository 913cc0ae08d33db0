import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

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
      bin: { 'bounded-http': './dist/cli.js' },
    });
  });

  it('keeps the reference listener private, because it is a template to copy', () => {
    expect(readJson('../reference-listener/package.json')).toMatchObject({
      name: 'bounded-http-reference-listener',
      private: true,
    });
  });

  it('pins every dependency to an exact version', () => {
    for (const path of ['../package.json', '../eslint-plugin/package.json', '../codemods/package.json', '../reference-listener/package.json']) {
      const manifest = readJson(path);
      for (const field of ['dependencies', 'devDependencies'] as const) {
        for (const [dependency, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
          expect({ path, dependency, range }).toMatchObject({ range: expect.stringMatching(/^(npm:[^@]+@)?\d+\.\d+\.\d+$/) as unknown });
        }
      }
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
