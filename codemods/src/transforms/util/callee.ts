import {
  CLIENT_FAMILIES,
  type FamilyId,
  findFactoryEntry,
  findRequestEntry,
  type OptionsPosition,
  optionsPositionOf,
} from 'eslint-plugin-bounded-http/knowledge';
import { type CallExpression, type NewExpression, Node, type SourceFile, SyntaxKind } from 'ts-morph';

import { descendantsOfKind, findVariable, unwrap } from './syntax.js';

/** Objects through which a global is also reached: `globalThis.fetch`, `window.fetch`. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);

/** Where a callee comes from: a module export or a global, and the property path from there. */
interface Origin {
  module?: string;
  global?: string;
  path: string[];
}

/** What the knowledge base says about the call the rule reported. */
export interface ResolvedRequest {
  familyId: FamilyId;
  /** `request`: a request entry; `factory`: a client or dispatcher factory; `instance`: a call on a factory's result. */
  role: 'request' | 'factory' | 'instance';
  /** Method name (`post`), or null for the module/global/instance itself (`axios(...)`, `fetch(...)`). */
  method: string | null;
  options: OptionsPosition;
}

/**
 * Which knowledge-base entry a call or `new` reaches. The rule already decided the call is unbounded; this
 * only finds out which entry it is, to read where its options sit. Follows imports, `require`, aliases,
 * `globalThis.X`, `process.getBuiltinModule(...)` and `cond ? a : b` (the first branch; both are one family).
 */
export function resolveRequest(call: CallExpression | NewExpression): ResolvedRequest | undefined {
  const origin = originOf(call.getExpression(), 0);
  if (!origin) return undefined;
  if (origin.module === undefined && origin.global === undefined) return resolveInstanceCall(call, origin);
  for (const family of CLIENT_FAMILIES) {
    for (const source of family.sources) {
      const matches = source.kind === 'module' ? origin.module !== undefined && source.specifiers.includes(origin.module) : source.name === origin.global;
      if (!matches) continue;
      // An ESM default import of a CommonJS module is the module itself: try the path with and without `default`.
      const paths = origin.path[0] === 'default' ? [origin.path, origin.path.slice(1)] : [origin.path];
      for (const path of paths) {
        const entry = findRequestEntry(family.id, path);
        if (entry && source.entries.includes(entry)) {
          return { familyId: family.id, role: 'request', method: path.at(-1) ?? null, options: entry.options };
        }
        const factory = findFactoryEntry(family.id, path);
        if (factory && source.factories.includes(factory)) {
          return { familyId: family.id, role: 'factory', method: path.at(-1) ?? null, options: factory.options };
        }
      }
    }
  }
  return undefined;
}

/** `client.get(...)` where `const client = axios.create(...)` in this file. */
function resolveInstanceCall(call: CallExpression | NewExpression, origin: InstanceOrigin): ResolvedRequest | undefined {
  const factoryCall = origin.instanceOf;
  if (!factoryCall) return undefined;
  const factory = resolveRequest(factoryCall);
  if (factory?.role !== 'factory') return undefined;
  const method = origin.path[0] ?? null;
  if (origin.path.length > 1) return undefined;
  const options = optionsPositionOf(factory.familyId, method, true);
  if (!options || Node.isNewExpression(call)) return undefined;
  return { familyId: factory.familyId, role: 'instance', method, options };
}

interface InstanceOrigin extends Origin {
  instanceOf?: CallExpression | NewExpression;
}

function originOf(expression: Node, depth: number): InstanceOrigin | undefined {
  if (depth > 8) return undefined;
  const node = unwrap(expression);
  if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
    const name = memberName(node);
    if (name === undefined) return undefined;
    const base = originOf(node.getExpression(), depth + 1);
    if (!base) return undefined;
    if (base.global !== undefined && GLOBAL_OBJECTS.has(base.global) && base.path.length === 0) return { global: name, path: [] };
    return { ...base, path: [...base.path, name] };
  }
  if (Node.isConditionalExpression(node)) return originOf(node.getWhenTrue(), depth + 1);
  if (Node.isCallExpression(node)) return moduleCallOrigin(node);
  if (Node.isIdentifier(node)) return identifierOrigin(node.getSourceFile(), node.getText(), depth);
  return undefined;
}

function memberName(node: Node): string | undefined {
  if (Node.isPropertyAccessExpression(node)) return node.getName();
  if (Node.isElementAccessExpression(node)) {
    const argument = node.getArgumentExpression();
    if (argument && (Node.isStringLiteral(argument) || Node.isNoSubstitutionTemplateLiteral(argument))) return argument.getLiteralText();
  }
  return undefined;
}

/** `require('m')` and `process.getBuiltinModule('m')`. */
function moduleCallOrigin(call: CallExpression): Origin | undefined {
  const callee = call.getExpression().getText();
  const [first] = call.getArguments();
  if ((callee === 'require' || callee === 'process.getBuiltinModule') && first && Node.isStringLiteral(first)) {
    return { module: first.getLiteralText(), path: [] };
  }
  return undefined;
}

function identifierOrigin(sourceFile: SourceFile, name: string, depth: number): InstanceOrigin | undefined {
  for (const declaration of sourceFile.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    if (declaration.getDefaultImport()?.getText() === name) return { module, path: ['default'] };
    if (declaration.getNamespaceImport()?.getText() === name) return { module, path: [] };
    for (const named of declaration.getNamedImports()) {
      if ((named.getAliasNode() ?? named.getNameNode()).getText() === name) return { module, path: [named.getNameNode().getText()] };
    }
  }
  const variable = findVariable(sourceFile, name);
  if (variable) {
    const initializer = variable.getInitializer();
    if (!initializer) return undefined;
    const value = unwrap(initializer);
    if (Node.isCallExpression(value) || Node.isNewExpression(value)) {
      const fromModule = Node.isCallExpression(value) ? moduleCallOrigin(value) : undefined;
      // A factory call (`axios.create()`, `new Agent()`): the variable holds an instance.
      return fromModule ?? { path: [], instanceOf: value };
    }
    return originOf(value, depth + 1);
  }
  const destructured = destructuredOrigin(sourceFile, name, depth);
  if (destructured) return destructured;
  return { global: name, path: [] };
}

/** `const { request: undiciRequest } = require('undici')`. */
function destructuredOrigin(sourceFile: SourceFile, name: string, depth: number): Origin | undefined {
  for (const element of descendantsOfKind(sourceFile, SyntaxKind.BindingElement)) {
    if (element.getName() !== name) continue;
    const declaration = element.getFirstAncestor(Node.isVariableDeclaration);
    const initializer = declaration?.getInitializer();
    if (!initializer) return undefined;
    const base = originOf(initializer, depth + 1);
    if (!base) return undefined;
    const property = element.getPropertyNameNode()?.getText() ?? name;
    return { ...base, path: [...base.path, property] };
  }
  return undefined;
}

/** The innermost call or `new` at or around the reported node, the request the site is about. */
export function requestCallAt(node: Node): CallExpression | NewExpression | undefined {
  let current: Node | undefined = node;
  if (Node.isVariableDeclaration(current)) current = current.getInitializer();
  while (current) {
    const inner = unwrap(current);
    if (Node.isCallExpression(inner) || Node.isNewExpression(inner)) return inner;
    current = current.getParent();
  }
  return undefined;
}

/** The family a rule is about when the rule is about exactly one (its reports need no resolution). */
const FAMILY_OF_RULE: Readonly<Record<string, FamilyId>> = {
  'no-unbounded-fetch': 'fetch',
  'no-unbounded-node-request': 'node-http',
};

/** The reported request: the nearest call or `new` around the site that the knowledge base knows. */
export interface ReportedRequest {
  call: CallExpression | NewExpression;
  resolved: ResolvedRequest | undefined;
  familyId: FamilyId | undefined;
}

/** Resolved once per reported node: several transforms ask about the same site. */
const resolvedAt = new WeakMap<Node, Omit<ReportedRequest, 'familyId'> | null>();

function resolveAround(node: Node): Omit<ReportedRequest, 'familyId'> | null {
  const cached = resolvedAt.get(node);
  if (cached !== undefined) return cached;
  const first = requestCallAt(node);
  let result: Omit<ReportedRequest, 'familyId'> | null = first ? { call: first, resolved: undefined } : null;
  const isRequestNode = (ancestor: Node): ancestor is CallExpression | NewExpression => Node.isCallExpression(ancestor) || Node.isNewExpression(ancestor);
  for (let call = first; call; call = call.getFirstAncestor(isRequestNode)) {
    const resolved = resolveRequest(call);
    if (resolved) {
      result = { call, resolved };
      break;
    }
  }
  resolvedAt.set(node, result);
  return result;
}

export function reportedRequest(ruleId: string, node: Node): ReportedRequest | undefined {
  const found = resolveAround(node);
  if (!found) return undefined;
  // A rule about one family (fetch, node:http) vouches for the family even when the callee cannot be traced.
  return { ...found, familyId: found.resolved?.familyId ?? FAMILY_OF_RULE[ruleId] };
}
