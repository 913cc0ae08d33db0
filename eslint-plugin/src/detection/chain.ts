import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { disablesTimer } from '../knowledge/index.js';
import type { ClientFamily, TimerKind } from '../knowledge/index.js';
import { outermostValue, propertyName, staticValue, unwrap } from './ast.js';
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
  return { kind, disabled, escapes: kind === undefined && escapes(sourceCode, family, current) };
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

/**
 * Whether the chain's value goes somewhere a caller may still add `.timeout()`: stored in a structure or
 * handed to a function other than a Promise combinator. A returned chain is usually awaited as is by the
 * caller, so it does not escape; a chain stored in a variable is followed to a `.timeout()` on it.
 */
function escapes(sourceCode: SourceCode, family: ClientFamily, chainEnd: Node): boolean {
  const parent = chainEnd.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.AssignmentExpression:
      return true;
    case AST_NODE_TYPES.ArrayExpression: {
      const call = parent.parent;
      return !(call?.type === AST_NODE_TYPES.CallExpression && isPromiseCombinator(sourceCode, call));
    }
    case AST_NODE_TYPES.VariableDeclarator: {
      if (parent.id.type !== AST_NODE_TYPES.Identifier) return true;
      const variable = sourceCode.getDeclaredVariables(parent)[0];
      // `const req = superagent.get(url); req.timeout(5000)`: bounded later, on the variable.
      return (variable?.references ?? []).some((reference) => {
        const member = reference.identifier.parent;
        return member?.type === AST_NODE_TYPES.MemberExpression && member.object === reference.identifier && family.chainBounds.includes(propertyName(member, sourceCode) ?? '');
      });
    }
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return parent.arguments.includes(chainEnd as TSESTree.CallExpressionArgument) && !(parent.type === AST_NODE_TYPES.CallExpression && isPromiseCombinator(sourceCode, parent));
    default:
      return false;
  }
}

function isPromiseCombinator(sourceCode: SourceCode, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    unwrap(callee.object).type === AST_NODE_TYPES.Identifier &&
    (unwrap(callee.object) as TSESTree.Identifier).name === 'Promise' &&
    ['all', 'allSettled'].includes(propertyName(callee, sourceCode) ?? '')
  );
}
