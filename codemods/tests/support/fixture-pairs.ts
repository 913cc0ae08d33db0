/** The fixture pairs of tests/fixtures, discovered as fixtures.test.ts describes them; shared with the fix invariant test. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { FixOptions, SiteOutcome } from '../../src/fix-file.js';
import { fixturesDir } from './type-check.js';

export interface Fixture {
  transform: string;
  name: string;
  /** Where the fixture pretends to live: its own folder, so the nearest package.json is this package's. */
  filePath: string;
  input: string;
  expected: string;
  options: FixOptions;
  outcomes?: Array<Pick<SiteOutcome, 'ruleId' | 'action'> & Partial<Pick<SiteOutcome, 'transform'>> & { warnings?: number; reason?: string }>;
}

const defaultOptions: FixOptions = { timeoutMs: 30_000, strict: false, allowAbortSignalAny: true, rootDir: fixturesDir };

/** Every fixture pair under tests/fixtures/<transform>/, with its options and pinned outcomes. */
export function discoverFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const transform of readdirSync(fixturesDir, { withFileTypes: true })) {
    if (!transform.isDirectory()) continue;
    const dir = path.join(fixturesDir, transform.name);
    for (const file of readdirSync(dir).sort()) {
      const match = /^(.+)\.input\.([cm]?[jt]sx?)$/u.exec(file);
      if (!match?.[1] || !match[2]) continue;
      const [, name, extension] = match;
      const sibling = (suffix: string): string => path.join(dir, `${name}.${suffix}`);
      const input = readFileSync(path.join(dir, file), 'utf8');
      const outputPath = sibling(`output.${extension}`);
      const optionsPath = sibling('options.json');
      const outcomesPath = sibling('outcomes.json');
      const fixture: Fixture = {
        transform: transform.name,
        name,
        filePath: path.join(dir, `${name}.${extension}`),
        input,
        expected: existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : input,
        options: { ...defaultOptions, ...(existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as Partial<FixOptions>) : {}) },
      };
      if (existsSync(outcomesPath)) fixture.outcomes = JSON.parse(readFileSync(outcomesPath, 'utf8')) as NonNullable<Fixture['outcomes']>;
      fixtures.push(fixture);
    }
  }
  return fixtures;
}

