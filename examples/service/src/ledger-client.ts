// The ledger service over the built-in fetch.
import { CONTROL_PLANE_TIMEOUT_MS } from './config.js';
import type { Invoice } from './model.js';

export class LedgerClient {
  constructor(private readonly baseUrl: string) {}

  /** Bounded: the caller's shutdown signal and our own deadline, whichever fires first. */
  async listOpenInvoices(limit: number, shutdownSignal: AbortSignal): Promise<Invoice[]> {
    const response = await fetch(`${this.baseUrl}/invoices?status=open&limit=${limit}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([shutdownSignal, AbortSignal.timeout(CONTROL_PLANE_TIMEOUT_MS)]),
    });
    if (!response.ok) throw new Error(`ledger: listing open invoices failed with HTTP ${response.status}`);
    return (await response.json()) as Invoice[];
  }

  async getInvoice(invoiceId: string): Promise<Invoice> {
    const response = await fetch(`${this.baseUrl}/invoices/${encodeURIComponent(invoiceId)}`);
    if (!response.ok) throw new Error(`ledger: invoice ${invoiceId} failed with HTTP ${response.status}`);
    return (await response.json()) as Invoice;
  }

  /** Someone thought fetch took a timeout option; it does not, and the runtime silently ignores it. */
  async getCustomerBalanceCents(customerId: string): Promise<number> {
    const response = await fetch(`${this.baseUrl}/customers/${encodeURIComponent(customerId)}/balance`, {
      timeout: 5_000,
    } as RequestInit);
    const body = (await response.json()) as { balanceCents: number };
    return body.balanceCents;
  }

  async markPaid(invoiceId: string, paymentId: string): Promise<void> {
    const response = await globalThis.fetch(`${this.baseUrl}/invoices/${encodeURIComponent(invoiceId)}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paymentId }),
    });
    if (!response.ok) throw new Error(`ledger: marking ${invoiceId} paid failed with HTTP ${response.status}`);
  }
}
