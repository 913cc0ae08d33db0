// Customer webhooks and the status page over node:https.
import type { IncomingMessage } from 'node:http';
import https from 'node:https';

import { CONTROL_PLANE_TIMEOUT_MS } from './config.js';

function collectBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/** Bounded: the signal aborts the request, connect to last byte, and the abort surfaces as 'error'. */
export function postWebhook(webhookUrl: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const request = https.request(
      webhookUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(CONTROL_PLANE_TIMEOUT_MS),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Unbounded: a customer endpoint that accepts the connection and never answers holds this forever. */
export function postWebhookLegacy(webhookUrl: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const request = https.request(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * The `timeout` option only emits 'timeout'; the handler destroys the request, so this is bounded against silence.
 * It is still an idle timer: a status page that trickles a byte every few seconds never trips it.
 */
export function fetchStatusPage(statusUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.get(statusUrl, { timeout: 5_000 }, (response) => {
      collectBody(response).then(resolve, reject);
    });
    request.on('timeout', () => request.destroy(new Error(`status page ${statusUrl} was silent for 5 s`)));
    request.on('error', reject);
  });
}
