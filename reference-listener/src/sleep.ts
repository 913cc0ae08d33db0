import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or resolves early (without throwing) when `signal` aborts: a backoff cut short by shutdown is not an error. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true || ms <= 0) return;
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}

export type Sleep = typeof sleep;
