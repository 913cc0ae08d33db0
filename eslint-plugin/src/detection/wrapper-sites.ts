import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import path from 'node:path';
import type * as ts from 'typescript';

import { findRequestEntry, getFamily, timersOf } from '../knowledge/index.js';
import { getTypeInfo, type TypeInfo } from '../util/type-info.js';
import { calleeText, descendants, staticValue, unwrap } from './ast.js';
import { type BoundSettings, evaluateBound } from './bounds.js';
import { mayContainRequests } from './candidate-text.js';
import { readOptions } from './options.js';
import { parseModule } from './parse-module.js';
import type { FileRequests, RequestSite, WrapperCall } from './request-sites.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;
type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** How a wrapper's caller can bound the request inside it. */
type Forwarding =
  /** The options parameter at `index` reaches the request: whole, or only its `signal` (`options.signal`). */
  | { readonly kind: 'options'; readonly index: number; readonly signalOnly: boolean }
  /** The parameter at `index` is the request's signal. */
  | { readonly kind: 'signal'; readonly index: number }
  /** Nothing the caller passes reaches the request's bound. */
  | { readonly kind: 'nothing' };

interface WrapperSummary {
  readonly inner: RequestSite;
  readonly innerCallee: string;
  readonly fileName: string;
  readonly forwarding: Forwarding;
}

/** Whether the request inside a wrapper is bounded there: judged as `recommended` judges it. */
const SUMMARY_SETTINGS: BoundSettings = { requireDeadlineSignal: false, deadlineSignalFactories: [] };

/** Per program: every function summarised once, every other module parsed once (or found without a request). */
const summariesByProgram = new WeakMap<ts.Program, Map<ts.Node, WrapperSummary | null>>();
const modulesByProgram = new WeakMap<ts.Program, Map<string, ParsedModule | null>>();

interface ParsedModule {
  readonly sourceCode: SourceCode;
  readonly requests: FileRequests;
  /** Functions by the start offset of their declaration. */
  readonly functions: ReadonlyMap<number, FunctionNode>;
}

/**
 * Calls of the program's own functions that reach a request without a deadline (the noctx/contextcheck
 * analogue): `httpProxy(req)` where `httpProxy`, in this module or another one, calls `fetch(url, init)` with
 * nothing that bounds it but what its caller passes. Each becomes a request site at the call, of the inner
 * request's family, whose options are the arguments the wrapper forwards (so `httpProxy(req, { signal })`
 * is bounded and `httpProxy(req)` is not). `request`/`get` imported from the program's own re-export of
 * node:http(s) are recognised as what they are.
 *
 * Type-aware only: the callee is resolved through the checker, and only calls whose callee is declared in
 * the program (not in a declaration file or a library) are followed. Summaries are cached per program.
 */
export function wrapperRequestSites(sourceCode: SourceCode, fileRequests: FileRequests, requestsOf: (sourceCode: SourceCode) => FileRequests): RequestSite[] {
  const types = getTypeInfo(sourceCode);
  const fileName = types?.tsNodeOf(sourceCode.ast)?.getSourceFile().fileName;
  if (!types || fileName === undefined) return [];
  const known = new Set<Node>(fileRequests.sites.map((site) => site.node));
  const found: RequestSite[] = [];
  const sameFileSummaries = new Map<Node, WrapperSummary | null>();
  for (const node of descendants(sourceCode.ast, sourceCode.visitorKeys)) {
    if (node.type !== AST_NODE_TYPES.CallExpression || known.has(node)) continue;
    if (node.arguments.some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)) continue;
    const declaration = programDeclarationOf(types, node);
    if (!declaration) continue;
    if (declaration.kind === 'library') {
      const site = reExportedNodeRequest(types, node, declaration.node);
      if (site) found.push(site);
      continue;
    }
    const local = types.esTreeNodeOf(declaration.node);
    let summary: WrapperSummary | null | undefined;
    if (local && isFunctionNode(local)) {
      summary = sameFileSummaries.get(local);
      if (summary === undefined) {
        summary = summarize(sourceCode, fileRequests, local, fileName);
        sameFileSummaries.set(local, summary);
      }
    } else {
      summary = otherModuleSummary(types, declaration.node, requestsOf);
    }
    if (!summary) continue;
    const site = wrapperSite(sourceCode, node, summary, fileName);
    if (site) found.push(site);
  }
  return found;
}

/** The function a call resolves to, when it has a body in the program, or its declaration in a library. */
function programDeclarationOf(types: TypeInfo, call: TSESTree.CallExpression): { kind: 'program' | 'library'; node: ts.Node } | undefined {
  const callee = unwrap(call.callee);
  let nameNode: ts.Node | undefined;
  if (callee.type === AST_NODE_TYPES.Identifier) nameNode = types.tsNodeOf(callee);
  else if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed) nameNode = types.tsNodeOf(callee.property);
  if (!nameNode) return undefined;
  // Cheap first: `console.log`, `items.map`, `JSON.parse` are declared only in libraries and need no signature.
  const symbol = types.checker.getSymbolAtLocation(nameNode);
  const declarations = symbol?.getDeclarations() ?? [];
  if (declarations.length === 0 || declarations.every((declaration) => isLibraryFile(types.program, declaration.getSourceFile()))) return undefined;
  const tsCall = types.tsNodeOf(call);
  if (!tsCall) return undefined;
  let declaration: ts.Node | undefined = types.checker.getResolvedSignature(tsCall as ts.CallExpression)?.getDeclaration();
  if (!declaration) return undefined;
  if (isLibraryFile(types.program, declaration.getSourceFile())) return { kind: 'library', node: declaration };
  // An overload signature: the implementation carries the body.
  if (!hasBody(declaration)) declaration = ((declaration as { symbol?: ts.Symbol }).symbol?.getDeclarations() ?? []).find(hasBody);
  return declaration ? { kind: 'program', node: declaration } : undefined;
}

function hasBody(node: ts.Node): boolean {
  return (node as { body?: unknown }).body !== undefined && Array.isArray((node as { parameters?: unknown }).parameters);
}

function isLibraryFile(program: ts.Program, file: ts.SourceFile): boolean {
  return file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || /[\\/]node_modules[\\/]/.test(file.fileName);
}

/** `import { request } from './net'` where `./net` re-exports node:https's `request`: it is that request. */
function reExportedNodeRequest(types: TypeInfo, call: TSESTree.CallExpression, declaration: ts.Node): RequestSite | undefined {
  const symbol = (declaration as { symbol?: ts.Symbol }).symbol;
  if (!symbol) return undefined;
  const match = /^"(?:node:)?https?"\.(request|get)$/.exec(types.checker.getFullyQualifiedName(symbol));
  const method = match?.[1];
  if (method === undefined || unwrap(call.callee).type !== AST_NODE_TYPES.Identifier) return undefined;
  const family = getFamily('node-http');
  const entry = findRequestEntry('node-http', [method]);
  return entry ? { family, node: call, method, position: entry.options, timers: timersOf(family, entry), instance: undefined } : undefined;
}

function isFunctionNode(node: Node): node is FunctionNode {
  return node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.ArrowFunctionExpression;
}

function otherModuleSummary(types: TypeInfo, declaration: ts.Node, requestsOf: (sourceCode: SourceCode) => FileRequests): WrapperSummary | null {
  let summaries = summariesByProgram.get(types.program);
  if (!summaries) {
    summaries = new Map();
    summariesByProgram.set(types.program, summaries);
  }
  const cached = summaries.get(declaration);
  if (cached !== undefined) return cached;
  const file = declaration.getSourceFile();
  const parsed = parsedModule(types.program, file, requestsOf);
  // A method's body is its value: `get(url) {}` in a class or an object literal starts at its name.
  const fn = parsed?.functions.get(declaration.getStart(file));
  const summary = parsed && fn ? summarize(parsed.sourceCode, parsed.requests, fn, file.fileName) : null;
  summaries.set(declaration, summary);
  return summary;
}

/**
 * Another module of the program, parsed without types (its requests as `recommended` sees them), once per
 * program. A module whose text names no client is not parsed at all.
 */
function parsedModule(program: ts.Program, file: ts.SourceFile, requestsOf: (sourceCode: SourceCode) => FileRequests): ParsedModule | null {
  let modules = modulesByProgram.get(program);
  if (!modules) {
    modules = new Map();
    modulesByProgram.set(program, modules);
  }
  const cached = modules.get(file.fileName);
  if (cached !== undefined) return cached;
  let parsed: ParsedModule | null = null;
  if (mayContainRequests(file.text)) {
    const sourceCode = parseModule(file);
    const requests = sourceCode ? requestsOf(sourceCode) : undefined;
    if (sourceCode && requests && requests.sites.length > 0) {
      const functions = new Map<number, FunctionNode>();
      for (const node of descendants(sourceCode.ast, sourceCode.visitorKeys)) {
        if (!isFunctionNode(node)) continue;
        functions.set(node.range[0], node);
        // The checker's declaration of a method starts at its name, of an exported function at `export`.
        const holder = node.parent;
        if (holder && (holder.type === AST_NODE_TYPES.MethodDefinition || (holder.type === AST_NODE_TYPES.Property && holder.method))) functions.set(holder.range[0], node);
        if (holder?.type === AST_NODE_TYPES.ExportNamedDeclaration || holder?.type === AST_NODE_TYPES.ExportDefaultDeclaration) functions.set(holder.range[0], node);
      }
      parsed = { sourceCode, requests, functions };
    }
  }
  modules.set(file.fileName, parsed);
  return parsed;
}

/** The first request in `fn` (not in a function nested in it, callbacks aside) that its callers must bound. */
function summarize(sourceCode: SourceCode, requests: FileRequests, fn: FunctionNode, fileName: string): WrapperSummary | null {
  for (const site of requests.sites) {
    if (site.node.range[0] < fn.range[0] || site.node.range[1] > fn.range[1] || owningFunction(site.node) !== fn) continue;
    const forwarding = forwardingOf(sourceCode, requests, site, fn);
    if (forwarding) return { inner: site, innerCallee: calleeText(sourceCode, site.node), fileName, forwarding };
  }
  return null;
}

/** The function a request belongs to: callbacks (`new Promise((resolve) => http.get(...))`) belong to their caller. */
function owningFunction(node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    const parent = current.parent;
    const isCallback = (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.arguments.includes(current as TSESTree.CallExpressionArgument);
    if (!isCallback) return current;
  }
  return undefined;
}

/** A parameter of the wrapper by local name: `options`, or `signal` destructured from the parameter at `index`. */
type ParameterBinding = { readonly index: number; readonly property: string | undefined };

function parameterBindings(fn: FunctionNode): Map<string, ParameterBinding> {
  const bindings = new Map<string, ParameterBinding>();
  fn.params.forEach((parameter, index) => {
    let pattern: Node = parameter;
    if (pattern.type === AST_NODE_TYPES.TSParameterProperty) pattern = pattern.parameter;
    if (pattern.type === AST_NODE_TYPES.AssignmentPattern) pattern = pattern.left;
    if (pattern.type === AST_NODE_TYPES.Identifier) bindings.set(pattern.name, { index, property: undefined });
    else if (pattern.type === AST_NODE_TYPES.ObjectPattern) {
      for (const property of pattern.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) continue;
        const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
        if (value.type === AST_NODE_TYPES.Identifier) bindings.set(value.name, { index, property: property.key.name });
      }
    }
  });
  return bindings;
}

/**
 * Whether the request's only possible bound comes from the wrapper's parameters, and through which; `null`
 * when the request is bounded in the wrapper or its options cannot be read.
 */
function forwardingOf(sourceCode: SourceCode, requests: FileRequests, site: RequestSite, fn: FunctionNode): Forwarding | null {
  const verdict = evaluateBound(sourceCode, requests, site, SUMMARY_SETTINGS);
  const parameters = parameterBindings(fn);
  if (verdict.bound !== 'none') {
    // Bounded only by a signal the caller hands in: `fetch(url, { signal })`, `{ signal: options.signal }`.
    if (verdict.bound !== 'deadline' || !verdict.signal || site.family.defaultTimers.length > 0) return null;
    if (site.timers.some((timer) => timer.kind === 'deadline' && verdict.callOptions.properties.has(timer.path[0] ?? ''))) return null;
    let value = unwrap(verdict.signal.property.value);
    // `signal: options.signal ?? null`: still the caller's signal, or none.
    if (value.type === AST_NODE_TYPES.LogicalExpression && (value.operator === '??' || value.operator === '||')) value = unwrap(value.left);
    if (value.type === AST_NODE_TYPES.Identifier) {
      const binding = parameters.get(value.name);
      if (!binding) return null;
      if (binding.property === undefined) return { kind: 'signal', index: binding.index };
      return binding.property === 'signal' ? { kind: 'options', index: binding.index, signalOnly: true } : null;
    }
    if (value.type === AST_NODE_TYPES.MemberExpression && !value.computed && value.property.type === AST_NODE_TYPES.Identifier && value.property.name === 'signal') {
      const object = unwrap(value.object);
      const binding = object.type === AST_NODE_TYPES.Identifier ? parameters.get(object.name) : undefined;
      return binding && binding.property === undefined ? { kind: 'options', index: binding.index, signalOnly: true } : null;
    }
    return null;
  }
  if (!verdict.opaque) return { kind: 'nothing' };
  // Opaque: fine only when what hides the bound is the caller's options, passed on or spread in.
  const location = verdict.callOptionsLocation;
  const argument = location?.present ? site.node.arguments[location.index] : undefined;
  if (!argument) return null;
  const options = unwrap(argument);
  const wholeParameter = (node: Node): ParameterBinding | undefined => {
    const expression = unwrap(node);
    const binding = expression.type === AST_NODE_TYPES.Identifier ? parameters.get(expression.name) : undefined;
    return binding?.property === undefined ? binding : undefined;
  };
  const direct = wholeParameter(options);
  if (direct) return { kind: 'options', index: direct.index, signalOnly: false };
  if (options.type !== AST_NODE_TYPES.ObjectExpression) return null;
  let forwarded: ParameterBinding | undefined;
  for (const member of options.properties) {
    if (member.type === AST_NODE_TYPES.SpreadElement) {
      const binding = wholeParameter(member.argument);
      if (binding && (!forwarded || forwarded.index === binding.index)) forwarded = binding;
      else if (binding || readOptions(sourceCode, member.argument).opaque) return null;
    } else if (member.computed) return null;
  }
  return forwarded ? { kind: 'options', index: forwarded.index, signalOnly: false } : null;
}

/** The wrapper call as a request site, or nothing when the call hands the wrapper its signal. */
function wrapperSite(sourceCode: SourceCode, call: TSESTree.CallExpression, summary: WrapperSummary, fileName: string): RequestSite | undefined {
  const { forwarding, inner } = summary;
  const file = summary.fileName === fileName ? 'this file' : path.relative(process.cwd(), summary.fileName).replaceAll('\\', '/');
  const wrapper: WrapperCall = { inner: summary.innerCallee, file, forwards: forwarding.kind };
  const base = { family: inner.family, node: call, method: null, instance: undefined, wrapper };
  switch (forwarding.kind) {
    case 'nothing':
      return { ...base, position: { kind: 'none' }, timers: [] };
    case 'signal': {
      const argument = call.arguments[forwarding.index];
      const passed = argument && staticValue(sourceCode, argument);
      if (argument && !(passed && (passed.value === undefined || passed.value === null))) return undefined;
      return { ...base, position: { kind: 'none' }, timers: [] };
    }
    case 'options':
      return { ...base, position: { kind: 'index', index: forwarding.index }, timers: forwarding.signalOnly ? [] : inner.timers };
  }
}
