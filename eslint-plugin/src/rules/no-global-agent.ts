import { mayContainRequests } from '../detection/candidate-text.js';
import { isTestDouble } from '../detection/test-doubles.js';
import { globalAgentApis } from '../knowledge/global-state.js';
import { DEFAULT_TEST_FILE_PATTERNS } from '../knowledge/test-files.js';
import { createRule } from '../util/create-rule.js';
import { reportRestrictedReferences, restrictedMessages, type RestrictedMessageId } from '../util/report-restricted.js';
import { fileMatchesAnyGlob, type PresetRestrictedApi } from '../util/restricted-api.js';

export type Options = [{ allow?: string[]; ignoreTestFiles?: boolean; testFilePatterns?: string[] }];

const activeByAllowList = new Map<string, readonly PresetRestrictedApi[]>();

/** One stable list per `allow` setting, so the engine compiles its trace maps once, not per file. */
function activeApis(allow: readonly string[]): readonly PresetRestrictedApi[] {
  const key = [...allow].sort().join('\n');
  let active = activeByAllowList.get(key);
  if (!active) {
    active = globalAgentApis.filter((api) => !allow.includes(api.id));
    activeByAllowList.set(key, active);
  }
  return active;
}
export type MessageIds = RestrictedMessageId;

export default createRule<Options, MessageIds>({
  name: 'no-global-agent',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow reading or replacing process-wide HTTP agents and dispatchers',
      recommended: 'recommended',
      requiresTypeChecking: false,
    },
    messages: restrictedMessages,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allow: {
            type: 'array',
            uniqueItems: true,
            items: { type: 'string', enum: globalAgentApis.map((api) => api.id) },
            description: 'APIs this rule stops reporting everywhere it applies. To allow them in a single entry-point file, turn the rule off for that file with a `files` override instead.',
          },
          ignoreTestFiles: {
            type: 'boolean',
            description: 'Skip files that match `testFilePatterns` (default `true`). Replacing a global with a test double is never reported, in any file.',
          },
          testFilePatterns: {
            type: 'array',
            uniqueItems: true,
            items: { type: 'string', minLength: 1 },
            description: `Globs, relative to the ESLint working directory, of the files \`ignoreTestFiles\` skips; they replace the defaults: ${DEFAULT_TEST_FILE_PATTERNS.map((glob) => `\`${glob}\``).join(', ')}.`,
          },
        },
      },
    ],
  },
  defaultOptions: [{ allow: [], ignoreTestFiles: true, testFilePatterns: [...DEFAULT_TEST_FILE_PATTERNS] }],
  // References resolve by name alone, types or not: the knowledge base's filter is sound in typed mode too.
  candidateText: () => mayContainRequests,
  create(context, [{ allow = [], ignoreTestFiles = true, testFilePatterns = DEFAULT_TEST_FILE_PATTERNS }]) {
    // A test process is not the production process whose shared agents the rule protects.
    if (ignoreTestFiles && fileMatchesAnyGlob(context.filename, context.cwd, testFilePatterns)) return {};
    const active = activeApis(allow);
    return {
      'Program:exit'() {
        // A double replaces the API only for the test that installs it, whichever file it is written in.
        reportRestrictedReferences(context, active, { ignoresWrittenValue: (value) => isTestDouble(context.sourceCode, value) });
      },
    };
  },
});
