// eslint-doc-generator reads the BUILT plugin (package.json "exports"), so run `npm run build` first.
// `npm run docs:rules` regenerates; a vitest test runs it with `--check` so stale docs fail `npm test`.
/** @type {import('eslint-doc-generator').GenerateOptions} */
const config = {
  configEmoji: [
    ['recommended', '✅'],
    ['strict', '🔒'],
  ],
  // `all` turns on every rule; a column for it says nothing.
  ignoreConfig: ['all'],
  ruleDocNotices: ['description', 'configs', 'hasSuggestions', 'requiresTypeChecking', 'options'],
  ruleDocTitleFormat: 'desc-parens-prefix-name',
  ruleListColumns: ['name', 'description', 'configsError', 'hasSuggestions', 'requiresTypeChecking'],
  urlConfigs: 'https://github.com/bounded-http/bounded-http/blob/main/eslint-plugin/README.md#configs',
};

export default config;
