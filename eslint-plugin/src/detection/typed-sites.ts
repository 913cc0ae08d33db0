import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { INSTANCE_TYPES } from '../knowledge/instance-types.js';
import { CLIENT_FAMILIES, findRequestEntry, getFamily, optionsPositionOf, timersOf } from '../knowledge/index.js';
import { getTypeInfo, isFetchFunctionType, isPackageType, programHasPackage } from '../util/type-info.js';
import { descendants, propertyName, unwrap } from './ast.js';
import type { RequestSite } from './request-sites.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/** A callee whose name could be a stored fetch: `this.fetch`, `config.fetchImpl`, `doFetch`. */
const FETCH_LIKE_NAME = /fetch/i;

/** The method names of a family's instances, so only calls that could be one are asked about their type. */
function instanceMethodNames(familyId: string): ReadonlySet<string> {
  const family = CLIENT_FAMILIES.find((candidate) => candidate.id === familyId);
  return new Set(family?.sources.flatMap((source) => source.factories.flatMap((factory) => Object.keys(factory.instance.methods))) ?? []);
}
const INSTANCE_METHODS = INSTANCE_TYPES.map((instanceType) => ({ instanceType, methods: instanceMethodNames(instanceType.family) }));

const fetchFamily = getFamily('fetch');
const fetchEntry = findRequestEntry('fetch', []);

/**
 * Requests only types reveal, beyond what ReferenceTracker found (`known`):
 * - fetch stored elsewhere and typed `typeof fetch`: `this.fetch(url)`, `config.fetch(url)`;
 * - calls on an `AxiosInstance`, `Got`, `KyInstance` or undici `Dispatcher` whose creation is not visible
 *   (a parameter, a field set by a constructor): marked `unknownInstance`, because its defaults may bound it.
 *
 * Without type information this returns nothing. With it, the file is walked once and only calls whose
 * callee name could match are asked about their type, so the checker stays off the hot path.
 */
export function typedRequestSites(sourceCode: SourceCode, known: ReadonlyMap<Node, unknown>): RequestSite[] {
  const types = getTypeInfo(sourceCode);
  if (!types || !fetchEntry) return [];
  // Only the client packages this program can see: no axios installed, no `AxiosInstance` query on every `.get(`.
  const visibleInstanceTypes = INSTANCE_METHODS.filter(({ instanceType }) => instanceType.packages.some((name) => programHasPackage(types, name)));
  const found: RequestSite[] = [];
  for (const node of descendants(sourceCode.ast, sourceCode.visitorKeys)) {
    if (node.type !== AST_NODE_TYPES.CallExpression || known.has(node)) continue;
    const callee = unwrap(node.callee);
    const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee, sourceCode) : null;
    if (name === null) continue;
    if (FETCH_LIKE_NAME.test(name) && isFetchFunctionType(types, types.typeOf(callee))) {
      found.push({ family: fetchFamily, node, method: null, position: fetchEntry.options, timers: timersOf(fetchFamily, fetchEntry), instance: undefined });
      continue;
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression) continue;
    const candidates = visibleInstanceTypes.filter(({ methods }) => methods.has(name));
    if (candidates.length === 0) continue;
    const objectType = types.typeOf(callee.object);
    const instanceType = candidates.find(({ instanceType: candidate }) => isPackageType(types, objectType, candidate.packages, candidate.names))?.instanceType;
    if (!instanceType) continue;
    const position = optionsPositionOf(instanceType.family, name, true);
    if (!position) continue;
    const family = getFamily(instanceType.family);
    found.push({ family, node, method: name, position, timers: family.timers, instance: undefined, unknownInstance: true });
  }
  return found;
}
