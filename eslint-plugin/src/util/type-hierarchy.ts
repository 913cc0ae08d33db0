import type * as ts from 'typescript';

/**
 * Whether `matches` holds for `type` or anything it stands for: a union or intersection member, the target of a
 * generic reference, or a base class or interface (so `class Agent extends Dispatcher` reaches `Dispatcher`).
 * Bounded at 64 types, because recursive and very wide types exist in real code.
 */
export function someTypeInHierarchy(type: ts.Type, checker: ts.TypeChecker, matches: (current: ts.Type) => boolean): boolean {
  const visited = new Set<ts.Type>();
  const pending: ts.Type[] = [type];
  while (pending.length > 0 && visited.size < 64) {
    const current = pending.pop();
    if (!current || visited.has(current)) continue;
    visited.add(current);
    if (matches(current)) return true;
    if (current.isUnionOrIntersection()) pending.push(...current.types);
    const target = (current as Partial<ts.TypeReference>).target;
    if (target && target !== current) pending.push(target);
    if (current.isClassOrInterface()) pending.push(...(checker.getBaseTypes(current) ?? []));
  }
  return false;
}
