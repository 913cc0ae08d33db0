// Pure billing arithmetic: no network, so nothing here needs a deadline.
import type { Charge, Invoice, TaxRate } from './model.js';

export function subtotalCents(invoice: Invoice): number {
  return invoice.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}

/** Tax is rounded half-up per invoice, not per line, as the ledger does. */
export function totalWithTaxCents(invoice: Invoice, rate: TaxRate): number {
  const subtotal = subtotalCents(invoice);
  return subtotal + Math.round((subtotal * rate.rateBasisPoints) / 10_000);
}

export function chargeFor(invoice: Invoice, rate: TaxRate): Charge {
  return { invoiceId: invoice.id, amountCents: totalWithTaxCents(invoice, rate), currency: invoice.currency };
}

/** Invoices the ledger lists that the payments gateway has not charged yet, oldest first. */
export function unchargedInvoices(invoices: readonly Invoice[], chargedInvoiceIds: ReadonlySet<string>): Invoice[] {
  return invoices.filter((invoice) => !chargedInvoiceIds.has(invoice.id)).sort((a, b) => a.id.localeCompare(b.id));
}

/** Units to reserve per SKU across a batch, so the warehouse gets one request per SKU. */
export function unitsBySku(invoices: readonly Invoice[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const invoice of invoices) {
    for (const line of invoice.lines) units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
  }
  return units;
}
