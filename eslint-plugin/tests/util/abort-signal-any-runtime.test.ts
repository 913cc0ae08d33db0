/**
 * The range that decides whether suggestions and `fix` may write `AbortSignal.any([signal,
 * AbortSignal.timeout(ms)])` is a measurement, not a changelog reading: this runs the probe on the Node that runs
 * the tests and checks the range agrees with it. scripts/abort-signal-any/versions.mjs does the same across
 * release lines.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { ABORT_SIGNAL_ANY_KEEPS_DEADLINE, rangeAllowsAbortSignalAny } from '../../src/util/node-target.js';

const probe = fileURLToPath(new URL('../../../scripts/abort-signal-any/probe.mjs', import.meta.url));

describe(`AbortSignal.any keeps its deadline on ${process.version} (range: ${ABORT_SIGNAL_ANY_KEEPS_DEADLINE})`, () => {
  it('exactly when the range says so, measured with garbage collections while requests wait', { timeout: 30_000 }, () => {
    const output = execFileSync(process.execPath, ['--expose-gc', probe], { encoding: 'utf8' });
    const measured = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { keepsDeadline?: boolean; handPattern?: boolean };
    // The hand pattern the docs give for older Node (a listener on the timeout signal) must hold everywhere.
    expect({ node: process.version, ...measured }).toMatchObject({ node: process.version, keepsDeadline: rangeAllowsAbortSignalAny(process.version), handPattern: true });
  });
});
