/**
 * The vocabulary the main thread and the analysis threads share: what to do with a file, and what came of it.
 * Plain data (it crosses into worker threads), and nothing here loads ESLint, the parser or ts-morph, so the
 * modules of the main thread can use it and stay free of them (a test checks their import graph).
 */
import type { Linter } from 'eslint';

import type { FixOptions } from './fix-file.js';
import { toReportPath, type FileRecord } from './report.js';
import { describeError } from './usage-error.js';

export type RuleConfig = 'recommended' | 'strict';

/** What to do with each file. */
export type FileTask =
  | {
      command: 'audit';
      config: RuleConfig;
      opaqueOptions?: 'ignore' | 'report';
      typeAware?: boolean;
      /** `--engine`: who hosts the rules. `oxlint` hands some files back to ESLint (see oxlint/engine.ts). */
      engine?: 'eslint' | 'oxlint';
    }
  | {
      command: 'fix';
      /** `--type-aware`: find the sites with type information, as recommended-type-checked does. */
      typeAware?: boolean;
      fixOptions: Omit<FixOptions, 'allowAbortSignalAny'>;
      /** `--node-version`; otherwise engines.node of the nearest package.json decides per file. */
      nodeVersion?: string;
      dryRun: boolean;
    };

export interface FileJob {
  /** Absolute path. */
  path: string;
  /** The repo root the file is summarised under. */
  repo: string;
  /** `--eslint-config`: the bounded-http rules the target's config turns on for this file, instead of the preset. */
  rules?: Linter.RulesRecord;
}

export interface FileOutcome {
  record: FileRecord;
  /** fix: the new text to write (the main thread writes it, atomically). */
  newText?: string;
  /** fix: the unsuppressed sites left if `newText` cannot be written (the file then stays as it was). */
  remainingIfUnwritten?: number;
  /** fix --dry-run: the unified diff of the change. */
  diff?: string;
}

/** A `failed` outcome whose error names the file, what was being done and why it failed. */
export function failedOutcome(job: FileJob, stage: string, error: unknown): FileOutcome {
  const path = toReportPath(job.repo, job.path);
  const reason = describeError(error);
  // The engine's errors may already start with the file and position: keep those, in report form.
  const message = reason.startsWith(`${job.path}:`) ? `${path}${reason.slice(job.path.length)}` : `${path}: ${stage}: ${reason}`;
  return { record: { path, repo: job.repo, status: 'failed', sites: [], error: message } };
}
