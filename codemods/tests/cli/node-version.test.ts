import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { createAbortSignalAnyResolver, supportsAbortSignalAny } from '../../src/node-version.js';

const root = mkdtempSync(join(tmpdir(), 'bounded-http-node-version-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function manifest(folder: string, contents: object): void {
  mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, folder, 'package.json'), JSON.stringify(contents));
}

describe('AbortSignal.any availability (fix decides whether it may combine signals)', () => {
  it.each([
    ['>=20.19', true],
    ['^18.17.0 || >=20.3', true],
    ['>=18', false],
    ['>=20.0.0', false],
    ['22', true],
  ])('engines.node %s -> %s', (range, expected) => {
    expect(supportsAbortSignalAny(range)).toBe(expected);
  });

  it('reads engines.node from the nearest package.json that states it, and says no when none does', () => {
    manifest('modern', { engines: { node: '>=20.19' } });
    manifest('modern/packages/web', { name: 'web' });
    manifest('legacy', { engines: { node: '>=16' } });
    mkdirSync(join(root, 'unknown'), { recursive: true });
    const allowAbortSignalAny = createAbortSignalAnyResolver(undefined);
    expect(allowAbortSignalAny(join(root, 'modern/src/client.ts'))).toBe(true);
    expect(allowAbortSignalAny(join(root, 'modern/packages/web/src/app.ts'))).toBe(true);
    expect(allowAbortSignalAny(join(root, 'legacy/index.js'))).toBe(false);
    expect(allowAbortSignalAny(join(root, 'unknown/index.js'))).toBe(false);
  });

  it('lets --node-version override every package.json', () => {
    expect(createAbortSignalAnyResolver('>=16')(join(root, 'modern/src/client.ts'))).toBe(false);
    expect(createAbortSignalAnyResolver('20.11.0')(join(root, 'legacy/index.js'))).toBe(true);
  });
});
