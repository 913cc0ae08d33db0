import { ESLint, type Linter } from 'eslint';
import boundedHttp from 'eslint-plugin-bounded-http';
import { readdirSync, readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

import { repoPath, repoRoot } from './support/repo-paths.js';
import { typeCheckProject } from './support/typecheck.js';

// The example service is the demo's input and the docs' running example. EXPECTED.md is its answer key, so
// these tests keep the key honest: it must point at real call sites, miss none, and match what the plugin reports.

const serviceDirectory = repoPath('examples', 'service');
const expectedPath = repoPath('examples', 'service', 'EXPECTED.md');

const RULE_NAMES = [
  'no-unbounded-fetch',
  'no-unbounded-node-request',
  'no-unbounded-client',
  'no-disabled-timeout',
  'no-idle-only-timeout',
  'no-global-agent',
] as const;
type Preset = 'recommended' | 'strict';
type RuleName = (typeof RULE_NAMES)[number];
/** What one preset should do at one site: report these rules, or fire these and have a disable comment suppress them (neither: bounded). */
interface Expectation {
  reported: RuleName[];
  exempt: RuleName[];
}

interface ExpectedSite {
  file: string;
  line: number;
  callText: string;
  expectation: Record<Preset, Expectation>;
}

const isRuleName = (value: string): value is RuleName => (RULE_NAMES as readonly string[]).includes(value);

function parseExpectation(cell: string, row: string): Expectation {
  const value = cell.trim();
  if (value === 'bounded') return { reported: [], exempt: [] };
  const [, exemptRule = ''] = /^exempt \(([\w-]+)\)$/.exec(value) ?? [];
  if (isRuleName(exemptRule)) return { reported: [], exempt: [exemptRule] };
  const rules = value.split(' + ');
  if (rules.every(isRuleName)) return { reported: rules, exempt: [] };
  throw new Error(`EXPECTED.md: "${value}" in row "${row}" is not "bounded", "exempt (rule)" or rule names joined by " + "`);
}

function readExpectedSites(): ExpectedSite[] {
  const sites: ExpectedSite[] = [];
  for (const row of readFileSync(expectedPath, 'utf8').split('\n')) {
    const match = /^\| (src\/[\w./-]+\.ts):(\d+) \| `([^`]+)` \| ([^|]+) \| ([^|]+) \|/.exec(row);
    if (match === null) continue;
    const [, file = '', line = '', callText = '', recommended = '', strict = ''] = match;
    sites.push({
      file,
      line: Number(line),
      callText,
      expectation: { recommended: parseExpectation(recommended, row), strict: parseExpectation(strict, row) },
    });
  }
  return sites;
}

const sourceFiles = readdirSync(repoPath('examples', 'service', 'src')).filter((name) => name.endsWith('.ts'));
const sourceLines = new Map(
  sourceFiles.map((name) => [`src/${name}`, readFileSync(repoPath('examples', 'service', 'src', name), 'utf8').split('\n')]),
);
const lineOf = (file: string, line: number): string => sourceLines.get(file)?.[line - 1] ?? '';

/** Lines that open an outbound call or touch a client's configuration, as a reader scanning the code would spot them. */
const CALL_SITE =
  /\bfetch\(|\baxios\.\w+[<(]|this\.(?:charges|refunds)\.\w+[<(]|\brequest\(|https?\.(?:get|request)\(|\bgot(?:\.\w+)?\(|new Agent\(|globalAgent/;

describe('examples/service', () => {
  // A whole-program type check: seconds normally, longer when the machine is shared; the timeout is headroom only.
  it('type-checks with its own tsconfig, axios and got declared ambiently', { timeout: 90_000 }, () => {
    const result = typeCheckProject(repoPath('examples', 'service', 'tsconfig.json'));
    expect(result.errors).toBe('');
    const exampleFiles = result.checkedFiles.filter((fileName) => fileName.startsWith(serviceDirectory.replaceAll('\\', '/')));
    expect(exampleFiles.map((fileName) => fileName.slice(serviceDirectory.length + 1)).sort()).toEqual(
      ['types/ambient.d.ts', ...sourceFiles.map((name) => `src/${name}`)].sort(),
    );
  });

  const expectedSites = readExpectedSites();

  it('EXPECTED.md names, at each file:line, the call that is there', () => {
    expect(expectedSites.length).toBeGreaterThan(20);
    for (const site of expectedSites) {
      expect({ site: `${site.file}:${site.line}`, text: lineOf(site.file, site.line) }).toMatchObject({
        text: expect.stringContaining(site.callText) as unknown,
      });
    }
  });

  it('EXPECTED.md misses no call site in src/', () => {
    const listed = new Set(expectedSites.map((site) => `${site.file}:${site.line}`));
    const unlisted = [...sourceLines].flatMap(([file, lines]) =>
      lines.flatMap((text, index) =>
        CALL_SITE.test(text) && !/^\s*(\/\/|\*|\/\*\*)/.test(text) && !listed.has(`${file}:${index + 1}`) ? [`${file}:${index + 1}: ${text.trim()}`] : [],
      ),
    );
    expect(unlisted).toEqual([]);
  });

  it('demonstrates every rule of the recommended preset, plus no-idle-only-timeout, reported or exempt', () => {
    const recommendedRules = Object.keys((boundedHttp.configs.recommended).rules ?? {}).map((ruleId) =>
      ruleId.replace(/^bounded-http\//, ''),
    );
    expect(recommendedRules.length).toBeGreaterThan(0);
    expect(RULE_NAMES).toEqual(expect.arrayContaining(recommendedRules));
    const demonstrated = new Set(
      expectedSites.flatMap((site) =>
        (['recommended', 'strict'] as const).flatMap((preset) => [...site.expectation[preset].reported, ...site.expectation[preset].exempt]),
      ),
    );
    expect(RULE_NAMES.filter((rule) => !demonstrated.has(rule))).toEqual([]);
  });

  // The two legitimate exceptions: the long-poll, and the entry point that owns process-wide HTTP state. Each is
  // an eslint-disable-next-line for one rule with a reason after `--`, the form docs/adoption.md documents.
  const EXCEPTION_COMMENTS: Record<string, RegExp> = {
    'no-unbounded-fetch': /^\s*\/\/ eslint-disable-next-line bounded-http\/no-unbounded-fetch -- long-poll: .*LONG_POLL_TIMEOUT_MS/,
    'no-global-agent': /^\s*\/\/ eslint-disable-next-line bounded-http\/no-global-agent -- entry point: \S/,
  };

  it('has exactly two exemptions, the long-poll and the entry point, each under its disable comment with a reason', () => {
    for (const preset of ['recommended', 'strict'] as const) {
      const exempt = expectedSites.flatMap((site) => site.expectation[preset].exempt.map((rule) => ({ rule, site })));
      expect(exempt.map(({ rule }) => rule).sort()).toEqual(Object.keys(EXCEPTION_COMMENTS).sort());
      for (const { rule, site } of exempt) {
        expect({ site: `${site.file}:${site.line}`, above: lineOf(site.file, site.line - 1) }).toMatchObject({
          above: expect.stringMatching(EXCEPTION_COMMENTS[rule] ?? /^$/) as unknown,
        });
      }
    }
    // No other disable comment hides a finding anywhere in the example: the table's exemptions are all there are.
    const disableComments = [...sourceLines].flatMap(([file, lines]) =>
      lines.flatMap((text, index) => (text.includes('eslint-disable') ? [`${file}:${index + 2}`] : [])),
    );
    const exemptSites = expectedSites.filter((site) => site.expectation.recommended.exempt.length > 0);
    expect(disableComments.sort()).toEqual(exemptSites.map((site) => `${site.file}:${site.line}`).sort());
  });

  it('touches process-wide HTTP state only in its entry point, a module no other module imports', () => {
    const entryFiles = [
      ...new Set(expectedSites.filter((site) => site.expectation.recommended.exempt.includes('no-global-agent')).map((site) => site.file)),
    ];
    expect(entryFiles).toHaveLength(1);
    const [entryFile = ''] = entryFiles;
    const processWide = [...sourceLines].flatMap(([file, lines]) =>
      lines.flatMap((text, index) =>
        /\bglobalAgent\b|GlobalDispatcher\b/.test(text) && !/^\s*(\/\/|\*|\/\*\*)/.test(text) ? [`${file}:${index + 1}`] : [],
      ),
    );
    expect(processWide.length).toBeGreaterThan(0);
    expect(processWide.filter((site) => !site.startsWith(`${entryFile}:`))).toEqual([]);
    const entrySpecifier = `'./${entryFile.replace(/^src\//, '').replace(/\.ts$/, '.js')}'`;
    const importers = [...sourceLines].filter(([, lines]) => lines.some((text) => text.includes(entrySpecifier))).map(([file]) => file);
    expect(importers).toEqual([]);
  });

  it('states totals in EXPECTED.md that agree with its table', () => {
    const text = readFileSync(expectedPath, 'utf8').replace(/\s+/g, ' ');
    const findings = expectedSites.flatMap((site) => site.expectation.recommended.reported);
    const sites = expectedSites.filter((site) => site.expectation.recommended.reported.length > 0);
    expect(text).toContain(`\`recommended\` reports ${findings.length} findings at ${sites.length} sites`);
    const exempt = expectedSites.flatMap((site) => site.expectation.recommended.exempt);
    expect(text).toContain(`and ${exempt.length} more sites are exempt`);
    for (const rule of RULE_NAMES) {
      const count = findings.filter((finding) => finding === rule).length;
      if (count > 0) expect(text).toContain(`${count} \`${rule}\``);
      const exemptCount = exempt.filter((finding) => finding === rule).length;
      if (exemptCount > 0) expect(text).toContain(`${exemptCount} \`${rule}\`, the`);
    }
    const strictOnly = expectedSites.filter((site) => site.expectation.strict.reported.includes('no-idle-only-timeout')).length;
    expect(text).toContain(`\`strict\` adds ${strictOnly} \`no-idle-only-timeout\``);
  });

  // The answer key against the real rules. A rule the plugin does not ship yet is left out of the comparison
  // (its rows are still checked above); once it ships, its findings must match its rows exactly.
  describe.each(['recommended', 'strict'] as const)('the %s preset', (preset) => {
    it('reports exactly the findings EXPECTED.md lists for the rules it ships', async () => {
      const presetConfig = boundedHttp.configs[preset];
      const shippedRules = Object.keys(presetConfig.rules ?? {}).map((ruleId) => ruleId.replace(/^bounded-http\//, ''));
      // Building a TypeScript program costs seconds on a busy machine: only when a shipped rule needs type information.
      const ruleDocs = boundedHttp.rules as Record<string, { meta?: { docs?: { requiresTypeChecking?: boolean } } } | undefined>;
      const needsTypes = shippedRules.some((rule) => ruleDocs[rule]?.meta?.docs?.requiresTypeChecking === true);
      const eslint = new ESLint({
        cwd: repoRoot,
        overrideConfigFile: true,
        overrideConfig: [
          {
            files: ['**/*.ts'],
            languageOptions: {
              parser: tseslint.parser,
              parserOptions: needsTypes ? { project: './examples/service/tsconfig.json', tsconfigRootDir: repoRoot } : {},
            },
          },
          presetConfig,
        ],
      });
      const [first, ...rest] = await eslint.lintFiles(['examples/service/src/**/*.ts']);
      const results = first === undefined ? [] : [first, ...rest];
      expect(results).toHaveLength(sourceFiles.length);

      const toSite = (filePath: string, message: Linter.LintMessage): string =>
        `${filePath.slice(serviceDirectory.length + 1).replaceAll('\\', '/')}:${message.line} ${(message.ruleId ?? '(no rule: ' + message.message + ')').replace(/^bounded-http\//, '')}`;
      // A disable comment naming a rule the plugin does not ship yet draws "Definition for rule … was not found".
      const isShippedOrFatal = (message: Linter.LintMessage): boolean =>
        message.ruleId === null || shippedRules.includes(message.ruleId.replace(/^bounded-http\//, ''));
      const reported = results.flatMap((result) =>
        result.messages.filter(isShippedOrFatal).map((message) => toSite(result.filePath, message)),
      );
      const suppressed = results.flatMap((result) => result.suppressedMessages.map((message) => toSite(result.filePath, message)));

      const expected = (pick: (expectation: Expectation) => RuleName[]): string[] =>
        expectedSites
          .flatMap((site) => pick(site.expectation[preset]).map((rule) => `${site.file}:${site.line} ${rule}`))
          .filter((finding) => shippedRules.some((rule) => finding.endsWith(` ${rule}`)))
          .sort();
      expect(reported.sort()).toEqual(expected((expectation) => expectation.reported));
      expect(suppressed.sort()).toEqual(expected((expectation) => expectation.exempt));
    }, 90_000);
  });
});
