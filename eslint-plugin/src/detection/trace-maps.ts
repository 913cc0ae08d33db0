import { CALL, CONSTRUCT, READ } from '@eslint-community/eslint-utils';

import { CLIENT_FAMILIES, WRAPPER_MODULE_IMPORTS, findRequestEntry, getFamily } from '../knowledge/index.js';
import type { ClientFamily, FactoryEntry, InstanceShape, OptionsPosition, RequestEntry, TimerOption, WrapperModuleImport } from '../knowledge/index.js';

/** What a tracked reference is, attached to the trace-map leaf that found it. */
export type TraceInfo =
  | {
      readonly kind: 'request';
      readonly family: ClientFamily;
      readonly entry: RequestEntry;
      readonly method: string | null;
      /** What the call must show to count (a wrapper module's `request` used like node's ClientRequest). */
      readonly evidence?: WrapperModuleImport['evidence'];
    }
  | { readonly kind: 'instance-request'; readonly method: string | null; readonly position: OptionsPosition }
  | { readonly kind: 'factory'; readonly family: ClientFamily; readonly factory: FactoryEntry }
  | { readonly kind: 'instance-factory'; readonly method: string; readonly position: OptionsPosition }
  | { readonly kind: 'defaults-timer'; readonly family: ClientFamily; readonly timer: TimerOption };

/** A trace map in ReferenceTracker's format; cyclic (`default` points back at the module) on purpose. */
export interface TraceNode {
  [key: string]: TraceNode;
  [CALL]?: TraceInfo;
  [CONSTRUCT]?: TraceInfo;
  [READ]?: TraceInfo;
}

function child(node: TraceNode, path: readonly string[]): TraceNode {
  let current = node;
  for (const segment of path) {
    current[segment] ??= {};
    current = current[segment];
  }
  return current;
}

function addDefaultsTimers(root: TraceNode, family: ClientFamily, defaultsPath: readonly string[]): void {
  for (const timer of family.timers) {
    child(root, [...defaultsPath, ...timer.path])[READ] = { kind: 'defaults-timer', family, timer };
  }
}

function moduleRoot(family: ClientFamily, entries: readonly RequestEntry[], factories: readonly FactoryEntry[], defaultsPath?: readonly string[]): TraceNode {
  const root: TraceNode = {};
  for (const entry of entries) {
    const method = entry.path.length === 0 ? null : (entry.path[entry.path.length - 1] ?? null);
    child(root, entry.path)[entry.kind === 'call' ? CALL : CONSTRUCT] = { kind: 'request', family, entry, method };
  }
  for (const factory of factories) {
    child(root, factory.path)[factory.kind === 'call' ? CALL : CONSTRUCT] = { kind: 'factory', family, factory };
  }
  if (defaultsPath) addDefaultsTimers(root, family, defaultsPath);
  // `require('axios').default` and ESM default imports of CommonJS modules reach the module itself.
  root['default'] ??= root;
  return root;
}

/** Everything reachable from module specifiers, and from global names. Built once. */
export interface TraceMaps {
  readonly modules: Record<string, TraceNode>;
  readonly builtinModules: Record<string, TraceNode>;
  readonly globals: Record<string, TraceNode>;
}

function mergeInto(target: Record<string, TraceNode>, key: string, root: TraceNode): void {
  const existing = target[key];
  if (!existing) {
    target[key] = root;
    return;
  }
  mergeNode(existing, root);
}

/**
 * Two families share a module or global (undici exports fetch and request; ofetch exports `$fetch` and its
 * plain `$fetch.native`): merge their trees key by key, so `$fetch(...)` and `$fetch.native(...)` both stay.
 * `default` points back at a root and is not followed.
 */
function mergeNode(existing: TraceNode, addition: TraceNode): void {
  for (const [name, value] of Object.entries(addition)) {
    if (name === 'default') continue;
    const current = existing[name];
    if (!current) existing[name] = value;
    else if (current !== value) mergeNode(current, value);
  }
  for (const symbol of [CALL, CONSTRUCT, READ] as const) {
    if (addition[symbol] && !existing[symbol]) existing[symbol] = addition[symbol];
  }
}

function buildTraceMaps(): TraceMaps {
  const modules: Record<string, TraceNode> = {};
  const builtinModules: Record<string, TraceNode> = {};
  const globals: Record<string, TraceNode> = {};
  for (const family of CLIENT_FAMILIES) {
    for (const source of family.sources) {
      if (source.kind === 'global') {
        mergeInto(globals, source.name, moduleRoot(family, source.entries, source.factories));
        continue;
      }
      for (const specifier of source.specifiers) {
        const root = moduleRoot(family, source.entries, source.factories, source.defaultsPath);
        mergeInto(modules, specifier, root);
        if (source.builtin) mergeInto(builtinModules, specifier, root);
      }
    }
  }
  return { modules, builtinModules, globals };
}

export const TRACE_MAPS: TraceMaps = buildTraceMaps();

const instanceMaps = new WeakMap<InstanceShape, TraceNode>();

/** Where a derived-instance factory takes its options unless the shape says otherwise (`got.extend(options)`). */
const FIRST_ARGUMENT: OptionsPosition = { kind: 'index', index: 0 };

/** The trace map for what can be done with an instance: its request methods, derived factories, defaults. */
export function instanceTraceMap(family: ClientFamily, shape: InstanceShape): TraceNode {
  const cached = instanceMaps.get(shape);
  if (cached) return cached;
  const root: TraceNode = {};
  if (shape.call) root[CALL] = { kind: 'instance-request', method: null, position: shape.call };
  for (const [method, position] of Object.entries(shape.methods)) {
    child(root, [method])[CALL] = { kind: 'instance-request', method, position };
  }
  for (const method of shape.factories) {
    child(root, [method])[CALL] = { kind: 'instance-factory', method, position: shape.factoryOptions?.[method] ?? FIRST_ARGUMENT };
  }
  if (shape.defaultsPath) addDefaultsTimers(root, family, shape.defaultsPath);
  instanceMaps.set(shape, root);
  return root;
}

/** The trace map below `path` (`['request']` of undici's), or undefined when nothing is known there. */
export function traceMapAt(root: TraceNode | undefined, path: readonly string[]): TraceNode | undefined {
  let current = root;
  for (const segment of path) current = current && Object.hasOwn(current, segment) ? current[segment] : undefined;
  return current;
}

const wrapperMaps = new Map<string, TraceNode | null>();

/**
 * The trace map of a project's own module by its specifier (`'./http'` → `{ fetch }`), from the wrapper-module
 * knowledge; `undefined` for a specifier no wrapper convention covers. No `default` fold: only named imports count.
 */
export function wrapperModuleTraceMap(specifier: string): TraceNode | undefined {
  let map = wrapperMaps.get(specifier);
  if (map === undefined) {
    map = null;
    for (const wrapper of WRAPPER_MODULE_IMPORTS) {
      if (!wrapper.specifier.test(specifier)) continue;
      const family = getFamily(wrapper.family);
      const entry = findRequestEntry(wrapper.family, wrapper.entryPath);
      if (!entry) continue;
      map ??= {};
      child(map, [wrapper.name])[CALL] = {
        kind: 'request',
        family,
        entry,
        method: entry.path[entry.path.length - 1] ?? null,
        ...(wrapper.evidence ? { evidence: wrapper.evidence } : {}),
      };
    }
    wrapperMaps.set(specifier, map);
  }
  return map ?? undefined;
}
