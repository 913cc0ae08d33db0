import type { Transform } from './types.js';

/**
 * `no-disabled-timeout`'s findings: a timer switched off (`0`, `Infinity`, `false`, `null`, `undefined`,
 * by the knowledge base's `disablesTimer`) in any family's options, an undici dispatcher constructor,
 * `axios.defaults.timeout = 0`, `req.setTimeout(0)` or `AbortSignal.timeout(Infinity)` becomes the configured
 * deadline. The value comes from the finding's descriptor; a shared constant is changed where it is declared.
 */
export const disabledTimeoutTransform: Transform = {
  name: 'disabled-timeout',
  appliesTo(site) {
    return site.ruleId === 'no-disabled-timeout' && site.descriptor !== undefined;
  },
  fix(site, _node, context) {
    const culprit = site.descriptor?.culprit;
    if (!culprit) return { action: 'unfixable', reason: 'the plugin recorded no timeout value for this finding' };
    const text = context.sourceFile.getFullText().slice(culprit.value[0], culprit.value[1]);
    if (culprit.kind !== 'disabled-value' || !culprit.valueDisables || !culprit.valueWrittenHere) {
      return {
        action: 'unfixable',
        reason: `the timeout is ${text}: change it where it is defined (a shared constant, or a value above maxMs that needs a decision)`,
      };
    }
    return {
      action: 'fixed',
      reason: `replaced the disabled timeout ${text} with ${context.timeoutText}`,
      edits: [{ start: culprit.value[0], end: culprit.value[1], text: context.timeoutText }],
    };
  },
};
