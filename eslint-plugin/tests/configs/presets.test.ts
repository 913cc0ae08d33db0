import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';

describe('presets built from meta.docs', () => {
  const recommended = plugin.configs.recommended.rules ?? {};
  const strict = plugin.configs.strict.rules ?? {};
  const all = plugin.configs.all.rules ?? {};

  it('recommended turns on the recommended core rules with their defaults, and not the strict-only one', () => {
    for (const rule of ['no-unbounded-fetch', 'no-unbounded-node-request', 'no-unbounded-client', 'no-disabled-timeout']) {
      expect(recommended[`bounded-http/${rule}`], rule).toBe('error');
    }
    expect(recommended).not.toHaveProperty(['bounded-http/no-idle-only-timeout']);
  });

  it('strict requires a deadline-carrying signal and adds no-idle-only-timeout', () => {
    for (const rule of ['no-unbounded-fetch', 'no-unbounded-node-request', 'no-unbounded-client', 'no-idle-only-timeout']) {
      expect(strict[`bounded-http/${rule}`], rule).toEqual(['error', { requireDeadlineSignal: true }]);
    }
    expect(strict['bounded-http/no-disabled-timeout']).toBe('error');
  });

  it('all holds every registered rule', () => {
    expect(Object.keys(all).sort()).toEqual(Object.keys(plugin.rules ?? {}).map((rule) => `bounded-http/${rule}`).sort());
  });
});
