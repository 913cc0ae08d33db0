import { CALL, getStringIfConstant } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { ClientFamily, FactoryEntry, FamilyId, OptionsPosition, TimerOption } from '../knowledge/index.js';
import { timersOf } from '../knowledge/index.js';
import { getReferenceTracker } from '../util/reference-tracker.js';
import { extraModuleReferences } from './module-roots.js';
import { getTypeInfo } from '../util/type-info.js';
import { descendants, outermostValue, propertyName, unwrap } from './ast.js';
import { mayContainRequests } from './candidate-text.js';
import { TRACE_MAPS, type TraceInfo, type TraceNode, instanceTraceMap } from './trace-maps.js';
import { typedRequestSites } from './typed-sites.js';
import { type ProgramDefault, programDefaultsFor } from './program-defaults.js';
import { wrapperRequestSites } from './wrapper-sites.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/** `axios.defaults.timeout = 5000` (module) or `client.defaults.timeout = 0` (instance). */
export interface DefaultsAssignment {
  readonly timer: TimerOption;
  readonly assignment: TSESTree.AssignmentExpression;
}

/** One outbound request found in the file. */
export interface RequestSite {
  readonly family: ClientFamily;
  /** The whole call: what rules report and codemods locate by range. */
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The method as the knowledge base names it (`get`, `request`), `null` for a callable module or instance. */
  readonly method: string | null;
  readonly position: OptionsPosition;
  readonly timers: readonly TimerOption[];
  /** The instance the call was made on, if any. */
  readonly instance: InstanceSite | undefined;
  /** Type-aware mode: a call on an instance typed `AxiosInstance` & co. whose creation is not visible. */
  readonly unknownInstance?: boolean;
  /** Type-aware mode: a call of the program's own function that makes this family's request inside. */
  readonly wrapper?: WrapperCall;
}

/** A call of a wrapper: which request it reaches, where, and what of the caller's it passes on. */
export interface WrapperCall {
  /** The inner request's callee as written there (`fetch`). */
  readonly inner: string;
  /** Where the inner request is: a path relative to the working directory, or `this file`. */
  readonly file: string;
  /** `options`/`signal`: the caller's options or signal argument bounds it; `nothing`: no argument can. */
  readonly forwards: 'options' | 'signal' | 'nothing';
}

/** One request-making instance created in the file (`axios.create(...)`, `new Pool(...)`). */
export interface InstanceSite {
  readonly family: ClientFamily;
  readonly factory: FactoryEntry;
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The instance this one was derived from (`base.extend(...)`). */
  readonly parent: InstanceSite | undefined;
  readonly calls: RequestSite[];
  readonly defaults: DefaultsAssignment[];
}

/** Every request, instance and defaults assignment in one file. */
export interface FileRequests {
  readonly sites: readonly RequestSite[];
  readonly instances: readonly InstanceSite[];
  /** Module-level defaults by family (`axios.defaults.timeout = N` bounds the default export's calls). */
  readonly moduleDefaults: ReadonlyMap<ClientFamily, readonly DefaultsAssignment[]>;
  /** Type-aware mode: process-wide defaults set in any module of the program, by family id. */
  readonly programDefaults?: ReadonlyMap<FamilyId, ProgramDefault>;
}

const cache = new WeakMap<object, FileRequests>();

const NO_REQUESTS: FileRequests = { sites: [], instances: [], moduleDefaults: new Map() };

type Tracked = { node: Node; info: TraceInfo };

/**
 * Finds every request in the file once; every rule reads the same result. Without types, a file the text
 * pre-filter stops has none. With types it is searched anyway, for what only types reveal: a call of a wrapper
 * imported from another module, or on an instance typed in another module, needs no client's name in this file.
 */
export function getFileRequests(sourceCode: SourceCode): FileRequests {
  const cached = cache.get(sourceCode);
  if (cached) return cached;
  let result = NO_REQUESTS;
  if (mayContainRequests(sourceCode.text)) result = collect(sourceCode);
  else if (getTypeInfo(sourceCode)) result = typedOnlyRequests(sourceCode);
  cache.set(sourceCode, result);
  return result;
}

/**
 * A typed file that names no client: the program's wrappers, and calls on instances typed elsewhere. Not the
 * fetch-like names that typedRequestSites also asks about: in a file that never says `fetch`, a callee named
 * `boundedFetch` or `fetchWithOptions` is one of the program's wrappers, which the wrapper analysis judges with
 * what its body does.
 */
function typedOnlyRequests(sourceCode: SourceCode): FileRequests {
  const wrappers = new Map<Node, RequestSite>(wrapperRequestSites(sourceCode, NO_REQUESTS, getFileRequests).map((site) => [site.node, site]));
  const typedSites = typedRequestSites(sourceCode, wrappers).filter((site) => site.unknownInstance === true);
  if (typedSites.length === 0) return withWrapperSites(sourceCode, NO_REQUESTS);
  return withWrapperSites(sourceCode, { ...NO_REQUESTS, sites: typedSites.sort((a, b) => a.node.range[0] - b.node.range[0]) });
}

/** Type-aware additions: calls of the program's wrappers, and defaults set in other modules. */
function withWrapperSites(sourceCode: SourceCode, requests: FileRequests): FileRequests {
  if (!getTypeInfo(sourceCode)) return requests;
  const wrapperSites = wrapperRequestSites(sourceCode, requests, getFileRequests);
  const sites = wrapperSites.length === 0 ? requests.sites : [...requests.sites, ...wrapperSites].sort((a, b) => a.node.range[0] - b.node.range[0]);
  if (sites.length === 0) return requests;
  return { ...requests, sites, programDefaults: programDefaultsFor(sourceCode, getFileRequests) };
}

function collect(sourceCode: SourceCode): FileRequests {
  const tracker = getReferenceTracker(sourceCode);
  const sites = new Map<Node, RequestSite>();
  const instances = new Map<Node, InstanceSite>();
  const moduleDefaults = new Map<ClientFamily, DefaultsAssignment[]>();

  const asTracked = (references: Iterable<{ node: unknown; info: unknown }>): Tracked[] =>
    [...references].map(({ node, info }) => ({ node: node as Node, info: info as TraceInfo }));

  function addSite(node: Node, family: ClientFamily, method: string | null, position: OptionsPosition, timers: readonly TimerOption[], instance: InstanceSite | undefined): void {
    if ((node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) || sites.has(node)) return;
    const site: RequestSite = { family, node, method, position, timers, instance };
    sites.set(node, site);
    instance?.calls.push(site);
  }

  function defaultsAssignment(node: Node, timer: TimerOption): DefaultsAssignment | undefined {
    const parent = node.parent;
    return parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node ? { timer, assignment: parent } : undefined;
  }

  function handleModuleReference({ node, info }: Tracked): void {
    switch (info.kind) {
      case 'request':
        addSite(node, info.family, info.method, info.entry.options, timersOf(info.family, info.entry), undefined);
        return;
      case 'factory':
        createInstance(node, info.family, info.factory, undefined);
        return;
      case 'defaults-timer': {
        const assignment = defaultsAssignment(node, info.timer);
        if (!assignment) return;
        const list = moduleDefaults.get(info.family) ?? [];
        list.push(assignment);
        moduleDefaults.set(info.family, list);
        return;
      }
      default:
        return;
    }
  }

  function createInstance(node: Node, family: ClientFamily, factory: FactoryEntry, parent: InstanceSite | undefined): void {
    if ((node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) || instances.has(node)) return;
    const instance: InstanceSite = { family, factory, node, parent, calls: [], defaults: [] };
    instances.set(node, instance);
    const traceMap = instanceTraceMap(family, factory.instance);
    const references: Tracked[] = [];
    for (const root of instanceRoots(sourceCode, node)) {
      references.push(...asTracked(tracker.iteratePropertyReferences(root as never, traceMap)));
    }
    for (const reference of references) {
      const { info } = reference;
      if (info.kind === 'instance-request') {
        addSite(reference.node, family, info.method, info.position, family.timers, instance);
      } else if (info.kind === 'instance-factory') {
        createInstance(reference.node, family, { ...factory, options: info.position }, instance);
      } else if (info.kind === 'defaults-timer') {
        const assignment = defaultsAssignment(reference.node, info.timer);
        if (assignment) instance.defaults.push(assignment);
      }
    }
  }

  const moduleReferences = [
    ...asTracked(tracker.iterateGlobalReferences(TRACE_MAPS.globals)),
    ...asTracked(tracker.iterateEsmReferences(TRACE_MAPS.modules)),
    ...asTracked(tracker.iterateCjsReferences(TRACE_MAPS.modules)),
  ];
  for (const loader of tracker.iterateGlobalReferences({ process: { getBuiltinModule: { [CALL]: true } } })) {
    const call = loader.node as unknown as TSESTree.CallExpression;
    const specifier = getStringIfConstant(call.arguments[0] as never, sourceCode.getScope(call) as never);
    const traceMap = specifier === null ? undefined : TRACE_MAPS.builtinModules[specifier];
    if (traceMap) moduleReferences.push(...asTracked(tracker.iteratePropertyReferences(call as never, traceMap)));
  }
  for (const root of runtimeChosenModules(sourceCode)) {
    moduleReferences.push(...asTracked(tracker.iteratePropertyReferences(root.node as never, root.traceMap)));
  }
  moduleReferences.push(...extraModuleReferences(sourceCode));
  for (const reference of moduleReferences) handleModuleReference(reference);
  for (const site of typedRequestSites(sourceCode, sites)) sites.set(site.node, site);

  return withWrapperSites(sourceCode, {
    sites: [...sites.values()].sort((a, b) => a.node.range[0] - b.node.range[0]),
    instances: [...instances.values()].sort((a, b) => a.node.range[0] - b.node.range[0]),
    moduleDefaults,
  });
}

/**
 * Where an instance is used: the factory call itself (ReferenceTracker follows it into variables) and,
 * for `this.client = axios.create()` or a class field `client = axios.create()`, every `this.client` in the class.
 */
function instanceRoots(sourceCode: SourceCode, factoryCall: Node): Node[] {
  const roots: Node[] = [factoryCall];
  const top = outermostValue(factoryCall);
  const parent = top.parent;
  let fieldName: string | null = null;
  let classBody: Node | undefined;
  let target: Node | undefined;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === top && parent.left.type === AST_NODE_TYPES.MemberExpression && parent.left.object.type === AST_NODE_TYPES.ThisExpression) {
    fieldName = propertyName(parent.left, sourceCode);
    target = parent.left;
    classBody = enclosingClassBody(parent);
  } else if (parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.value === top && !parent.static && !parent.computed) {
    fieldName = parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : parent.key.type === AST_NODE_TYPES.Literal ? String(parent.key.value) : null;
    classBody = parent.parent;
  }
  if (fieldName === null || !classBody) return roots;
  for (const node of descendants(classBody, sourceCode.visitorKeys, (child) => child.type === AST_NODE_TYPES.ClassBody)) {
    if (node === target || node.type !== AST_NODE_TYPES.MemberExpression || node.object.type !== AST_NODE_TYPES.ThisExpression) continue;
    if (propertyName(node, sourceCode) === fieldName) roots.push(node);
  }
  return roots;
}

function enclosingClassBody(node: Node): TSESTree.ClassBody | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) return current;
  }
  return undefined;
}

/**
 * A module chosen at run time from a known set: `{ 'http:': http, 'https:': https }[protocol]` or
 * `[http, https][index]`, inline or through a `const`. (`isSSL ? https : http` needs nothing: ReferenceTracker
 * passes through conditionals.) Each root is a member access whose value is one of the modules.
 */
function runtimeChosenModules(sourceCode: SourceCode): { node: Node; traceMap: TraceNode }[] {
  const found: { node: Node; traceMap: TraceNode }[] = [];
  const program = sourceCode.ast;
  const moduleVariables = new Map<TSESLint.Scope.Variable, TraceNode>();
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    const traceMap = TRACE_MAPS.modules[String(statement.source.value)];
    if (!traceMap) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier) continue;
      for (const variable of sourceCode.getDeclaredVariables(specifier)) moduleVariables.set(variable, traceMap);
    }
  }
  const moduleValues: { node: Node; traceMap: TraceNode }[] = [];
  const tracker = getReferenceTracker(sourceCode);
  for (const required of tracker.iterateGlobalReferences({ require: { [CALL]: true } })) {
    const call = required.node as unknown as TSESTree.CallExpression;
    const specifier = getStringIfConstant(call.arguments[0] as never);
    const traceMap = specifier === null ? undefined : TRACE_MAPS.modules[specifier];
    if (!traceMap) continue;
    moduleValues.push({ node: call, traceMap });
    const declarator = outermostValue(call).parent;
    if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.id.type !== AST_NODE_TYPES.Identifier) continue;
    for (const variable of sourceCode.getDeclaredVariables(declarator)) moduleVariables.set(variable, traceMap);
  }
  for (const [variable, traceMap] of moduleVariables) {
    for (const reference of variable.references) moduleValues.push({ node: reference.identifier, traceMap });
  }

  const containers = new Map<Node, TraceNode>();
  for (const { node, traceMap } of moduleValues) {
    const value = outermostValue(node);
    const holder = value.parent;
    if (holder?.type === AST_NODE_TYPES.Property && holder.value === value && holder.parent.type === AST_NODE_TYPES.ObjectExpression) {
      containers.set(holder.parent, traceMap);
    } else if (holder?.type === AST_NODE_TYPES.ArrayExpression) {
      containers.set(holder, traceMap);
    }
  }
  for (const [container, traceMap] of containers) {
    const top = outermostValue(container);
    const parent = top.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === top && parent.computed) {
      found.push({ node: parent, traceMap });
    } else if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === top) {
      for (const variable of sourceCode.getDeclaredVariables(parent)) {
        for (const reference of variable.references) {
          const use = outermostValue(reference.identifier).parent;
          if (use?.type === AST_NODE_TYPES.MemberExpression && unwrap(use.object) === reference.identifier && use.computed) found.push({ node: use, traceMap });
        }
      }
    }
  }
  return found;
}

