import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import { repoRoot } from './repo-paths.js';

/** A fenced code block, with the 1-based line of its opening fence and the line just above that fence. */
export interface CodeBlock {
  language: string;
  code: string;
  line: number;
  lineAbove: string;
}

export interface MarkdownLink {
  target: string;
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/;

/**
 * Splits a page into its fenced code blocks and the prose around them (code lines blanked, so line numbers hold).
 * Only a closing fence of the same character and at least the same length ends a block, as CommonMark says.
 */
export function splitMarkdown(text: string): { prose: string[]; blocks: CodeBlock[] } {
  const lines = text.split('\n');
  const prose: string[] = [];
  const blocks: CodeBlock[] = [];
  let open: { fence: string; language: string; line: number; lineAbove: string; code: string[] } | undefined;
  lines.forEach((line, index) => {
    const fence = FENCE.exec(line);
    if (open === undefined && fence !== null) {
      const [, marker = '', language = ''] = fence;
      open = { fence: marker, language: language.toLowerCase(), line: index + 1, lineAbove: lines[index - 1] ?? '', code: [] };
      prose.push('');
    } else if (open !== undefined) {
      const closes = fence !== null && fence[2] === '' && fence[1]?.[0] === open.fence[0] && (fence[1]?.length ?? 0) >= open.fence.length;
      if (closes) {
        blocks.push({ language: open.language, code: open.code.join('\n'), line: open.line, lineAbove: open.lineAbove });
        open = undefined;
      } else {
        open.code.push(line);
      }
      prose.push('');
    } else {
      prose.push(line);
    }
  });
  if (open !== undefined) throw new Error(`the code block opened on line ${open.line} is never closed`);
  return { prose, blocks };
}

/** Inline links and images `[text](target "title")`, autolinks aside, and reference definitions `[id]: target`. */
export function findLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  splitMarkdown(text).prose.forEach((rawLine, index) => {
    const line = rawLine.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
    for (const match of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: (match[1] ?? '').replace(/^<|>$/g, ''), line: index + 1 });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
    if (definition !== null) links.push({ target: (definition[1] ?? '').replace(/^<|>$/g, ''), line: index + 1 });
  });
  return links;
}

/** The text GitHub renders for a heading: inline code, emphasis and links reduced to their words. */
function renderedHeadingText(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*{1,3}|\b_{1,3}|_{1,3}\b)/g, '')
    .trim();
}

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of splitMarkdown(text).prose) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading !== null) {
      const base = renderedHeadingText(heading[1] ?? '')
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
        .replace(/ /g, '-');
      const repeats = seen.get(base) ?? 0;
      seen.set(base, repeats + 1);
      anchors.add(repeats === 0 ? base : `${base}-${repeats}`);
    }
    for (const explicit of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(explicit[1] ?? '');
  }
  return anchors;
}

function markdownFilesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md') && !path.split(sep).some((part) => part === 'node_modules' || part === 'dist'))
    .map((path) => join(directory, path));
}

/**
 * Every page a reader can reach on GitHub: README.md, docs/**, each top-level folder's README.md and docs/**,
 * and examples/**. Found on disk, so pages added by any branch are checked without editing this list.
 */
export function documentationPages(): string[] {
  const topLevelFolders = readdirSync(repoRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => join(repoRoot, entry.name));
  const pages = [
    join(repoRoot, 'README.md'),
    ...topLevelFolders.flatMap((folder) => [join(folder, 'README.md'), ...markdownFilesUnder(join(folder, 'docs'))]),
    ...markdownFilesUnder(join(repoRoot, 'docs')),
    ...markdownFilesUnder(join(repoRoot, 'examples')),
  ];
  return [...new Set(pages)].filter((page) => existsSync(page)).sort();
}

export const readPage = (page: string): string => readFileSync(page, 'utf8');
export const fromRoot = (path: string): string => relative(repoRoot, path).split(sep).join('/');
