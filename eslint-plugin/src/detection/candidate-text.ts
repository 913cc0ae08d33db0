import { CLIENT_FAMILIES, WRAPPER_MODULE_IMPORTS } from '../knowledge/index.js';
import { globalAgentApis } from '../knowledge/global-state.js';

/**
 * Globals that a rule can report on without any client in sight: `no-disabled-timeout` reports
 * `AbortSignal.timeout(Infinity)` in a file that names no client.
 */
const clientlessGlobals = ['AbortSignal'];

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/**
 * A pattern that matches every text in which one of `specifiers` or `globals` can be reached:
 * - a module is only reachable through its specifier written as a string (`import`, `require`, `import()`,
 *   `process.getBuiltinModule`, re-exports), so the specifier must appear right after a quote, with or without
 *   `node:`, and be followed by a quote or a `/` (a subpath). `'https://example.com'` is not `'https'`: URLs,
 *   the most common false match of a plain word, do not make a file a candidate.
 * - a global (`fetch`, `AbortSignal`, `Symbol` for `Symbol.for('undici.globalDispatcher.1')`, a user's `$http`) must
 *   appear as a whole identifier; `globalThis.fetch`, `window['fetch']` and `const { fetch } = self` all name it.
 * Matches nothing when both lists are empty.
 */
export function reachablePattern(specifiers: Iterable<string>, globals: Iterable<string>): RegExp {
  const bareSpecifiers = [...new Set([...specifiers].map((specifier) => specifier.replace(/^node:/u, '')))];
  const words = [...new Set(globals)];
  const alternatives: string[] = [];
  if (bareSpecifiers.length > 0) alternatives.push(`['"\`](?:node:)?(?:${bareSpecifiers.map(escapeForPattern).join('|')})['"\`/]`);
  if (words.length > 0) alternatives.push(`(?<![\\w$])(?:${words.map(escapeForPattern).join('|')})(?![\\w$])`);
  return alternatives.length === 0 ? /(?!)/u : new RegExp(alternatives.join('|'), 'u');
}

/** The knowledge base's pattern: every module and global a rule of the syntax-only presets can report on. */
function buildCandidatePattern(): RegExp {
  const specifiers = new Set<string>();
  const globals = new Set<string>(clientlessGlobals);
  for (const family of CLIENT_FAMILIES) {
    for (const source of family.sources) {
      if (source.kind === 'global') globals.add(source.name);
      else source.specifiers.forEach((specifier) => specifiers.add(specifier));
    }
  }
  for (const api of globalAgentApis) {
    if (api.module !== undefined) specifiers.add(api.module);
    if (api.global !== undefined) globals.add(api.global);
  }
  // The project's own wrapper modules (`import { request } from './http'`), as the knowledge base describes them.
  const wrapperTexts = WRAPPER_MODULE_IMPORTS.map((wrapper) => wrapper.candidateText);
  return new RegExp([reachablePattern(specifiers, globals).source, ...wrapperTexts].join('|'), 'u');
}

let candidatePattern: RegExp | undefined;

/**
 * A cheap text test that tools run before parsing a file: `false` means that no rule of the `recommended` and
 * `strict` presets can report anything in `text`, so the file need not be parsed at all, and the rules return no
 * listeners for it (see `util/create-rule.ts`). `true` only means "parse and see". Not for type-aware
 * configurations: with types, a call on an instance imported from another module is recognised in a file that
 * names no client.
 */
export function mayContainRequests(text: string): boolean {
  candidatePattern ??= buildCandidatePattern();
  return candidatePattern.test(text);
}
