import { Node } from 'ts-morph';

import type { Site } from '../find-sites.js';
import type { Transform } from './types.js';
import { replaceNode } from './util/edits.js';
import { isDisablingValue, unwrap } from './util/syntax.js';

/** The value the rule found disabled: a property's value, an assignment's right side, or a call's argument. */
function disabledValue(node: Node): Node | undefined {
  const inner = unwrap(node);
  if (Node.isPropertyAssignment(inner)) return inner.getInitializer();
  if (Node.isBinaryExpression(inner) && inner.getOperatorToken().getText() === '=') return inner.getRight();
  if (Node.isCallExpression(inner)) return inner.getArguments()[0];
  if (Node.isShorthandPropertyAssignment(inner)) return inner.getNameNode();
  const parent = inner.getParent();
  // The rule may report the key of `timeout: 0`.
  if (Node.isPropertyAssignment(parent) && parent.getNameNode() === inner) return parent.getInitializer();
  return inner;
}

/**
 * The option an "unbounded call" rule blames in its `disabledTimer` message (`... switches its timeout off with
 * \`timeout: false\`...`), found among the reported call's arguments.
 */
function blamedOption(site: Site, node: Node): Node | undefined {
  const blamed = /off with `([^`]+)`/u.exec(site.message)?.[1]?.replace(/\s+/gu, ' ');
  if (blamed === undefined) return undefined;
  const call = Node.isCallExpression(node) || Node.isNewExpression(node) ? node : undefined;
  return call
    ?.getArguments()
    .flatMap((argument) => [argument, ...argument.getDescendants()])
    .find((candidate) => Node.isPropertyAssignment(candidate) && candidate.getText().replace(/\s+/gu, ' ') === blamed);
}

/**
 * Disabled timeouts (`0`, `Infinity`, `false`, `null`, `undefined`) in any family's options, in undici
 * dispatcher constructors, in `axios.defaults.timeout = 0`, `req.setTimeout(0)` and
 * `AbortSignal.timeout(Infinity)` become the configured deadline.
 */
export const disabledTimeoutTransform: Transform = {
  name: 'disabled-timeout',
  appliesTo(site, node) {
    // An unbounded-call rule blames a disabled option when no family transform rewrites the call (ky, say).
    return site.ruleId === 'no-disabled-timeout' || (site.messageId === 'disabledTimer' && blamedOption(site, node) !== undefined);
  },
  fix(site, node, context) {
    const value = disabledValue(site.ruleId === 'no-disabled-timeout' ? node : (blamedOption(site, node) ?? node));
    if (!value) return { action: 'unfixable', reason: 'no timeout value found at the reported location' };
    const text = unwrap(value).getText();
    if (!isDisablingValue(value)) {
      return {
        action: 'unfixable',
        reason: `the timeout is ${text}: change it where it is defined (a shared constant, or a value above maxMs that needs a decision)`,
      };
    }
    return { action: 'fixed', reason: `replaced the disabled timeout ${text} with ${context.timeoutText}`, edits: [replaceNode(value, context.timeoutText)] };
  },
};
