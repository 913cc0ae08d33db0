/**
 * The re-parse guard of process-file: a fixed text that does not parse is never written. fixSites already
 * refuses a rewrite that TypeScript cannot parse, so no real input reaches this second guard (which parses with
 * the same engine as the lint gate); a transform that emits broken text is simulated through the processor's
 * `fixSites` seam, wrapping the real one so that findings, outcomes and the rest stay genuine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { fixSites } from '../src/fix-file.js';
import { createFileProcessor, type FileProcessorSeams, type FileTask } from '../src/process-file.js';
import { writeOutcome } from '../src/write-outcome.js';
import { makeFolder, removeTemporaryFolders } from './cli/support/cli-harness.js';
import { unboundedFetch } from './cli/support/sources.js';

afterAll(removeTemporaryFolders);

function fixTask(rootDir: string): FileTask {
  return { command: 'fix', fixOptions: { timeoutMs: 30_000, strict: false, rootDir }, dryRun: false };
}

/** The real rewrite with its closing parenthesis lost: the kind of bug a transform could have. */
function brokenFixSites(calls: string[]): NonNullable<FileProcessorSeams['fixSites']> {
  return (text, filePath, sites, options) => {
    calls.push(filePath);
    const real = fixSites(text, filePath, sites, options);
    return { ...real, text: real.text.replace('AbortSignal.timeout(30_000)', 'AbortSignal.timeout(30_000') };
  };
}

/** Every entry of the folder with its bytes and modification time. */
function folderState(dir: string): Array<[string, string, number]> {
  return readdirSync(dir)
    .sort()
    .map((name) => [name, readFileSync(join(dir, name), 'utf8'), statSync(join(dir, name)).mtimeMs]);
}

describe('process-file: a fixed text that does not parse', () => {
  it('is a failed record naming the file and the reason, and nothing is written', async () => {
    const repo = makeFolder({ 'src/user.ts': unboundedFetch });
    const src = join(repo, 'src');
    const before = folderState(src);
    const calls: string[] = [];
    const processFile = await createFileProcessor(fixTask(repo), { fixSites: brokenFixSites(calls) });

    const outcome = processFile({ path: join(src, 'user.ts'), repo });
    expect(calls).toEqual([join(src, 'user.ts')]);
    expect(outcome.record.status).toBe('failed');
    expect(outcome.record.error).toBe(
      "src/user.ts: the fixed text does not parse, so the file was left unchanged: 2:57 Parsing error: ',' expected; please report this case",
    );
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
