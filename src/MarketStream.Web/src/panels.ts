// Side panels: connection state, latency and server figures, subscriptions, and the event log
// (errors with code + text, notices, close codes). Refreshed a few times a second, not per update.

import type { MarketClient, Subscription } from "./client";
import type { Market } from "./market";
import { formatBytes, formatMs } from "./format";
import { SubscriptionMode } from "./protocol";

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
};

export class Panels {
  private readonly state = $("conn-state");
  private readonly detail = $("conn-detail");
  private readonly session = $("conn-session");
  private readonly reconnects = $("conn-reconnects");
  private readonly resume = $("conn-resume");
  private readonly lastClose = $("conn-close");
  private readonly stats = $("stats");
  private readonly subs = $<HTMLUListElement>("subs");
  private readonly log = $<HTMLOListElement>("log");
  private shownClientVersion = -1;
  private lastRates = { at: 0, updates: 0, frames: 0, paints: 0, handlerMs: 0, renderMs: 0 };
  private rates = { updates: 0, frames: 0, fps: 0, handlerPct: 0, renderPct: 0 };
  paints = 0;
  /** Main-thread milliseconds spent in the per-frame render (board + chart). */
  renderMs = 0;
  onRemove: ((key: number) => void) | null = null;

  constructor(
    private readonly client: MarketClient,
    private readonly market: Market,
  ) {
    this.subs.addEventListener("click", (ev) => {
      const button = (ev.target as HTMLElement).closest("button[data-key]") as HTMLButtonElement | null;
      if (button) this.onRemove?.(Number(button.dataset.key));
    });
  }

  render(now: number): void {
    const c = this.client;
    if (now - this.lastRates.at >= 1000) {
      const seconds = (now - this.lastRates.at) / 1000;
      const updates = this.market.counters.updates + this.market.counters.folded;
      this.rates = {
        updates: Math.round((updates - this.lastRates.updates) / seconds),
        frames: Math.round((c.framesReceived - this.lastRates.frames) / seconds),
        fps: Math.round((this.paints - this.lastRates.paints) / seconds),
        handlerPct: Math.round((c.handlerMs - this.lastRates.handlerMs) / seconds / 10),
        renderPct: Math.round((this.renderMs - this.lastRates.renderMs) / seconds / 10),
      };
      this.lastRates = { at: now, updates, frames: c.framesReceived, paints: this.paints, handlerMs: c.handlerMs, renderMs: this.renderMs };
    }

    this.state.textContent = c.state;
    this.state.className = `badge ${c.state}`;
    this.detail.textContent = c.state === "reconnecting" && c.retryAt > now ? `retry in ${((c.retryAt - now) / 1000).toFixed(1)} s` : c.welcome?.authDeadlineMs ? "token required" : "";
    this.session.textContent = c.welcome ? `${c.welcome.sessionId}${c.subject ? ` · ${c.subject}` : " · anonymous"}` : "–";
    this.reconnects.textContent = String(c.reconnects);
    const r = this.market.resume;
    this.resume.textContent = r
      ? `${r.requested} sent: ${r.replayed} replayed, ${r.reset} reset${Object.entries(r.resetReasons).map(([k, v]) => ` (${v} ${k})`).join("")}${r.pending ? `, ${r.pending} pending` : ""}`
      : "–";
    this.lastClose.textContent = c.lastClose ? `${c.lastClose.code} ${c.lastClose.name}${c.lastClose.reason ? ` — ${c.lastClose.reason}` : ""}` : "–";

    const tick = c.latency.tickSummary();
    const paint = c.latency.paintSummary();
    const hb = c.heartbeat;
    const k = this.market.counters;
    const rows: [string, string, string?][] = [
      ["tick → browser p50", tick ? formatMs(tick.p50) : "–", "lat-p50"],
      ["tick → browser p99", tick ? formatMs(tick.p99) : "–", "lat-p99"],
      ["arrival → paint p99", paint ? formatMs(paint.p99) : "–"],
      ["ping RTT", formatMs(c.latency.lastRttMs)],
      ["clock offset", c.latency.offsetMs === null ? "–" : formatMs(c.latency.offsetMs)],
      ["updates/s (frames/s)", `${this.rates.updates.toLocaleString()} (${this.rates.frames})`, "rate"],
      ["render fps", String(this.rates.fps), "fps"],
      ["main thread: decode · render", `${this.rates.handlerPct}% · ${this.rates.renderPct}%`, "load"],
      ["server lag", hb ? `${hb.lagMs} ms` : "–", "hb-lag"],
      ["server queue", hb ? `${hb.queuedUpdates} upd · ${formatBytes(hb.queuedBytes)}` : "–", "hb-queue"],
      ["merged by server", hb ? hb.mergedCount.toLocaleString() : "–"],
      ["received", `${k.updates.toLocaleString()} upd · ${k.merged.toLocaleString()} merged (${k.folded.toLocaleString()} folded)`, "received"],
      ["gaps · duplicates", `${k.gaps} · ${k.duplicates}`, "gaps"],
      ["data", formatBytes(c.bytesReceived)],
    ];
    this.stats.replaceChildren(
      ...rows.map(([label, value, id]) => {
        const div = document.createElement("div");
        div.className = "stat";
        const dt = document.createElement("span");
        dt.textContent = label;
        const dd = document.createElement("b");
        dd.textContent = value;
        if (id) dd.dataset.stat = id;
        div.append(dt, dd);
        return div;
      }),
    );

    if (c.version !== this.shownClientVersion) {
      this.shownClientVersion = c.version;
      this.subs.replaceChildren(...c.subscriptions.map(subscriptionItem));
      this.log.replaceChildren(
        ...c.log.map((e) => {
          const li = document.createElement("li");
          li.className = `log-${e.kind}`;
          if (e.code !== null) li.dataset.code = String(e.code);
          const time = document.createElement("time");
          time.textContent = e.at.toLocaleTimeString();
          const title = document.createElement("b");
          title.textContent = e.title;
          const text = document.createElement("span");
          text.textContent = e.text;
          li.append(time, title, text);
          return li;
        }),
      );
    }
  }
}

function subscriptionItem(s: Subscription): HTMLLIElement {
  const li = document.createElement("li");
  li.className = `sub sub-${s.status}`;
  li.dataset.patterns = s.patterns.join(",");
  const name = document.createElement("span");
  name.className = "sub-name";
  name.textContent = s.patterns.join(", ");
  const meta = document.createElement("span");
  meta.className = "sub-meta";
  const mode = (s.effectiveMode ?? s.mode) === SubscriptionMode.Full ? "full" : "conflated";
  const degraded = s.mode === SubscriptionMode.Full && s.effectiveMode === SubscriptionMode.Conflated ? " (degraded)" : "";
  meta.textContent = s.error
    ? `error ${s.error.code}: ${s.error.text}`
    : `${mode}${degraded}${s.maxRateMs ? ` · ≤1/${s.maxRateMs} ms` : ""} · ${s.status === "active" ? `${s.symbols.length} sym` : s.status}`;
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "remove";
  remove.dataset.key = String(s.key);
  remove.title = "Unsubscribe";
  remove.textContent = "×";
  li.append(name, meta, remove);
  return li;
}
