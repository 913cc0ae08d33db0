import { Linter } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

import { splitMarkdown, type CodeBlock } from './support/markdown.js';
import { repoPath } from './support/repo-paths.js';
import { typeCheckVirtualFiles } from './support/typecheck.js';

// Every code block in the guides is either checked here or copied from a file that is: ts blocks are type-checked
// (strict, with @types/node and undici), js blocks parsed as modules, sh blocks parsed by bash, json blocks parsed;
// a block marked `<!-- source: path -->` on the line above must appear verbatim in that file instead.

const GUIDES = ['docs/pattern.md', 'docs/adoption.md', 'docs/reference-listener.md'];
const SOURCE_MARKER = /^<!-- source: (\S+) -->$/;

interface Located extends CodeBlock {
  page: string;
  where: string;
}

const blocks: Located[] = GUIDES.flatMap((page) =>
  splitMarkdown(readFileSync(repoPath(page), 'utf8')).blocks.map((block) => ({ ...block, page, where: `${page}:${block.line}` })),
);
const sourced = blocks.filter((block) => SOURCE_MARKER.test(block.lineAbove.trim()));
const checkedHere = blocks.filter((block) => !SOURCE_MARKER.test(block.lineAbove.trim()));
const ofLanguage = (...languages: string[]) => checkedHere.filter((block) => languages.includes(block.language));

describe('code blocks in the guides', () => {
  it('each has a language this test knows, so GitHub highlights it and this test checks it', () => {
    const known = ['ts', 'js', 'sh', 'json', 'yaml'];
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks.filter((block) => !known.includes(block.language)).map((block) => `${block.where} (${block.language || 'none'})`)).toEqual([]);
  });

  it('a block marked with <!-- source: path --> appears verbatim in that file', () => {
    expect(sourced.length).toBeGreaterThan(0);
    for (const block of sourced) {
      const [, source = ''] = SOURCE_MARKER.exec(block.lineAbove.trim()) ?? [];
      expect({ block: block.where, source, exists: existsSync(repoPath(source)) }).toEqual({ block: block.where, source, exists: true });
      const copied = readFileSync(repoPath(source), 'utf8').includes(block.code);
      expect({ block: block.where, source, copiedVerbatim: copied }).toEqual({ block: block.where, source, copiedVerbatim: true });
    }
  });

  it('yaml blocks are copied from a tested file (no YAML parser is a dependency of this repo)', () => {
    expect(ofLanguage('yaml').map((block) => block.where)).toEqual([]);
  });

  // A whole-program type check: seconds normally, longer when the machine is shared; the timeout is headroom only.
  it('ts blocks type-check, each as its own module, under the strict repo settings', { timeout: 90_000 }, () => {
    const tsBlocks = ofLanguage('ts');
    expect(tsBlocks.length).toBeGreaterThan(0);
    // Placed beside the guides so that imports resolve from the repository's node_modules, as a reader's would.
    const virtualFiles = new Map(
      tsBlocks.map((block) => [repoPath('docs', `${block.page.replace(/^docs\//, '')}.line-${block.line}.ts`).replaceAll('\\', '/'), `${block.code}\nexport {};\n`]),
    );
    // A canary in the same program proves the check can fail: its error, and only its error, must be reported.
    const canary = repoPath('docs', 'canary.line-0.ts').replaceAll('\\', '/');
    virtualFiles.set(canary, "export const deadlineMs: number = 'thirty seconds';\n");
    const result = typeCheckVirtualFiles(virtualFiles, repoPath('test', 'tsconfig.json'));
    expect(result.checkedFiles).toEqual(expect.arrayContaining([...virtualFiles.keys()]));
    const errorLines = result.errors.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('canary.line-0.ts');
  });

  it('ts blocks written here are clean under the plugin: the guides only show bounded calls as the right way', () => {
    const linter = new Linter();
    const config: Linter.Config[] = [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      boundedHttp.configs.recommended,
    ];
    for (const block of ofLanguage('ts')) {
      const findings = linter.verify(block.code, config, 'block.ts').map((message) => `${block.where}+${message.line}: ${message.ruleId ?? 'parse'} ${message.message}`);
      expect(findings).toEqual([]);
    }
  });

  it('js blocks parse as ES modules', () => {
    const linter = new Linter();
    for (const block of ofLanguage('js')) {
      const fatal = linter
        .verify(block.code, { languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } })
        .filter((message) => message.fatal === true)
        .map((message) => `${block.where}+${message.line}: ${message.message}`);
      expect(fatal).toEqual([]);
    }
  });

  it('sh blocks parse with bash -n', () => {
    for (const block of ofLanguage('sh')) {
      const parsed = spawnSync('bash', ['-n'], { input: block.code, encoding: 'utf8', timeout: 10_000 });
      expect({ block: block.where, status: parsed.status, stderr: parsed.stderr }).toEqual({ block: block.where, status: 0, stderr: '' });
    }
  });

  it('json blocks parse', () => {
    for (const block of ofLanguage('json')) expect(() => JSON.parse(block.code) as unknown, block.where).not.toThrow();
  });
});
