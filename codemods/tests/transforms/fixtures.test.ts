/**
 * Fixture pairs, discovered automatically: `fixtures/<transform>/<case>.input.ts` must become
 * `<case>.output.ts` byte for byte (no trimming: a trimmed comparison hides newline bugs); a missing output
 * means "unchanged". Any JS/TS extension works the same way (`.input.tsx` -> `.output.tsx`, `.cjs`, `.jsx`...),
 * parsed with JSX where the extension allows it. `<case>.options.json` overrides the fix options; `<case>.outcomes.json` pins the
 * outcome per finding. For every fixture: the plugin finds something on the input, a second run changes
 * nothing and leaves no fixable finding, and the output parses and type-checks.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { findSites } from '../../src/find-sites.js';
import { type FixOptions, fixFile, type SiteOutcome, transformNames } from '../../src/fix-file.js';
import { fixturesDir, typeErrors } from '../support/type-check.js';

interface Fixture {
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

function discover(): Fixture[] {
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

const fixtures = discover();

describe('fixture discovery', () => {
  it('finds fixtures for every transform, in folders named after transforms', () => {
    const folders = new Set(fixtures.map((fixture) => fixture.transform));
    for (const folder of folders) expect(transformNames).toContain(folder);
    for (const name of transformNames) expect(folders).toContain(name);
  });

  it('finds .tsx pairs too, so that components get every check below', () => {
    expect(fixtures.filter((fixture) => fixture.filePath.endsWith('.tsx')).map((fixture) => `${fixture.transform}/${fixture.name}`)).toEqual(
      expect.arrayContaining(['fetch/react-component', 'fetch/react-effect-abort-controller']),
    );
    for (const fixture of fixtures.filter((candidate) => candidate.filePath.endsWith('.tsx'))) expect(fixture.expected).not.toBe(fixture.input);
  });
});

describe.each(fixtures)('$transform/$name', (fixture) => {
  let first: ReturnType<typeof fixFile>;
  beforeAll(() => {
    first = fixFile(fixture.input, fixture.filePath, fixture.options);
  });

  it('the plugin reports at least one finding on the input', () => {
    const config = fixture.options.strict ? 'strict' : 'recommended';
    expect(findSites(fixture.input, fixture.filePath, { config, opaqueOptions: fixture.options.opaqueOptions ?? 'ignore' }).length).toBeGreaterThan(0);
  });

  it('rewrites the input to the expected output, byte for byte', () => {
    expect(first.text).toBe(fixture.expected);
    expect(first.changed).toBe(fixture.expected !== fixture.input);
  });

  if (fixture.outcomes) {
    it('reports the expected outcome for each finding', () => {
      expect(
        first.outcomes.map((outcome) => ({
          ruleId: outcome.ruleId,
          action: outcome.action,
          ...(outcome.transform === undefined ? {} : { transform: outcome.transform }),
        })),
      ).toEqual(fixture.outcomes?.map(({ ruleId, action, transform }) => ({ ruleId, action, ...(transform === undefined ? {} : { transform }) })));
      fixture.outcomes?.forEach((expected, index) => {
        const actual = first.outcomes[index];
        if (expected.warnings !== undefined) expect(actual?.warnings ?? []).toHaveLength(expected.warnings);
        if (expected.reason !== undefined) expect(actual?.reason).toContain(expected.reason);
      });
    });
  }

  it('is idempotent and leaves no fixable finding', () => {
    const second = fixFile(first.text, fixture.filePath, fixture.options);
    expect(second.text).toBe(first.text);
    expect(second.changed).toBe(false);
    expect(second.outcomes.filter((outcome) => outcome.action === 'fixed')).toEqual([]);
  });
});

describe('every fixture output', () => {
  it('is checked by a type check that does report errors', () => {
    const errors = typeErrors([{ path: path.join(fixturesDir, 'fetch', 'type-check-probe.ts'), text: "export const wrong: number = fetch('x');\n" }]);
    expect(errors.join('\n')).toMatch(/type-check-probe\.ts:1 .*not assignable/u);
  });

  it('is checked by a type check that does report JSX errors in a .tsx output', () => {
    const errors = typeErrors([
      {
        path: path.join(fixturesDir, 'fetch', 'type-check-probe.tsx'),
        text: "export const typo = <buton type=\"button\">Load</buton>;\nexport const wrongProp = <button type=\"reset\">Load</button>;\n",
      },
    ]);
    expect(errors.join('\n')).toMatch(/type-check-probe\.tsx:1 Property 'buton' does not exist on type 'JSX\.IntrinsicElements'/u);
    expect(errors.join('\n')).toMatch(/type-check-probe\.tsx:2 .*not assignable/u);
  });

  it('parses and type-checks with lib, @types/node and the client types', () => {
    const errors = typeErrors(
      fixtures.map((fixture) => ({
        // Each output gets its own module path so that fixtures do not clash.
        path: path.join(path.dirname(fixture.filePath), `${fixture.name}.checked${path.extname(fixture.filePath)}`),
        text: fixture.expected,
      })),
    );
    expect(errors).toEqual([]);
  });
});
