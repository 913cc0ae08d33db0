import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { documentationPages, findLinks, fromRoot, headingAnchors, readPage, splitMarkdown } from './support/markdown.js';

// GitHub renders these pages; a relative link that does not resolve is a 404 in front of the reader. Pages are
// discovered on disk, so every page any branch adds is checked, and the parsing helpers are tested first so that a
// page whose links all pass is not passing because nothing was parsed.

describe('the markdown helpers', () => {
  it('find inline links, images and reference definitions outside code', () => {
    const page = [
      'See [the pattern](pattern.md#total-deadlines) and ![diagram](img/a.png "title").',
      'Not `[code](nope.md)`, nor:',
      '```md',
      '[in a block](nope.md)',
      '```',
      '[ref]: <../README.md>',
    ].join('\n');
    expect(findLinks(page)).toEqual([
      { target: 'pattern.md#total-deadlines', line: 1 },
      { target: 'img/a.png', line: 1 },
      { target: '../README.md', line: 6 },
    ]);
  });

  it('compute GitHub heading anchors, including repeats and inline code', () => {
    const anchors = headingAnchors(
      ['# The `timeout` option: idle, not total', '## Setup', '## Setup', '```sh', '# not a heading', '```', '<a id="custom"></a>'].join('\n'),
    );
    expect([...anchors].sort()).toEqual(['custom', 'setup', 'setup-1', 'the-timeout-option-idle-not-total']);
  });

  it('split fenced blocks with their language and the line above', () => {
    const { blocks } = splitMarkdown(['<!-- source: a.ts -->', '````ts', 'const a = 1;', '```', '````'].join('\n'));
    expect(blocks).toEqual([{ language: 'ts', code: 'const a = 1;\n```', line: 2, lineAbove: '<!-- source: a.ts -->' }]);
  });
});

describe('documentation links', () => {
  const pages = documentationPages();

  it('finds the pages to check', () => {
    expect(pages.map(fromRoot)).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/pattern.md', 'docs/adoption.md']));
  });

  it.each(pages.map((page) => [fromRoot(page), page]))('%s: every relative link resolves, anchors included', (_name, page) => {
    const broken: string[] = [];
    for (const { target, line } of findLinks(readPage(page))) {
      if (/^[a-z][a-z\d+.-]*:/i.test(target)) continue; // https:, mailto: and the like are not files
      const [pathPart = '', anchor] = target.split('#', 2);
      const path = decodeURIComponent(pathPart);
      const resolved = path === '' ? page : resolve(dirname(page), path);
      if (!existsSync(resolved)) {
        broken.push(`line ${line}: ${target} → ${fromRoot(resolved)} does not exist`);
        continue;
      }
      if (anchor !== undefined && anchor !== '' && statSync(resolved).isFile() && resolved.endsWith('.md')) {
        if (!headingAnchors(readPage(resolved)).has(decodeURIComponent(anchor).toLowerCase())) {
          broken.push(`line ${line}: ${target} → no heading with anchor #${anchor} in ${fromRoot(resolved)}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
