import { type FamilyId, optionsPositionOf } from 'eslint-plugin-bounded-http/knowledge';
import { type CallExpression, type NewExpression, Node, SyntaxKind } from 'ts-morph';

import type { TransformContext } from '../types.js';
import { addSignalOption, type Outcome } from './options.js';
import { descendantsOfKind, unwrap } from './syntax.js';

/**
 * For an instance bounded only by an idle timer (an axios instance with `timeout`, an undici dispatcher): a
 * deadline cannot live on the instance, so every call made on it in this file gets its own signal. Unfixable
 * when the instance is not held in a local name or no call on it is visible here.
 */
export function signalEveryInstanceCall(factory: CallExpression | NewExpression, familyId: FamilyId, context: TransformContext): Outcome {
  let holder: Node | undefined = factory.getParent();
  while (holder && unwrap(holder) === factory) holder = holder.getParent();
  if (!Node.isVariableDeclaration(holder) || !Node.isIdentifier(holder.getNameNode())) {
    return { unfixable: 'the instance is not stored in a local name, so its calls cannot be found; pass signal: AbortSignal.timeout(ms) on each call' };
  }
  const name = holder.getName();
  const calls = descendantsOfKind(factory.getSourceFile(), SyntaxKind.CallExpression).filter((node) => {
    const callee = unwrap(node.getExpression());
    return Node.isPropertyAccessExpression(callee) && unwrap(callee.getExpression()).getText() === name;
  });
  if (calls.length === 0) {
    return { unfixable: `no call on ${name} is visible in this file; pass signal: AbortSignal.timeout(ms) on each call where it is used` };
  }
  const edits = [];
  for (const call of calls) {
    const callee = unwrap(call.getExpression());
    const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : '';
    const position = optionsPositionOf(familyId, method, true);
    if (!position) continue;
    const outcome = addSignalOption(call, position, context);
    if ('unfixable' in outcome) return { unfixable: `${name}.${method}(...): ${outcome.unfixable}` };
    edits.push(...outcome.edits);
  }
  return { edits };
}
