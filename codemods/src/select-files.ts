/**
 * The target-selection flags turned into what runOnFiles takes: a `select` (ESLint's own ignore and config
 * matching, loaded only when `--ignore-pattern` or `--eslint-config` is given, so a plain run never loads
 * ESLint on the main thread) and the `--type-aware` check that refuses a run with no tsconfig.json.
 */
import type { TargetFlags } from './cli-options.js';
import type { FileJob } from './file-job.js';
import type { TargetConfig } from './target-config.js';
import { requireTypeScriptProject } from './type-aware.js';

export async function selectionFor(flags: TargetFlags): Promise<{ select?: TargetConfig; beforeProcessing?: (jobs: readonly FileJob[]) => void }> {
  const selection: { select?: TargetConfig; beforeProcessing?: (jobs: readonly FileJob[]) => void } = {};
  if (flags.ignorePatterns.length > 0 || flags.eslintConfig !== undefined) {
    const { createTargetConfig } = await import('./target-config.js');
    selection.select = createTargetConfig({ ignorePatterns: flags.ignorePatterns, eslintConfig: flags.eslintConfig, cwd: process.cwd() });
  }
  if (flags.typeAware) selection.beforeProcessing = requireTypeScriptProject;
  return selection;
}

/** The flags as the report's `options` records them. */
export function targetReportOptions(flags: TargetFlags): Record<string, string | boolean | string[]> {
  return {
    ...(flags.ignorePatterns.length > 0 ? { ignorePatterns: flags.ignorePatterns } : {}),
    ...(flags.eslintConfig === undefined ? {} : { eslintConfig: flags.eslintConfig === true ? 'eslint.config.* of each repository' : flags.eslintConfig }),
    ...(flags.typeAware ? { typeAware: true } : {}),
  };
}
