/**
 * The per-file processor's guards: a rewrite that does not parse is never written, a file that is not UTF-8 is
 * never rewritten (nor decoded lossily), and a read-only file is reported rather than replaced. A transform that
 * emits broken text is simulated through fixSites' `transforms` seam: no real transform does that.
 */
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import type { FileTask } from '../src/file-job.js';
import { createFileProcessor } from '../src/process-file.js';
import { transforms } from '../src/transforms/index.js';
import type { Transform } from '../src/transforms/types.js';
import { writeOutcome } from '../src/write-outcome.js';
import { makeFolder, removeTemporaryFolders } from './cli/support/cli-harness.js';
import { unboundedFetch } from './cli/support/sources.js';

afterAll(removeTemporaryFolders);

function fixTask(rootDir: string, dryRun = false): FileTask {
  return { command: 'fix', fixOptions: { timeoutMs: 30_000, strict: false, rootDir }, dryRun };
}

/** The real fetch rewrite with its closing parenthesis lost: the kind of bug a transform could have. */
function brokenFetch(calls: string[]): Transform {
  const real = transforms.find((transform) => transform.name === 'fetch');
  if (!real) throw new Error('no fetch transform');
  return {
    name: 'fetch',
    appliesTo: (site, node, context) => real.appliesTo(site, node, context),
    fix: (site, node, context) => {
      calls.push(context.filePath);
      const result = real.fix(site, node, context);
      if (result.action !== 'fixed') return result;
      return { ...result, edits: result.edits.map((edit) => ({ ...edit, text: edit.text.replace('AbortSignal.timeout(30_000)', 'AbortSignal.timeout(30_000') })) };
    },
  };
}

/** Every entry of the folder with its bytes and modification time. */
function folderState(dir: string): Array<[string, string, number]> {
  return readdirSync(dir)
    .sort()
    .map((name) => [name, readFileSync(join(dir, name)).toString('base64'), statSync(join(dir, name)).mtimeMs]);
}

describe('process-file: a fixed text that does not parse', () => {
  it('is a failed record naming the file and the reason, and nothing is written', async () => {
    const repo = makeFolder({ 'src/user.ts': unboundedFetch });
    const src = join(repo, 'src');
    const before = folderState(src);
    const calls: string[] = [];
    const processFile = await createFileProcessor(fixTask(repo), { transforms: [brokenFetch(calls)] });

    const outcome = processFile({ path: join(src, 'user.ts'), repo });
    expect(calls).toEqual([join(src, 'user.ts')]);
    expect(outcome.record.status).toBe('failed');
    expect(outcome.record.error).toBe("src/user.ts: the rewrite would not parse (2:58 ',' expected.); the file was left unchanged, please report this case");
    expect(outcome.newText).toBeUndefined();
    expect(outcome.diff).toBeUndefined();

    // fix's write step, given this outcome, leaves the bytes, the mtime and the folder listing (no temp file) as they were.
    writeOutcome(outcome);
    expect(outcome.record.status).toBe('failed');
    expect(folderState(src)).toEqual(before);
  });

  it('is the only difference from a sound rewrite, which the same steps do write', async () => {
    const repo = makeFolder({ 'src/user.ts': unboundedFetch });
    const src = join(repo, 'src');
    const processFile = await createFileProcessor(fixTask(repo));

    const outcome = processFile({ path: join(src, 'user.ts'), repo });
    expect(outcome.record.status).toBe('fixed');
    expect(outcome.record.error).toBeUndefined();
    writeOutcome(outcome);
    expect(readFileSync(join(src, 'user.ts'), 'utf8')).toBe(unboundedFetch.replace('fetch(url)', 'fetch(url, { signal: AbortSignal.timeout(30_000) })'));
    expect(readdirSync(src)).toEqual(['user.ts']);
  });
});

/** `unboundedFetch` with a string literal holding `é`, in the given bytes. */
const withAccent = unboundedFetch.replace('return fetch(url);', "const label = 'café';\n  return fetch(url, { headers: { 'x-label': label } });");
const encodings: Array<[string, Buffer, string]> = [
  ['Latin-1', Buffer.from(withAccent, 'latin1'), 'invalid UTF-8 from line 2, e.g. Latin-1 or Windows-1252'],
  ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(withAccent, 'utf16le')]), 'UTF-16 (it starts with the byte order mark FF FE)'],
  ['UTF-16 LE without a BOM', Buffer.from(withAccent, 'utf16le'), 'it holds NUL bytes (first at byte 1): UTF-16 without a byte order mark, or not text'],
];

describe('process-file: the encoding is checked before anything is rewritten', () => {
  it.each(encodings)('%s: skipped as not UTF-8, with a message naming the file, and never rewritten (dry run or not)', async (_name, bytes, detail) => {
    const repo = makeFolder({});
    const file = join(repo, 'legacy.ts');
    writeFileSync(file, bytes);
    for (const dryRun of [true, false]) {
      const outcome = (await createFileProcessor(fixTask(repo, dryRun)))({ path: file, repo });
      expect(outcome).toEqual({
        record: {
          path: 'legacy.ts',
          repo,
          status: 'skipped',
          reason: 'not UTF-8',
          message: `legacy.ts: not UTF-8: ${detail}, so fix leaves it as it is; convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8) and run again`,
          sites: [],
        },
      });
      writeOutcome(outcome);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    }
    const audited = (await createFileProcessor({ command: 'audit', config: 'recommended' }))({ path: file, repo });
    expect(audited.record).toMatchObject({ status: 'skipped', reason: 'not UTF-8' });
  });

  it('UTF-8 with a BOM is rewritten, BOM and the non-ASCII text kept', async () => {
    const repo = makeFolder({});
    const file = join(repo, 'bom.ts');
    writeFileSync(file, `\uFEFF${withAccent}`, 'utf8');
    const outcome = (await createFileProcessor(fixTask(repo)))({ path: file, repo });
    expect(outcome.record.status).toBe('fixed');
    writeOutcome(outcome);
    const written = readFileSync(file, 'utf8');
    expect(written.startsWith("\uFEFFexport async function loadUser(url: string) {\n  const label = 'café';")).toBe(true);
    expect(written).toContain("headers: { 'x-label': label }, signal: AbortSignal.timeout(30_000)");
  });
});

describe('process-file: a read-only file', () => {
  it('is reported skipped (read-only) with its sites left, and neither rewritten nor re-moded', async () => {
    const repo = makeFolder({ 'src/user.ts': unboundedFetch });
    const file = join(repo, 'src/user.ts');
    chmodSync(file, 0o444);
    const outcome = (await createFileProcessor(fixTask(repo)))({ path: file, repo });
    expect(outcome.record).toMatchObject({ status: 'skipped', reason: 'read-only', remaining: 1 });
    expect(outcome.record.message).toBe('src/user.ts: read-only, so fix leaves it as it is rather than replacing it; make it writable (chmod u+w) and run fix again');
    expect(outcome.record.sites).toEqual([expect.objectContaining({ action: 'skipped', reason: expect.stringMatching(/^the file is read-only; this site would be fixed: /u) as unknown })]);
    expect(outcome.newText).toBeUndefined();
    writeOutcome(outcome);
    expect(readFileSync(file, 'utf8')).toBe(unboundedFetch);
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });
});
