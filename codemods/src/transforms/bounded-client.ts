import path from 'node:path';
import { Node } from 'ts-morph';

import type { Transform, TransformContext } from './types.js';
import { replaceNode } from './util/edits.js';
import { nodeAtRange } from './util/syntax.js';

const withoutExtension = (file: string): string => file.replace(/\.[cm]?[jt]sx?$/u, '');

/** The file is the client's own module, or declares the client itself: its fetch calls are the client's internals. */
function definesClient(context: TransformContext): boolean {
  const client = context.client;
  if (!client) return false;
  if (client.modulePath !== '' && withoutExtension(path.resolve(context.filePath)) === withoutExtension(client.modulePath)) return true;
  return context.sourceFile
    .getStatements()
    .some(
      (statement) =>
        (Node.isFunctionDeclaration(statement) && statement.getName() === client.name) ||
        (Node.isVariableStatement(statement) && statement.getDeclarations().some((declaration) => declaration.getName() === client.name)),
    );
}

/**
 * `--client "boundedFetch from ./src/lib/http.js"`: the bounded-by-default client retrofit. fetch calls become
 * calls of the repo's own client, imported with the right relative path (or reusing an existing import);
 * the files that define the client are left alone. `new Request(...)` still gets an inline signal.
 */
export const boundedClientTransform: Transform = {
  name: 'bounded-client',
  appliesTo(site, _node, context) {
    return context.client !== undefined && site.ruleId === 'no-unbounded-fetch' && site.descriptor?.familyId === 'fetch' && site.descriptor.role === 'call';
  },
  fix(site, _node, context) {
    const client = context.client;
    const range = site.descriptor?.range;
    const call = range ? nodeAtRange(context.sourceFile, range[0], range[1]) : undefined;
    if (!client || !call || !Node.isCallExpression(call)) return { action: 'unfixable', reason: 'no fetch call found at the reported location' };
    if (definesClient(context)) {
      return { action: 'skipped', reason: `this file defines the bounded client ${client.name}; its own fetch calls are left alone` };
    }
    const callee = call.getExpression();
    return {
      action: 'fixed',
      reason: `${callee.getText()}(...) now goes through the bounded client ${client.name}`,
      edits: [replaceNode(callee, client.name)],
      imports: [{ name: client.name, from: client.from }],
    };
  },
};
