import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';

/**
 * Recall and false positives of the `recommended` preset on hand-written, realistic snippets.
 *
 * Every outbound call in `tests/fixtures/corpus/` carries a label on the line where the call starts:
 * `// expect: unbounded` or `// expect: bounded`. An instance (axios.create, got.extend, new Pool, ...)
 * is reported once where it is created, so for instances the label sits on the creation line and the calls
 * made on it are left unlabelled. A labelled line counts as flagged when a report of a bounded-http rule
 * starts on it.
 */
const corpusDirectory = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
const LABEL = /\/\/ expect: (unbounded|bounded)\b/;

interface FileResult {
  readonly file: string;
  readonly missed: number[];
  readonly falsePositives: number[];
  readonly unlabelledReports: number[];
  readonly unbounded: number;
  readonly bounded: number;
}

function lintCorpusFile(file: string): FileResult {
  const code = readFileSync(`${corpusDirectory}${file}`, 'utf8');
  const linter = new Linter();
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.js'],
        languageOptions: { parser: tsParser, sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: false } } },
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
      },
      plugin.configs.recommended,
    ],
    file.endsWith('.ts') ? file : `${file}.js`,
  );
  const problem = messages.find((message) => message.ruleId === null);
  if (problem) throw new Error(`corpus file ${file} was not linted: ${problem.message}`);
  const reportedLines = new Set(messages.filter((message) => message.ruleId?.startsWith('bounded-http/')).map((message) => message.line));
  const labels = new Map<number, 'unbounded' | 'bounded'>();
  code.split('\n').forEach((line, index) => {
    const label = LABEL.exec(line)?.[1];
    if (label === 'unbounded' || label === 'bounded') labels.set(index + 1, label);
  });
  const linesWith = (wanted: 'unbounded' | 'bounded') => [...labels].filter(([, label]) => label === wanted).map(([line]) => line);
  return {
    file,
    missed: linesWith('unbounded').filter((line) => !reportedLines.has(line)),
    falsePositives: linesWith('bounded').filter((line) => reportedLines.has(line)),
    unlabelledReports: [...reportedLines].filter((line) => !labels.has(line)),
    unbounded: linesWith('unbounded').length,
    bounded: linesWith('bounded').length,
  };
}

describe('recall and false positives of the recommended preset on the labelled corpus', () => {
  const files = readdirSync(corpusDirectory).filter((file) => /\.(?:ts|js|mjs|cjs)$/.test(file)).sort();
  const results = files.map(lintCorpusFile);
  const unbounded = results.reduce((sum, result) => sum + result.unbounded, 0);
  const bounded = results.reduce((sum, result) => sum + result.bounded, 0);
  const missed = results.flatMap((result) => result.missed.map((line) => `${result.file}:${line}`));
  const falsePositives = results.flatMap((result) => result.falsePositives.map((line) => `${result.file}:${line}`));
  const recall = (unbounded - missed.length) / unbounded;
  const falsePositiveRate = falsePositives.length / bounded;

  it('has a corpus large enough to measure', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(unbounded).toBeGreaterThanOrEqual(25);
    expect(bounded).toBeGreaterThanOrEqual(25);
  });

  it('reports only on labelled lines (an unlabelled report is a labelling gap or a stray finding)', () => {
    expect(results.flatMap((result) => result.unlabelledReports.map((line) => `${result.file}:${line}`))).toEqual([]);
  });

  it('finds at least 90% of the unbounded calls and flags at most 2% of the bounded ones', () => {
    console.log(
      `corpus: ${files.length} files, ${unbounded} unbounded and ${bounded} bounded calls; ` +
        `recall ${(recall * 100).toFixed(1)}% (missed: ${missed.join(', ') || 'none'}), ` +
        `false positives ${(falsePositiveRate * 100).toFixed(1)}% (${falsePositives.join(', ') || 'none'})`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(falsePositiveRate).toBeLessThanOrEqual(0.02);
  });
});
