import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { type FixOptions, fixFile } from '../codemods/src/fix-file.js';
import { splitMarkdown, type CodeBlock } from './support/markdown.js';
import { repoPath } from './support/repo-paths.js';

// docs/codemods.md shows each transform as a `// before` / `// after` pair. A reader copies the "after" as what
// `bounded-http fix` writes, so each pair is run here through the real fix and compared byte for byte. What the
// page leaves out to stay short (imports, the file the code is in, the flags) is in an HTML comment on the line
// above the block, which GitHub does not render:
//   <!-- fix-example: {"file": "src/orders/load.ts", "options": {"strict": true}, "prelude": "import axios from 'axios';\n"} -->
// The prelude is prepended to both halves. The page's other blocks (sh) are parsed by bash, as the guides' are.

const PAGE = 'docs/codemods.md';
const MARKER = /^<!-- fix-example: (.*) -->$/;
const BEFORE = /^\/\/ before(?: \(.*\))?$/;
const AFTER = /^\/\/ after$/;

/** The fix options a block may set, as `bounded-http fix` flags name them in FixOptions. */
const SETTABLE_OPTIONS = ['timeoutMs', 'timeoutExpr', 'timeoutImport', 'client', 'strict', 'transforms', 'allowAbortSignalAny', 'opaqueOptions'];

/** `fix`'s defaults: `--timeout-ms 30000`, the recommended preset, a target Node version with AbortSignal.any. */
const DEFAULT_OPTIONS: FixOptions = { timeoutMs: 30_000, strict: false, allowAbortSignalAny: true };

// fixFile reads nothing from disk: the root only anchors the relative paths of `--client` and `--timeout-import`,
// as the folder `fix` runs in does. A folder that does not exist keeps the examples independent of this checkout.
const VIRTUAL_REPO_ROOT = path.resolve('/virtual-service');

interface FixExample {
  where: string;
  file: string;
  options: FixOptions;
  before: string;
  after: string;
}

const pageText = readFileSync(repoPath(PAGE), 'utf8');
const blocks = splitMarkdown(pageText).blocks.map((block) => ({ ...block, where: `${PAGE}:${block.line}` }));
const isPairBlock = (block: CodeBlock): boolean => block.code.split('\n').some((line) => BEFORE.test(line) || AFTER.test(line));
const pairBlocks = blocks.filter(isPairBlock);
const markerCount = pageText.split('\n').filter((line) => MARKER.test(line.trim())).length;

/** Reads the block's marker and halves; throws a message naming the block and what to write instead. */
function toExample(block: CodeBlock & { where: string }): FixExample {
  const marker = MARKER.exec(block.lineAbove.trim());
  if (marker === null) throw new Error(`${block.where}: put <!-- fix-example: {...} --> on the line directly above this block`);
  let context: unknown;
  try {
    context = JSON.parse(marker[1] ?? '');
  } catch (error) {
    throw new Error(`${block.where}: the fix-example comment is not JSON (${String(error)})`, { cause: error });
  }
  if (typeof context !== 'object' || context === null || Array.isArray(context)) throw new Error(`${block.where}: the fix-example comment must hold a JSON object`);
  const { file = 'src/example.ts', options = {}, prelude = '', ...unknownKeys } = context as Record<string, unknown>;
  if (Object.keys(unknownKeys).length > 0) throw new Error(`${block.where}: unknown fix-example keys ${Object.keys(unknownKeys).join(', ')}; known: file, options, prelude`);
  if (typeof file !== 'string' || typeof prelude !== 'string' || typeof options !== 'object' || options === null) {
    throw new Error(`${block.where}: fix-example wants "file" and "prelude" strings and an "options" object`);
  }
  const unknownOptions = Object.keys(options).filter((key) => !SETTABLE_OPTIONS.includes(key));
  if (unknownOptions.length > 0) throw new Error(`${block.where}: unknown fix options ${unknownOptions.join(', ')}; known: ${SETTABLE_OPTIONS.join(', ')}`);

  const lines = block.code.split('\n');
  const afterIndex = lines.findIndex((line) => AFTER.test(line));
  if (!BEFORE.test(lines[0] ?? '') || afterIndex === -1 || lines.filter((line) => AFTER.test(line) || BEFORE.test(line)).length !== 2) {
    throw new Error(`${block.where}: a fix example is "// before" on its first line, then the code, one "// after" line, then the code`);
  }
  // The reader sees the label, the test reads the comment: where the label names a file or --strict, they must agree.
  const label = /^\/\/ before \((.*)\)$/.exec(lines[0] ?? '')?.[1];
  const fixOptions: FixOptions = { ...DEFAULT_OPTIONS, ...(options as Partial<FixOptions>), rootDir: VIRTUAL_REPO_ROOT };
  if (label !== undefined && /\.[cm]?[jt]sx?$/.test(label) && label !== file) throw new Error(`${block.where}: the label names ${label} but the fix-example file is ${file}`);
  if (label === '--strict' && !fixOptions.strict) throw new Error(`${block.where}: the label says --strict; add "options": {"strict": true} to the fix-example comment`);
  // A file ends with a newline; the block's text stops before its closing fence.
  return {
    where: block.where,
    file,
    options: fixOptions,
    before: `${prelude}${lines.slice(1, afterIndex).join('\n')}\n`,
    after: `${prelude}${lines.slice(afterIndex + 1).join('\n')}\n`,
  };
}

describe(`the before/after examples in ${PAGE}`, () => {
  it('each has a fix-example comment, and no comment is left over: a new example cannot go unchecked', () => {
    expect(pairBlocks.length).toBeGreaterThanOrEqual(8);
    expect(pairBlocks.filter((block) => !MARKER.test(block.lineAbove.trim())).map((block) => block.where)).toEqual([]);
    expect(markerCount).toBe(pairBlocks.length);
  });

  it('every block of the page is either an example run here or a sh block', () => {
    expect(blocks.filter((block) => !isPairBlock(block) && block.language !== 'sh').map((block) => `${block.where} (${block.language || 'none'})`)).toEqual([]);
    expect(pairBlocks.filter((block) => block.language !== 'ts').map((block) => block.where)).toEqual([]);
  });

  it.each(pairBlocks.map((block) => ({ where: block.where, block })))('$where: fix turns the "before" into the "after", byte for byte', ({ block }) => {
    const example = toExample(block);
    expect(example.after).not.toBe(example.before);
    const result = fixFile(example.before, path.join(VIRTUAL_REPO_ROOT, example.file), example.options);
    expect(result.text).toBe(example.after);
    // The page shows only calls fix bounds: none of them may be one it gives up on or skips.
    expect(result.outcomes.filter((outcome) => outcome.action !== 'fixed')).toEqual([]);
  });

  it.each(pairBlocks.map((block) => ({ where: block.where, block })))('$where: a second run leaves the "after" as it is', ({ block }) => {
    const example = toExample(block);
    const second = fixFile(example.after, path.join(VIRTUAL_REPO_ROOT, example.file), example.options);
    expect({ changed: second.changed, fixed: second.outcomes.filter((outcome) => outcome.action === 'fixed') }).toEqual({ changed: false, fixed: [] });
  });

  it('a malformed or contradicting fix-example comment is reported with the block and the fix', () => {
    const block = { language: 'ts', code: '// before\nfetch(url);\n// after\nfetch(url);', line: 7, lineAbove: '<!-- fix-example: {"options": {"stict": true}} -->', where: 'page.md:7' };
    expect(() => toExample(block)).toThrow('page.md:7: unknown fix options stict');
    expect(() => toExample({ ...block, lineAbove: '' })).toThrow('page.md:7: put <!-- fix-example');
    expect(() => toExample({ ...block, code: block.code.replace('// before', '// before (--strict)'), lineAbove: '<!-- fix-example: {} -->' })).toThrow(
      'page.md:7: the label says --strict',
    );
    expect(() => toExample({ ...block, code: block.code.replace('// before', '// before (src/a.ts)'), lineAbove: '<!-- fix-example: {"file": "src/b.ts"} -->' })).toThrow(
      'page.md:7: the label names src/a.ts but the fix-example file is src/b.ts',
    );
  });
});

describe(`the sh blocks in ${PAGE}`, () => {
  it('parse with bash -n', () => {
    const shBlocks = blocks.filter((block) => block.language === 'sh');
    expect(shBlocks.length).toBeGreaterThan(0);
    for (const block of shBlocks) {
      const parsed = spawnSync('bash', ['-n'], { input: block.code, encoding: 'utf8', timeout: 10_000 });
      expect({ block: block.where, status: parsed.status, stderr: parsed.stderr }).toEqual({ block: block.where, status: 0, stderr: '' });
    }
  });
});
