import { CALL, CONSTRUCT, ESM, READ, type ReferenceTracker, getStaticValue, getStringIfConstant } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { Minimatch } from 'minimatch';

import { dynamicImportRoots } from './dynamic-imports.js';
import { getReferenceTracker } from './reference-tracker.js';
import type { TypeOrValueSpecifier } from './type-specifier.js';

/**
 * One banned API, as a user writes it in `no-restricted-http-api`'s options.
 *
 * `module` or `global` names the root; `name` (a dotted property path below it, e.g. `globalAgent` or
 * `defaults.timeout`) or `pattern` (a regular expression matched against that whole dotted path) picks the
 * member. A `module` with neither bans the whole module. `type` instead matches members of instances
 * whose type matches a typescript-eslint `TypeOrValueSpecifier` (needs type information).
 */
export interface RestrictedApi {
  readonly module?: string;
  readonly global?: string;
  readonly type?: TypeOrValueSpecifier;
  readonly name?: string;
  readonly pattern?: string;
  readonly message: string;
  readonly allowIn?: readonly string[];
}

/** What presets may add on top of the user-facing shape; not part of the rule's option schema. */
export interface PresetRestrictedApi extends RestrictedApi {
  /** Identifies the entry in a preset's `allow` option. */
  readonly id?: string;
  /** Only calls whose first argument is a constant matching this count (e.g. `Symbol.for('undici.…')`). */
  readonly firstArgument?: RegExp;
  /**
   * Only writes count, not reads: assignments (`globalThis.fetch = …`, `https.request = …`) and, for one member
   * of a module, `Object.defineProperty(http, 'request', …)`.
   */
  readonly writesOnly?: boolean;
}

export interface RestrictedReference {
  readonly node: TSESTree.Node;
  readonly restriction: PresetRestrictedApi;
  /** The API by its resolved name, e.g. `http.globalAgent` even when reached through an alias. */
  readonly apiName: string;
  /**
   * When the reference replaces the API, the value it puts there: the right side of `globalThis.fetch = …`, or
   * the descriptor's `value` (or arrow `get`'s result) in `Object.defineProperty(http, 'request', …)`.
   */
  readonly writtenValue?: TSESTree.Node;
}

interface CompiledRestriction {
  readonly restriction: PresetRestrictedApi;
  readonly root: string;
  readonly nameSegments: readonly string[] | undefined;
  readonly pattern: RegExp | undefined;
}

/** How deep a `pattern` follows member chains: `axios.defaults.headers.common` is three segments. */
const MAX_PATTERN_DEPTH = 3;

const builtins = new Set(builtinModules.filter((id) => !id.startsWith('_')));

/** `http` and `node:http` are the same module; other specifiers stand for themselves. */
export function moduleSpecifierVariants(specifier: string): string[] {
  const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  return builtins.has(bare) ? [bare, `node:${bare}`] : [specifier];
}

export function anchoredPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function compile(restriction: PresetRestrictedApi, root: string): CompiledRestriction {
  return {
    restriction,
    root,
    nameSegments: restriction.name === undefined ? undefined : restriction.name.split('.'),
    pattern: restriction.pattern === undefined ? undefined : anchoredPattern(restriction.pattern),
  };
}

function matchesAt(compiled: CompiledRestriction, segments: readonly string[]): boolean {
  if (compiled.nameSegments) {
    return compiled.nameSegments.length === segments.length && compiled.nameSegments.every((segment, index) => segment === segments[index]);
  }
  if (compiled.pattern) return segments.length > 0 && compiled.pattern.test(segments.join('.'));
  return segments.length === 0;
}

function continuesWith(compiled: CompiledRestriction, segments: readonly string[], key: string): boolean {
  if (compiled.nameSegments) return compiled.nameSegments.length > segments.length && compiled.nameSegments[segments.length] === key;
  if (compiled.pattern) return segments.length < MAX_PATTERN_DEPTH;
  return false;
}

/**
 * A ReferenceTracker trace-map node computed on demand, so `pattern` entries can match member names that a
 * static trace map would have to list in advance. The tracker only asks `hasOwnProperty(key)` and
 * `node[key]`, which the proxy answers from the restrictions still reachable below `segments`.
 *
 * `isModuleRoot` marks the object a module resolves to: its `default` export folds into the root (the
 * CommonJS interop view, like the tracker's legacy mode), and the `ESM` marker stops the tracker from
 * applying its own default-folding on top.
 */
function traceNode(candidates: readonly CompiledRestriction[], segments: readonly string[], isModuleRoot: boolean, viaDefault = false): object {
  const matched = viaDefault ? [] : candidates.filter((compiled) => matchesAt(compiled, segments));
  const children = new Map<string, object | undefined>();
  const child = (key: string): object | undefined => {
    if (children.has(key)) return children.get(key);
    let node: object | undefined;
    if (isModuleRoot && key === 'default') {
      node = traceNode(candidates, segments, false, true);
    } else {
      const next = candidates.filter((compiled) => continuesWith(compiled, segments, key));
      node = next.length === 0 ? undefined : traceNode(next, [...segments, key], false);
    }
    children.set(key, node);
    return node;
  };
  const lookup = (key: string | symbol): unknown => {
    if (key === READ) return matched.length > 0 ? matched : undefined;
    // The import or `require` of a banned module is the one use; calling what it returned is not another.
    if (key === CALL || key === CONSTRUCT) return matched.length > 0 && !isModuleRoot ? matched : undefined;
    if (key === ESM) return isModuleRoot ? true : undefined;
    if (typeof key === 'string') return child(key);
    return undefined;
  };
  return new Proxy(
    {},
    {
      get: (_target, key) => lookup(key),
      getOwnPropertyDescriptor: (_target, key) => {
        const value = lookup(key);
        return value === undefined ? undefined : { value, configurable: true, enumerable: true, writable: false };
      },
      has: (_target, key) => lookup(key) !== undefined,
    },
  );
}

function groupByRoot(compiled: readonly CompiledRestriction[]): Map<string, CompiledRestriction[]> {
  const byRoot = new Map<string, CompiledRestriction[]>();
  for (const entry of compiled) byRoot.set(entry.root, [...(byRoot.get(entry.root) ?? []), entry]);
  return byRoot;
}

const globMatchers = new Map<string, Minimatch>();

/**
 * `true` when `filename` (absolute, or relative to `cwd`) matches one of the globs, read relative to `cwd` with
 * minimatch, the matcher ESLint's own `files` and `ignores` use (`dot: true` as there, so `**` also crosses
 * `.config/`-style folders). Each glob compiles once per process.
 */
export function fileMatchesAnyGlob(filename: string, cwd: string, globs: readonly string[]): boolean {
  const relative = path.relative(cwd, path.resolve(cwd, filename)).split(path.sep).join('/');
  return globs.some((glob) => {
    let matcher = globMatchers.get(glob);
    if (!matcher) {
      matcher = new Minimatch(glob, { dot: true });
      globMatchers.set(glob, matcher);
    }
    return matcher.match(relative);
  });
}

function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.ChainExpression ||
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.TSTypeAssertion
  ) {
    current = current.expression;
  }
  return current;
}

/** The assignment `node` is the target of (past `!` and `as` wrappers on the left side), if it is one. */
function assignmentTo(node: TSESTree.Node): TSESTree.AssignmentExpression | undefined {
  let current = node;
  while (current.parent && (current.parent.type === AST_NODE_TYPES.TSNonNullExpression || current.parent.type === AST_NODE_TYPES.TSAsExpression)) current = current.parent;
  const parent = current.parent;
  return parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === current ? parent : undefined;
}

/** `import type { Agent } from 'http'` loads nothing at run time. */
function isTypeOnlyImport(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.ImportDeclaration) return node.importKind === 'type';
  if (node.type === AST_NODE_TYPES.ImportSpecifier) return node.importKind === 'type' || (node.parent.type === AST_NODE_TYPES.ImportDeclaration && node.parent.importKind === 'type');
  return false;
}

function apiName(compiled: CompiledRestriction, segments: readonly string[]): string {
  // Named as configured (`http`), whichever variant (`node:http`) the file imported.
  const root = compiled.restriction.module ?? compiled.restriction.global ?? compiled.root;
  return segments.length === 0 ? root : `${root}.${segments.join('.')}`;
}

function firstArgumentMatches(node: TSESTree.Node, pattern: RegExp, scope: TSESLint.Scope.Scope): string | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const [first] = node.arguments;
  if (!first || first.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const value = getStaticValue(first as never, scope as never)?.value;
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

type Tracked = ReturnType<ReferenceTracker['iterateGlobalReferences']> extends Iterable<infer Item> ? Item : never;

/**
 * `process.getBuiltinModule('http')` returns the module like an import does: the same tracker follows the
 * returned object with the module's trace map. The call itself is the use when the whole module is banned.
 */
function* builtinModuleLoads(sourceCode: Readonly<TSESLint.SourceCode>, tracker: ReferenceTracker, moduleMap: object): Generator<Tracked> {
  const moduleTraceMaps = moduleMap as Record<string, Record<string | symbol, unknown>>;
  for (const { node } of tracker.iterateGlobalReferences({ process: { getBuiltinModule: { [CALL]: true } } })) {
    const call = node as unknown as TSESTree.CallExpression;
    const [first] = call.arguments;
    if (!first || first.type === AST_NODE_TYPES.SpreadElement) continue;
    const specifier = getStringIfConstant(first as never, sourceCode.getScope(call) as never);
    if (specifier === null || !Object.hasOwn(moduleTraceMaps, specifier)) continue;
    const traceMap = moduleTraceMaps[specifier];
    if (!traceMap) continue;
    if (traceMap[READ]) yield { node, path: [specifier], type: READ, info: traceMap[READ] };
    for (const reference of tracker.iteratePropertyReferences(node as never, traceMap as never)) {
      yield { ...reference, path: [specifier, ...reference.path] };
    }
  }
}

/** `await import('node:http')` and `import('http').then((http) => …)`: followed with the module's trace map. */
function* dynamicImportLoads(sourceCode: Readonly<TSESLint.SourceCode>, tracker: ReferenceTracker, moduleMap: object): Generator<Tracked> {
  const moduleTraceMaps = moduleMap as Record<string, Record<string | symbol, unknown>>;
  for (const root of dynamicImportRoots(sourceCode)) {
    if (!Object.hasOwn(moduleTraceMaps, root.specifier)) continue;
    let traceMap: Record<string | symbol, unknown> | undefined = moduleTraceMaps[root.specifier];
    for (const segment of root.path) traceMap = traceMap?.[segment] as Record<string | symbol, unknown> | undefined;
    if (!traceMap) continue;
    for (const reference of tracker.iteratePropertyReferences(root.node as never, traceMap as never)) {
      yield { ...reference, path: [root.specifier, ...root.path, ...reference.path] };
    }
  }
}

interface CompiledRestrictions {
  readonly moduleMap: object;
  readonly globalMap: object;
  readonly globalEntries: readonly CompiledRestriction[];
  /** Text that any file using one of the APIs must contain: module specifiers and global names. */
  readonly rootNames: readonly string[];
}

const compiledCache = new WeakMap<readonly PresetRestrictedApi[], CompiledRestrictions>();

/** Trace maps are built once per restriction list (per rule configuration), not once per file. */
function compileRestrictions(restrictions: readonly PresetRestrictedApi[]): CompiledRestrictions {
  const cached = compiledCache.get(restrictions);
  if (cached) return cached;
  const moduleEntries: CompiledRestriction[] = [];
  const globalEntries: CompiledRestriction[] = [];
  for (const restriction of restrictions) {
    if (restriction.module !== undefined) {
      for (const variant of moduleSpecifierVariants(restriction.module)) moduleEntries.push(compile(restriction, variant));
    } else if (restriction.global !== undefined) {
      globalEntries.push(compile(restriction, restriction.global));
    }
  }
  const compiled: CompiledRestrictions = {
    moduleMap: Object.fromEntries([...groupByRoot(moduleEntries)].map(([root, entries]) => [root, traceNode(entries, [], true)])),
    globalMap: Object.fromEntries([...groupByRoot(globalEntries)].map(([root, entries]) => [root, traceNode(entries, [], false)])),
    globalEntries,
    rootNames: [...new Set([...moduleEntries, ...globalEntries].map((entry) => entry.root))],
  };
  compiledCache.set(restrictions, compiled);
  return compiled;
}

/**
 * Every reference in the file to a module- or global-rooted restricted API, resolved through the shared
 * ReferenceTracker: ESM default/named/namespace imports, `require` with destructuring, local aliases and
 * globals reached through `globalThis`/`window`/`self`/`global`. A call is reported once, at the member it
 * calls, unless it calls an alias (then both the alias and the call are uses).
 */
export function findRestrictedReferences(
  sourceCode: Readonly<TSESLint.SourceCode>,
  restrictions: readonly PresetRestrictedApi[],
): RestrictedReference[] {
  const compiled = compileRestrictions(restrictions);
  // Most files mention none of the banned roots; a substring test is far cheaper than tracking references.
  if (!compiled.rootNames.some((rootName) => sourceCode.text.includes(rootName))) return [];
  const { moduleMap, globalMap, globalEntries } = compiled;

  const tracker = getReferenceTracker(sourceCode);
  const tracked = [
    ...tracker.iterateEsmReferences(moduleMap as never),
    ...tracker.iterateCjsReferences(moduleMap as never),
    ...tracker.iterateGlobalReferences(globalMap as never),
    ...builtinModuleLoads(sourceCode, tracker, moduleMap),
    ...dynamicImportLoads(sourceCode, tracker, moduleMap),
  ];

  const globalScope = sourceCode.scopeManager?.globalScope;
  const found: RestrictedReference[] = [];
  const seen = new Set<string>();
  const reportedNodes = new Set<TSESTree.Node>();
  const sorted = tracked.sort((left, right) => Number(left.type === READ ? 0 : 1) - Number(right.type === READ ? 0 : 1));
  for (const { node: rawNode, path: trackedPath, type, info } of sorted) {
    const node = rawNode as TSESTree.Node;
    if (isTypeOnlyImport(node)) continue;
    if ((type === CALL || type === CONSTRUCT) && 'callee' in node && reportedNodes.has(unwrapExpression(node.callee))) continue;
    // The tracker's path starts with the module or global it resolved; `default` is the interop fold.
    const segments = trackedPath.slice(1).filter((segment) => segment !== 'default');
    for (const entry of info as CompiledRestriction[]) {
      const { restriction } = entry;
      const assignment = assignmentTo(node);
      if (restriction.writesOnly === true && !assignment) continue;
      let name = apiName(entry, segments);
      if (restriction.firstArgument) {
        if (type !== CALL || !globalScope) continue;
        const argument = firstArgumentMatches(node, restriction.firstArgument, sourceCode.getScope?.(node) ?? globalScope);
        if (argument === undefined) continue;
        name = `${name}(${JSON.stringify(argument)})`;
      }
      const key = `${String(node.range[0])}:${String(node.range[1])}:${name}:${restriction.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reportedNodes.add(node);
      found.push({ node, restriction, apiName: name, ...(assignment ? { writtenValue: assignment.right } : {}) });
    }
  }
  if (globalScope) found.push(...findDirectGlobalWrites(globalScope, globalEntries));
  found.push(...findDefinedModuleMembers(sourceCode, tracker, restrictions));
  return found.sort((left, right) => left.node.range[0] - right.node.range[0]);
}

/**
 * `fetch = myFetch` writes the global itself. The tracker only follows reads (and skips a global that is
 * written anywhere), so `writesOnly` entries look at the same scope data for the write references.
 */
function findDirectGlobalWrites(globalScope: TSESLint.Scope.Scope, globalEntries: readonly CompiledRestriction[]): RestrictedReference[] {
  const found: RestrictedReference[] = [];
  for (const compiled of globalEntries) {
    if (compiled.restriction.writesOnly !== true || compiled.nameSegments !== undefined || compiled.pattern !== undefined) continue;
    const declared = globalScope.set.get(compiled.root);
    // A script-level `var fetch` is the user's own variable, not the runtime's global.
    if (declared && declared.defs.length > 0) continue;
    const references = new Set([
      ...(declared?.references ?? []),
      ...globalScope.through.filter((reference) => reference.identifier.type === AST_NODE_TYPES.Identifier && reference.identifier.name === compiled.root),
    ]);
    for (const reference of references) {
      if (!reference.isWrite()) continue;
      const assignment = assignmentTo(reference.identifier);
      found.push({ node: reference.identifier, restriction: compiled.restriction, apiName: compiled.root, ...(assignment ? { writtenValue: assignment.right } : {}) });
    }
  }
  return found;
}

const DEFINE_PROPERTY_CALLS = {
  Object: { defineProperty: { [CALL]: true }, defineProperties: { [CALL]: true } },
  Reflect: { defineProperty: { [CALL]: true } },
};

/**
 * `Object.defineProperty(http, 'request', …)`, `Object.defineProperties(https, { get: … })` and
 * `Reflect.defineProperty(…)` write a module member as surely as `http.request = …` does: the
 * monkey-patching form of instrumentation libraries. Only for `writesOnly` entries naming one member of a module.
 */
function findDefinedModuleMembers(sourceCode: Readonly<TSESLint.SourceCode>, tracker: ReferenceTracker, restrictions: readonly PresetRestrictedApi[]): RestrictedReference[] {
  const members = restrictions.filter((restriction) => restriction.writesOnly === true && restriction.module !== undefined && restriction.name !== undefined && !restriction.name.includes('.'));
  if (members.length === 0) return [];
  const found: RestrictedReference[] = [];
  for (const { node } of tracker.iterateGlobalReferences(DEFINE_PROPERTY_CALLS)) {
    const call = node as unknown as TSESTree.CallExpression;
    const [target, keys] = call.arguments;
    if (!target || !keys || target.type === AST_NODE_TYPES.SpreadElement || keys.type === AST_NODE_TYPES.SpreadElement) continue;
    const specifier = moduleOfValue(sourceCode, target, 0);
    if (specifier === undefined) continue;
    const callee = unwrapExpression(call.callee);
    const many = callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'defineProperties';
    const names = many ? objectKeys(sourceCode, keys) : [getStringIfConstant(keys as never, sourceCode.getScope(call) as never)];
    for (const restriction of members) {
      if (!moduleSpecifierVariants(restriction.module ?? '').includes(specifier) || !names.includes(restriction.name ?? '')) continue;
      const descriptor = many ? propertyValue(sourceCode, keys, restriction.name ?? '') : call.arguments[2];
      const writtenValue = descriptor && descriptor.type !== AST_NODE_TYPES.SpreadElement ? descriptorValue(sourceCode, descriptor) : undefined;
      found.push({ node: call, restriction, apiName: `${restriction.module ?? ''}.${restriction.name ?? ''}`, ...(writtenValue ? { writtenValue } : {}) });
    }
  }
  return found;
}

/** The value of the property `name` in an object literal: `{ request: { value: a } }` → `{ value: a }`. */
function propertyValue(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, name: string): TSESTree.Node | undefined {
  const literal = unwrapExpression(node);
  if (literal.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  for (const property of literal.properties) {
    if (property.type === AST_NODE_TYPES.Property && ASTUtils.getPropertyName(property, sourceCode.getScope(property)) === name) return property.value;
  }
  return undefined;
}

/** What a property descriptor installs: its `value`, or what its `get` returns when that is one expression. */
function descriptorValue(sourceCode: Readonly<TSESLint.SourceCode>, descriptor: TSESTree.Node): TSESTree.Node | undefined {
  const value = propertyValue(sourceCode, descriptor, 'value');
  if (value) return value;
  const getter = propertyValue(sourceCode, descriptor, 'get');
  if (getter?.type !== AST_NODE_TYPES.ArrowFunctionExpression && getter?.type !== AST_NODE_TYPES.FunctionExpression) return undefined;
  if (getter.body.type !== AST_NODE_TYPES.BlockStatement) return getter.body;
  const [only] = getter.body.body;
  return getter.body.body.length === 1 && only?.type === AST_NODE_TYPES.ReturnStatement && only.argument ? only.argument : undefined;
}

function objectKeys(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): (string | null)[] {
  const literal = unwrapExpression(node);
  if (literal.type !== AST_NODE_TYPES.ObjectExpression) return [];
  return literal.properties.map((property) =>
    property.type === AST_NODE_TYPES.Property ? ASTUtils.getPropertyName(property, sourceCode.getScope(property)) : null,
  );
}

/** The module a value is, when it is one: `require('http')`, an import of it, or a `const` holding either. */
function moduleOfValue(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, depth: number): string | undefined {
  const value = unwrapExpression(node);
  if (depth > 3) return undefined;
  if (value.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrapExpression(value.callee);
    const isLoader =
      (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require') ||
      (callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'getBuiltinModule');
    const [first] = value.arguments;
    if (!isLoader || !first || first.type === AST_NODE_TYPES.SpreadElement) return undefined;
    return getStringIfConstant(first as never, sourceCode.getScope(value) as never) ?? undefined;
  }
  if (value.type === AST_NODE_TYPES.MemberExpression && value.property.type === AST_NODE_TYPES.Identifier && value.property.name === 'default') {
    return moduleOfValue(sourceCode, value.object, depth + 1);
  }
  if (value.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(value), value);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type === 'ImportBinding') {
    const specifier = definition.node;
    const wholeModule =
      specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier ||
      specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier ||
      (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.imported.type === AST_NODE_TYPES.Identifier && specifier.imported.name === 'default');
    return wholeModule && definition.parent.type === AST_NODE_TYPES.ImportDeclaration ? String(definition.parent.source.value) : undefined;
  }
  if (definition?.type === 'Variable' && definition.node.id.type === AST_NODE_TYPES.Identifier && definition.node.init) {
    return moduleOfValue(sourceCode, definition.node.init, depth + 1);
  }
  return undefined;
}
