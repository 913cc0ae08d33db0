import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import { someTypeInHierarchy } from './type-hierarchy.js';

/**
 * The type checker when the file was parsed with type information (`parserOptions.projectService`), for
 * rules that also work without it. Nothing here runs unless a rule asks about one candidate node, so a
 * file without requests never touches the checker.
 */
export interface TypeInfo {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** The type of an expression or binding as the checker sees it. */
  typeOf(node: TSESTree.Node): ts.Type;
  /** The TypeScript node behind an ESTree node of this file. */
  tsNodeOf(node: TSESTree.Node): ts.Node | undefined;
  /** The ESTree node of this file behind a TypeScript node, when it is in this file. */
  esTreeNodeOf(node: ts.Node): TSESTree.Node | undefined;
}

const cache = new WeakMap<object, TypeInfo | null>();

/** The file's type information, or `undefined` when it was parsed without a program (or not by typescript-eslint). */
export function getTypeInfo(sourceCode: Readonly<TSESLint.SourceCode>): TypeInfo | undefined {
  const cached = cache.get(sourceCode);
  if (cached !== undefined) return cached ?? undefined;
  const services = sourceCode.parserServices as Partial<{
    program: ts.Program | null;
    getTypeAtLocation: (node: TSESTree.Node) => ts.Type;
    esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node | undefined };
    tsNodeToESTreeNodeMap: { get(node: ts.Node): TSESTree.Node | undefined };
  }> | undefined;
  const program = services?.program;
  const getTypeAtLocation = services?.getTypeAtLocation;
  const toTs = services?.esTreeNodeToTSNodeMap;
  const toEsTree = services?.tsNodeToESTreeNodeMap;
  const info: TypeInfo | null =
    program && getTypeAtLocation && toTs && toEsTree
      ? { program, checker: program.getTypeChecker(), typeOf: (node) => getTypeAtLocation(node), tsNodeOf: (node) => toTs.get(node), esTreeNodeOf: (node) => toEsTree.get(node) }
      : null;
  cache.set(sourceCode, info);
  return info ?? undefined;
}

/** The non-nullish members of a type: `AbortSignal | undefined` → `[AbortSignal]`. */
export function nonNullishParts(info: TypeInfo, type: ts.Type): readonly ts.Type[] {
  const nonNullable = info.checker.getNonNullableType(type);
  return nonNullable.isUnion() ? nonNullable.types : [nonNullable];
}

/** Whether `null` or `undefined` is a possible value of the type. */
export function mayBeNullish(info: TypeInfo, type: ts.Type): boolean {
  return info.checker.getNonNullableType(type) !== type;
}

/** Whether a type's symbol (or, for an intersection, one part's) is named `name`: `AbortSignal`, `AxiosInstance`. */
export function isNamedType(type: ts.Type, names: readonly string[]): boolean {
  const parts = type.isIntersection() ? type.types : [type];
  return parts.some((part) => {
    const symbol = part.getSymbol() ?? part.aliasSymbol;
    return symbol !== undefined && names.includes(symbol.getName());
  });
}

/** Whether every non-nullish part of the type is an `AbortSignal` (and there is at least one). */
export function isAbortSignalType(info: TypeInfo, type: ts.Type): boolean {
  const parts = nonNullishParts(info, type);
  return parts.length > 0 && parts.every((part) => isNamedType(part, ['AbortSignal']));
}

/** What the type says about one property of an options object. */
export type TypedProperty =
  | { readonly state: 'required'; readonly type: ts.Type }
  | { readonly state: 'optional'; readonly type: ts.Type }
  | { readonly state: 'absent' }
  /** An index signature, `any`, a type parameter: anything may be there. */
  | { readonly state: 'unknown' };

/**
 * Looks a property up on an options type: required in the type counts as present, optional as unknown
 * (the caller decides), missing from a closed object type as absent. A union answers for its weakest member.
 */
export function propertyOfType(info: TypeInfo, type: ts.Type, name: string): TypedProperty {
  const parts = nonNullishParts(info, type);
  if (parts.length === 0) return { state: 'unknown' };
  let result: TypedProperty | undefined;
  for (const part of parts) {
    const found = propertyOfPart(info, part, name);
    if (found.state === 'unknown' || found.state === 'absent') return found;
    if (!result || found.state === 'optional') result = found;
  }
  return result ?? { state: 'unknown' };
}

function propertyOfPart(info: TypeInfo, part: ts.Type, name: string): TypedProperty {
  const checker = info.checker;
  const apparent = checker.getApparentType(part);
  // `any`, `unknown`, type parameters and index signatures: the property may be there.
  if (apparent.getProperties().length === 0 && !apparent.isUnionOrIntersection()) return { state: 'unknown' };
  if (checker.getIndexInfosOfType(apparent).length > 0) return { state: 'unknown' };
  const symbol = checker.getPropertyOfType(apparent, name);
  if (!symbol) return isClosedObjectType(info, apparent) ? { state: 'absent' } : { state: 'unknown' };
  const propertyType = checker.getTypeOfSymbol(symbol);
  // Checker calls only, no `ts.SymbolFlags`: the plugin has no runtime `typescript` import, and TypeScript 6
  // renumbered flags before. A `?` declaration, or a type that admits undefined (Partial<T>), is optional.
  // In an intersection, one required declaration makes the property required.
  const declarations = symbol.getDeclarations() ?? [];
  const declaredOptional = declarations.length > 0 && declarations.every((declaration) => (declaration as { questionToken?: unknown }).questionToken !== undefined);
  return declaredOptional || mayBeNullish(info, propertyType) ? { state: 'optional', type: propertyType } : { state: 'required', type: propertyType };
}

/**
 * Whether a type lists every property it can have: an object literal type, an interface or class (with every
 * base resolved), a type alias of one, or an intersection of those (`Object.assign({}, a, b)`). An error type
 * (an import that does not resolve, a checkout without node_modules) anywhere in it, or in a base it extends,
 * makes it open: a missing property must never be read as absent because a declaration could not be found.
 */
export function isClosedObjectType(info: TypeInfo, type: ts.Type, depth = 0): boolean {
  if (depth > 8 || isErrorType(type)) return false;
  if (type.isIntersection()) return type.types.every((part) => isClosedObjectType(info, info.checker.getApparentType(part), depth + 1));
  if (type.isUnion()) return false;
  if (info.checker.getIndexInfosOfType(type).length > 0) return false;
  const symbol = type.getSymbol();
  if (!symbol) return false;
  // A type the checker inferred from JavaScript (`var outgoing = options.ssl || {}; outgoing.port = …`) is no
  // declared contract: expando assignments and `checkJs: false` leave properties out of it.
  const declarations = symbol.getDeclarations() ?? [];
  if (declarations.length === 0 || declarations.some((declaration) => JAVASCRIPT_FILE.test(declaration.getSourceFile().fileName))) return false;
  const name = symbol.getName();
  if (name === '__object' || name === '__type') return true;
  // `Options<T>` is a reference to a generic interface: its target holds the declarations.
  const target = (type as Partial<ts.TypeReference>).target;
  if (!type.isClassOrInterface() && !(target?.isClassOrInterface() ?? false)) return false;
  // `interface Options extends AxiosRequestConfig` with axios not installed: the base is an error type that
  // the checker silently drops from `getBaseTypes`, so the heritage clauses are read from the declarations.
  for (const declaration of declarations) {
    const clauses = (declaration as { heritageClauses?: readonly { types: readonly ts.Node[] }[] }).heritageClauses ?? [];
    for (const clause of clauses) {
      for (const heritage of clause.types) {
        const base = info.checker.getTypeAtLocation(heritage);
        if (!isClosedObjectType(info, info.checker.getApparentType(base), depth + 1)) return false;
      }
    }
  }
  return true;
}

const JAVASCRIPT_FILE = /\.[cm]?jsx?$/;

/** The checker's error type: what an unresolved import or name reads as (an `any` named "error"). */
function isErrorType(type: ts.Type): boolean {
  return (type as { intrinsicName?: string }).intrinsicName === 'error';
}

/** How an argument reads by its type: enough to tell a URL from an options object or a callback. */
export function argumentKindOfType(info: TypeInfo, type: ts.Type): 'url' | 'object' | 'function' | 'unknown' {
  const parts = nonNullishParts(info, type);
  if (parts.length === 0) return 'unknown';
  const checker = info.checker;
  // `any` and `unknown` say nothing (and `any` is assignable to string).
  if (parts.some((part) => checker.isTypeAssignableTo(checker.getUnknownType(), part))) return 'unknown';
  const isUrl = (part: ts.Type): boolean => checker.isTypeAssignableTo(part, checker.getStringType()) || isNamedType(part, ['URL']);
  if (parts.every(isUrl)) return 'url';
  if (parts.every((part) => part.getCallSignatures().length > 0)) return 'function';
  if (parts.every((part) => part.getProperties().length > 0 && !isUrl(part))) return 'object';
  return 'unknown';
}

/**
 * Whether the type (a union member, or a base class or interface) is `name` declared by one of `packages`:
 * installed under `node_modules/<package>/` (or its `@types/`), or in a `declare module '<package>'` block.
 * Instances of `class Agent extends Dispatcher` match `Dispatcher`.
 */
export function isPackageType(info: TypeInfo, type: ts.Type, packages: readonly string[], names: readonly string[]): boolean {
  return someTypeInHierarchy(type, info.checker, (current) =>
    [current.aliasSymbol, current.getSymbol()].some(
      (symbol) =>
        symbol !== undefined &&
        names.includes(symbol.getName()) &&
        (declaredByPackage(info.checker.getFullyQualifiedName(symbol), packages) ||
          (symbol.getDeclarations() ?? []).some((declaration) => declaredByPackage(`"${declaration.getSourceFile().fileName}".`, packages))),
    ),
  );
}

/** `"axios".AxiosInstance` (an ambient module) or `"/…/node_modules/undici/types/dispatcher".Dispatcher`. */
function declaredByPackage(qualifiedName: string, packages: readonly string[]): boolean {
  const module = /^"([^"]*)"\./.exec(qualifiedName)?.[1];
  if (module === undefined) return false;
  const normalized = module.replaceAll('\\', '/');
  return packages.some(
    (name) => normalized === name || normalized.startsWith(`${name}/`) || normalized.includes(`/node_modules/${name}/`) || normalized.includes(`/node_modules/@types/${name}/`),
  );
}

/**
 * Whether a callee's type is fetch-shaped: `typeof fetch` however it was stored, or a `FetchLike` type of
 * one's own. Every call signature returns `Promise<Response>` (a `cache.fetch(key): string` does not).
 */
export function isFetchFunctionType(info: TypeInfo, type: ts.Type): boolean {
  const parts = nonNullishParts(info, type);
  return (
    parts.length > 0 &&
    parts.every((part) => {
      const signatures = part.getCallSignatures();
      return signatures.length > 0 && signatures.every((signature) => returnsPromiseOfResponse(info, signature));
    })
  );
}

/**
 * `Promise<Response>`, read from the symbols rather than printed: `checker.typeToString` computes module specifiers
 * for the names it prints, and threw inside TypeScript on a JavaScript file of an inferred project (ESLint 9 on an
 * eslint.config.js, seen in CI). A type that cannot be read is not fetch-shaped, so it never reports on its own.
 */
function returnsPromiseOfResponse(info: TypeInfo, signature: ts.Signature): boolean {
  try {
    const returned = info.checker.getReturnTypeOfSignature(signature);
    if (returned.getSymbol()?.getName() !== 'Promise') return false;
    const [resolved] = info.checker.getTypeArguments(returned as ts.TypeReference);
    return resolved?.getSymbol()?.getName() === 'Response';
  } catch {
    return false;
  }
}

const packagesByProgram = new WeakMap<ts.Program, Map<string, boolean>>();

/**
 * Whether the program can see a package's declarations at all (installed, under `@types/`, or declared with
 * `declare module`). A project without axios needs no type query about `AxiosInstance`. Cached per program.
 */
export function programHasPackage(info: TypeInfo, packageName: string): boolean {
  let known = packagesByProgram.get(info.program);
  if (!known) {
    known = new Map();
    packagesByProgram.set(info.program, known);
  }
  const cached = known.get(packageName);
  if (cached !== undefined) return cached;
  const installed = info.program
    .getSourceFiles()
    .some((file) => declaredByPackage(`"${file.fileName}".`, [packageName]));
  const declared = info.checker.getAmbientModules().some((module) => module.getName() === `"${packageName}"`);
  known.set(packageName, installed || declared);
  return installed || declared;
}
