import { join } from 'node:path';

import { discoverFiles } from './discover-files.js';
import type { FileJob, FileOutcome, FileTask } from './file-job.js';
import { createProgress } from './progress.js';
import { reportSchemaVersion, summarise, toReportPath, type Command, type FileRecord, type Report } from './report.js';
import { groupByRepo, type RepoGroup } from './repo-root.js';
import { describeError } from './usage-error.js';
import type { TargetConfig } from './target-config.js';
import { processFiles } from './workers.js';
import { toolVersion } from './cli-options.js';

export interface RunResult {
  timing: Report['timing'];
  groups: RepoGroup[];
  /** In repository order, then by path. */
  records: FileRecord[];
  /** Files that `select` left out, by reason. */
  leftOut?: Report['leftOut'];
}

/** Whether some file could not be processed (failed, or skipped as not UTF-8 or read-only): the run exits 3. */
export function leftUnprocessed(records: readonly FileRecord[]): boolean {
  return records.some((record) => record.status === 'failed' || record.status === 'skipped');
}

/** The absolute path of a record's file. */
export function recordFilePath(record: FileRecord): string {
  return join(record.repo, record.path);
}

/**
 * Discovers the files under every path, analyses them (on worker threads when jobs > 1) and hands each
 * outcome to `onOutcome` on this thread as it arrives: analysis runs in parallel, side effects do not.
 */
export async function runOnFiles(options: {
  command: Command;
  paths: readonly string[];
  task: FileTask;
  jobs: number;
  quiet: boolean;
  onOutcome?: (outcome: FileOutcome) => void;
  /** `--ignore-pattern` / `--eslint-config`: which discovered files are linted, and with which rules. */
  select?: TargetConfig;
  /** Called with the jobs once selected, before any is processed: may refuse the run (a usage error). */
  beforeProcessing?: (jobs: readonly FileJob[]) => void;
}): Promise<RunResult> {
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const groups = groupByRepo(options.paths);
  const records: FileRecord[] = [];
  const jobs: FileJob[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    for (const path of group.paths) {
      let files: string[];
      try {
        files = discoverFiles(path, group.root);
      } catch (error) {
        const shown = toReportPath(group.root, path) || '.';
        records.push({ path: shown, repo: group.root, status: 'failed', sites: [], error: `${shown}: could not list the files: ${describeError(error)}` });
        continue;
      }
      for (const file of files) {
        if (seen.has(file)) continue;
        seen.add(file);
        jobs.push({ path: file, repo: group.root });
      }
    }
  }

  let leftOut: Report['leftOut'];
  if (options.select) {
    leftOut = { files: 0, byReason: {} };
    const selected: FileJob[] = [];
    for (const job of jobs) {
      const selection = await options.select.select(job.path, job.repo);
      if (selection.kind === 'ignored') {
        leftOut.files += 1;
        leftOut.byReason[selection.why] = (leftOut.byReason[selection.why] ?? 0) + 1;
      } else {
        selected.push(selection.rules ? { ...job, rules: selection.rules } : job);
      }
    }
    jobs.splice(0, jobs.length, ...selected);
  }
  options.beforeProcessing?.(jobs);

  const progress = createProgress({ label: `bounded-http ${options.command}`, total: jobs.length, quiet: options.quiet });
  const analysisThreads = await processFiles(jobs, options.task, options.jobs, (outcome) => {
    options.onOutcome?.(outcome);
    records.push(outcome.record);
    progress.advance();
  });
  progress.done();

  const repoOrder = new Map(groups.map((group, index) => [group.root, index]));
  records.sort((a, b) => {
    const byRepo = (repoOrder.get(a.repo) ?? 0) - (repoOrder.get(b.repo) ?? 0);
    if (byRepo !== 0) return byRepo;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
  const cpu = process.cpuUsage(cpuAtStart);
  return { groups, records, ...(leftOut ? { leftOut } : {}), timing: { elapsedMs: Math.round(performance.now() - startedAt), cpuMs: Math.round((cpu.user + cpu.system) / 1000), analysisThreads } };
}

export function buildReport(input: {
  command: Command;
  dryRun: boolean;
  options: Report['options'];
  result: RunResult;
  exitCode: number;
}): Report {
  const { groups, records } = input.result;
  return {
    schemaVersion: reportSchemaVersion,
    tool: { name: 'bounded-http', version: toolVersion },
    command: input.command,
    dryRun: input.dryRun,
    options: input.options,
    exitCode: input.exitCode,
    timing: input.result.timing,
    repos: groups.map((group) => ({
      root: group.root,
      isGitRepo: group.isGitRepo,
      ...summarise(records.filter((record) => record.repo === group.root)),
    })),
    totals: summarise(records),
    files: records,
    ...(input.result.leftOut ? { leftOut: input.result.leftOut } : {}),
  };
}
