import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { generateCorpus } from '../../scripts/bench/generate-corpus.mjs';

const scratch = mkdtempSync(path.join(tmpdir(), 'corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function readCorpus(dir: string, files: readonly string[]): string {
  return files.map((file) => `// ${file}\n${readFileSync(path.join(dir, file), 'utf8')}`).join('\n');
}

// Benchmarks compare timings across commits and machines only if they lint the same bytes.
describe('generateCorpus', () => {
  it('writes byte-identical corpora for the same seed and different ones for another seed', () => {
    const first = generateCorpus(path.join(scratch, 'a'), { files: 120, seed: 7 });
    const second = generateCorpus(path.join(scratch, 'b'), { files: 120, seed: 7 });
    const other = generateCorpus(path.join(scratch, 'c'), { files: 120, seed: 8 });
    expect(first).toHaveLength(120);
    expect(second).toEqual(first);
    expect(readCorpus(path.join(scratch, 'b'), second)).toBe(readCorpus(path.join(scratch, 'a'), first));
    expect(readCorpus(path.join(scratch, 'c'), other)).not.toBe(readCorpus(path.join(scratch, 'a'), first));
  });

  it('mixes every client family, bounded and unbounded, with ordinary code', () => {
    const dir = path.join(scratch, 'mix');
    const text = readCorpus(dir, generateCorpus(dir, { files: 400, seed: 1 }));
    for (const marker of ["from 'node:https'", "from 'node:http'", "from 'undici'", "from 'axios'", "from 'got'", "from 'ky'", "from 'superagent'", "from '@actions/http-client'", 'globalThis.fetch(', 'await fetch(']) {
      expect(text, marker).toContain(marker);
    }
    expect(text).toContain('AbortSignal.timeout(5_000)');
    expect(text).toMatch(/await fetch\(`[^`]+`\);/u);
    expect(text).toContain('Cache {');
    expect(JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'))).toMatchObject({ include: ['src'] });
  });

  it('rejects a file count that is not a positive whole number', () => {
    expect(() => generateCorpus(path.join(scratch, 'bad'), { files: 0 })).toThrow(/files must be a whole number >= 1/u);
  });
});
