import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { disablesTimer } from '../knowledge/index.js';
import type { ClientFamily, TimerKind } from '../knowledge/index.js';
import { outermostValue, propertyName, staticValue } from './ast.js';
import { lookupOption, readOptions } from './options.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/** What a builder chain (superagent) does about its bound. */
export interface ChainBound {
  /** The strongest bound a chain method sets, if any. */
  readonly kind: TimerKind | undefined;
  /** A `.timeout(0)` (or another disabling value) in the chain. */
  readonly disabled: Node | undefined;
  /** The chain leaves this expression unfinished (returned, stored, passed on): someone else may bound it. */
  readonly escapes: boolean;
}

/** Walks `superagent.get(url).set(...).timeout(5000)` upwards from the first call. */
export function chainBound(sourceCode: SourceCode, family: ClientFamily, start: Node): ChainBound {
  let kind: TimerKind | undefined;
  let disabled: Node | undefined;
  let current = outermostValue(start);
  for (;;) {
    const parent = current.parent;
    if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== current) break;
    const call = outermostValue(parent).parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== outermostValue(parent)) break;
    const method = propertyName(parent, sourceCode);
    if (method !== null && family.chainBounds.includes(method)) {
      const found = chainArgumentBound(sourceCode, family, call.arguments[0]);
      if (found.disabled) disabled = found.disabled;
      if (found.kind === 'deadline' || (found.kind && !kind)) kind = found.kind;
    }
    current = outermostValue(call);
  }
  return { kind, disabled, escapes: kind === undefined && escapes(current) };
}

function chainArgumentBound(sourceCode: SourceCode, family: ClientFamily, argument: TSESTree.CallExpressionArgument | undefined): { kind?: TimerKind; disabled?: Node } {
  if (!argument) return {};
  const known = staticValue(sourceCode, argument);
  const deadlineTimer = family.timers.find((timer) => timer.kind === 'deadline');
  if (known && typeof known.value !== 'object') {
    return deadlineTimer && disablesTimer(deadlineTimer, known.value) ? { disabled: argument } : { kind: 'deadline' };
  }
  const options = readOptions(sourceCode, argument);
  if (options.opaque && options.properties.size === 0) return { kind: 'deadline' };
  let best: TimerKind | undefined;
  let disabled: Node | undefined;
  for (const timer of family.timers) {
    const found = lookupOption(sourceCode, options, timer.path);
    if (found.state !== 'set') continue;
    const value = staticValue(sourceCode, found.value);
    if (value && disablesTimer(timer, value.value)) disabled = found.property;
    else if (timer.kind === 'deadline' || !best) best = timer.kind;
  }
  return { ...(best ? { kind: best } : {}), ...(disabled ? { disabled } : {}) };
}

/** The last call of the chain that starts at `start` (`superagent.get(url).set(...)` → the `.set(...)` call). */
export function chainEnd(start: Node): Node {
  let current = outermostValue(start);
  for (;;) {
    const parent = current.parent;
    if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== current) return current;
    const call = outermostValue(parent).parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== outermostValue(parent)) return current;
    const name = parent.property.type === AST_NODE_TYPES.Identifier ? parent.property.name : '';
    if (['then', 'catch', 'finally', 'end', 'pipe'].includes(name)) return current;
    current = outermostValue(call);
  }
}

/** Whether the chain's value goes somewhere a caller may still add `.timeout()`. */
function escapes(chainEnd: Node): boolean {
  const parent = chainEnd.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.VariableDeclarator:
    case AST_NODE_TYPES.AssignmentExpression:
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.ArrayExpression:
      return true;
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === chainEnd;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return parent.arguments.includes(chainEnd as TSESTree.CallExpressionArgument);
    default:
      return false;
  }
}
