// The invoice event feed: a long-poll, the one call in this service that is allowed to wait longer.
import { Agent, fetch } from 'undici';

import { LONG_POLL_TIMEOUT_MS } from './config.js';
import type { InvoiceEvent } from './model.js';

/**
 * The broker answers only when it has events or after holding the request for 50 s, so the wait for
 * response headers is the hold itself. The header timer is that hold's bound; the reply is a small JSON.
 */
const longPollDispatcher = new Agent({ headersTimeout: LONG_POLL_TIMEOUT_MS, bodyTimeout: 5_000 });

export async function pollInvoiceEvents(feedUrl: string, afterSequence: number): Promise<InvoiceEvent[]> {
  const url = `${feedUrl}?after=${afterSequence}&waitSeconds=50`;
  // eslint-disable-next-line bounded-http/no-unbounded-fetch -- long-poll: the broker holds this request up to 50 s; bounded by LONG_POLL_TIMEOUT_MS through longPollDispatcher
  const response = await fetch(url, { dispatcher: longPollDispatcher });
  if (response.status === 204) return [];
  if (!response.ok) throw new Error(`event feed: poll after ${afterSequence} failed with HTTP ${response.status}`);
  return (await response.json()) as InvoiceEvent[];
}
