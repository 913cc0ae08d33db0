// The warehouse over undici's request API, with its own connection pool.
import { Agent, request } from 'undici';

import { CONTROL_PLANE_TIMEOUT_MS } from './config.js';

export interface Reservation {
  reservationId: string;
  sku: string;
  units: number;
}

export class WarehouseClient {
  /**
   * A pool of our own, never the process-global dispatcher. Its header and body timers are idle timers:
   * they bound silence, not the whole call, so the calls below still need a deadline.
   */
  private readonly pool = new Agent({ connections: 16, headersTimeout: CONTROL_PLANE_TIMEOUT_MS, bodyTimeout: CONTROL_PLANE_TIMEOUT_MS });

  /** Someone hit a slow bulk export and disabled the header timer for the whole pool. */
  private readonly exportPool = new Agent({ connections: 2, headersTimeout: 0, bodyTimeout: CONTROL_PLANE_TIMEOUT_MS });

  constructor(private readonly baseUrl: string) {}

  async reserve(sku: string, units: number): Promise<Reservation> {
    const { statusCode, body } = await request(`${this.baseUrl}/reservations`, {
      method: 'POST',
      dispatcher: this.pool,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, units }),
      signal: AbortSignal.timeout(CONTROL_PLANE_TIMEOUT_MS),
    });
    if (statusCode !== 201) throw new Error(`warehouse: reserving ${units} × ${sku} failed with HTTP ${statusCode}`);
    return (await body.json()) as Reservation;
  }

  async release(reservationId: string): Promise<void> {
    const { statusCode, body } = await request(`${this.baseUrl}/reservations/${encodeURIComponent(reservationId)}`, {
      method: 'DELETE',
      dispatcher: this.pool,
    });
    await body.dump();
    if (statusCode !== 204 && statusCode !== 404) throw new Error(`warehouse: releasing ${reservationId} failed with HTTP ${statusCode}`);
  }

  async exportStockLevels(): Promise<string> {
    const { body } = await request(`${this.baseUrl}/stock/export.csv`, { dispatcher: this.exportPool });
    return body.text();
  }
}
