/**
 * Vue single-file components and Svelte components for the zero-config `audit` and `fix`: only their
 * `<script>` blocks hold code to check. The component is read as one script file in which everything outside
 * the script blocks is blanked to spaces (line breaks kept), so every offset, line and column of a finding is
 * the component's own, and `<script>` and `<script setup>` share one module scope as they do at run time.
 * `fix` rewrites that script view; the edits are carried back into the component only when each one lies
 * inside a script block, so the template, styles and markup stay byte-for-byte.
 */
import { diffChars } from 'diff';
import path from 'node:path';

/** One script block's content, as offsets into the component's text. */
export interface ScriptBlock {
  readonly start: number;
  readonly end: number;
  readonly typescript: boolean;
}

/** The script view of a component: what the linter and the transforms read instead of the component. */
export interface ScriptView {
  readonly text: string;
  /** A file name whose extension tells the parser the language (`Items.vue.ts`). */
  readonly filename: string;
  readonly blocks: readonly ScriptBlock[];
}

const FRAMEWORK_EXTENSIONS = new Set(['.vue', '.svelte']);

export function isFrameworkFile(filePath: string): boolean {
  return FRAMEWORK_EXTENSIONS.has(path.extname(filePath).toLowerCase());
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/gu;
const SCRIPT_OPEN = /<script\b([^>]*)>/giu;
const SCRIPT_CLOSE = /<\/script\s*>/iu;

/**
 * The top-level `<script>` blocks (`<script setup>`, `<script context="module">`, `<script module>` too), skipping
 * HTML comments. A block whose `type` is not JavaScript (`type="text/x-template"`) holds no code to check.
 */
export function scriptBlocks(text: string): ScriptBlock[] {
  const comments: [number, number][] = [...text.matchAll(COMMENT)].map((match) => [match.index, match.index + match[0].length]);
  const inComment = (offset: number): boolean => comments.some(([start, end]) => offset >= start && offset < end);
  const blocks: ScriptBlock[] = [];
  SCRIPT_OPEN.lastIndex = 0;
  for (let open = SCRIPT_OPEN.exec(text); open; open = SCRIPT_OPEN.exec(text)) {
    if (inComment(open.index)) continue;
    const attributes = open[1] ?? '';
    const start = open.index + open[0].length;
    const close = SCRIPT_CLOSE.exec(text.slice(start));
    const end = close ? start + close.index : text.length;
    SCRIPT_OPEN.lastIndex = close ? end + close[0].length : text.length;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/iu.exec(attributes)?.[1]?.toLowerCase();
    if (type !== undefined && !/^(?:module|text\/javascript|application\/javascript|text\/typescript)$/u.test(type)) continue;
    blocks.push({ start, end, typescript: /\blang\s*=\s*["']?(?:ts|typescript)\b/iu.test(attributes) });
  }
  return blocks;
}

/** Everything outside the blocks becomes a space; line breaks stay, so lines and columns do not move. */
function blankOutside(text: string, blocks: readonly ScriptBlock[]): string {
  let view = '';
  let offset = 0;
  for (const block of blocks) {
    view += text.slice(offset, block.start).replace(/[^\r\n]/gu, ' ') + text.slice(block.start, block.end);
    offset = block.end;
  }
  return view + text.slice(offset).replace(/[^\r\n]/gu, ' ');
}

/** The script view of a `.vue`/`.svelte` file, or `undefined` for any other file. */
export function scriptViewOf(text: string, filePath: string): ScriptView | undefined {
  if (!isFrameworkFile(filePath)) return undefined;
  const blocks = scriptBlocks(text);
  return { text: blankOutside(text, blocks), filename: `${filePath}.${blocks.some((block) => block.typescript) ? 'ts' : 'js'}`, blocks };
}

/**
 * Carries the rewrite of a script view back into the component: `undefined` when an edit would land outside a
 * script block (the file is then left alone). The result is checked both ways: its own script view is exactly
 * the rewritten view, and outside the blocks it is the original text.
 */
export function applyScriptViewEdits(original: string, view: ScriptView, rewritten: string): string | undefined {
  const inside = (from: number, to: number): boolean => view.blocks.some((block) => from >= block.start && to <= block.end);
  let result = '';
  let offset = 0;
  for (const part of diffChars(view.text, rewritten)) {
    const length = part.value.length;
    if (part.added === true) {
      if (!inside(offset, offset)) return undefined;
      result += part.value;
    } else if (part.removed === true) {
      if (!inside(offset, offset + length)) return undefined;
      offset += length;
    } else {
      result += original.slice(offset, offset + length);
      offset += length;
    }
  }
  const blocks = scriptBlocks(result);
  if (blocks.length !== view.blocks.length || blankOutside(result, blocks) !== rewritten) return undefined;
  const outside = (text: string, of: readonly ScriptBlock[]): string =>
    of.reduce((kept, block, index) => kept + text.slice(index === 0 ? 0 : (of[index - 1]?.end ?? 0), block.start), '') + text.slice(of[of.length - 1]?.end ?? 0);
  return outside(result, blocks) === outside(original, view.blocks) ? result : undefined;
}
