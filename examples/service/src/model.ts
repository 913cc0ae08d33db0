// The billing domain, shared by every client. No I/O here.

export interface InvoiceLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Invoice {
  id: string;
  customerId: string;
  currency: string;
  region: string;
  lines: InvoiceLine[];
  webhookUrl?: string;
}

export interface Charge {
  invoiceId: string;
  amountCents: number;
  currency: string;
}

export interface TaxRate {
  region: string;
  /** Basis points: 2000 is 20 %. */
  rateBasisPoints: number;
}

export interface InvoiceEvent {
  sequence: number;
  type: 'invoice.created' | 'invoice.voided';
  invoiceId: string;
}
