import { describe, it } from 'vitest';

import { type AdoptionSetup, checkAdoptionSetup, eslintVersions } from './support/adoption-lint.js';
import { repoPath } from './support/repo-paths.js';

// docs/adoption.md tells users to write these eslint.config.js files (the page copies them verbatim from
// test/fixtures/adoption/, which the code-block test enforces). Here they are loaded by ESLint 9 and ESLint 10 as a
// user's repository would load them, from their own folder, resolving the plugin by its package name. The
// type-checked snippet has its own test file: typescript-eslint's parser keeps per-process state about tsconfig
// roots, which a real repository (one config) never shares with another.

const setups: AdoptionSetup[] = [
  { name: 'plain JavaScript', folder: repoPath('test', 'fixtures', 'adoption'), file: 'service.js', preset: 'recommended', findings: ['3 bounded-http/no-unbounded-fetch'] },
  {
    name: 'TypeScript with typescript-eslint',
    folder: repoPath('test', 'fixtures', 'adoption', 'typescript'),
    file: 'service.ts',
    preset: 'recommended',
    findings: ['3 bounded-http/no-unbounded-fetch'],
  },
];

describe.each(eslintVersions)('the adoption snippets under $name', ({ create }) => {
  // Loading typescript-eslint cold takes seconds on a shared machine; the timeout is headroom only.
  it.each(setups)('$name: loads the preset and lints the file', { timeout: 90_000 }, async (setup) => {
    await checkAdoptionSetup(create(setup.folder), setup);
  });
});
