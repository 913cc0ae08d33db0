import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One code sample from a rule test file, with the language options its RuleTester ran it under. */
export interface RuleSample {
  /** The rule test file it came from. */
  readonly source: string;
  readonly code: string;
  readonly filename: string | undefined;
  readonly languageOptions: Record<string, unknown>;
}

const recorded = { samples: [] as RuleSample[], source: '' };

/**
 * Stands in for `@typescript-eslint/rule-tester`'s RuleTester: `run()` records the samples instead of running
 * them. A test that wants every rule's fixtures as its corpus mocks the module with it:
 *
 *   vi.mock('@typescript-eslint/rule-tester', async () => ({ RuleTester: (await import('../support/rule-samples.js')).RecordingRuleTester }));
 */
export class RecordingRuleTester {
  static afterAll: unknown;
  static describe: unknown;
  static it: unknown;
  static itOnly: unknown;
  readonly #languageOptions: Record<string, unknown>;
  constructor(config: { languageOptions?: Record<string, unknown> } = {}) {
    this.#languageOptions = config.languageOptions ?? {};
  }
  run(_name: string, _rule: unknown, tests: { valid: unknown[]; invalid: unknown[] }): void {
    for (const test of [...tests.valid, ...tests.invalid]) {
      const sample = typeof test === 'string' ? { code: test } : (test as { code: string; filename?: string; languageOptions?: Record<string, unknown> });
      recorded.samples.push({
        source: recorded.source,
        code: sample.code,
        filename: sample.filename,
        languageOptions: { ...this.#languageOptions, ...sample.languageOptions },
      });
    }
  }
}

const rulesDir = fileURLToPath(new URL('../rules/', import.meta.url));

/**
 * Every valid and invalid sample of every rule test file, read by importing the files while RuleTester is
 * mocked with RecordingRuleTester. Throws when a test file contributed nothing, which would silently shrink
 * the corpus of the tests built on it.
 */
export async function loadRuleSamples(): Promise<readonly RuleSample[]> {
  if (recorded.samples.length > 0) return recorded.samples;
  const files = readdirSync(rulesDir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    recorded.source = file;
    await import(pathToFileURL(`${rulesDir}${file}`).href);
  }
  const silent = files.filter((file) => !recorded.samples.some((sample) => sample.source === file));
  if (silent.length > 0) throw new Error(`no samples recorded from ${silent.join(', ')}: is RuleTester mocked with RecordingRuleTester?`);
  return recorded.samples;
}
