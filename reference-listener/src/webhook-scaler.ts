// A side effect outside the process: each hand-off is POSTed to a URL (a runner controller, a build queue's
// HTTP API), with the job's idempotency key in an `Idempotency-Key` header. The receiver deduplicates by that
// key, which is what makes "exactly once at the side effect" hold across crashes (see Scaler.handOff).
import { request } from 'undici';

import type { JobHandoff, Scaler } from './scaler.js';

/** The hand-off's answer is not read: a receiver that streams a large body costs at most this much. */
const LARGEST_DRAINED_ANSWER_BYTES = 64 * 1024;

export class WebhookScaler implements Scaler {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  /** Any 2xx is success, a repeat of a key the receiver has already seen included; anything else throws. */
  async handOff(job: JobHandoff, signal: AbortSignal): Promise<void> {
    // `signal` carries the listener's hand-off deadline; the listener also races this call against it.
    const response = await request(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': job.idempotencyKey },
      body: JSON.stringify(job),
      signal,
    });
    await response.body.dump({ limit: LARGEST_DRAINED_ANSWER_BYTES, signal });
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new Error(`${this.url} answered ${response.statusCode} to the hand-off of job ${job.jobId} (${job.idempotencyKey})`);
    }
  }
}
