import { describe, expect, it } from 'vitest';

import { createProgress } from '../../src/progress.js';

function recordingStream(isTTY: boolean): { isTTY: boolean; chunks: string[]; write(text: string): boolean } {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (text) => chunks.push(text) > 0 };
}

// The CLI tests cover the non-TTY and --quiet modes through the built bin; a TTY needs a fake stream.
describe('progress display', () => {
  it('redraws one line in place on a TTY and clears it when done', () => {
    const stream = recordingStream(true);
    const progress = createProgress({ label: 'bounded-http audit', total: 3, quiet: false, stream });
    for (let file = 0; file < 3; file += 1) progress.advance();
    progress.done();
    expect(stream.chunks[0]).toBe('\r\x1b[Kbounded-http audit: 1/3 files');
    expect(stream.chunks.at(-2)).toBe('\r\x1b[Kbounded-http audit: 3/3 files');
    expect(stream.chunks.at(-1)).toBe('\r\x1b[K');
    expect(stream.chunks.join('')).not.toContain('\n');
  });

  it('prints one plain line per tenth of the run otherwise', () => {
    const stream = recordingStream(false);
    const progress = createProgress({ label: 'bounded-http fix', total: 100, quiet: false, stream });
    for (let file = 0; file < 100; file += 1) progress.advance();
    progress.done();
    expect(stream.chunks).toEqual(Array.from({ length: 10 }, (_, tenth) => `bounded-http fix: ${(tenth + 1) * 10}/100 files\n`));
  });

  it('never prints the same count twice on a short run', () => {
    const stream = recordingStream(false);
    const progress = createProgress({ label: 'bounded-http fix', total: 3, quiet: false, stream });
    for (let file = 0; file < 3; file += 1) progress.advance();
    expect(stream.chunks).toEqual(['bounded-http fix: 1/3 files\n', 'bounded-http fix: 2/3 files\n', 'bounded-http fix: 3/3 files\n']);
  });

  it('prints nothing with --quiet', () => {
    const stream = recordingStream(true);
    const progress = createProgress({ label: 'bounded-http audit', total: 5, quiet: true, stream });
    progress.advance();
    progress.done();
    expect(stream.chunks).toEqual([]);
  });
});
