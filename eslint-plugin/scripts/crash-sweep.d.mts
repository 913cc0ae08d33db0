// Types for the plain-JS crash sweep, so the vitest test that drives it is type-checked.
import type { Linter } from 'eslint';

export interface RuleCrash {
  readonly file: string;
  readonly ruleId: string;
  readonly message: string;
  readonly stack: string;
}

export interface SweepSummary {
  readonly covered: number;
  readonly parseErrors: number;
  readonly unreadable: number;
  readonly crashes: readonly RuleCrash[];
}

export function collectFiles(roots: readonly string[]): string[];
export function repositoryNodeModules(): string[];
export function sweepInProcess(files: readonly string[], options?: { readonly extraConfigs?: readonly Linter.Config[] }): SweepSummary;
export function sweepFiles(
  files: readonly string[],
  options?: { readonly workers?: number; readonly onProgress?: (done: number) => void },
): Promise<SweepSummary>;
