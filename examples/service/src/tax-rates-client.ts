// Tax rates over got.
import got from 'got';

import { CONTROL_PLANE_TIMEOUT_MS } from './config.js';
import type { TaxRate } from './model.js';

export class TaxRatesClient {
  private readonly cache = new Map<string, TaxRate>();

  constructor(private readonly baseUrl: string) {}

  /** Bounded: `timeout.request` is got's only total deadline. */
  async rateFor(region: string): Promise<TaxRate> {
    const cached = this.cache.get(region);
    if (cached !== undefined) return cached;
    const url = `${this.baseUrl}/rates/${encodeURIComponent(region)}`;
    const rate = await got.get(url, { timeout: { request: CONTROL_PLANE_TIMEOUT_MS } }).json<TaxRate>();
    this.cache.set(region, rate);
    return rate;
  }

  /** got has no timeout at all by default. */
  async listRegions(): Promise<string[]> {
    return got(`${this.baseUrl}/regions`).json<string[]>();
  }

  /** Only a phase timer: `response` bounds the wait for the first byte, not a body that trickles. */
  async exemptionsFor(customerId: string): Promise<string[]> {
    const url = `${this.baseUrl}/exemptions/${encodeURIComponent(customerId)}`;
    return got.get(url, { timeout: { response: 3_000 } }).json<string[]>();
  }
}
