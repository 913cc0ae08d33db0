import { describe, it } from 'vitest';

import { type AdoptionSetup, checkAdoptionSetup, eslintVersions } from './support/adoption-lint.js';
import { repoPath } from './support/repo-paths.js';

// docs/adoption.md's eslint.config.js for Vue single-file components (copied verbatim from test/fixtures/adoption/vue, which the
// code-block test enforces), loaded by ESLint 9 and 10 from its own folder with the real vue-eslint-parser. One
// snippet per file: typescript-eslint keeps per-process state about tsconfig roots, as a real repository (one
// config) never shares.
const setup: AdoptionSetup = {
  name: 'Vue single-file components',
  folder: repoPath('test', 'fixtures', 'adoption', 'vue'),
  file: 'Items.vue',
  preset: 'recommended',
  findings: ['5 bounded-http/no-unbounded-fetch'],
};

describe.each(eslintVersions)('the vue adoption snippet under $name', ({ create }) => {
  it('loads the preset and lints the component', { timeout: 90_000 }, async () => {
    await checkAdoptionSetup(create(setup.folder), setup);
  });
});
