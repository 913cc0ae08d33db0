/**
 * The plugin as `bounded-http audit --engine oxlint` hands it to oxlint (`jsPlugins`): the same rules, each
 * wrapped so that, once a file is linted, the site descriptors its findings recorded (client family, message
 * id, reported range) are appended as one JSON line to the file `BOUNDED_HTTP_OXLINT_SITES` names. oxlint's
 * JSON output carries the message and position but neither the family nor the message id, and the report of
 * either engine must be the same document. Runs inside oxlint's JavaScript host, one process per run.
 */
import boundedHttp from 'eslint-plugin-bounded-http';
import { siteDescriptorsOf } from 'eslint-plugin-bounded-http/detection';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Listener = (node: unknown) => void;
interface RuleContext {
  readonly filename: string;
  readonly sourceCode: object;
}
interface Rule {
  readonly meta?: object;
  create(context: RuleContext): Record<string, Listener>;
}

/** One line per file and rule: what the engine reads back (see engine.ts). */
export interface SitesLine {
  /** Absolute: resolved in oxlint's process, whose cwd is the repository's root. */
  readonly file: string;
  readonly sites: readonly { ruleId: string; messageId: string; range: readonly [number, number]; familyId: string | null }[];
}

const sitesFile = process.env['BOUNDED_HTTP_OXLINT_SITES'];

function wrap(rule: Rule): Rule {
  return {
    ...(rule.meta ? { meta: rule.meta } : {}),
    create(context) {
      const listeners = rule.create(context);
      if (sitesFile === undefined) return listeners;
      const ownExit = listeners['Program:exit'];
      return {
        ...listeners,
        'Program:exit'(node: unknown) {
          ownExit?.(node);
          const sites = siteDescriptorsOf(context.sourceCode).map((descriptor) => ({ ruleId: descriptor.ruleId, messageId: descriptor.messageId, range: descriptor.range, familyId: descriptor.familyId }));
          if (sites.length > 0) appendFileSync(sitesFile, `${JSON.stringify({ file: resolve(context.filename), sites } satisfies SitesLine)}\n`);
        },
      };
    },
  };
}

const rules = Object.fromEntries(Object.entries(boundedHttp.rules ?? {}).map(([name, rule]) => [name, wrap(rule as unknown as Rule)]));

export default { meta: { name: 'bounded-http' }, rules };
