/**
 * Fixture pairs, discovered automatically: `fixtures/<transform>/<case>.input.ts` must become
 * `<case>.output.ts` byte for byte (no trimming: a trimmed comparison hides newline bugs); a missing output
 * means "unchanged". Any JS/TS extension works the same way (`.input.tsx` -> `.output.tsx`, `.cjs`, `.jsx`...),
 * parsed with JSX where the extension allows it. `<case>.options.json` overrides the fix options; `<case>.outcomes.json` pins the
 * outcome per finding. For every fixture: the plugin finds something on the input, a second run changes
 * nothing and leaves no fixable finding, and the output parses and type-checks.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { findSites } from '../../src/find-sites.js';
import { fixFile, transformNames } from '../../src/fix-file.js';
import { discoverFixtures } from '../support/fixture-pairs.js';
import { fixturesDir, typeErrors } from '../support/type-check.js';

const fixtures = discoverFixtures();

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
