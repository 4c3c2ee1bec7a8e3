// Wires the page together: state (Market), connection (MarketClient), and the views, which are
// redrawn once per animation frame from whatever state the socket left behind.

import "./style.css";
import { BoardView } from "./board";
import { ChartView } from "./chart";
import { MarketClient, type SubscriptionSpec } from "./client";
import { Market } from "./market";
import { Panels } from "./panels";
import * as protocol from "./protocol";
import { SubscriptionMode } from "./protocol";

const STORAGE_KEY = "marketstream.subscriptions.v1";
const DEFAULT_SUBSCRIPTIONS: SubscriptionSpec[] = [
  { patterns: ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "BTCUSD", "ETHUSD", "AAPL", "MSFT", "NVDA", "TSLA", "SPY", "QQQ"], mode: SubscriptionMode.Conflated, maxRateMs: 100, maxLagMs: 0 },
];

const params = new URLSearchParams(location.search);
const market = new Market();
const client = new MarketClient(
  {
    url: `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`,
    token: params.get("token"),
    devTokenUrl: "/api/dev/token",
  },
  market,
);

const board = new BoardView(document.getElementById("board-body") as HTMLTableSectionElement, market);
const chart = new ChartView(document.getElementById("chart")!, market, document.getElementById("chart-title")!);
const panels = new Panels(client, market);

function select(name: string): void {
  board.selected = name;
  chart.select(name);
}
board.onSelect = select;
panels.onRemove = (key) => {
  client.unsubscribe(key);
  saveSubscriptions();
};

// ---- subscriptions: ?symbols=EUR*,AAPL&mode=full&rate=0 wins over what was saved -------------

function initialSubscriptions(): SubscriptionSpec[] {
  const fromUrl = params.get("symbols");
  if (fromUrl !== null) {
    const patterns = parsePatterns(fromUrl);
    const mode = params.get("mode") === "full" ? SubscriptionMode.Full : SubscriptionMode.Conflated;
    const rate = Number(params.get("rate") ?? "100");
    return patterns.length ? [{ patterns, mode, maxRateMs: Number.isFinite(rate) ? rate : 100, maxLagMs: 0 }] : [];
  }
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved) return JSON.parse(saved) as SubscriptionSpec[];
  } catch {
    // Unreadable storage: start from the defaults.
  }
  return DEFAULT_SUBSCRIPTIONS;
}

function saveSubscriptions(): void {
  if (params.get("symbols") !== null) return;
  const specs = client.subscriptions.filter((s) => s.status !== "failed").map(({ patterns, mode, maxRateMs, maxLagMs }) => ({ patterns, mode, maxRateMs, maxLagMs }));
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(specs));
  } catch {
    // Private mode or full storage: the board still works, it just won't be remembered.
  }
}

function parsePatterns(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

const form = document.getElementById("add-form") as HTMLFormElement;
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = form.elements.namedItem("symbols") as HTMLInputElement;
  const patterns = parsePatterns(input.value);
  if (patterns.length === 0) return;
  const mode = (form.elements.namedItem("mode") as HTMLSelectElement).value === "full" ? SubscriptionMode.Full : SubscriptionMode.Conflated;
  const maxRateMs = Number((form.elements.namedItem("rate") as HTMLSelectElement).value);
  client.subscribe({ patterns, mode, maxRateMs, maxLagMs: mode === SubscriptionMode.Full ? 2000 : 0 });
  input.value = "";
  saveSubscriptions();
});

document.getElementById("reconnect")!.addEventListener("click", () => client.dropAndResume());

for (const spec of initialSubscriptions()) client.subscribe(spec);
client.start();

// ---- one render per animation frame ---------------------------------------------------------

let lastPanels = 0;
function frame(): void {
  const now = performance.now();
  if (client.unpaintedSince !== null) {
    client.latency.recordPaint(now - client.unpaintedSince);
    client.unpaintedSince = null;
  }
  if (chart.selected === null) {
    const first = market.rows.keys().next();
    if (!first.done) select(params.get("chart") ?? first.value);
  }
  board.render(now, client.state !== "open");
  chart.render();
  panels.paints++;
  panels.renderMs += performance.now() - now;
  if (now - lastPanels >= 250) {
    lastPanels = now;
    panels.render(now);
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

// For the browser tests and the curious: the live objects behind the page.
declare global {
  interface Window {
    marketstream: { market: Market; client: MarketClient; chart: ChartView; select: (name: string) => void; protocol: typeof protocol };
  }
}
window.marketstream = { market, client, chart, select, protocol };
