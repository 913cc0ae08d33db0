/**
 * Test doubles (mocks, stubs, spies and fakes) as the common test frameworks create them. Plain data, read by
 * `detection/test-doubles.ts`: `no-global-agent` does not report replacing the global `fetch` (or patching
 * `http.request`) with a test double, because a double replaces the API only inside the test that installs it.
 *
 * msw and nock are deliberately absent: they intercept requests below `fetch` and `http` instead of being
 * assigned over them, so nothing of theirs ever reaches a reported assignment.
 *
 * @packageDocumentation
 */

/** Where a library's double factories are reached: a module (ESM or `require`) or a global. */
export type TestDoubleRoot = { readonly kind: 'module'; readonly specifiers: readonly string[] } | { readonly kind: 'global'; readonly name: string };

export interface TestDoubleLibrary {
  /** The framework, for documentation and test names. */
  readonly framework: string;
  readonly root: TestDoubleRoot;
  /** Member paths below the root whose call returns a double: `['vi', 'fn']` on `vitest` is `vi.fn(…)`. */
  readonly factories: readonly (readonly string[])[];
  /** Member paths whose call returns a sandbox, whose `SANDBOX_DOUBLE_METHODS` return doubles in turn. */
  readonly sandboxes?: readonly (readonly string[])[];
}

const mockFunctions = [['fn'], ['spyOn']] as const;
const sinonFactories = [['stub'], ['spy'], ['fake'], ...['resolves', 'rejects', 'returns', 'throws', 'yields', 'yieldsAsync'].map((behaviour) => ['fake', behaviour])];

export const TEST_DOUBLE_LIBRARIES: readonly TestDoubleLibrary[] = [
  // `vitest` exports its utilities as both `vi` and `vitest`; with `globals: true`, `vi` is a global.
  { framework: 'vitest', root: { kind: 'module', specifiers: ['vitest'] }, factories: ['vi', 'vitest'].flatMap((name) => mockFunctions.map((path) => [name, ...path])) },
  { framework: 'vitest', root: { kind: 'global', name: 'vi' }, factories: mockFunctions },
  { framework: 'vitest', root: { kind: 'module', specifiers: ['@vitest/spy'] }, factories: mockFunctions },
  // Jest injects `jest` into every test module; `@jest/globals` exports it, `jest-mock` the bare functions.
  { framework: 'jest', root: { kind: 'global', name: 'jest' }, factories: mockFunctions },
  { framework: 'jest', root: { kind: 'module', specifiers: ['@jest/globals'] }, factories: mockFunctions.map((path) => ['jest', ...path]) },
  { framework: 'jest', root: { kind: 'module', specifiers: ['jest-mock'] }, factories: mockFunctions },
  { framework: 'sinon', root: { kind: 'module', specifiers: ['sinon'] }, factories: sinonFactories, sandboxes: [['createSandbox']] },
  // Mock `fetch` implementations meant to be assigned over the global one.
  { framework: 'vitest-fetch-mock', root: { kind: 'module', specifiers: ['vitest-fetch-mock'] }, factories: [[]] },
  { framework: 'fetch-mock', root: { kind: 'module', specifiers: ['fetch-mock'] }, factories: [['sandbox'], ['createInstance']] },
];

/** What a sinon sandbox creates: `sandbox.stub()`, `sandbox.spy()`, `sandbox.fake()`. */
export const SANDBOX_DOUBLE_METHODS: readonly string[] = ['stub', 'spy', 'fake'];

/**
 * Methods of a double that return the same double (or one of its behaviours), so a chain stays a double:
 * vitest's and Jest's `mockImplementation`, `mockResolvedValue`, … (every `mock…` method but `mockRestore`,
 * which returns nothing), jest-fetch-mock's `mockResponse`, …, and sinon's behaviour methods.
 */
export const DOUBLE_CHAIN_METHODS: { readonly prefix: string; readonly except: readonly string[]; readonly names: readonly string[] } = {
  prefix: 'mock',
  except: ['mockRestore'],
  names: ['returns', 'resolves', 'rejects', 'throws', 'callsFake', 'callThrough', 'withArgs', 'onCall', 'onFirstCall', 'onSecondCall', 'onThirdCall', 'returnsArg', 'resolvesArg', 'yields', 'callsArg', 'named'],
};

/**
 * Words that name a test double in a variable, function or property name, matched as whole words of a
 * camelCase, PascalCase or snake_case name: `mockFetch`, `createMockFetch()`, `fetchMock`, `MockAgent`,
 * `fakeFetch`, `fetch_stub`, `fetchSpy`, `mocks.fetch`. These are the double kinds of the usual taxonomy
 * (Meszaros: mock, stub, spy, fake); `mockup` or `stubborn` are other words and do not match.
 */
export const TEST_DOUBLE_NAME_WORDS: readonly string[] = ['mock', 'mocks', 'fake', 'fakes', 'stub', 'stubs', 'spy', 'spies'];
