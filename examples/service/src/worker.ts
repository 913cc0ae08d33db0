// The billing sync worker: wait for invoice events, charge what is uncharged, reserve stock, notify customers.
import { readConfig, type WorkerConfig } from './config.js';
import { pollInvoiceEvents } from './event-feed.js';
import { LedgerClient } from './ledger-client.js';
import { PaymentsClient } from './payments-client.js';
import { chargeFor, unchargedInvoices, unitsBySku } from './reconcile.js';
import { TaxRatesClient } from './tax-rates-client.js';
import { WarehouseClient } from './warehouse-client.js';
import { postWebhook } from './webhook-sender.js';

export async function syncOnce(config: WorkerConfig, shutdownSignal: AbortSignal): Promise<number> {
  const ledger = new LedgerClient(config.ledgerUrl);
  const payments = new PaymentsClient(config.paymentsUrl);
  const taxRates = new TaxRatesClient(config.taxRatesUrl);
  const warehouse = new WarehouseClient(config.warehouseUrl);

  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const [openInvoices, chargedIds] = await Promise.all([
    ledger.listOpenInvoices(config.batchSize, shutdownSignal),
    payments.listChargedInvoiceIds(since),
  ]);
  const toCharge = unchargedInvoices(openInvoices, chargedIds);

  for (const [sku, units] of unitsBySku(toCharge)) await warehouse.reserve(sku, units);

  let charged = 0;
  for (const invoice of toCharge) {
    if (shutdownSignal.aborted) break;
    const receipt = await payments.charge(chargeFor(invoice, await taxRates.rateFor(invoice.region)));
    if (receipt.status !== 'succeeded') continue;
    await ledger.markPaid(invoice.id, receipt.paymentId);
    if (invoice.webhookUrl !== undefined) await postWebhook(invoice.webhookUrl, { invoiceId: invoice.id, status: 'paid' });
    charged += 1;
  }
  return charged;
}

export async function runWorker(shutdownSignal: AbortSignal): Promise<void> {
  const config = readConfig();
  let lastSequence = 0;
  while (!shutdownSignal.aborted) {
    const events = await pollInvoiceEvents(config.eventFeedUrl, lastSequence);
    lastSequence = events.reduce((highest, event) => Math.max(highest, event.sequence), lastSequence);
    if (events.some((event) => event.type === 'invoice.created')) {
      const charged = await syncOnce(config, shutdownSignal);
      console.log(JSON.stringify({ msg: 'sync finished', charged, lastSequence }));
    }
  }
}
