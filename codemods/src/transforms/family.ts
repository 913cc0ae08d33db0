import type { SiteDescriptor } from 'eslint-plugin-bounded-http/detection';
import { type BoundTemplate, type ClientFamily, findFactoryEntry, isDeadlineTemplate, renderBound } from 'eslint-plugin-bounded-http/knowledge';
import { Node } from 'ts-morph';

import type { Site } from '../find-sites.js';
import type { Transform, TransformContext, TransformResult } from './types.js';
import { boundEveryInstanceCall } from './util/instance-calls.js';
import { boundEdits, type Outcome, optionPathEdits } from './util/render.js';
import { nodeAtRange } from './util/syntax.js';

/** The rules whose findings a family transform bounds; `no-disabled-timeout` is the disabled-timeout transform's. */
const RULES = new Set(['no-unbounded-fetch', 'no-unbounded-node-request', 'no-unbounded-client', 'no-idle-only-timeout']);

/**
 * A family's own rendering rule, for what the template alone does not say: node:http's warning about a
 * missing `'error'` listener.
 */
export type RenderingRule = (result: TransformResult & { action: 'fixed' }, site: Site, context: TransformContext) => TransformResult;

/**
 * A family's own rendering of its call bound at a call whose options the template cannot reach (wretch's
 * `get()` takes no fetch options); undefined leaves the call to the template.
 */
export type CallRendering = (call: SiteDescriptor, template: BoundTemplate, context: TransformContext) => Outcome | undefined;

/** A callee with every argument list collapsed: `require(...).defaults`, `broker.url(...).post`. */
function calleeShape(node: Node): string {
  if (Node.isCallExpression(node) || Node.isNewExpression(node)) return `${calleeShape(node.getExpression())}(...)`;
  if (Node.isPropertyAccessExpression(node)) return `${calleeShape(node.getExpression())}${node.hasQuestionDotToken() ? '?.' : '.'}${node.getName()}`;
  return node.getText().replace(/\s+/gu, '');
}

/**
 * `axios.get(...)`, `new Pool(...)`, `require(...).defaults(...)`: the call as written, its arguments collapsed,
 * for reasons. Cutting the text at its first parenthesis named a chained factory after its first link.
 */
function calleeOf(descriptor: SiteDescriptor, context: TransformContext): string {
  const node = nodeAtRange(context.sourceFile, descriptor.range[0], descriptor.range[1]);
  const callee = node && (Node.isCallExpression(node) || Node.isNewExpression(node)) ? calleeShape(node.getExpression()) : (node?.getText() ?? '').replace(/\s+/gu, '');
  return `${callee.length > 60 ? `…${callee.slice(-59)}` : callee}(...)`;
}

function resultOf(outcome: Outcome, fixed: string, nothingToDo: string): TransformResult {
  if ('unfixable' in outcome) return { action: 'unfixable', reason: outcome.unfixable };
  if (outcome.edits.length === 0) return { action: 'unfixable', reason: nothingToDo };
  return { action: 'fixed', reason: fixed, edits: outcome.edits };
}

/**
 * The transform of one client family, driven entirely by the knowledge base and the finding's descriptor:
 * a call gets the family's bound template; an instance gets its factory's template when that is a total
 * deadline (got's `timeout.request`, ky's `timeout`), otherwise each call on it gets the call template.
 * A new family needs no new code here, only its knowledge entry (and, at most, a rendering rule or a call
 * rendering).
 */
export function familyTransform(family: ClientFamily, renderingRule?: RenderingRule, callRendering?: CallRendering): Transform {
  return {
    name: family.id,
    appliesTo(site) {
      return RULES.has(site.ruleId) && site.descriptor?.familyId === family.id;
    },
    fix(site, _node, context) {
      const descriptor = site.descriptor;
      if (!descriptor) return { action: 'unfixable', reason: 'the plugin recorded no description of this finding' };
      const what = calleeOf(descriptor, context);
      const boundCall = (call: SiteDescriptor): Outcome => callRendering?.(call, family.bound, context) ?? boundEdits(call, family.bound, context);
      if (!isDeadlineTemplate(family, family.bound)) {
        return { action: 'unfixable', reason: `${family.displayName} has no option that bounds a whole call (${renderBound(family.bound, 'ms')} is an idle timer); bound the work around it by hand` };
      }
      let result: TransformResult;
      const culprit = descriptor.culprit;
      if (culprit?.kind === 'disabled-value' && culprit.timer?.kind === 'deadline' && culprit.valueDisables && culprit.valueWrittenHere) {
        // A total deadline switched off (ky's `timeout: false`): the configured value restores it, the same edit
        // as the disabled-timeout transform's for this value, so the two never conflict.
        const text = context.sourceFile.getFullText().slice(culprit.value[0], culprit.value[1]);
        result = { action: 'fixed', reason: `replaced the disabled timeout ${text} with ${context.timeoutText}`, edits: [{ start: culprit.value[0], end: culprit.value[1], text: context.timeoutText }] };
      } else if (descriptor.role === 'call') {
        result = resultOf(boundCall(descriptor), `added ${renderBound(family.bound, 'ms')} to ${what}`, `${what} already has the bound this transform adds; add a deadline by hand`);
      } else {
        const factoryBound = descriptor.method === null ? undefined : findFactoryEntry(family.id, [descriptor.method])?.bound;
        if (factoryBound?.kind === 'option' && isDeadlineTemplate(family, factoryBound)) {
          result = resultOf(optionPathEdits(descriptor, factoryBound.path, context), `added ${renderBound(factoryBound, 'ms')} to the ${what} config`, `${what} has a timeout this transform cannot extend; add ${renderBound(factoryBound, 'ms')} by hand`);
        } else if (factoryBound?.kind === 'fetch-option') {
          // redaxios: a custom `fetch` at creation is the only bound, and its calls would drop a signal, so the
          // reason is the template's own rather than "pass a signal on each call".
          result = resultOf(boundEdits(descriptor, factoryBound, context), `added ${renderBound(factoryBound, 'ms')} to the ${what} config`, `${what} already has a custom fetch; check that it adds a deadline`);
        } else {
          result = resultOf(
            boundEveryInstanceCall(descriptor, boundCall, what),
            `added ${renderBound(family.bound, 'ms')} to every call on the ${what} instance in this file`,
            `every call on the ${what} instance already has the bound this transform adds`,
          );
        }
      }
      return result.action === 'fixed' && renderingRule ? renderingRule(result, site, context) : result;
    },
  };
}
