import { findFactoryEntry, renderRequestLink } from 'eslint-plugin-bounded-http/knowledge';
import { Node, SyntaxKind } from 'ts-morph';

import type { CallRendering } from './family.js';
import { nodeAtRange } from './util/syntax.js';

/**
 * wretch's request methods (`get()`, `post(body)`) take no fetch options, so the signal goes in an
 * `.options({ signal })` written just before the method: it is created when the request is sent, once per
 * request, and wretch@3.0.9 (`dist/core.js`) merges it into the `fetch` call, which also bounds the body read.
 * Builders return a new instance, so the instance the call is made on is left as it is.
 */
export const wretchCallRendering: CallRendering = (call, template, context) => {
  // The same link the rule's message names (`requestOptionsBuilder` in knowledge/wretch.ts).
  const builder = findFactoryEntry('wretch', [])?.instance.requestOptionsBuilder;
  if (call.options.kind !== 'none' || builder === undefined) return undefined;
  const node = nodeAtRange(context.sourceFile, call.range[0], call.range[1]);
  if (!node || !Node.isCallExpression(node)) return { unfixable: 'the request call is not where the plugin reported it' };
  const method = node.getExpression();
  if (!Node.isPropertyAccessExpression(method) || method.hasQuestionDotToken()) {
    return { unfixable: 'the request method is not called as instance.method(...); add .options({ signal: AbortSignal.timeout(ms) }) before it by hand' };
  }
  const link = renderRequestLink(builder, template, context.timeoutText);
  // A chain laid out one link per line gets the new link on a line of its own, indented like the method's.
  const dot = method.getFirstChildByKind(SyntaxKind.DotToken);
  const text = context.sourceFile.getFullText();
  const lineStart = dot ? text.lastIndexOf('\n', dot.getStart()) + 1 : -1;
  if (dot && lineStart > method.getExpression().getEnd() && /^[ \t]*$/u.test(text.slice(lineStart, dot.getStart()))) {
    return { edits: [{ start: dot.getStart(), end: dot.getStart(), text: `${link}${context.style.eol}${text.slice(lineStart, dot.getStart())}` }] };
  }
  const instanceEnd = method.getExpression().getEnd();
  return { edits: [{ start: instanceEnd, end: instanceEnd, text: link }] };
};
