import { CALL, getStringIfConstant } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { dynamicImportRoots } from '../util/dynamic-imports.js';
import { getReferenceTracker } from '../util/reference-tracker.js';
import { argumentKindOf } from './arguments.js';
import { outermostValue, propertyName } from './ast.js';
import { TRACE_MAPS, type TraceInfo, type TraceNode, traceMapAt, wrapperModuleTraceMap } from './trace-maps.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/** A reference ReferenceTracker found, with the trace-map leaf that found it. */
export interface TrackedReference {
  readonly node: Node;
  readonly info: TraceInfo;
}

/**
 * Module references that ReferenceTracker's import and `require` walks miss: dynamic imports
 * (`await import('node:http')`, `import('undici').then(({ request }) => …)`) of known clients, and named
 * imports from the project's own wrapper modules (`import { fetch } from '@/shared/net'`), as the
 * wrapper-module knowledge describes them.
 */
export function extraModuleReferences(sourceCode: SourceCode): TrackedReference[] {
  const tracker = getReferenceTracker(sourceCode);
  const found: TrackedReference[] = [];
  const collect = (references: Iterable<{ node: unknown; info: unknown }>): void => {
    for (const { node, info } of references) found.push({ node: node as Node, info: info as TraceInfo });
  };
  for (const root of dynamicImportRoots(sourceCode)) {
    const traceMap = traceMapAt(TRACE_MAPS.modules[root.specifier], root.path);
    if (traceMap) collect(tracker.iteratePropertyReferences(root.node as never, traceMap));
  }
  const wrappers = wrapperTraceMaps(sourceCode);
  if (wrappers) {
    collect(tracker.iterateEsmReferences(wrappers));
    collect(tracker.iterateCjsReferences(wrappers));
  }
  return found.filter(({ node, info }) => info.kind !== 'request' || info.evidence === undefined || usedLikeClientRequest(sourceCode, node));
}

/** The wrapper modules this file imports or requires, keyed by specifier as ReferenceTracker wants them. */
function wrapperTraceMaps(sourceCode: SourceCode): Record<string, TraceNode> | undefined {
  const specifiers = new Set<string>();
  for (const statement of sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && statement.importKind !== 'type') specifiers.add(String(statement.source.value));
  }
  if (/\brequire\s*\(/u.test(sourceCode.text)) {
    for (const { node } of getReferenceTracker(sourceCode).iterateGlobalReferences({ require: { [CALL]: true } })) {
      const argument = (node as unknown as TSESTree.CallExpression).arguments[0];
      const specifier = argument ? getStringIfConstant(argument as never) : null;
      if (specifier !== null) specifiers.add(specifier);
    }
  }
  let maps: Record<string, TraceNode> | undefined;
  for (const specifier of specifiers) {
    const map = wrapperModuleTraceMap(specifier);
    if (map) (maps ??= {})[specifier] = map;
  }
  return maps;
}

const CLIENT_REQUEST_METHODS = ['end', 'on', 'once', 'write', 'setTimeout', 'destroy', 'abort'];

/** `request(options, (res) => …)`, `request(options).end()` or `const req = request(…); req.on(…)`: node's ClientRequest. */
function usedLikeClientRequest(sourceCode: SourceCode, node: Node): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  if (node.arguments.some((argument) => argumentKindOf(sourceCode, argument) === 'function')) return true;
  const value = outermostValue(node);
  const parent = value.parent;
  const calledOn = (member: Node | undefined, object: Node): boolean =>
    member?.type === AST_NODE_TYPES.MemberExpression && member.object === object && CLIENT_REQUEST_METHODS.includes(propertyName(member, sourceCode) ?? '');
  if (calledOn(parent, value)) return true;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = sourceCode.getDeclaredVariables(parent)[0];
  return (variable?.references ?? []).some((reference) => calledOn(reference.identifier.parent, reference.identifier));
}
