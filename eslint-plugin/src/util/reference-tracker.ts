import { ReferenceTracker } from '@eslint-community/eslint-utils';
import type { TSESLint } from '@typescript-eslint/utils';

type Scope = TSESLint.Scope.Scope;
type Variable = TSESLint.Scope.Variable;
type Reference = TSESLint.Scope.Reference;

const trackers = new WeakMap<object, ReferenceTracker>();

/**
 * A ReferenceTracker (legacy mode, so CommonJS named imports resolve) that also sees undeclared globals.
 *
 * ReferenceTracker only follows globals the scope manager declared: `fetch("x")` in a project with no
 * `languageOptions.globals` (typescript-eslint's configs turn `no-undef` off, so many declare none) stays in
 * the global scope's `through` list and would be missed. At run time an undeclared reference *is* the global,
 * so each such name gets a synthesized global variable holding exactly those references. A local
 * declaration still shadows it, because shadowed references never reach `through`.
 *
 * One tracker per file, shared by every rule that asks.
 */
export function getReferenceTracker(sourceCode: Readonly<TSESLint.SourceCode>): ReferenceTracker {
  const cached = trackers.get(sourceCode);
  if (cached) return cached;
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) throw new Error('bounded-http: the parser produced no scope manager');
  const tracker = new ReferenceTracker(withUndeclaredGlobals(globalScope) as never, { mode: 'legacy' });
  trackers.set(sourceCode, tracker);
  return tracker;
}

/**
 * The global scope's variables plus the synthesized ones, without copying the (often large: TypeScript's lib
 * globals) original map for every file.
 */
class LayeredMap<K, V> extends Map<K, V> {
  constructor(private readonly base: ReadonlyMap<K, V>) {
    super();
  }
  override get(key: K): V | undefined {
    return super.has(key) ? super.get(key) : this.base.get(key);
  }
  override has(key: K): boolean {
    return super.has(key) || this.base.has(key);
  }
}

function withUndeclaredGlobals(globalScope: Scope): Scope {
  const undeclared = new Map<string, Reference[]>();
  for (const reference of globalScope.through) {
    const name = 'name' in reference.identifier ? reference.identifier.name : undefined;
    if (name === undefined || globalScope.set.has(name)) continue;
    const references = undeclared.get(name) ?? [];
    references.push(reference);
    undeclared.set(name, references);
  }
  if (undeclared.size === 0) return globalScope;

  const set = new LayeredMap<string, unknown>(globalScope.set);
  for (const [name, references] of undeclared) {
    const synthesized: Pick<Variable, 'name' | 'defs' | 'references' | 'identifiers' | 'scope'> = {
      name,
      defs: [],
      references,
      identifiers: [],
      scope: globalScope,
    };
    set.set(name, synthesized);
  }
  // Everything else (block, childScopes, ...) is read through the prototype from the real scope.
  return Object.create(globalScope, { set: { value: set } }) as Scope;
}
