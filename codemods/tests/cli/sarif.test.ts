import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeRepo, removeTemporaryFolders, runCli } from './support/cli-harness.js';
import { sarifSchema } from './support/sarif-schema.js';

// SARIF that GitHub code scanning treats right: valid against the official 2.1.0 schema, rule ids as ESLint
// names them, no automationDetails unless asked (upload-sarif's `category:` input is ignored otherwise), and
// partialFingerprints from the same key as the baseline, so an alert survives edits elsewhere in the file.

const unboundedFetch = 'export async function load(url: string) {\n  return fetch(url);\n}\n';

interface SarifLog {
  runs: {
    automationDetails?: { id: string };
    tool: { driver: { rules: { id: string }[] } };
    results: { ruleId: string; partialFingerprints?: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  }[];
}

let validate: (log: unknown) => boolean;
let validationErrors: () => unknown;

beforeAll(() => {
  // unicodeRegExp off: the schema's own `language` pattern is not valid with the u flag.
  // Both are CommonJS: under NodeNext their ESM default import is module.exports, whose `default` is the export.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  const check = ajv.compile(sarifSchema());
  validate = (log) => check(log);
  validationErrors = () => check.errors;
}, 120_000);

afterAll(removeTemporaryFolders);

function sarifOf(args: string[], files: Record<string, string>): SarifLog {
  const repo = makeRepo(files);
  const result = runCli(['audit', '--format', 'sarif', '--quiet', ...args], { cwd: repo });
  expect(result.stderr).toBe('');
  const log = JSON.parse(result.stdout) as unknown;
  expect({ valid: validate(log), errors: validationErrors() }).toEqual({ valid: true, errors: null });
  return log as SarifLog;
}

describe('bounded-http audit --format sarif', { timeout: 120_000 }, () => {
  it('is valid SARIF 2.1.0 with ESLint rule ids and no automationDetails by default', () => {
    const log = sarifOf([], { 'src/load.ts': unboundedFetch });
    const [run] = log.runs;
    expect(run?.automationDetails).toBeUndefined();
    expect(run?.results.map((result) => result.ruleId)).toEqual(['bounded-http/no-unbounded-fetch']);
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(['bounded-http/no-unbounded-fetch']);
  });

  it('sets automationDetails.id from --sarif-category', () => {
    const log = sarifOf(['--sarif-category', 'bounded-http'], { 'src/load.ts': unboundedFetch });
    expect(log.runs[0]?.automationDetails).toEqual({ id: 'bounded-http/' });
  });

  it('keeps a result’s partialFingerprints when lines are added above it, and tells identical calls apart', () => {
    const twice = 'export async function load(url: string) {\n  await fetch(url);\n  return fetch(url);\n}\n';
    const before = sarifOf([], { 'src/load.ts': twice }).runs[0]?.results ?? [];
    const after = sarifOf([], { 'src/load.ts': `import './polyfills.js';\n\n// a comment\n${twice}` }).runs[0]?.results ?? [];
    const fingerprints = (results: typeof before) => results.map((result) => result.partialFingerprints);
    expect(before).toHaveLength(2);
    expect(new Set(fingerprints(before).map((value) => JSON.stringify(value))).size).toBe(2);
    expect(fingerprints(after)).toEqual(fingerprints(before));
    expect(after.map((result) => result.locations[0]?.physicalLocation.region.startLine)).toEqual([5, 6]);
  });
});
