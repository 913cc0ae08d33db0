/**
 * A multi-file project: `--client` must write the right relative import in each folder, reuse an existing
 * import, leave the module that defines the client alone, and the rewritten project must type-check as a
 * whole (the new imports resolve).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { type FixOptions, fixFile } from '../../src/fix-file.js';
import { fixturesDir, typeErrors } from '../support/type-check.js';

const projectDir = path.join(fixturesDir, 'bounded-client', 'project');
const inputDir = path.join(projectDir, 'input');
const outputDir = path.join(projectDir, 'output');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

const options: FixOptions = {
  timeoutMs: 30_000,
  strict: false,
  allowAbortSignalAny: true,
  client: 'boundedFetch from ./src/lib/http.js',
  rootDir: inputDir,
};

describe('--client retrofit of a multi-file project', () => {
  const files = filesUnder(inputDir);
  const results = new Map(
    files.map((file) => {
      const filePath = path.join(inputDir, file);
      return [file, fixFile(readFileSync(filePath, 'utf8'), filePath, options)] as const;
    }),
  );

  it('has the same files in input and output', () => {
    expect(filesUnder(outputDir)).toEqual(files);
    expect(files).toEqual(['src/features/orders/load.ts', 'src/index.ts', 'src/lib/http.ts']);
  });

  it.each(files)('rewrites %s to the expected output', (file) => {
    expect(results.get(file)?.text).toBe(readFileSync(path.join(outputDir, file), 'utf8'));
  });

  it('skips the module that defines the client and says why', () => {
    const outcomes = results.get('src/lib/http.ts')?.outcomes ?? [];
    expect(outcomes.map((outcome) => outcome.action)).toEqual(['skipped']);
    expect(outcomes[0]?.reason).toContain('defines the bounded client boundedFetch');
  });

  it('type-checks as a project, new relative imports included', () => {
    const checked = path.join(projectDir, 'checked');
    expect(typeErrors(files.map((file) => ({ path: path.join(checked, file), text: results.get(file)?.text ?? '' })))).toEqual([]);
  });

  it('changes nothing on a second run', () => {
    for (const file of files) {
      const text = results.get(file)?.text ?? '';
      expect(fixFile(text, path.join(inputDir, file), options).changed).toBe(false);
    }
  });
});
