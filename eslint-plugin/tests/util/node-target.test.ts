import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { nodeTargetOf, parseNodeRange, rangeAllowsAbortSignalAny, targetAllowsAbortSignalAny } from '../../src/util/node-target.js';

const root = mkdtempSync(join(tmpdir(), 'bounded-http-node-target-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function manifest(folder: string, contents: object): void {
  mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, folder, 'package.json'), JSON.stringify(contents));
}

describe('AbortSignal.any keeping a deadline (rules and fix decide whether they may combine signals)', () => {
  it.each([
    // It exists there, but a garbage collection loses the AbortSignal.timeout inside it (nodejs/node#57736).
    ['>=20.19', false],
    ['^18.17.0 || >=20.3', false],
    ['>=18', false],
    ['22', false],
    ['>=22.16', false], // admits 23.x, where it loses the deadline too
    ['^22.16.0 || >=24', true],
    ['>=24', true],
    ['24.1.0', true],
    ['not a range', false],
  ])('engines.node %s -> %s', (range, expected) => {
    expect(rangeAllowsAbortSignalAny(range)).toBe(expected);
  });

  it('reads engines.node from the nearest package.json that states it, and says no when none does', () => {
    manifest('modern', { engines: { node: '>=24' } });
    manifest('legacy', { engines: { node: '>=16' } });
    mkdirSync(join(root, 'unknown'), { recursive: true });
    expect(targetAllowsAbortSignalAny(join(root, 'modern/src/client.ts'), undefined)).toBe(true);
    expect(targetAllowsAbortSignalAny(join(root, 'legacy/index.js'), undefined)).toBe(false);
    expect(targetAllowsAbortSignalAny(join(root, 'unknown/index.js'), undefined)).toBe(false);
  });

  it('lets a workspace package without engines inherit them from the workspace root', () => {
    manifest('workspace', { private: true, workspaces: ['packages/*'], engines: { node: '^22.16 || >=24' } });
    manifest('workspace/packages/web', { name: 'web' });
    expect(nodeTargetOf(join(root, 'workspace/packages/web/src/app.ts'))).toBe('>=22.16.0 <23.0.0-0||>=24.0.0');
    expect(targetAllowsAbortSignalAny(join(root, 'workspace/packages/web/src/app.ts'), undefined)).toBe(true);
  });

  it('stops at the workspace root: engines above it do not apply', () => {
    manifest('outer', { engines: { node: '>=22' } });
    manifest('outer/repo', { private: true, workspaces: ['packages/*'] });
    manifest('outer/repo/packages/api', { name: 'api' });
    expect(nodeTargetOf(join(root, 'outer/repo/packages/api/index.ts'))).toBeNull();
  });

  it('stops at the repository root (a folder holding .git)', () => {
    manifest('outside', { engines: { node: '>=22' } });
    mkdirSync(join(root, 'outside/checkout/.git'), { recursive: true });
    manifest('outside/checkout', { name: 'checkout' });
    expect(nodeTargetOf(join(root, 'outside/checkout/src/index.ts'))).toBeNull();
  });

  it('skips an engines.node that is no valid range, as if it were absent', () => {
    manifest('typo', { engines: { node: '>=20.19' } });
    manifest('typo/packages/a', { engines: { node: 'latest and greatest' } });
    expect(nodeTargetOf(join(root, 'typo/packages/a/index.ts'))).toBe('>=20.19.0');
  });

  it('lets an override (targetNodeVersion, --node-version) win over every package.json', () => {
    expect(targetAllowsAbortSignalAny(join(root, 'modern/src/client.ts'), '>=16')).toBe(false);
    expect(targetAllowsAbortSignalAny(join(root, 'legacy/index.js'), '24.11.0')).toBe(true);
    expect(targetAllowsAbortSignalAny(join(root, 'legacy/index.js'), '20.11.0')).toBe(false);
    expect(parseNodeRange('>=20.19')).toBe('>=20.19.0');
    expect(parseNodeRange('soon')).toBeUndefined();
  });
});
