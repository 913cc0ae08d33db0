/**
 * `bounded-http audit --engine oxlint` (issue 14): the same rules hosted by oxlint give the same report as the
 * ESLint engine, byte for byte once timing and the engine's name are left out, on a tree that holds what each
 * engine handles differently: every form of eslint-disable comment (oxlint prints nothing they hide; the host
 * plugin sees it and the engine classifies it), comments only one of the linters reads, a BOM before `#!` (oxlint cannot parse it), a file neither can parse, multi-byte text before a finding
 * (oxlint counts bytes), a Vue component, a file that is not UTF-8, and the repository's own examples/.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { cliTestOptions, makeRepo, removeTemporaryFolders, runCli } from './support/cli-harness.js';
import { unboundedFetch, unparsable } from './support/sources.js';

afterAll(removeTemporaryFolders);

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

const tree = {
  'src/user.ts': unboundedFetch,
  'src/accents.ts': "const greeting = 'héllo wörld ✓';  export const load = () => fetch(greeting);\n",
  'src/long-poll.ts': 'export async function poll(url: string) {\n  // eslint-disable-next-line bounded-http/no-unbounded-fetch -- long-poll: the broker holds it up to 50 s\n  return fetch(url);\n}\n',
  'src/blanket.ts': '/* eslint-disable */\nexport const load = (url: string) => fetch(url);\n',
  'src/agent.ts': "import https from 'node:https';\nhttps.globalAgent.maxSockets = 10;\nexport const get = (url: string) => https.get(url);\n",
  'bin/cli.js': '\uFEFF#!/usr/bin/env node\nfetch(process.argv[2]);\n',
  'src/broken.ts': unparsable,
  // Each form of disable comment: oxlint hosts these files and must hide, and classify, exactly what ESLint does.
  'src/undocumented.ts': '// eslint-disable-next-line bounded-http/no-unbounded-fetch\nexport const load = (url: string) => fetch(url);\n',
  'src/same-line.ts': 'export const ping = (url: string) => fetch(url); // eslint-disable-line bounded-http/no-unbounded-fetch -- fire and forget\n',
  'src/block.ts': '/* eslint-disable bounded-http/no-unbounded-fetch */\nexport const a = (url: string) => fetch(url);\n/* eslint-enable bounded-http/no-unbounded-fetch */\nexport const b = (url: string) => fetch(url);\n',
  'src/two-rules.ts': "import https from 'node:https';\n/* eslint-disable-next-line bounded-http/no-unbounded-fetch, bounded-http/no-global-agent -- set once at start-up */\nhttps.globalAgent.maxSockets = 10; export const c = (url: string) => fetch(url);\n",
  'src/other-rule.ts': '// eslint-disable-next-line no-console -- not ours\nexport const load = (url: string) => fetch(url);\n',
  'src/too-far.ts': '// eslint-disable-next-line bounded-http/no-unbounded-fetch -- two lines too early\n\nexport const load = (url: string) => fetch(url);\n',
  'src/spans-lines.ts': 'export const load = (url: string) => fetch(url); /* eslint-disable-line bounded-http/no-unbounded-fetch\n */\n',
  'src/re-enabled.ts': '/* eslint-disable */\nexport const a = (url: string) => fetch(url);\n/* eslint-enable bounded-http/no-unbounded-fetch */\nexport const b = (url: string) => fetch(url);\n',
  'src/next-line-block.ts': '/* eslint-disable-next-line bounded-http/no-unbounded-fetch --\n   long-poll: the broker holds it */\nexport const poll = (url: string) => fetch(url);\n',
  // Comments only one linter reads: these files go to ESLint, whose reading is the report's.
  'src/inline-config.ts': '/* eslint bounded-http/no-unbounded-fetch: "off" */\nexport const load = (url: string) => fetch(url);\n',
  // ... and such comments that name only other rules, which change nothing here: oxlint hosts these.
  'src/oxlint-other-rule.ts': '// oxlint-disable-next-line no-console -- not ours\nexport const load = (url: string) => fetch(url);\n',
  'src/eslint-config-other-rule.ts': '/* eslint no-console: "off" */\nexport const load = (url: string) => fetch(url);\n',
  'src/tslib-banner.js': "/* global Reflect, Promise, Symbol */\nglobalThis[Symbol.for('undici.globalDispatcher.1')] = undefined;\nexport const load = (url) => fetch(url);\n",
  'src/global-off.js': '/* global fetch: off */\n/* globals AbortSignal: readonly */\nexport const load = (url) => fetch(url);\nexport const never = AbortSignal.timeout(Infinity);\n',
  'src/oxlint-comment.ts': '// oxlint-disable-next-line bounded-http/no-unbounded-fetch\nexport const load = (url: string) => fetch(url);\n',
  'src/Widget.vue': '<template><p>x</p></template>\n<script setup lang="ts">\nconst load = () => fetch("/api");\n</script>\n',
};

function auditJson(cwd: string, engine: string, extra: readonly string[] = []): { status: number | null; report: Record<string, unknown> } {
  const result = runCli(['audit', '--format', 'json', '--quiet', '--jobs', '2', '--engine', engine, ...extra], { cwd });
  return { status: result.status, report: JSON.parse(result.stdout) as Record<string, unknown> };
}

/** The report without what differs between two runs of the same engine (timing) and the engine's name. */
function comparable(report: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(report) as { timing?: unknown; options: Record<string, unknown> };
  delete copy.timing;
  delete copy.options['engine'];
  return copy;
}

describe('bounded-http audit --engine oxlint', cliTestOptions, () => {
  it.each([[[]], [['--config', 'strict', '--opaque-options', 'report']]])('gives the report the ESLint engine gives, with %j', (extra) => {
    const repo = makeRepo(tree);
    cpSync(examples, join(repo, 'examples'), { recursive: true });
    // Latin-1 ('café' with E9): not UTF-8, skipped by both engines with the same message.
    writeFileSync(join(repo, 'src/latin1.ts'), Buffer.concat([Buffer.from("const name = 'caf"), Buffer.from([0xe9]), Buffer.from("';\nexport const load = () => fetch(name);\n")]));
    const eslint = auditJson(repo, 'eslint', extra);
    const oxlint = auditJson(repo, 'oxlint', extra);
    expect(oxlint.status).toBe(eslint.status);
    expect((oxlint.report['options'] as Record<string, unknown>)['engine']).toBe('oxlint');
    expect(comparable(oxlint.report)).toEqual(comparable(eslint.report));
    // The tree does hold what the comparison is about.
    const files = eslint.report['files'] as { path: string; status: string; sites: { action: string; suppression?: string }[] }[];
    const status = Object.fromEntries(files.map((file) => [file.path, file.status]));
    expect(status).toMatchObject({ 'src/broken.ts': 'failed', 'bin/cli.js': 'findings', 'src/accents.ts': 'findings', 'src/Widget.vue': 'findings' });
    expect(files.flatMap((file) => file.sites.map((site) => site.suppression)).filter(Boolean)).toEqual(expect.arrayContaining(['blanket', 'documented', 'undocumented']));
    const suppressedIn = (path: string): boolean[] => (files.find((file) => file.path === path)?.sites ?? []).map((site) => site.action === 'suppressed');
    expect(suppressedIn('src/block.ts')).toEqual([true, false]);
    expect(suppressedIn('src/other-rule.ts')).toEqual([false]);
    expect(suppressedIn('src/re-enabled.ts')).toEqual([true, false]);
    expect(suppressedIn('src/next-line-block.ts')).toEqual([true]);
    expect(suppressedIn('src/inline-config.ts')).toEqual([]);
    expect(suppressedIn('src/oxlint-comment.ts')).toEqual([false]);
    expect(suppressedIn('src/oxlint-other-rule.ts')).toEqual([false]);
    expect(suppressedIn('src/eslint-config-other-rule.ts')).toEqual([false]);
    expect(suppressedIn('src/tslib-banner.js')).toEqual([false, false]);
    expect(suppressedIn('src/global-off.js')).toEqual([false, false]);
  });

  it('hides and classifies what ESLint does, on files that combine every form of disable comment', () => {
    const rule = 'bounded-http/no-unbounded-fetch';
    const lines = [
      '/* eslint-disable */',
      '/* eslint-enable */',
      `/* eslint-disable ${rule} */`,
      `/* eslint-enable ${rule} */`,
      '/* eslint-disable bounded-http/no-global-agent */',
      '/* eslint-disable no-console */',
      '/* eslint-enable no-console */',
      `// eslint-disable-next-line ${rule}`,
      '// eslint-disable-next-line',
      `// eslint-disable-next-line ${rule} -- long-poll`,
      `// eslint-disable-next-line bounded-http/no-global-agent, ${rule} -- set once`,
      '// eslint-disable-next-line no-console -- not ours',
      'export const a$ = (url: string) => fetch(url);',
      `export const b$ = (url: string) => fetch(url); // eslint-disable-line ${rule}`,
      'export const c$ = (url: string) => fetch(url); // eslint-disable-line',
      `/* eslint-disable-next-line ${rule} */ export const d$ = fetch('/x');`,
      `export const e$ = fetch(\n  '/x',\n); // eslint-disable-line ${rule}`,
      'https.globalAgent.maxSockets = 1;',
      '',
    ];
    // A fixed linear congruential sequence: the same 80 files on every run.
    let state = 7;
    const next = (bound: number): number => (state = (state * 48_271) % 2_147_483_647) % bound;
    const files: Record<string, string> = {};
    for (let file = 0; file < 80; file += 1) {
      const body = ["import https from 'node:https';"];
      const count = 3 + next(8);
      for (let line = 0; line < count; line += 1) body.push((lines[next(lines.length)] ?? '').replace('$', `${String(line)}`));
      files[`src/mix-${String(file)}.ts`] = `${[...body, 'export const last = (url: string) => fetch(url);'].join('\n')}\n`;
    }
    const repo = makeRepo(files);
    const eslint = auditJson(repo, 'eslint');
    expect(comparable(auditJson(repo, 'oxlint').report)).toEqual(comparable(eslint.report));
    const totals = eslint.report['totals'] as { findings: number; suppressed: number };
    expect(totals.suppressed).toBeGreaterThan(50);
    expect(totals.findings).toBeGreaterThan(50);
  });

  it('is refused next to --type-aware, which oxlint cannot give the rules', () => {
    const repo = makeRepo(tree);
    const result = runCli(['audit', '--quiet', '--engine', 'oxlint', '--type-aware'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--engine oxlint cannot run with --type-aware');
  });

  it('auto picks oxlint when it is installed, and ESLint where a flag needs it', () => {
    const repo = makeRepo({ 'src/user.ts': unboundedFetch, 'tsconfig.json': '{ "include": ["src"] }' });
    expect((auditJson(repo, 'auto').report['options'] as Record<string, unknown>)['engine']).toBe('oxlint');
    expect((auditJson(repo, 'auto', ['--type-aware']).report['options'] as Record<string, unknown>)['engine']).toBe('eslint');
  });
});
