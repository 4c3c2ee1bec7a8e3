// Tick-to-browser latency. For every Update/Merged, the sample is
//
//   arrival (browser wall clock when the WebSocket message event fired, sub-ms via
//            performance.timeOrigin + performance.now())
//   − serverTimeNs (when the server's sequencer stamped the tick) converted to the browser's clock
//
// The conversion uses a clock offset estimated from Ping/Pong (§4.5/§4.18) NTP-style: offset =
// serverTime − (sent + received) / 2, taken from the lowest-RTT exchange of the recent ones (the
// least queueing, so the tightest bound). On one machine the offset is ~0; across machines the
// figure is only as good as that estimate (± RTT/2). It covers outbox wait (including any
// conflation/max-rate hold), framing, the network and the browser's event loop up to decoding —
// not rendering, which is reported separately as the paint delay.

/** Wall-clock milliseconds with sub-millisecond resolution. */
export function wallNowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function nsToMs(ns: bigint): number {
  // Integer microseconds first, so the float only has to hold ~2^51, not 2^61.
  return Number(ns / 1000n) / 1000;
}

class SampleWindow {
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  add(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.size < this.values.length) this.size++;
  }

  get count(): number {
    return this.size;
  }

  percentiles(...ps: number[]): number[] | null {
    if (this.size === 0) return null;
    const sorted = this.values.slice(0, this.size).sort();
    return ps.map((p) => sorted[Math.min(this.size - 1, Math.floor((p / 100) * this.size))]);
  }
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export class LatencyMeter {
  private readonly tick = new SampleWindow(4096);
  private readonly paint = new SampleWindow(512);
  private readonly exchanges: { rtt: number; offset: number }[] = [];
  /** Server clock minus browser clock, ms; null before the first Pong. */
  offsetMs: number | null = null;
  lastRttMs: number | null = null;

  /** One sample per Update/Merged, at the arrival time of the frame that carried it. */
  recordTick(arrivalWallMs: number, serverTimeNs: bigint): void {
    const serverMsInBrowserClock = nsToMs(serverTimeNs) - (this.offsetMs ?? 0);
    this.tick.add(arrivalWallMs - serverMsInBrowserClock);
  }

  /** Arrival of the oldest unpainted update → the animation frame that rendered it. */
  recordPaint(delayMs: number): void {
    this.paint.add(delayMs);
  }

  recordPong(sentWallMs: number, receivedWallMs: number, serverTimeNs: bigint): void {
    const rtt = receivedWallMs - sentWallMs;
    const offset = nsToMs(serverTimeNs) - (sentWallMs + receivedWallMs) / 2;
    this.lastRttMs = rtt;
    this.exchanges.push({ rtt, offset });
    if (this.exchanges.length > 8) this.exchanges.shift();
    let best = this.exchanges[0];
    for (const e of this.exchanges) if (e.rtt < best.rtt) best = e;
    this.offsetMs = best.offset;
  }

  tickSummary(): LatencySummary | null {
    return summary(this.tick);
  }

  paintSummary(): LatencySummary | null {
    return summary(this.paint);
  }
}

function summary(w: SampleWindow): LatencySummary | null {
  const p = w.percentiles(50, 99, 100);
  return p ? { p50: p[0], p99: p[1], max: p[2], samples: w.count } : null;
}
