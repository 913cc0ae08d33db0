/**
 * The shape of the client knowledge base: what counts as an outbound request, where its options sit, and
 * which options bound it. Everything here is plain data; the ESLint rules and the codemods both read it.
 *
 * @packageDocumentation
 */

/** Every client family the toolkit knows. A new family is a new entry in `knowledge/index.ts`. */
export type FamilyId =
  | 'fetch'
  | 'node-http'
  | 'follow-redirects'
  | 'undici'
  | 'axios'
  | 'got'
  | 'ky'
  | 'superagent'
  | 'actions-http-client'
  | 'ofetch'
  | 'make-fetch-happen'
  | 'needle'
  | 'wretch'
  | 'redaxios';

/** Which core rule reports a family's unbounded calls. */
export type RuleArea = 'fetch' | 'node-request' | 'client';

/**
 * What a timer bounds.
 * - `deadline`: the whole call, however slowly the peer trickles bytes (`AbortSignal.timeout`, got `timeout.request`).
 * - `idle`: silence on the socket or between chunks; a peer sending one byte every few seconds never trips it.
 * - `phase`: one phase only (connect, lookup, time to first byte); the rest of the call is unbounded.
 * - `ignored`: the runtime ignores the option (a `timeout` key on standard `fetch`).
 */
export type TimerKind = 'deadline' | 'idle' | 'phase' | 'ignored';

/** A value that turns a timer off. `'above-max'` is not listed: `no-disabled-timeout`'s `maxMs` adds it. */
export type DisablingValue = 'zero' | 'infinity' | 'false' | 'null' | 'undefined';

/** One timeout option of a family. */
export interface TimerOption {
  /** Path inside the options object: `['timeout']`, `['timeout', 'request']`, `['connect', 'timeout']`. */
  readonly path: readonly string[];
  readonly kind: TimerKind;
  /** Values that disable the timer. */
  readonly disabledBy: readonly DisablingValue[];
  /**
   * Only for a path whose value may be a number or a nested object (got's `timeout`): the path counts as
   * this timer only when its value is not an object literal; an object literal is read through its keys.
   */
  readonly scalarOnly?: boolean;
  /** Why the timer has this kind, for messages and docs. */
  readonly note: string;
}

/**
 * Where the options argument of a call sits.
 * - `index`: always at `index` (axios `post(url, data, config)` = 2, fetch `(input, init)` = 1).
 *   `placeholders` says what to write at an earlier argument the call leaves out, so that the options can be
 *   inserted after it (`undefined` where it says nothing: axios's `data?`). needle's promise form types its
 *   body `BodyData`, which takes `null` and not `undefined`: `{ 2: 'null' }`.
 * - `after-url`: at `index` when the first argument is a URL, at 0 when the first argument is itself the
 *   options object (axios `(config)` vs `(url, config)`, node `request(options)` vs `request(url, options)`).
 * - `none`: the call takes no options; its bound lives elsewhere (superagent's chain, an @actions/http-client
 *   instance).
 */
export type OptionsPosition =
  | { readonly kind: 'index'; readonly index: number; readonly placeholders?: Readonly<Record<number, string>> }
  | { readonly kind: 'after-url'; readonly index: number; readonly placeholders?: Readonly<Record<number, string>> }
  | { readonly kind: 'none' };

/** A callable (or constructible) that starts a request. */
export interface RequestEntry {
  /** Path from the module export or global to the callable; `[]` is the module (or global) itself. */
  readonly path: readonly string[];
  readonly kind: 'call' | 'construct';
  readonly options: OptionsPosition;
  /** Timers for this entry when they differ from the family's (node-fetch v2 honours `timeout`). */
  readonly timers?: readonly TimerOption[];
}

/** What can be done with an instance a factory returns. */
export interface InstanceShape {
  /** Set when the instance itself is callable (`instance(config)`, `client(url, options)`). */
  readonly call?: OptionsPosition;
  /** Request methods on the instance and their options positions. */
  readonly methods: Readonly<Record<string, OptionsPosition>>;
  /** Methods on the instance returning a derived instance that inherits its bound (`got.extend().extend()`). */
  readonly factories: readonly string[];
  /** Path of a defaults object whose timers bound every call on the instance (`instance.defaults.timeout = N`). */
  readonly defaultsPath?: readonly string[];
  /**
   * Where the options of each derived-instance factory sit, when not first: wretch's `.url('/x')` takes none,
   * its `.options({ signal })` takes them first. A factory missing here takes its options first (`got.extend(options)`).
   */
  readonly factoryOptions?: Readonly<Record<string, OptionsPosition>>;
  /**
   * Set when the instance's request methods take no options (wretch's `get()`, `post(body)`): the builder whose
   * options, written just before the request method, carry the family's bound for that one request
   * (`.options({ signal: AbortSignal.timeout(ms) })`, see `renderRequestLink`). A signal set there is created when
   * the request is sent; one set where the shared instance is created would abort every later request once it fires.
   */
  readonly requestOptionsBuilder?: string;
}

/** A call or constructor whose result is a request-making instance (`axios.create`, `new undici.Pool`). */
export interface FactoryEntry {
  readonly path: readonly string[];
  readonly kind: 'call' | 'construct';
  /** Where the instance's default options sit in the factory call. */
  readonly options: OptionsPosition;
  readonly instance: InstanceShape;
  /**
   * Whether an unbounded instance is reported where it is created even when no call on it is visible in the
   * file: true for clients whose only purpose is requests (`axios.create`), false for undici dispatchers,
   * which are often only handed to `fetch` as `dispatcher` (the fetch call is what gets reported then).
   */
  readonly reportWhenNoCallSeen: boolean;
  /**
   * The bound to write where the instance is created, when it differs from the family's call template. Never
   * a `signal`: one signal created with the instance would abort every later call once it fires. Absent when
   * no option at creation is a total deadline (an axios instance's `timeout` is idle-only in Node, an undici
   * dispatcher holds only idle timers): then each call made on the instance needs the family's `bound`.
   */
  readonly bound?: BoundTemplate;
  /**
   * An undici-style dispatcher: it is handed to requests (`fetch(url, { dispatcher })`) rather than
   * called, and it can hold idle timers only. Its site descriptors have the role `dispatcher`.
   */
  readonly dispatcher?: boolean;
  /**
   * Timers the instance runs when its options leave them unset (undici dispatchers' 300 s `headersTimeout` and
   * `bodyTimeout`). Only idle or phase timers belong here: `no-idle-only-timeout` reports an instance that is
   * left on them, `no-unbounded-client` does not count them as a bound.
   */
  readonly defaultTimers?: readonly TimerOption[];
}

/** Where the entries of a family are reached from. */
export type Source =
  | {
      readonly kind: 'module';
      /** Every specifier, `node:` prefixed or not. */
      readonly specifiers: readonly string[];
      /** True for Node built-ins, also reachable through `process.getBuiltinModule(specifier)`. */
      readonly builtin: boolean;
      readonly entries: readonly RequestEntry[];
      readonly factories: readonly FactoryEntry[];
      /** A module-level defaults object whose timers bound the default export's calls (`axios.defaults`). */
      readonly defaultsPath?: readonly string[];
    }
  | {
      readonly kind: 'global';
      /** The global's name; `globalThis.X`, `window.X`, `self.X` and `global.X` reach it too. */
      readonly name: string;
      readonly entries: readonly RequestEntry[];
      readonly factories: readonly FactoryEntry[];
    };

/**
 * How to write a bound, as data: the rule's suggestion, the message's hint and the codemod's rewrite all
 * render it (`renderBound` in `knowledge/index.ts`) with one millisecond expression (`30_000`,
 * `HTTP_TIMEOUT_MS`, or `ms` in a message).
 * - `signal`: `signal: AbortSignal.timeout(<ms>)` in the options. A signal the caller already passes is kept
 *   and combined with the deadline through `AbortSignal.any` (where the Node target keeps a deadline inside it,
 *   `util/node-target.ts`), never replaced.
 * - `option`: a timer option at `path` set to `<ms>`: `['timeout', 'request']` renders
 *   `timeout: { request: <ms> }` (got). Only a `deadline` timer of the family is a bound a fix may write;
 *   an idle timer (`socketTimeout`) is a hint for recommended users at most (see `isDeadlineTemplate`).
 * - `chain`: a call appended to the request's chain, `.<method>(<ms>)`, or with `argumentPath`
 *   `.timeout({ deadline: <ms> })` (superagent).
 * - `fetch-option`: for a client that drops `signal` but takes the `fetch` it calls (redaxios): the option
 *   `<key>: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(<ms>) })`.
 */
export type BoundTemplate =
  | { readonly kind: 'signal' }
  | { readonly kind: 'option'; readonly path: readonly string[] }
  | { readonly kind: 'chain'; readonly method: string; readonly argumentPath: readonly string[] }
  | { readonly kind: 'fetch-option'; readonly key: string };

/** Everything the toolkit knows about one client family. */
export interface ClientFamily {
  readonly id: FamilyId;
  /** As users call it: `axios`, `node:http`, `fetch`. */
  readonly displayName: string;
  readonly rule: RuleArea;
  readonly sources: readonly Source[];
  /** Option keys holding an AbortSignal (or, for axios, a `cancelToken`). */
  readonly signalOptions: readonly string[];
  /** Timeout options and what they bound. */
  readonly timers: readonly TimerOption[];
  /** Timers the library applies when the caller sets nothing (ky's 10 s `timeout`). */
  readonly defaultTimers: readonly TimerOption[];
  /** Chain methods that bound the request (superagent `.timeout()`); a number argument is a deadline. */
  readonly chainBounds: readonly string[];
  /**
   * Node's `timeout` only emits `'timeout'`: it bounds nothing unless a `'timeout'` handler (or the
   * `setTimeout` callback) destroys or aborts the request.
   */
  readonly timeoutNeedsHandler: boolean;
  /**
   * A constructor whose instance can stand in for the first argument and carries the options as its own
   * second argument: `fetch(new Request(url, { signal }))`.
   */
  readonly requestObjectConstructor?: string;
  /**
   * Set when the call resolves as soon as the headers arrive and the body is read later through these methods
   * of the response (fetch's `json()`, `text()`...): a deadline must last until one of them settles.
   */
  readonly responseBodyReaders?: readonly string[];
  /** How a call of this family is bounded: the suggestion, the message hint and the codemod render it. */
  readonly bound: BoundTemplate;
  /** One line for docs: why calls of this family hang. */
  readonly hazard: string;
}
