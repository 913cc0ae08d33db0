import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { INSTANCE_TYPES } from '../knowledge/instance-types.js';
import { CLIENT_FAMILIES, findRequestEntry, getFamily, optionsPositionOf, timersOf } from '../knowledge/index.js';
import { getTypeInfo, isFetchFunctionType, isPackageType } from '../util/type-info.js';
import { descendants, propertyName, unwrap } from './ast.js';
import type { RequestSite } from './request-sites.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/** A callee whose name could be a stored fetch: `this.fetch`, `config.fetchImpl`, `doFetch`. */
const FETCH_LIKE_NAME = /fetch/i;

/** Every method name of an instance type, so only calls that could be one are asked about their type. */
const INSTANCE_METHOD_NAMES: ReadonlySet<string> = new Set(
  CLIENT_FAMILIES.filter((family) => INSTANCE_TYPES.some((instanceType) => instanceType.family === family.id)).flatMap((family) =>
    family.sources.flatMap((source) => source.factories.flatMap((factory) => Object.keys(factory.instance.methods))),
  ),
);

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
    if (callee.type !== AST_NODE_TYPES.MemberExpression || !INSTANCE_METHOD_NAMES.has(name)) continue;
    const objectType = types.typeOf(callee.object);
    const instanceType = INSTANCE_TYPES.find((candidate) => isPackageType(types, objectType, candidate.packages, candidate.names));
    if (!instanceType) continue;
    const position = optionsPositionOf(instanceType.family, name, true);
    if (!position) continue;
    const family = getFamily(instanceType.family);
    found.push({ family, node, method: name, position, timers: family.timers, instance: undefined, unknownInstance: true });
  }
  return found;
}
