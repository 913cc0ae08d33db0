import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { isFunction, outermostValue, resolveVariable, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Node = TSESTree.Node;

/**
 * How far a controller's timer reaches for a call that resolves at the headers (fetch): whether the body is
 * read before the timer is cleared.
 * - `covers-body`: every `clearTimeout` runs after the body is read (or nothing shows it does not);
 * - `cleared-early`: a `clearTimeout` outside `finally` runs before the body read that follows it;
 * - `ends-at-headers`: the response (or its body) leaves the timer's reach unread: returned from the `try`
 *   whose `finally` clears the timer, or returned after clearing it.
 */
export type TimerReach =
  | { readonly kind: 'covers-body' }
  | { readonly kind: 'cleared-early' }
  | { readonly kind: 'ends-at-headers'; readonly how: string; readonly when: string };

interface BodyRead {
  readonly node: Node;
  /** The `await` that waits for the read, when one does. */
  readonly awaitedBy: Node | undefined;
  /** Where the read is settled, for code that follows it: its `await`, or the `.then()` link that returns it. */
  readonly settledAt: Node | undefined;
  /** `return response.json()` without `await`: a `finally` runs before the read ends. */
  readonly returnedUnawaited: boolean;
}

interface ResponseFate {
  readonly reads: BodyRead[];
  /** Where the response, or its body stream, is returned unread. */
  readonly escapes: { node: Node; how: string }[];
  /** `.finally(cb)` links of the request's own chain, and whether a `.then()` before them reads the body. */
  readonly finallyLinks: { callback: Node; bodyReadBefore: boolean }[];
  /** The response goes somewhere we do not follow (a helper, an outer variable): it may be read in time. */
  unknown: boolean;
}

const MAX_DEPTH = 4;

function within(node: Node, container: Node): boolean {
  return node.range[0] >= container.range[0] && node.range[1] <= container.range[1];
}

function isReturned(value: Node): boolean {
  const parent = value.parent;
  return parent?.type === AST_NODE_TYPES.ReturnStatement || (parent !== undefined && isFunction(parent) && parent.body === value);
}

function memberName(member: TSESTree.MemberExpression): string | undefined {
  return !member.computed && member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : undefined;
}

/** The `await` around `node` within its function, if any (`await pipeline(response.body, file)`). */
function enclosingAwait(node: Node): Node | undefined {
  for (let current: Node | undefined = node.parent; current && !isFunction(current); current = current.parent) {
    if (current.type === AST_NODE_TYPES.AwaitExpression) return current;
  }
  return undefined;
}

/** Follows what happens to the value a request call resolves to. */
function responseFate(sourceCode: SourceCode, call: Node, bodyReaders: readonly string[]): ResponseFate {
  const fate: ResponseFate = { reads: [], escapes: [], finallyLinks: [], unknown: false };
  const readsBefore = (): number => fate.reads.length;

  const followValue = (expression: Node, depth: number): void => {
    if (depth > MAX_DEPTH) {
      fate.unknown = true;
      return;
    }
    const value = outermostValue(expression);
    const parent = value.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === value) {
      const name = memberName(parent);
      const member = outermostValue(parent);
      if (name && bodyReaders.includes(name) && member.parent?.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member) {
        const read = outermostValue(member.parent);
        const awaitedBy = read.parent?.type === AST_NODE_TYPES.AwaitExpression ? read.parent : undefined;
        fate.reads.push({ node: read, awaitedBy, settledAt: awaitedBy, returnedUnawaited: !awaitedBy && isReturned(read) });
        if (!awaitedBy && !isReturned(read)) fate.unknown = true;
      } else if (name === 'body') {
        if (isReturned(member)) fate.escapes.push({ node: member, how: 'returns its body stream' });
        else {
          const awaitedBy = enclosingAwait(member);
          if (awaitedBy) fate.reads.push({ node: member, awaitedBy, settledAt: awaitedBy, returnedUnawaited: false });
          else fate.unknown = true;
        }
      }
      // `response.ok`, `response.status`, `response.headers`: no body read.
      return;
    }
    if (parent && isReturned(value)) {
      fate.escapes.push({ node: value, how: 'returns its response unread' });
      return;
    }
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === value && parent.id.type === AST_NODE_TYPES.Identifier) {
      const variable = resolveVariable(sourceCode, parent.id);
      for (const reference of variable?.references ?? []) {
        if (reference.identifier !== parent.id && reference.isRead()) followValue(reference.identifier, depth + 1);
      }
      return;
    }
    fate.unknown = true;
  };

  // The request's own promise chain: `fetch(url).then((r) => r.json()).finally(() => clearTimeout(timer))`.
  let value = outermostValue(call);
  let isResponse = true;
  const chainReads: number[] = [];
  for (;;) {
    const member = value.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== value) break;
    const name = memberName(member);
    const link = outermostValue(member).parent;
    if (!name || !['then', 'catch', 'finally'].includes(name) || link?.type !== AST_NODE_TYPES.CallExpression || link.callee !== outermostValue(member)) break;
    const callback = link.arguments[0];
    if (name === 'then') {
      if (!isResponse) {
        value = outermostValue(link);
        continue;
      }
      const before = readsBefore();
      const fn = callback ? unwrap(callback) : undefined;
      const parameter = fn && isFunction(fn) ? fn.params[0] : undefined;
      if (parameter?.type === AST_NODE_TYPES.Identifier) {
        const variable = resolveVariable(sourceCode, parameter);
        for (const reference of variable?.references ?? []) if (reference.identifier !== parameter) followValue(reference.identifier, 1);
      } else fate.unknown = true;
      // A read returned from the callback settles before the next link runs.
      for (let index = before; index < fate.reads.length; index++) {
        const read = fate.reads[index];
        if (read?.returnedUnawaited) {
          fate.reads[index] = { ...read, settledAt: link, returnedUnawaited: false };
          chainReads.push(index);
        }
      }
      // The escape of `r` from the callback is not an escape of the chain: the chain's value is the callback's result.
      const kept = fate.escapes.filter((escape) => !(fn && within(escape.node, fn)));
      fate.escapes.splice(0, fate.escapes.length, ...kept);
      isResponse = false;
    } else if (name === 'finally' && callback) {
      fate.finallyLinks.push({ callback, bodyReadBefore: chainReads.length > 0 });
    }
    value = outermostValue(link);
  }
  if (isResponse) {
    const parent = value.parent;
    if (parent?.type === AST_NODE_TYPES.AwaitExpression) followValue(parent, 0);
    else if (isReturned(value)) fate.escapes.push({ node: value, how: 'returns its response unread' });
    else fate.unknown = true;
  } else {
    // The chain's result holds the body: waited for by an `await`, or returned unsettled.
    const parent = value.parent;
    for (const index of chainReads) {
      const read = fate.reads[index];
      if (!read) continue;
      if (parent?.type === AST_NODE_TYPES.AwaitExpression) fate.reads[index] = { ...read, awaitedBy: parent };
      else if (isReturned(value)) fate.reads[index] = { ...read, returnedUnawaited: true };
    }
  }
  return fate;
}

function finallyOf(node: Node): TSESTree.TryStatement | undefined {
  for (let current: Node | undefined = node; current?.parent; current = current.parent) {
    if (isFunction(current)) return undefined;
    if (current.parent.type === AST_NODE_TYPES.TryStatement && current.parent.finalizer === current) return current.parent;
  }
  return undefined;
}

/**
 * Where the deadline of a call that resolves at the headers ends, given the `clearTimeout` calls of the
 * timer that aborts its signal. `bodyReaders` are the response's body methods (knowledge: `responseBodyReaders`).
 */
export function timerReach(sourceCode: SourceCode, call: Node, clears: readonly Node[], bodyReaders: readonly string[]): TimerReach {
  if (clears.length === 0) return { kind: 'covers-body' };
  const fate = responseFate(sourceCode, call, bodyReaders);
  let worst: TimerReach = { kind: 'covers-body' };
  for (const clear of clears) {
    const reach = reachOfClear(fate, call, clear);
    if (reach.kind === 'ends-at-headers') return reach;
    if (reach.kind === 'cleared-early') worst = reach;
  }
  return worst;
}

function reachOfClear(fate: ResponseFate, call: Node, clear: Node): TimerReach {
  const tryStatement = finallyOf(clear);
  if (tryStatement && within(call, tryStatement.block)) {
    const block = tryStatement.block;
    if (fate.reads.some((read) => read.awaitedBy && within(read.awaitedBy, block))) return { kind: 'covers-body' };
    if (fate.unknown) return { kind: 'covers-body' };
    const unawaited = fate.reads.find((read) => read.returnedUnawaited && within(read.node, block));
    if (unawaited) return { kind: 'ends-at-headers', how: 'returns its body read without `await`', when: 'in `finally`' };
    const escape = fate.escapes.find((candidate) => within(candidate.node, block));
    if (escape) return { kind: 'ends-at-headers', how: escape.how, when: 'in `finally`' };
    return { kind: 'covers-body' };
  }
  if (tryStatement) return { kind: 'covers-body' };
  const link = fate.finallyLinks.find((candidate) => within(clear, candidate.callback));
  if (link) {
    if (link.bodyReadBefore) return { kind: 'covers-body' };
    const escape = fate.escapes[0];
    if (escape) return { kind: 'ends-at-headers', how: escape.how, when: 'in `.finally()`' };
    return { kind: 'cleared-early' };
  }
  if (fate.reads.some((read) => read.settledAt && read.settledAt.range[1] <= clear.range[0])) return { kind: 'covers-body' };
  const escape = fate.escapes[0];
  if (escape && fate.reads.length === 0) return { kind: 'ends-at-headers', how: escape.how, when: 'as soon as the response arrives' };
  return { kind: 'cleared-early' };
}
