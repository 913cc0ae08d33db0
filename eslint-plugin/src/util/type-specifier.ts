import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import path from 'node:path';
import type * as ts from 'typescript';

import { someTypeInHierarchy } from './type-hierarchy.js';

/**
 * typescript-eslint's `TypeOrValueSpecifier` option shape, so users configure this plugin the way they
 * configure typescript-eslint's own rules. The matcher lives in `@typescript-eslint/type-utils`, which this
 * plugin does not depend on; `typeMatchesSpecifier` below implements the same three sources.
 */
export type TypeOrValueSpecifier =
  | string
  | { readonly from: 'file'; readonly name: string | readonly string[]; readonly path?: string }
  | { readonly from: 'lib'; readonly name: string | readonly string[] }
  | { readonly from: 'package'; readonly name: string | readonly string[]; readonly package: string };

const nameSchema: JSONSchema4 = {
  description: 'Type or value name(s) to match.',
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true }],
};

export const typeOrValueSpecifierSchema: JSONSchema4 = {
  description:
    "A typescript-eslint TypeOrValueSpecifier: a type name, or { from: 'file' | 'lib' | 'package', name, path?, package? } saying where the type is declared.",
  oneOf: [
    { type: 'string', description: 'A type name declared anywhere.' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'name'],
      properties: {
        from: { type: 'string', enum: ['file'], description: 'Declared in the project’s own files.' },
        name: nameSchema,
        path: { type: 'string', description: 'The file (relative to the project root) that must declare it.' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'name'],
      properties: {
        from: { type: 'string', enum: ['lib'], description: 'Declared in TypeScript’s built-in lib files.' },
        name: nameSchema,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'name', 'package'],
      properties: {
        from: { type: 'string', enum: ['package'], description: 'Declared in an installed package.' },
        name: nameSchema,
        package: { type: 'string', description: 'The package name, e.g. `axios` or `undici`; its `@types/` package counts too.' },
      },
    },
  ],
};

function specifierNames(specifier: TypeOrValueSpecifier): readonly string[] {
  if (typeof specifier === 'string') return [specifier];
  return typeof specifier.name === 'string' ? [specifier.name] : specifier.name;
}

/** `@scope/name` lives in `@types/scope__name`. */
function typesPackageName(packageName: string): string {
  return packageName.startsWith('@') ? `@types/${packageName.slice(1).replace('/', '__')}` : `@types/${packageName}`;
}

function declaredInPackage(fileName: string, packageName: string): boolean {
  const normalized = fileName.split(path.sep).join('/');
  return [packageName, typesPackageName(packageName)].some((name) => normalized.includes(`/node_modules/${name}/`));
}

function declarationMatches(declaration: ts.Declaration, specifier: TypeOrValueSpecifier, program: ts.Program): boolean {
  if (typeof specifier === 'string') return true;
  const sourceFile = declaration.getSourceFile();
  switch (specifier.from) {
    case 'lib':
      return program.isSourceFileDefaultLibrary(sourceFile);
    case 'package':
      // TODO: typescript-eslint also accepts `declare module 'axios' { ... }` augmentations in local files.
      return declaredInPackage(sourceFile.fileName, specifier.package);
    case 'file': {
      if (program.isSourceFileDefaultLibrary(sourceFile) || program.isSourceFileFromExternalLibrary(sourceFile)) return false;
      if (specifier.path === undefined) return true;
      const root = program.getCurrentDirectory();
      return path.resolve(root, specifier.path) === path.resolve(sourceFile.fileName);
    }
  }
}

function symbolMatches(symbol: ts.Symbol | undefined, specifier: TypeOrValueSpecifier, program: ts.Program): boolean {
  if (!symbol || !specifierNames(specifier).includes(symbol.getName())) return false;
  return (symbol.getDeclarations() ?? []).some((declaration) => declarationMatches(declaration, specifier, program));
}

/**
 * Whether `type` (or, for a union, any member; for a class or interface, any base type) is the type the
 * specifier names, declared where it says. Instances of `class Agent extends Dispatcher` match `Dispatcher`.
 */
export function typeMatchesSpecifier(type: ts.Type, specifier: TypeOrValueSpecifier, program: ts.Program): boolean {
  return someTypeInHierarchy(
    type,
    program.getTypeChecker(),
    (current) => symbolMatches(current.aliasSymbol, specifier, program) || symbolMatches(current.getSymbol(), specifier, program),
  );
}
