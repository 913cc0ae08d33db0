import { afterAll, describe, expect, it } from 'vitest';

import { cliTestOptions, makeFolder, removeTemporaryFolders, runCli, stackTraceLine } from './support/cli-harness.js';

afterAll(removeTemporaryFolders);

describe('bounded-http --help', cliTestOptions, () => {
  const cwd = makeFolder({});

  it('lists the commands', () => {
    const result = runCli(['--help'], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: bounded-http <command>/);
    expect(result.stdout).toContain('audit');
    expect(result.stdout).toContain('fix');
  });

  it('documents every audit flag and the exit codes', () => {
    const result = runCli(['audit', '--help'], { cwd });
    expect(result.status).toBe(0);
    for (const flag of ['--config', '--format', '--opaque-options', '--report', '--jobs', '--quiet', '--help']) expect(result.stdout).toContain(flag);
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*0 {2}no findings[\s\S]*1 {2}findings[\s\S]*2 {2}usage error/);
  });

  it('documents every fix flag and the exit codes', () => {
    const result = runCli(['fix', '--help'], { cwd });
    expect(result.status).toBe(0);
    const flags = ['--dry-run', '--check', '--allow-dirty', '--timeout-ms', '--timeout-expr', '--timeout-import', '--client', '--transforms', '--strict', '--node-version', '--opaque-options', '--report', '--jobs', '--quiet'];
    for (const flag of flags) expect(result.stdout).toContain(flag);
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*0 {2}done[\s\S]*1 {2}with --check[\s\S]*2 {2}usage[\s\S]*3 {2}some files/);
  });

  it('answers `help <command>` like `<command> --help`', () => {
    expect(runCli(['help', 'fix'], { cwd }).stdout).toBe(runCli(['fix', '-h'], { cwd }).stdout);
  });

  it('prints usage and exits 2 without a command, and rejects an unknown one without a stack trace', () => {
    const bare = runCli([], { cwd });
    expect(bare.status).toBe(2);
    expect(bare.stdout).toContain('Usage: bounded-http');
    const unknown = runCli(['audti'], { cwd });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'audti'");
    expect(unknown.stderr).toContain('--help');
    expect(unknown.stderr).not.toMatch(stackTraceLine);
  });
});
