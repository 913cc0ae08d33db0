import { describe, expect, it } from 'vitest';

// scripts/measure/trickling-peer.mjs is plain JavaScript run directly by Node; these are the shapes it exports.
interface Measurement {
  bound: string;
  elapsedMs: number;
  endedBy: 'completed' | 'observation window closed' | 'idle timer fired' | "'timeout' emitted" | 'deadline signal fired' | 'failed';
  errorName: string | undefined;
  bytesReceived: number;
  boundFired: boolean;
  /** Set by measureTricklingPeer, which runs against both peers; the table prints it first. */
  peer?: string;
}
interface TricklingPeer {
  url: string;
  close: () => Promise<void>;
}
interface TricklingPeerMeasurements {
  startTricklingPeer: (options: { trickleIntervalMs: number; maxTrickleMs: number; silent?: boolean }) => Promise<TricklingPeer>;
  measureUndiciIdleTimers: (options: { url: string; observationMs: number; headersTimeoutMs: number; bodyTimeoutMs: number }) => Promise<Measurement>;
  measureNodeHttpTimeout: (options: { url: string; observationMs: number; timeoutMs: number }) => Promise<Measurement>;
  measureDeadlineSignal: (options: { url: string; observationMs: number; deadlineMs: number; idleTimeoutMs: number }) => Promise<Measurement>;
  formatMarkdownTable: (measurements: Measurement[]) => string;
}

const measurementsModule = new URL('../scripts/measure/trickling-peer.mjs', import.meta.url).href;
const { startTricklingPeer, measureUndiciIdleTimers, measureNodeHttpTimeout, measureDeadlineSignal, formatMarkdownTable } =
  (await import(measurementsModule)) as TricklingPeerMeasurements;

// Short windows, wide margins. The peer writes a byte every 50 ms while the idle timers wait 600 ms for silence,
// so only an event-loop stall of half a second could make an idle timer fire; the assertions are about which
// bound ended the call, never about how fast.
const trickleIntervalMs = 50;
const idleTimeoutMs = 600;
const observationMs = 2_000;
const deadlineMs = 500;
/** Upper bound only: the control requests end as soon as their idle timer fires, normally within about a second. */
const controlObservationMs = 10_000;

async function withPeer<T>(silent: boolean, run: (url: string) => Promise<T>): Promise<T> {
  const peer = await startTricklingPeer({ trickleIntervalMs, maxTrickleMs: controlObservationMs * 2, silent });
  try {
    return await run(peer.url);
  } finally {
    await peer.close();
  }
}

describe('the trickling-peer measurement', () => {
  it('idle timers never fire while data trickles; only the deadline signal ends the call', async () => {
    const [undiciIdle, nodeHttpIdle, deadline] = await withPeer(false, (url) =>
      Promise.all([
        measureUndiciIdleTimers({ url, observationMs, headersTimeoutMs: idleTimeoutMs, bodyTimeoutMs: idleTimeoutMs }),
        measureNodeHttpTimeout({ url, observationMs, timeoutMs: idleTimeoutMs }),
        measureDeadlineSignal({ url, observationMs, deadlineMs, idleTimeoutMs }),
      ]),
    );

    for (const idleOnly of [undiciIdle, nodeHttpIdle]) {
      expect(idleOnly).toMatchObject({ boundFired: false, endedBy: 'observation window closed' });
      expect(idleOnly.bytesReceived).toBeGreaterThan(2);
      expect(idleOnly.elapsedMs).toBeGreaterThanOrEqual(observationMs - 50);
    }

    expect(deadline).toMatchObject({ boundFired: true, endedBy: 'deadline signal fired', errorName: 'TimeoutError' });
    expect(deadline.elapsedMs).toBeGreaterThanOrEqual(deadlineMs - 50);
    expect(deadline.elapsedMs).toBeLessThan(observationMs);
  });

  it('control: the same idle timers do fire when the peer falls silent, so they were armed', async () => {
    const [undiciIdle, nodeHttpIdle] = await withPeer(true, (url) =>
      Promise.all([
        measureUndiciIdleTimers({ url, observationMs: controlObservationMs, headersTimeoutMs: idleTimeoutMs, bodyTimeoutMs: idleTimeoutMs }),
        measureNodeHttpTimeout({ url, observationMs: controlObservationMs, timeoutMs: idleTimeoutMs }),
      ]),
    );
    expect(undiciIdle).toMatchObject({ boundFired: true, endedBy: 'idle timer fired', errorName: 'BodyTimeoutError', bytesReceived: 0 });
    expect(nodeHttpIdle).toMatchObject({ boundFired: true, endedBy: "'timeout' emitted", bytesReceived: 0 });
    for (const measurement of [undiciIdle, nodeHttpIdle]) expect(measurement.elapsedMs).toBeLessThan(controlObservationMs);
  });

  it('prints a markdown table with one row per measurement', () => {
    const row: Measurement = { peer: 'trickles', bound: '`x`', elapsedMs: 1000.4, endedBy: 'deadline signal fired', errorName: 'TimeoutError', bytesReceived: 9, boundFired: true };
    const lines = formatMarkdownTable([row, { ...row, bound: '`y`' }]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\|( --- \|)+$/);
    expect(lines[2]).toBe('| trickles | `x` | yes | 1000 ms | deadline signal fired (`TimeoutError`) | 9 |');
  });
});
