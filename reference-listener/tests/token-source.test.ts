import { describe, expect, it } from 'vitest';

import { AccessTokenSource, type AccessToken } from '../src/token-source.js';

function exchangerAt(clock: { now: number }, lifetimeMs: number) {
  const issued: AccessToken[] = [];
  return {
    issued,
    exchangeToken: async (): Promise<AccessToken> => {
      await Promise.resolve();
      const token = { value: `token-${issued.length + 1}`, expiresAtMs: clock.now + lifetimeMs };
      issued.push(token);
      return token;
    },
  };
}

describe('AccessTokenSource', () => {
  it('reuses a token, and exchanges a new one before (not after) it expires', async () => {
    const clock = { now: 0 };
    const exchanger = exchangerAt(clock, 600_000);
    const tokens = new AccessTokenSource(exchanger, { now: () => clock.now, refreshBeforeExpiryMs: 60_000 });
    expect((await tokens.current()).value).toBe('token-1');
    clock.now = 539_999;
    expect((await tokens.current()).value).toBe('token-1');
    clock.now = 540_000;
    expect((await tokens.current()).value).toBe('token-2');
    expect(clock.now).toBeLessThan(600_000);
  });

  it('refreshes a short-lived token at half its lifetime rather than never using it', async () => {
    const clock = { now: 0 };
    const exchanger = exchangerAt(clock, 10_000);
    const tokens = new AccessTokenSource(exchanger, { now: () => clock.now, refreshBeforeExpiryMs: 60_000 });
    await tokens.current();
    clock.now = 4_999;
    expect((await tokens.current()).value).toBe('token-1');
    clock.now = 5_000;
    expect((await tokens.current()).value).toBe('token-2');
  });

  it('shares one exchange between concurrent callers and exchanges again after invalidate()', async () => {
    const clock = { now: 0 };
    const exchanger = exchangerAt(clock, 600_000);
    const seen: string[] = [];
    const tokens = new AccessTokenSource(exchanger, { now: () => clock.now, onToken: (token) => seen.push(token.value) });
    const [a, b] = await Promise.all([tokens.current(), tokens.current()]);
    expect(a).toBe(b);
    tokens.invalidate();
    expect((await tokens.current()).value).toBe('token-2');
    expect(seen).toEqual(['token-1', 'token-2']);
  });
});
