import { AST_NODE_TYPES } from '@typescript-eslint/types';
import * as ESLintUtils from '@typescript-eslint/utils/eslint-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';

import { reachablePattern } from '../detection/candidate-text.js';
import { type CandidateText, createRule } from '../util/create-rule.js';
import { reportRestrictedReferences, restrictedMessages, type RestrictedMessageId } from '../util/report-restricted.js';
import { anchoredPattern, fileMatchesAnyGlob, moduleSpecifierVariants, type RestrictedApi } from '../util/restricted-api.js';
import { typeMatchesSpecifier, typeOrValueSpecifierSchema, type TypeOrValueSpecifier } from '../util/type-specifier.js';

export type MessageIds = RestrictedMessageId;
export type Options = RestrictedApi[];

const restrictionSchema: JSONSchema4 = {
  type: 'object',
  additionalProperties: false,
  required: ['message'],
  description:
    'One banned API: a root (`module`, `global` or `type`) and, below it, a member `name` or `pattern`. A `module` with neither bans the whole module.',
  properties: {
    module: {
      type: 'string',
      description: 'Module specifier the API is exported from; `http` and `node:http` are the same module. Matched after resolving imports, `require` and aliases, not on local names.',
    },
    global: {
      type: 'string',
      description: 'Global variable the API hangs off (`fetch`, `Symbol`); also found through `globalThis`, `window`, `self` and `global`.',
    },
    type: {
      ...typeOrValueSpecifierSchema,
      description:
        'Needs type information. Bans the member `name`/`pattern` on any value whose type matches this typescript-eslint TypeOrValueSpecifier, e.g. `{ "from": "package", "package": "axios", "name": "AxiosInstance" }`.',
    },
    name: {
      type: 'string',
      minLength: 1,
      description: 'Dotted member path below the module or global, e.g. `globalAgent` or `defaults.timeout`; with `type`, the member name.',
    },
    pattern: {
      type: 'string',
      minLength: 1,
      description: 'Regular expression matched against the whole dotted member path (anchored), instead of `name`.',
    },
    message: { type: 'string', minLength: 1, description: 'Why the API is banned and what to use instead; shown after "use of `X` is forbidden:".' },
    allowIn: {
      type: 'array',
      items: { type: 'string' },
      description: 'Glob patterns, relative to the ESLint working directory, of files where this API is allowed (for example the entry point that configures it).',
    },
  },
  oneOf: [
    { type: 'object', required: ['module'] },
    { type: 'object', required: ['global'] },
    { type: 'object', required: ['type'] },
  ],
  not: { type: 'object', required: ['name', 'pattern'] },
};

const stableLists = new Map<string, RestrictedApi[]>();

/**
 * ESLint hands each file a fresh copy of the options; an equal list maps to one array so the engine's
 * per-list compilation is reused across files. Configurations are few, so the map stays small.
 */
function stableList(restrictions: RestrictedApi[]): RestrictedApi[] {
  const key = JSON.stringify(restrictions);
  const existing = stableLists.get(key);
  if (existing) return existing;
  stableLists.set(key, restrictions);
  return restrictions;
}

const candidateTexts = new Map<string, CandidateText>();

/**
 * The entries name their own modules and globals, so they, not the knowledge base, say which files can hold a
 * banned API. `type` entries match members of values typed in any module: with a program, every file is a
 * candidate; without one they are inactive.
 */
function restrictionCandidateText(restrictions: readonly RestrictedApi[], typed: boolean): CandidateText | undefined {
  if (typed && restrictions.some((restriction) => restriction.type !== undefined)) return undefined;
  const key = JSON.stringify(restrictions.map(({ module, global }) => [module, global]));
  let test = candidateTexts.get(key);
  if (!test) {
    const pattern = reachablePattern(
      restrictions.flatMap((restriction) => (restriction.module === undefined ? [] : moduleSpecifierVariants(restriction.module))),
      restrictions.flatMap((restriction) => (restriction.global === undefined ? [] : [restriction.global])),
    );
    test = (text) => pattern.test(text);
    candidateTexts.set(key, test);
  }
  return test;
}

interface TypedRestriction {
  readonly restriction: RestrictedApi;
  readonly type: TypeOrValueSpecifier;
  readonly matchesMember: (member: string) => boolean;
}

function specifierLabel(specifier: TypeOrValueSpecifier): string {
  if (typeof specifier === 'string') return specifier;
  return typeof specifier.name === 'string' ? specifier.name : specifier.name.join(' | ');
}

function staticMemberName(node: TSESTree.MemberExpression | TSESTree.Property): string | undefined {
  const key = node.type === AST_NODE_TYPES.MemberExpression ? node.property : node.key;
  if (!node.computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  return undefined;
}

export default createRule<Options, MessageIds>({
  name: 'no-restricted-http-api',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Ban HTTP APIs by the module, global or type they resolve to, not by local names (the forbidigo analogue)',
      recommended: 'strict',
      requiresTypeChecking: false,
    },
    messages: restrictedMessages,
    schema: { type: 'array', items: restrictionSchema },
  },
  defaultOptions: [],
  candidateText: restrictionCandidateText,
  create(context) {
    const active = stableList(context.options.filter((restriction) => !restriction.allowIn || !fileMatchesAnyGlob(context.filename, context.cwd, restriction.allowIn)));
    if (active.length === 0) return {};
    const listeners: TSESLint.RuleListener = {
      'Program:exit'() {
        reportRestrictedReferences(context, active);
      },
    };

    const typed: TypedRestriction[] = active.flatMap((restriction) => {
      if (restriction.type === undefined) return [];
      const { name, pattern } = restriction;
      const regex = pattern === undefined ? undefined : anchoredPattern(pattern);
      const matchesMember = (member: string): boolean => (regex ? regex.test(member) : member === name);
      return [{ restriction, type: restriction.type, matchesMember }];
    });
    // Other parsers (espree for .js) have no parserServices at all; getParserServices would throw there.
    if (typed.length === 0 || !context.sourceCode.parserServices?.program) return listeners;
    const services = ESLintUtils.getParserServices(context);
    const program = services.program;

    // Type queries only for members whose name some typed restriction bans: cheap name test first.
    const checkMember = (node: TSESTree.MemberExpression | TSESTree.Property, objectNode: TSESTree.Node): void => {
      const member = staticMemberName(node);
      if (member === undefined) return;
      const candidates = typed.filter((entry) => entry.matchesMember(member));
      if (candidates.length === 0) return;
      const objectType = services.getTypeAtLocation(objectNode);
      for (const { restriction, type } of candidates) {
        if (!typeMatchesSpecifier(objectType, type, program)) continue;
        context.report({ node, messageId: 'restricted', data: { api: `${specifierLabel(type)}.${member}`, message: restriction.message } });
      }
    };
    listeners.MemberExpression = (node) => checkMember(node, node.object);
    listeners['VariableDeclarator > ObjectPattern > Property'] = (node: TSESTree.Property) => {
      const declarator = node.parent.parent as TSESTree.VariableDeclarator;
      if (declarator.init) checkMember(node, declarator.init);
    };
    return listeners;
  },
});
