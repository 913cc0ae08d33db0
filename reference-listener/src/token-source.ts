// The access token concern: exchange the client assertion for a token, reuse it, and exchange again
// *before* it expires, so a request never leaves with a token that dies in flight.
import type { AccessToken } from './broker-client.js';

export type { AccessToken };

/** The one broker call this concern needs; the listener's broker client satisfies it. */
export interface TokenExchanger {
  exchangeToken(signal?: AbortSignal): Promise<AccessToken>;
}

export interface AccessTokenSourceOptions {
  /** Exchange again this long before expiry (capped at half the token's lifetime, for short-lived tokens). */
  refreshBeforeExpiryMs?: number;
  now?: () => number;
  /** Told about every new token, so logs can scrub it. */
  onToken?: (token: AccessToken) => void;
}

export class AccessTokenSource {
  private readonly exchanger: TokenExchanger;
  private readonly refreshBeforeExpiryMs: number;
  private readonly now: () => number;
  private readonly onToken: ((token: AccessToken) => void) | undefined;
  private token: { value: AccessToken; refreshAtMs: number } | undefined;
  private inFlight: Promise<AccessToken> | undefined;

  constructor(exchanger: TokenExchanger, options: AccessTokenSourceOptions = {}) {
    this.exchanger = exchanger;
    this.refreshBeforeExpiryMs = options.refreshBeforeExpiryMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.onToken = options.onToken;
  }

  /** A token valid for a while yet; exchanges a new one when the cached one is near expiry. */
  async current(signal?: AbortSignal): Promise<AccessToken> {
    if (this.token !== undefined && this.now() < this.token.refreshAtMs) return this.token.value;
    // Concurrent callers share one exchange rather than each asking the broker.
    this.inFlight ??= this.exchange(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forget the cached token after the broker said 401, so the next call exchanges a fresh one. */
  invalidate(): void {
    this.token = undefined;
  }

  private async exchange(signal?: AbortSignal): Promise<AccessToken> {
    const issuedAtMs = this.now();
    const value = await this.exchanger.exchangeToken(signal);
    this.onToken?.(value);
    const lifetimeMs = Math.max(0, value.expiresAtMs - issuedAtMs);
    const refreshAtMs = value.expiresAtMs - Math.min(this.refreshBeforeExpiryMs, lifetimeMs / 2);
    this.token = { value, refreshAtMs };
    return value;
  }
}
