/**
 * The client knowledge base: every HTTP client family the toolkit recognises, as data, plus small pure
 * helpers over it. The ESLint rules and the codemods (`eslint-plugin-bounded-http/knowledge`) both read it,
 * so a new client family is a new entry here, not new branches in every rule and transform.
 *
 * @packageDocumentation
 */
import { actionsHttpClientFamily } from './actions-http-client.js';
import { axiosFamily } from './axios.js';
import { fetchFamily } from './fetch.js';
import { followRedirectsFamily } from './follow-redirects.js';
import { gotFamily } from './got.js';
import { kyFamily } from './ky.js';
import { makeFetchHappenFamily } from './make-fetch-happen.js';
import { needleFamily } from './needle.js';
import { nodeHttpFamily } from './node-http.js';
import { ofetchFamily } from './ofetch.js';
import { redaxiosFamily } from './redaxios.js';
import { superagentFamily } from './superagent.js';
import type {
  BoundTemplate,
  ClientFamily,
  DisablingValue,
  FactoryEntry,
  FamilyId,
  OptionsPosition,
  RequestEntry,
  RuleArea,
  TimerOption,
} from './types.js';
import { undiciFamily } from './undici.js';
import { wretchFamily } from './wretch.js';

export type * from './types.js';
export { globalAgentApis } from './global-state.js';
export { CANCEL_PATHS, QUERY_FUNCTIONS, type CancelPathKnowledge, type QueryFunctionKnowledge } from './cancel-signals.js';
export { DEFAULT_DEADLINE_MS } from './shared.js';
export { DOUBLE_CHAIN_METHODS, SANDBOX_DOUBLE_METHODS, TEST_DOUBLE_LIBRARIES, TEST_DOUBLE_NAME_WORDS, type TestDoubleLibrary, type TestDoubleRoot } from './test-doubles.js';
export { DEFAULT_TEST_FILE_PATTERNS } from './test-files.js';
export { WRAPPER_MODULE_IMPORTS, type WrapperModuleImport } from './wrapper-modules.js';
export {
  actionsHttpClientFamily,
  axiosFamily,
  fetchFamily,
  followRedirectsFamily,
  gotFamily,
  kyFamily,
  makeFetchHappenFamily,
  needleFamily,
  nodeHttpFamily,
  ofetchFamily,
  redaxiosFamily,
  superagentFamily,
  undiciFamily,
  wretchFamily,
};

/** Every family, in the order rules report them. */
export const CLIENT_FAMILIES: readonly ClientFamily[] = [
  fetchFamily,
  nodeHttpFamily,
  followRedirectsFamily,
  undiciFamily,
  axiosFamily,
  gotFamily,
  kyFamily,
  superagentFamily,
  actionsHttpClientFamily,
  ofetchFamily,
  makeFetchHappenFamily,
  needleFamily,
  wretchFamily,
  redaxiosFamily,
];

/** Every family id, e.g. for a rule's `clients` option schema. */
export const FAMILY_IDS: readonly FamilyId[] = CLIENT_FAMILIES.map((family) => family.id);

/** The family with this id. */
export function getFamily(id: FamilyId): ClientFamily {
  const family = CLIENT_FAMILIES.find((candidate) => candidate.id === id);
  if (!family) throw new Error(`bounded-http: unknown client family "${String(id)}"; known: ${FAMILY_IDS.join(', ')}`);
  return family;
}

/** The families whose requests a rule reports. */
export function familiesForRule(rule: RuleArea): readonly ClientFamily[] {
  return CLIENT_FAMILIES.filter((family) => family.rule === rule);
}

/**
 * The families a module specifier belongs to (`'node:https'` → node-http; `'undici'` → fetch and undici,
 * because undici exports both `fetch` and its own request API). Empty for an unknown module.
 */
export function familiesOfModule(specifier: string): readonly ClientFamily[] {
  return CLIENT_FAMILIES.filter((family) =>
    family.sources.some((source) => source.kind === 'module' && source.specifiers.includes(specifier)),
  );
}

/** Whether `specifier` (with or without `node:`) is a module of the family. */
export function isModuleOfFamily(specifier: string, familyId: FamilyId): boolean {
  return familiesOfModule(specifier).some((family) => family.id === familyId);
}

/**
 * How a codemod or rule sees one argument, enough to find the options object.
 * - `object`: an object literal (or a `const` bound to one);
 * - `url`: a string, template, `new URL(...)` or a name that clearly holds a URL;
 * - `function`: a callback (node's response listener);
 * - `unknown`: anything else (a variable that could be a URL or an options object).
 */
export type ArgumentKind = 'object' | 'url' | 'function' | 'unknown';

/** Where the options argument is, or would go. */
export interface OptionsArgumentLocation {
  /** Argument index of the options object. */
  readonly index: number;
  /** True when an argument already sits at `index`; false when one must be inserted there. */
  readonly present: boolean;
  /**
   * The placeholders to insert before it, in order (axios `post(url)` needs `undefined` for the missing `data`
   * to reach the config position; needle's `needle('get', url)` needs `null`), from the position's
   * `placeholders`.
   */
  readonly placeholders: readonly string[];
}

/**
 * Locates the options argument of a call given its arguments' kinds. Returns `undefined` when the position
 * is ambiguous (`axios(x)` with an unknown `x`) or the call takes no options at all (`none`).
 * A callback at the options position is not options: the options go before it (`http.get(url, cb)`).
 */
export function locateOptionsArgument(
  position: OptionsPosition,
  argumentKinds: readonly ArgumentKind[],
): OptionsArgumentLocation | undefined {
  if (position.kind === 'none') return undefined;
  const index = position.index;
  if (position.kind === 'after-url') {
    const first = argumentKinds[0];
    if (first === 'object') return { index: 0, present: true, placeholders: [] };
    if (first !== 'url') return undefined;
  }
  const kind = argumentKinds[index];
  if (kind === undefined) {
    const missing = Array.from({ length: Math.max(0, index - argumentKinds.length) }, (_, offset) => argumentKinds.length + offset);
    const placeholders = missing.map((argumentIndex) => position.placeholders?.[argumentIndex] ?? 'undefined');
    return { index: argumentKinds.length + missing.length, present: false, placeholders };
  }
  if (kind === 'function') return { index, present: false, placeholders: [] };
  return { index, present: true, placeholders: [] };
}

/** The request entry of a family reached at `path` from a module or global (`['get']`, `[]`). */
export function findRequestEntry(familyId: FamilyId, path: readonly string[]): RequestEntry | undefined {
  for (const source of getFamily(familyId).sources) {
    const entry = source.entries.find((candidate) => samePath(candidate.path, path));
    if (entry) return entry;
  }
  return undefined;
}

/** The factory entry of a family reached at `path` (`['create']`, `['Agent']`). */
export function findFactoryEntry(familyId: FamilyId, path: readonly string[]): FactoryEntry | undefined {
  for (const source of getFamily(familyId).sources) {
    const factory = source.factories.find((candidate) => samePath(candidate.path, path));
    if (factory) return factory;
  }
  return undefined;
}

/**
 * The options position of `method` on a family: a module-level method (`axios.post` → index 2), `null` for
 * the module or global itself (`axios(...)`, `fetch(...)`), or an instance method when `onInstance` is set
 * (`client.get` on an `axios.create()` result). `undefined` when the family has no such method.
 */
export function optionsPositionOf(familyId: FamilyId, method: string | null, onInstance = false): OptionsPosition | undefined {
  if (onInstance) {
    for (const source of getFamily(familyId).sources) {
      for (const factory of source.factories) {
        const position = method === null ? factory.instance.call : factory.instance.methods[method];
        if (position) return position;
      }
    }
    return undefined;
  }
  return findRequestEntry(familyId, method === null ? [] : [method])?.options;
}

/**
 * The options argument index for a call of `method` (see {@link optionsPositionOf}) with these arguments,
 * e.g. `optionsArgumentIndex('axios', 'post', ['url'])` → `{ index: 2, present: false, placeholders: ['undefined'] }`.
 */
export function optionsArgumentIndex(
  familyId: FamilyId,
  method: string | null,
  argumentKinds: readonly ArgumentKind[],
  onInstance = false,
): OptionsArgumentLocation | undefined {
  const position = optionsPositionOf(familyId, method, onInstance);
  return position ? locateOptionsArgument(position, argumentKinds) : undefined;
}

/** The timers that apply to a request entry (its own, or the family's). */
export function timersOf(family: ClientFamily, entry?: Pick<RequestEntry, 'timers'>): readonly TimerOption[] {
  return entry?.timers ?? family.timers;
}

/** Which of the disabling values a static value is, if any (`0` → `'zero'`). */
export function disablingValueOf(value: unknown): DisablingValue | undefined {
  if (value === 0) return 'zero';
  if (value === Number.POSITIVE_INFINITY) return 'infinity';
  if (value === false) return 'false';
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return undefined;
}

/** Whether `value` (a static value) switches `timer` off. */
export function disablesTimer(timer: TimerOption, value: unknown): boolean {
  const disabling = disablingValueOf(value);
  return disabling !== undefined && timer.disabledBy.includes(disabling);
}

/** `30_000` rather than `30000`: a deadline that reads at a glance, as suggestions and fixes write it. */
export function formatMilliseconds(milliseconds: number): string {
  return String(milliseconds).replace(/\B(?=(?:\d{3})+$)/gu, '_');
}

/**
 * A bound as source text, with `ms` as the millisecond expression: `signal: AbortSignal.timeout(30_000)`,
 * `timeout: { request: HTTP_TIMEOUT_MS }`, `.timeout({ deadline: ms })`. The one rendering of "how to bound
 * it": rule suggestions, message hints (`ms`) and the codemods all call it.
 */
export function renderBound(template: BoundTemplate, ms: string): string {
  switch (template.kind) {
    case 'signal':
      return `signal: ${renderDeadlineSignal(ms)}`;
    case 'option':
      return renderOptionPath(template.path, ms);
    case 'chain':
      return `.${template.method}(${template.argumentPath.length === 0 ? ms : `{ ${renderOptionPath(template.argumentPath, ms)} }`})`;
    case 'fetch-option':
      return `${template.key}: (input, init) => fetch(input, { ...init, signal: ${renderDeadlineSignal(ms)} })`;
  }
}

/**
 * The link written just before a request method that takes no options (wretch's `.get()`), carrying the
 * family's bound for that one request: `.options({ signal: AbortSignal.timeout(ms) })`. The rule's message and
 * the codemod both render it from the instance's `requestOptionsBuilder`.
 */
export function renderRequestLink(builder: string, template: BoundTemplate, ms: string): string {
  return `.${builder}({ ${renderBound(template, ms)} })`;
}

/** `AbortSignal.timeout(ms)`: the deadline signal, alone or inside `AbortSignal.any([...])`. */
export function renderDeadlineSignal(ms: string): string {
  return `AbortSignal.timeout(${ms})`;
}

/** `['timeout', 'request']` → `timeout: { request: ms }`. */
export function renderOptionPath(path: readonly string[], ms: string): string {
  const [first, ...rest] = path;
  if (first === undefined) return ms;
  return rest.length === 0 ? `${first}: ${ms}` : `${first}: { ${renderOptionPath(rest, ms)} }`;
}

/** The timer of a family at an option path (`['timeout', 'request']` on got), if it has one. */
export function timerAt(family: ClientFamily, path: readonly string[]): TimerOption | undefined {
  return family.timers.find((timer) => samePath(timer.path, path));
}

/**
 * Whether writing `template` gives a total deadline, so a fix may write it and report the site fixed: a
 * signal does; an option or chain argument only when the family's timer at that path is a `deadline`
 * (got's `timeout.request`, ky's `timeout`), not an idle timer (`socketTimeout`).
 */
export function isDeadlineTemplate(family: ClientFamily, template: BoundTemplate): boolean {
  if (template.kind === 'signal' || template.kind === 'fetch-option') return true;
  const path = template.kind === 'option' ? template.path : template.argumentPath.length === 0 ? undefined : template.argumentPath;
  if (!path) return family.timers.some((timer) => timer.kind === 'deadline');
  return timerAt(family, path)?.kind === 'deadline';
}

/** Every option key (first path segment) that is a timer in some family, for `no-disabled-timeout`. */
export const TIMER_OPTION_KEYS: readonly string[] = [
  ...new Set(CLIENT_FAMILIES.flatMap((family) => [...family.timers, ...(family.sources.flatMap((s) => s.entries.flatMap((e) => e.timers ?? [])))].map((timer) => timer.path[0] ?? ''))),
].filter((key) => key !== '');

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

