import { CALL } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import {
  DOUBLE_CHAIN_METHODS,
  SANDBOX_DOUBLE_METHODS,
  TEST_DOUBLE_LIBRARIES,
  TEST_DOUBLE_NAME_WORDS,
} from '../knowledge/test-doubles.js';
import { getReferenceTracker } from '../util/reference-tracker.js';
import { constantInitializer, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type CallKind = 'factory' | 'sandbox';
interface TraceMapNode {
  [key: string]: TraceMapNode;
  [CALL]?: CallKind;
}

/** How many `const` hops and chain links a value is followed through: `const m = vi.fn(); const f = m;`. */
const MAX_DEPTH = 6;

function addPath(root: TraceMapNode, path: readonly string[], kind: CallKind): void {
  let node = root;
  for (const segment of path) {
    node[segment] ??= {};
    node = node[segment];
  }
  node[CALL] = kind;
}

interface TraceMaps {
  readonly modules: Record<string, TraceMapNode>;
  readonly globals: Record<string, TraceMapNode>;
}

let traceMaps: TraceMaps | undefined;

/** The knowledge base's libraries as ReferenceTracker trace maps, built once. */
function buildTraceMaps(): TraceMaps {
  const modules: Record<string, TraceMapNode> = {};
  const globals: Record<string, TraceMapNode> = {};
  for (const library of TEST_DOUBLE_LIBRARIES) {
    const roots = library.root.kind === 'module' ? library.root.specifiers.map((specifier) => (modules[specifier] ??= {})) : [(globals[library.root.name] ??= {})];
    for (const root of roots) {
      for (const path of library.factories) addPath(root, path, 'factory');
      for (const path of library.sandboxes ?? []) addPath(root, path, 'sandbox');
    }
  }
  return { modules, globals };
}

interface FileCalls {
  readonly factories: ReadonlySet<TSESTree.Node>;
  readonly sandboxes: ReadonlySet<TSESTree.Node>;
}

const callsByFile = new WeakMap<object, FileCalls>();

/** Every call of a library's double factory or sandbox factory in the file, however it was imported or aliased. */
function libraryCalls(sourceCode: SourceCode): FileCalls {
  const cached = callsByFile.get(sourceCode);
  if (cached) return cached;
  traceMaps ??= buildTraceMaps();
  const tracker = getReferenceTracker(sourceCode);
  const factories = new Set<TSESTree.Node>();
  const sandboxes = new Set<TSESTree.Node>();
  const tracked = [
    ...tracker.iterateEsmReferences(traceMaps.modules),
    ...tracker.iterateCjsReferences(traceMaps.modules),
    ...tracker.iterateGlobalReferences(traceMaps.globals),
  ];
  for (const { node, info } of tracked) (info === 'sandbox' ? sandboxes : factories).add(node as TSESTree.Node);
  const calls = { factories, sandboxes };
  callsByFile.set(sourceCode, calls);
  return calls;
}

/** `createMockFetch` → `create`, `mock`, `fetch`; `FETCH_STUB` → `fetch`, `stub`; `MockAgent` → `mock`, `agent`. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z\d])([A-Z])/gu, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/gu, '$1 $2')
    .split(/[^A-Za-z]+/u)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

function namesDouble(name: string | undefined): boolean {
  return name !== undefined && wordsOf(name).some((word) => TEST_DOUBLE_NAME_WORDS.includes(word));
}

function staticPropertyName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string') return node.property.value;
  return undefined;
}

function isChainMethod(name: string): boolean {
  if (DOUBLE_CHAIN_METHODS.except.includes(name)) return false;
  const { prefix } = DOUBLE_CHAIN_METHODS;
  return DOUBLE_CHAIN_METHODS.names.includes(name) || (name.startsWith(prefix) && /^[A-Z]/u.test(name.slice(prefix.length)));
}

/** The value itself, past what does not change it: TS wrappers, optional chains, `await`, `a = b = value`. */
function valueOf(node: TSESTree.Node): TSESTree.Node {
  let current = unwrap(node);
  while (current.type === AST_NODE_TYPES.AwaitExpression || current.type === AST_NODE_TYPES.AssignmentExpression) {
    current = unwrap(current.type === AST_NODE_TYPES.AwaitExpression ? current.argument : current.right);
  }
  return current;
}

function isSandbox(sourceCode: SourceCode, node: TSESTree.Node, depth: number): boolean {
  const value = valueOf(node);
  if (libraryCalls(sourceCode).sandboxes.has(value)) return true;
  if (value.type !== AST_NODE_TYPES.Identifier || depth >= MAX_DEPTH) return false;
  const initializer = constantInitializer(sourceCode, value);
  return initializer !== undefined && isSandbox(sourceCode, initializer, depth + 1);
}

/**
 * Whether `node` evaluates to a test double, as the knowledge base describes them: a call of a framework's
 * double factory (`vi.fn()`, `jest.spyOn(…)`, `sinon.stub()`, `sandbox.fake()`), a chain on a double
 * (`vi.fn().mockResolvedValue(…)`, `mockFetch.mockImplementation(…)`), a name that says it is one
 * (`mockFetch`, `createMockFetch()`, `fetchStub`), or a `const` holding any of these.
 */
export function isTestDouble(sourceCode: SourceCode, node: TSESTree.Node, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const value = valueOf(node);
  switch (value.type) {
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression: {
      if (libraryCalls(sourceCode).factories.has(value)) return true;
      const callee = unwrap(value.callee);
      if (callee.type === AST_NODE_TYPES.Identifier) return namesDouble(callee.name);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      const method = staticPropertyName(callee);
      if (method === undefined) return false;
      if (isChainMethod(method) && isTestDouble(sourceCode, callee.object, depth + 1)) return true;
      if (SANDBOX_DOUBLE_METHODS.includes(method) && isSandbox(sourceCode, callee.object, depth + 1)) return true;
      return namesDouble(method);
    }
    case AST_NODE_TYPES.Identifier: {
      if (namesDouble(value.name)) return true;
      const initializer = constantInitializer(sourceCode, value);
      return initializer !== undefined && isTestDouble(sourceCode, initializer, depth + 1);
    }
    case AST_NODE_TYPES.MemberExpression:
      return namesDouble(staticPropertyName(value)) || isTestDouble(sourceCode, value.object, depth + 1);
    default:
      return false;
  }
}
