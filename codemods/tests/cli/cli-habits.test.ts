import { afterAll, describe, expect, it } from 'vitest';

import { makeFolder, makeRepo, removeTemporaryFolders, runCli } from './support/cli-harness.js';

// One spelling of the preset on both commands, and a "did you mean" for a mistyped flag, with the
// usage exit code and nothing scanned.

afterAll(removeTemporaryFolders);

describe('bounded-http command-line habits', { timeout: 60_000 }, () => {
  it.each([
    [['audit', '--formt', 'json'], '--format'],
    [['audit', '--baselin', 'b.json'], '--baseline'],
    [['fix', '--dryrun'], '--dry-run'],
    [['fix', '--timeout-msec', '5000'], '--timeout-ms'],
    [['report', 'merge', '--outptu', 'x.html'], '--output'],
  ])('%j suggests %s', (args, meant) => {
    const result = runCli(args, { cwd: makeFolder({}) });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`did you mean ${meant}?`);
  });

  it('does not guess for a flag that resembles none', () => {
    const result = runCli(['audit', '--verbose'], { cwd: makeFolder({}) });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown option --verbose');
    expect(result.stderr).not.toContain('did you mean');
  });

  it('takes --config on fix as on audit, with --strict as its alias', () => {
    const idleOnly = "import axios from 'axios';\nexport const load = (url: string) => axios.get(url, { timeout: 5_000 });\n";
    const repo = makeRepo({ 'src/load.ts': idleOnly });
    const recommended = runCli(['fix', '--dry-run', '--quiet', '--report', 'r.json'], { cwd: repo });
    const strict = runCli(['fix', '--dry-run', '--quiet', '--config', 'strict'], { cwd: repo });
    const alias = runCli(['fix', '--dry-run', '--quiet', '--strict'], { cwd: repo });
    expect(recommended.status).toBe(0);
    expect(recommended.stdout).toBe('');
    expect(strict.stdout).toContain('+');
    expect(alias.stdout).toBe(strict.stdout);
    const clash = runCli(['fix', '--strict', '--config', 'recommended'], { cwd: repo });
    expect(clash.status).toBe(2);
    expect(clash.stderr).toContain('--strict and --config recommended disagree');
  });
});
