// Market state: one row per symbol name, updated the moment a message is decoded (the views read
// it once per animation frame). Follows docs/protocol.md §2.4 and §8.4: Snapshot/Reset replace a
// row, Update applies when seq == last + 1, Merged when firstSeq == last + 1; anything else is
// counted as a gap (and the row re-snapshotted) or a duplicate (dropped), never shown silently.

import type { Merged, Quote, Reset, ResumePosition, Snapshot, SymbolDefinition, Update } from "./protocol";
import { resetReasonName } from "./protocol";

/** One-second candle of the mid price, for the chart. Floats: display only, never fed back. */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface Row {
  name: string;
  definition: SymbolDefinition;
  /** Position of the last applied update: what a reconnect resumes from. seq 0 = nothing yet. */
  epoch: bigint;
  seq: bigint;
  bid: bigint | null;
  bidSize: bigint | null;
  ask: bigint | null;
  askSize: bigint | null;
  last: bigint | null;
  lastSize: bigint | null;
  /** Session open (from the snapshot, else the first trade seen): the base of "change". */
  open: bigint | null;
  high: bigint | null;
  low: bigint | null;
  volume: bigint;
  trades: bigint;
  /** performance.now() when the row last changed in this page. */
  changedAt: number;
  /** Updates folded into this row since it was created (Update = 1, Merged = count). */
  updates: number;
  gaps: number;
  /** Needs re-rendering. */
  dirty: boolean;
  bars: Bar[];
  /** Bumped whenever bars change, so the chart can skip untouched frames. */
  barsVersion: number;
}

export interface ResumeReport {
  /** Names sent with a resume position on the last reconnect. */
  requested: number;
  /** Continued from history: first message was Update/Merged at last + 1. */
  replayed: number;
  /** Got Reset instead (history gone / epoch changed / unknown position). */
  reset: number;
  resetReasons: Record<string, number>;
  /** Not heard from yet. */
  pending: number;
}

export interface StreamCounters {
  updates: number;
  merged: number;
  /** Updates folded into Merged messages (their `count`s). */
  folded: number;
  snapshots: number;
  resets: number;
  gaps: number;
  duplicates: number;
  /** Messages for a symbol id this connection never defined. */
  unknownIds: number;
}

const MAX_BARS = 900;

export class Market {
  readonly rows = new Map<string, Row>();
  /** Symbol ids are per connection (§2.1): cleared on every new session. */
  private byId = new Map<number, Row>();
  private expectingResume = new Map<string, { epoch: bigint; seq: bigint }>();
  readonly counters: StreamCounters = { updates: 0, merged: 0, folded: 0, snapshots: 0, resets: 0, gaps: 0, duplicates: 0, unknownIds: 0 };
  resume: ResumeReport | null = null;
  /** Called when a gap is seen, so the client can ask for a fresh snapshot (§4.4). */
  onGap: ((name: string) => void) | null = null;

  /** A new session: ids from the previous one mean nothing now. */
  beginSession(): void {
    this.byId.clear();
  }

  /** SubscribeAck definitions: create rows (empty until their snapshot) and learn ids. */
  define(def: SymbolDefinition): Row {
    let row = this.rows.get(def.name);
    if (!row) {
      row = emptyRow(def);
      this.rows.set(def.name, row);
    } else {
      row.definition = def;
    }
    this.byId.set(def.id, row);
    row.dirty = true;
    return row;
  }

  remove(name: string): void {
    const row = this.rows.get(name);
    if (!row) return;
    this.rows.delete(name);
    if (this.byId.get(row.definition.id) === row) this.byId.delete(row.definition.id);
    this.expectingResume.delete(name);
  }

  /** Resume positions for the names that hold one (§2.4). */
  positions(names: Iterable<string>): ResumePosition[] {
    const out: ResumePosition[] = [];
    for (const name of names) {
      const row = this.rows.get(name);
      if (row && row.seq > 0n) out.push([name, row.epoch, row.seq]);
    }
    return out;
  }

  /** Starts a resume report for the positions just sent. */
  expectResume(positions: ResumePosition[]): void {
    if (!this.resume || this.resume.pending === 0) {
      this.resume = { requested: 0, replayed: 0, reset: 0, resetReasons: {}, pending: 0 };
    }
    for (const [name, epoch, seq] of positions) {
      this.expectingResume.set(name, { epoch, seq });
      this.resume.requested++;
      this.resume.pending++;
    }
  }

  /** A resuming Subscribe failed: its names will not be answered. */
  cancelResume(names: Iterable<string>): void {
    if (!this.resume) return;
    for (const name of names) {
      if (this.expectingResume.delete(name)) this.resume.pending--;
    }
  }

  applySnapshot(s: Snapshot | Reset, now: number): void {
    const row = this.define(s.definition);
    if (s.type === 23) {
      this.counters.resets++;
      this.resolveResume(row.name, "reset", resetReasonName(s.reason));
    } else {
      this.counters.snapshots++;
      this.resolveResume(row.name, "snapshot");
    }
    row.epoch = s.epoch;
    row.seq = s.seq;
    setQuote(row, s.quote);
    if (s.trade) {
      row.last = s.trade.lastPrice;
      row.lastSize = s.trade.lastSize;
      row.open = s.trade.open;
      row.high = s.trade.high;
      row.low = s.trade.low;
      row.volume = s.trade.volume;
      row.trades = s.trade.tradeCount;
    } else {
      row.last = row.lastSize = row.open = row.high = row.low = null;
      row.volume = 0n;
      row.trades = 0n;
    }
    if (s.type === 23) {
      // History is gone: the chart restarts from this snapshot rather than join two epochs.
      row.bars = [];
    }
    row.changedAt = now;
    addBar(row, s.serverTimeNs);
    row.dirty = true;
  }

  /** Returns the row it applied to, or null when dropped (unknown id, duplicate). */
  applyUpdate(u: Update, now: number): Row | null {
    const row = this.byId.get(u.symbolId);
    if (!row) {
      this.counters.unknownIds++;
      return null;
    }
    if (!this.checkSequence(row, u.epoch, u.seq, u.seq)) return null;
    this.counters.updates++;
    if (u.kind === 1) {
      row.bid = u.a;
      row.bidSize = u.b;
      row.ask = u.c;
      row.askSize = u.d;
    } else if (u.kind === 2) {
      applyTrade(row, u.a, u.b, 1n, u.b, u.a, u.a);
    }
    row.updates++;
    row.changedAt = now;
    addBar(row, u.serverTimeNs);
    row.dirty = true;
    return row;
  }

  applyMerged(m: Merged, now: number): Row | null {
    const row = this.byId.get(m.symbolId);
    if (!row) {
      this.counters.unknownIds++;
      return null;
    }
    if (!this.checkSequence(row, m.epoch, m.firstSeq, m.lastSeq)) return null;
    this.counters.merged++;
    this.counters.folded += Number(m.count);
    setQuote(row, m.quote);
    if (m.trade) {
      const t = m.trade;
      applyTrade(row, t.lastPrice, t.lastSize, t.tradeCount, t.volume, t.high, t.low);
    }
    row.updates += Number(m.count);
    row.changedAt = now;
    addBar(row, m.serverTimeNs);
    row.dirty = true;
    return row;
  }

  /**
   * §2.4 gap detection. Accepts `first == last + 1` in the same epoch; drops duplicates
   * (`last ≤ seq held`); a jump or an epoch change without Reset is a gap: counted, applied (it is
   * the newest data there is) and answered by a fresh snapshot request.
   */
  private checkSequence(row: Row, epoch: bigint, first: bigint, last: bigint): boolean {
    const sameEpoch = epoch === row.epoch;
    if (sameEpoch && last <= row.seq) {
      this.counters.duplicates++;
      return false;
    }
    const contiguous = sameEpoch && first === row.seq + 1n;
    this.resolveResume(row.name, contiguous ? "replayed" : "gap");
    if (!contiguous) {
      row.gaps++;
      this.counters.gaps++;
      this.onGap?.(row.name);
    }
    row.epoch = epoch;
    row.seq = last;
    return true;
  }

  private resolveResume(name: string, outcome: "replayed" | "reset" | "snapshot" | "gap", reason?: string): void {
    if (!this.resume || !this.expectingResume.delete(name)) return;
    this.resume.pending--;
    if (outcome === "replayed") this.resume.replayed++;
    else if (outcome === "reset") {
      this.resume.reset++;
      const key = reason ?? "reset";
      this.resume.resetReasons[key] = (this.resume.resetReasons[key] ?? 0) + 1;
    }
  }
}

function emptyRow(def: SymbolDefinition): Row {
  return {
    name: def.name,
    definition: def,
    epoch: 0n,
    seq: 0n,
    bid: null,
    bidSize: null,
    ask: null,
    askSize: null,
    last: null,
    lastSize: null,
    open: null,
    high: null,
    low: null,
    volume: 0n,
    trades: 0n,
    changedAt: 0,
    updates: 0,
    gaps: 0,
    dirty: true,
    bars: [],
    barsVersion: 0,
  };
}

function setQuote(row: Row, q: Quote | null): void {
  if (!q) return;
  row.bid = q.bidPrice;
  row.bidSize = q.bidSize;
  row.ask = q.askPrice;
  row.askSize = q.askSize;
}

function applyTrade(row: Row, price: bigint, size: bigint, count: bigint, volume: bigint, high: bigint, low: bigint): void {
  row.last = price;
  row.lastSize = size;
  if (row.open === null) row.open = price;
  row.high = row.high === null || high > row.high ? high : row.high;
  row.low = row.low === null || low < row.low ? low : row.low;
  row.volume += volume;
  row.trades += count;
}

/** Extends the row's 1-second mid-price candles; time is the server's (seconds). */
function addBar(row: Row, serverTimeNs: bigint): void {
  if (row.bid === null || row.ask === null) return;
  const mid = Number(row.bid + row.ask) / 2 / 10 ** row.definition.priceScale;
  const time = Number(serverTimeNs / 1_000_000_000n);
  const bars = row.bars;
  const bar = bars[bars.length - 1];
  if (bar && bar.time === time) {
    bar.close = mid;
    if (mid > bar.high) bar.high = mid;
    if (mid < bar.low) bar.low = mid;
  } else if (!bar || time > bar.time) {
    bars.push({ time, open: bar ? bar.close : mid, high: Math.max(mid, bar ? bar.close : mid), low: Math.min(mid, bar ? bar.close : mid), close: mid });
    if (bars.length > MAX_BARS) bars.splice(0, bars.length - MAX_BARS);
  } else {
    return; // an older server time (replay across a clock step): the chart only moves forward
  }
  row.barsVersion++;
}
