/**
 * The site descriptor: what the detection engine knows about one finding, as plain data with source offsets.
 * It is the contract between the rules and every tool that acts on their findings (the bounded-http codemods
 * rewrite from it and resolve nothing again). Offsets are those of the linted text (`SourceCode.text`, a BOM
 * excluded), half-open `[start, end)` like ESTree ranges.
 *
 * A new client family needs no new field here: its facts live in the knowledge base (`FamilyId`, its
 * `BoundTemplate`), and a descriptor only says where things sit in this file.
 *
 * @packageDocumentation
 */
import type { FamilyId, TimerKind } from '../knowledge/index.js';

/** `[start, end)` offsets in the linted text. */
export type SourceRange = readonly [number, number];

/**
 * What the reported node is.
 * - `call`: a request (`fetch(url)`, `axios.get(url)`, `client.get(url)`, `http.request(options)`);
 * - `instance-factory`: the creation of a request-making instance (`axios.create()`, `got.extend()`);
 * - `dispatcher`: the creation of an undici dispatcher (`new Agent()`), which only idle timers can bound;
 * - `defaults-assignment`: `axios.defaults.timeout = 0`, `client.defaults.timeout = 0`;
 * - `timer-call`: a call that sets a timer by argument (`req.setTimeout(0)`, superagent `.timeout(0)`,
 *   `AbortSignal.timeout(Infinity)`).
 */
export type SiteRole = 'call' | 'instance-factory' | 'dispatcher' | 'defaults-assignment' | 'timer-call';

/**
 * Why the site is reported. The first six are the engine's verdicts on a call or instance with no bound at
 * all; `idle-only`: only idle or phase timers bound it; `disabled-value`, `above-max` and
 * `never-firing-signal` are `no-disabled-timeout`'s.
 */
export type SiteReason =
  | 'nullish-signal'
  | 'signal-without-deadline'
  | 'ignored-timeout'
  | 'disabled-timer'
  | 'timeout-without-handler'
  | 'no-bound'
  | 'idle-only'
  | 'disabled-value'
  | 'above-max'
  | 'never-firing-signal';

/**
 * An options value as the engine read it, through scope (eslint-scope's variables, never a name search).
 * - `literal`: an object literal written in place; `spreads` are its `...x` members in source order (each
 *   one described in turn), `signal` its own `signal` property;
 * - `const`: a name bound by `const` (or written once) to an object literal that is never mutated;
 *   `literal` describes that literal (at its declaration, possibly far from the call);
 * - `opaque`: anything whose keys cannot be read (a parameter, a call result). `repeatable`: reading it twice
 *   has no side effect (`init`, `this.options`); `mayBeNullish`: it may be `undefined` or `null` at run time
 *   (an untyped or optional parameter), so `.signal` on it must be read with `?.`.
 */
export type OptionsValue =
  | {
      readonly kind: 'literal';
      readonly range: SourceRange;
      readonly signal: SignalOption | undefined;
      readonly spreads: readonly OptionsValue[];
    }
  | { readonly kind: 'const'; readonly range: SourceRange; readonly literal: OptionsValue & { readonly kind: 'literal' } }
  | { readonly kind: 'opaque'; readonly range: SourceRange; readonly repeatable: boolean; readonly mayBeNullish: boolean };

/** The `signal` property of an options literal. */
export interface SignalOption {
  /** The property (`signal: x`, or the shorthand `signal`). */
  readonly property: SourceRange;
  readonly value: SourceRange;
  readonly shorthand: boolean;
  /** `null`, `undefined`, `void 0`: no signal at all. */
  readonly nullish: boolean;
  /** Always an AbortSignal, never nullish (`controller.signal` of a `const controller = new AbortController()`). */
  readonly definite: boolean;
  /** The value can be read twice without a second side effect (`signal`, `options.signal`, not `makeSignal()`). */
  readonly repeatable: boolean;
}

/**
 * Where the options argument of a call sits, or must go.
 * - `argument`: an argument at `index` holds the options; `value` says what it is;
 * - `placeholder`: `undefined`/`null`/`void 0` stands at `index` (`fetch(url, undefined)`): replace it;
 * - `insert`: no argument there; insert one at `index`, after the `placeholders` the knowledge base gives for
 *   the arguments left out (`axios.post(url)` → `axios.post(url, undefined, config)`, needle's
 *   `needle('get', url)` → `needle('get', url, null, options)`); `before` is the argument it goes in front of
 *   (node's response callback in `http.get(url, cb)`), absent when it goes last;
 * - `none`: the API takes no options (superagent, whose bound is in the chain);
 * - `unknowable`: the position cannot be known from the file: `spread-arguments` (`fetch(...args)`), or
 *   `ambiguous-first-argument` (`axios(x)`: a URL or the config?).
 */
export type OptionsSlot =
  | { readonly kind: 'argument'; readonly index: number; readonly value: OptionsValue }
  | { readonly kind: 'placeholder'; readonly index: number; readonly range: SourceRange }
  | { readonly kind: 'insert'; readonly index: number; readonly placeholders: readonly string[]; readonly before: SourceRange | undefined }
  | { readonly kind: 'none' }
  | { readonly kind: 'unknowable'; readonly why: 'spread-arguments' | 'ambiguous-first-argument' };

/**
 * The option or value the reason is about.
 * - `disabled-value`: `timeout: 0`, `.timeout(0)`, `AbortSignal.timeout(Infinity)`: a value that switches a
 *   timer off by the knowledge base's `disablesTimer` (or never fires);
 * - `above-max`: a finite value above `no-disabled-timeout`'s `maxMs`;
 * - `nullish-signal`, `signal-without-deadline`: the `signal` property;
 * - `ignored-timeout`: standard fetch's `timeout` key; `value` is its value;
 * - `timeout-without-handler`: node's `timeout` option with no handler that destroys the request.
 * `node` is the property, assignment or call blamed; `value` the expression holding the number or signal.
 * `valueDisables`: the static value of `value` switches a timer off (`0`, `Infinity`, `false`, `null`,
 * `undefined`, `Number.POSITIVE_INFINITY`); `valueWrittenHere`: the value is a literal at this site, not a
 * name for one declared elsewhere (a shared constant is changed where it is declared). `timer`: for
 * `disabled-value` and `above-max`, the knowledge base's timer the value sets (ky's `timeout` is a
 * `deadline`, so the finite value alone bounds the call again; axios's is `idle`).
 */
export interface Culprit {
  readonly kind: 'disabled-value' | 'above-max' | 'nullish-signal' | 'signal-without-deadline' | 'ignored-timeout' | 'timeout-without-handler';
  readonly node: SourceRange;
  readonly value: SourceRange;
  readonly valueDisables: boolean;
  readonly valueWrittenHere: boolean;
  readonly timer?: { readonly path: readonly string[]; readonly kind: TimerKind };
}

/**
 * `fetch(input)` where `input` is, or may be, a `Request` (a `Request`'s own signal is replaced by a
 * `signal` in fetch's second argument, so a fix must combine the two or leave the call alone).
 * - `constructed`: `fetch(new Request(url, init))` written in place: bound the `Request`'s own init;
 * - `reference`: a name or expression holding one (`fetch(request)`).
 */
export type RequestObject =
  | { readonly kind: 'constructed'; readonly range: SourceRange; readonly options: OptionsSlot }
  | {
      readonly kind: 'reference';
      readonly range: SourceRange;
      readonly repeatable: boolean;
      /**
       * Known to be a `Request` (by type, by a `Request` annotation, or bound to `new Request(...)`); otherwise it
       * is only named like one (`input`, `req`) and may be a URL, whose `.signal` is `undefined`.
       */
      readonly certain: boolean;
    };

/** One finding of a bounded-http rule, as the detection engine understands it. */
export interface SiteDescriptor {
  /** Rule name without the plugin prefix (`no-unbounded-fetch`). */
  readonly ruleId: string;
  readonly messageId: string;
  /** The reported node. */
  readonly range: SourceRange;
  /** The client family; `null` only for a finding about no client (`AbortSignal.timeout(Infinity)`). */
  readonly familyId: FamilyId | null;
  readonly role: SiteRole;
  /** The method as the knowledge base names it (`get`, `create`); `null` for a callable module or instance. */
  readonly method: string | null;
  /** Where the call's (or factory's) options sit; `none` for roles that have none. */
  readonly options: OptionsSlot;
  readonly reason: SiteReason;
  readonly culprit: Culprit | undefined;
  /** For `fetch` calls whose first argument is, or may be, a `Request`. */
  readonly requestObject?: RequestObject;
  /** For builder chains (superagent): the offset after the chain's last call, where a `.timeout()` goes. */
  readonly chainEnd?: number;
  /**
   * For `instance-factory` and `dispatcher`: the calls made on the instance in this file (found through
   * scope, like the rules' own), each described as a `call` with this site's rule and message ids.
   * `instanceEscapes`: the instance is reachable from outside this file or an unseen place (exported,
   * stored in a structure, passed to a function), so calls on it may exist that `instanceCalls` misses.
   */
  readonly instanceCalls?: readonly SiteDescriptor[];
  readonly instanceEscapes?: boolean;
}
