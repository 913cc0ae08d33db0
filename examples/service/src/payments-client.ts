// The payments gateway over axios: the default export for one-off lookups, and instances for the rest.
import axios, { type AxiosInstance } from 'axios';

import { CONTROL_PLANE_TIMEOUT_MS } from './config.js';
import type { Charge } from './model.js';

export interface PaymentReceipt {
  paymentId: string;
  status: 'succeeded' | 'declined';
}

export class PaymentsClient {
  private readonly charges: AxiosInstance;
  private readonly refunds: AxiosInstance;

  constructor(private readonly baseUrl: string) {
    // Bounded at creation: every call made on this instance inherits the timeout.
    this.charges = axios.create({ baseURL: baseUrl, timeout: CONTROL_PLANE_TIMEOUT_MS });
    // Unbounded at creation: reported once here, not at each call made on it.
    this.refunds = axios.create({ baseURL: `${baseUrl}/refunds`, headers: { 'x-client': 'billing-sync' } });
  }

  async charge(charge: Charge): Promise<PaymentReceipt> {
    const response = await this.charges.post<PaymentReceipt>('/charges', charge);
    return response.data;
  }

  async refund(paymentId: string, amountCents: number): Promise<void> {
    await this.refunds.post('/', { paymentId, amountCents });
  }

  async listChargedInvoiceIds(since: Date): Promise<Set<string>> {
    const response = await axios.get<{ invoiceIds: string[] }>(`${this.baseUrl}/charges/invoice-ids`, {
      params: { since: since.toISOString() },
    });
    return new Set(response.data.invoiceIds);
  }

  /** A settlement report can take a while, so someone turned the timeout off instead of choosing a longer one. */
  async downloadSettlementReport(day: string): Promise<string> {
    const response = await axios.get<string>(`${this.baseUrl}/settlements/${day}.csv`, { timeout: 0, responseType: 'text' });
    return response.data;
  }

  async ping(): Promise<boolean> {
    const response = await axios.head(`${this.baseUrl}/health`, { timeout: 2_000 });
    return response.status === 200;
  }
}
