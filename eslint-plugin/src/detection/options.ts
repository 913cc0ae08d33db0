import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { constantInitializer, propertyName, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/**
 * An options argument as far as syntax can read it. Object literals are read key by key, and so is a
 * `const` object literal declared in the same file and spreads of one; anything else (a parameter, a call
 * result, a spread of either) makes the object opaque: it may hold a bound we cannot see.
 */
export interface OptionsObject {
  /** The literal the keys were read from (for suggestions), when the argument is one. */
  readonly literal: TSESTree.ObjectExpression | undefined;
  /** Keys in source order, later ones overriding earlier ones (as at run time). */
  readonly properties: ReadonlyMap<string, TSESTree.Property>;
  /** True when some keys cannot be seen (an opaque spread or a non-literal argument). */
  readonly opaque: boolean;
  /** Keys assigned after the declaration (`options.body = body`): whether and to what they are set is not visible. */
  readonly assignedLater?: ReadonlySet<string>;
}

export const ABSENT_OPTIONS: OptionsObject = { literal: undefined, properties: new Map(), opaque: false };
const OPAQUE_OPTIONS: OptionsObject = { literal: undefined, properties: new Map(), opaque: true };

const MAX_CONST_DEPTH = 4;

/** Reads an options expression (or its absence). */
export function readOptions(sourceCode: SourceCode, node: TSESTree.Node | undefined, depth = 0): OptionsObject {
  if (!node) return ABSENT_OPTIONS;
  const expression = unwrap(node);
  if (expression.type === AST_NODE_TYPES.Identifier && expression.name === 'undefined') return ABSENT_OPTIONS;
  if (expression.type === AST_NODE_TYPES.Literal && expression.value === null) return ABSENT_OPTIONS;
  if (expression.type === AST_NODE_TYPES.ObjectExpression) return readObjectLiteral(sourceCode, expression, depth);
  if (expression.type === AST_NODE_TYPES.Identifier && depth < MAX_CONST_DEPTH) {
    const initializer = constantInitializer(sourceCode, expression);
    const unwrapped = initializer ? unwrap(initializer) : undefined;
    const assignedLater = unwrapped?.type === AST_NODE_TYPES.ObjectExpression ? keysAssignedLater(sourceCode, expression) : undefined;
    if (unwrapped?.type === AST_NODE_TYPES.ObjectExpression && assignedLater) {
      const read = readObjectLiteral(sourceCode, unwrapped, depth + 1);
      return assignedLater.size > 0 ? { ...read, literal: undefined, assignedLater } : { ...read, literal: undefined };
    }
  }
  return OPAQUE_OPTIONS;
}

function readObjectLiteral(sourceCode: SourceCode, literal: TSESTree.ObjectExpression, depth: number): OptionsObject {
  const properties = new Map<string, TSESTree.Property>();
  let opaque = false;
  for (const member of literal.properties) {
    if (member.type === AST_NODE_TYPES.SpreadElement) {
      const spread = readOptions(sourceCode, member.argument, depth + 1);
      if (spread.opaque) opaque = true;
      for (const [key, property] of spread.properties) properties.set(key, property);
      continue;
    }
    const key = propertyName(member, sourceCode);
    if (key === null) {
      opaque = true;
      continue;
    }
    properties.set(key, member);
  }
  return { literal, properties, opaque };
}

/**
 * The keys assigned after the declaration, by name: `options.body = body` leaves every other key as the
 * literal wrote it, so `const init: RequestInit = { method }; if (body) init.body = body;` still reads as
 * having no signal. `undefined` when the object may change in ways not visible: `Object.assign(options, …)`
 * or a computed key (`options[key] = value`).
 */
export function keysAssignedLater(sourceCode: SourceCode, identifier: TSESTree.Identifier): ReadonlySet<string> | undefined {
  const scope = sourceCode.getScope(identifier);
  let variable: TSESLint.Scope.Variable | undefined;
  for (let current: TSESLint.Scope.Scope | null = scope; current && !variable; current = current.upper) {
    variable = current.set.get(identifier.name);
  }
  const assigned = new Set<string>();
  if (!variable) return assigned;
  for (const reference of variable.references) {
    const parent = reference.identifier.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier) {
      // `options.timeout.request = 5` assigns under `timeout`: climb to the written member.
      let written: TSESTree.Node = parent;
      while (written.parent?.type === AST_NODE_TYPES.MemberExpression && written.parent.object === written) written = written.parent;
      const grand = written.parent;
      if (grand?.type !== AST_NODE_TYPES.AssignmentExpression || grand.left !== written) continue;
      const key = propertyName(parent, sourceCode);
      if (key === null) return undefined;
      assigned.add(key);
      continue;
    }
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === reference.identifier) {
      const callee = parent.callee;
      if (callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'assign') return undefined;
    }
  }
  return assigned;
}

/** The state of one option path: set to a value, certainly absent, or possibly hidden in an opaque part. */
export type OptionLookup =
  | { readonly state: 'set'; readonly value: TSESTree.Node; readonly property: TSESTree.Property }
  | { readonly state: 'absent' }
  | { readonly state: 'unknown' }
  /** Required by the options' type (type-aware mode): present, with a value syntax cannot see. */
  | { readonly state: 'typed' };

/**
 * Looks up a nested option path (`['timeout', 'request']`). With `scalarOnly`, an object-literal value at
 * the end of the path is a container, not a value, and reads as absent.
 */
export function lookupOption(sourceCode: SourceCode, options: OptionsObject, path: readonly string[], scalarOnly = false): OptionLookup {
  let current = options;
  for (const [index, segment] of path.entries()) {
    if (current.assignedLater?.has(segment)) return { state: 'unknown' };
    const property = current.properties.get(segment);
    if (!property) return current.opaque ? { state: 'unknown' } : { state: 'absent' };
    if (index === path.length - 1) {
      if (scalarOnly && isObjectValue(sourceCode, property.value)) return { state: 'absent' };
      return { state: 'set', value: property.value, property };
    }
    current = readOptions(sourceCode, property.value);
    if (!current.opaque && current.properties.size === 0 && !isObjectValue(sourceCode, property.value)) return { state: 'absent' };
  }
  return { state: 'absent' };
}

function isObjectValue(sourceCode: SourceCode, node: TSESTree.Node): boolean {
  const expression = unwrap(node);
  if (expression.type === AST_NODE_TYPES.ObjectExpression) return true;
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const initializer = constantInitializer(sourceCode, expression);
    return initializer !== undefined && unwrap(initializer).type === AST_NODE_TYPES.ObjectExpression;
  }
  return false;
}
