import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import type { ArgumentKind } from '../knowledge/index.js';
import { argumentKindOfType, getTypeInfo, nonNullishParts, propertyOfType, type TypeInfo } from '../util/type-info.js';
import { type OptionLookup, type OptionsObject, lookupOption } from './options.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** Options read by syntax first, then by type for what syntax could not see. */
export interface TypedOptionsLayer {
  lookup(path: readonly string[], scalarOnly: boolean): OptionLookup;
  /** Whether a bound may still hide in the options: the type leaves one of `boundPaths` optional or open. */
  readonly opaque: boolean;
}

/**
 * An options argument typed elsewhere (a parameter, a call result, a spread): a property the type requires
 * counts as present (`typed`), an optional one as unknown, one a closed type does not have as absent.
 * `boundPaths` are the option paths that could bound the call (signal keys and timers); the options stay
 * opaque only if one of them is left open. Undefined without type information or when syntax saw everything.
 */
export function typedOptionsLayer(
  sourceCode: SourceCode,
  argument: TSESTree.Node | undefined,
  options: OptionsObject,
  boundPaths: readonly (readonly string[])[],
): TypedOptionsLayer | undefined {
  if (!options.opaque || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const types = getTypeInfo(sourceCode);
  if (!types) return undefined;
  const argumentType = types.typeOf(argument);
  const typedLookup = (path: readonly string[], scalarOnly: boolean): OptionLookup => {
    const syntactic = lookupOption(sourceCode, options, path, scalarOnly);
    return syntactic.state === 'unknown' ? lookupByType(types, argumentType, path, scalarOnly) : syntactic;
  };
  const opaque = boundPaths.some((path) => typedLookup(path, false).state === 'unknown');
  return { lookup: typedLookup, opaque };
}

function lookupByType(types: TypeInfo, type: ts.Type, path: readonly string[], scalarOnly: boolean): OptionLookup {
  let current = type;
  for (const segment of path) {
    const property = propertyOfType(types, current, segment);
    if (property.state === 'absent') return { state: 'absent' };
    if (property.state !== 'required') return { state: 'unknown' };
    current = property.type;
  }
  // got's `timeout` holds a number or an object of phase timers; an object type is the container.
  if (scalarOnly && nonNullishParts(types, current).every((part) => argumentKindOfType(types, part) === 'object')) return { state: 'absent' };
  return { state: 'typed' };
}

/** An argument syntax could not classify, read by its type (`http.get(target, cb)` with `target: URL`). */
export function typedArgumentKind(sourceCode: SourceCode, argument: TSESTree.CallExpressionArgument, syntactic: ArgumentKind): ArgumentKind {
  if (syntactic !== 'unknown' || argument.type === AST_NODE_TYPES.SpreadElement) return syntactic;
  const types = getTypeInfo(sourceCode);
  return types ? argumentKindOfType(types, types.typeOf(argument)) : syntactic;
}

/**
 * `fetch(input)` with a typed first argument: a `Request` may carry a signal (opaque); a string or URL is no
 * request object at all, whatever its name. Undefined when types do not say.
 */
export function typedRequestObject(sourceCode: SourceCode, argument: TSESTree.Node | undefined, constructorName: string): 'request-object' | 'not-request-object' | undefined {
  if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const types = getTypeInfo(sourceCode);
  if (!types) return undefined;
  const parts = nonNullishParts(types, types.typeOf(argument));
  if (parts.length === 0) return undefined;
  if (parts.every((part) => part.getSymbol()?.getName() === constructorName)) return 'request-object';
  if (argumentKindOfType(types, types.typeOf(argument)) === 'url') return 'not-request-object';
  return undefined;
}
