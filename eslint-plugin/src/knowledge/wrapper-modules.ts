import type { FamilyId } from './types.js';

/**
 * A name imported from the project's own module that stands for a client function without type information:
 * `import { fetch } from './http'` or `'@/shared/net'` is the repo's fetch wrapper, a pass-through or a
 * re-export in real code bases. Plain data, read by the detection engine and the text pre-filter.
 */
export interface WrapperModuleImport {
  /** The imported (exported) name. */
  readonly name: string;
  readonly family: FamilyId;
  /** The family entry it forwards to (`[]` for `fetch`, `['request']` for node:http). */
  readonly entryPath: readonly string[];
  /** Module specifiers it is trusted from, tested against the whole specifier. */
  readonly specifier: RegExp;
  /** Text every file importing it contains (a RegExp source), for the pre-filter in `detection/candidate-text.ts`. */
  readonly candidateText: string;
  /**
   * What the call must show before it counts: `node-request-object` = it is used like node's `ClientRequest`
   * (a response callback, or `.end()`/`.on()` on its result). A wrapper that bounds its calls itself usually
   * returns a promise instead, so without that evidence a `request` or `get` of the repo's own is left alone.
   */
  readonly evidence?: 'node-request-object';
  readonly note: string;
}

/**
 * The project's own modules: relative specifiers and the path-alias prefixes of common setups (`@/` and `~/`
 * from Vite, Nuxt and Next templates, `~~/`, `#` for package.json `imports`, SvelteKit's `$lib/`). A scoped
 * package (`@org/net`) is not one of them.
 */
const OWN_MODULE = String.raw`(?:\.{1,2}/|@/|~~?/|#|\$lib/)`;

/** Text forms of {@link OWN_MODULE} in quotes, ending in `http`/`https` (with an optional extension). */
const HTTP_WRAPPER_TEXT = String.raw`['"\x60]${OWN_MODULE}(?:[^'"\x60]*/)?https?(?:\.[cm]?[jt]s)?['"\x60]`;

const HTTP_WRAPPER = new RegExp(String.raw`^${OWN_MODULE}(?:.*/)?https?(?:\.[cm]?[jt]s)?$`, 'u');

export const WRAPPER_MODULE_IMPORTS: readonly WrapperModuleImport[] = [
  {
    name: 'fetch',
    family: 'fetch',
    entryPath: [],
    specifier: new RegExp(String.raw`^(?:\.{1,2}$|${OWN_MODULE})`, 'u'),
    candidateText: String.raw`\bfetch\b`,
    note: "a `fetch` exported by the project's own module is its fetch wrapper: read like the global fetch",
  },
  ...['request', 'get'].map(
    (name): WrapperModuleImport => ({
      name,
      family: 'node-http',
      entryPath: [name],
      specifier: HTTP_WRAPPER,
      candidateText: HTTP_WRAPPER_TEXT,
      evidence: 'node-request-object',
      note: `\`${name}\` from the project's own \`http\`/\`https\` module, used like node's ClientRequest: a re-export of node:http's`,
    }),
  ),
];
