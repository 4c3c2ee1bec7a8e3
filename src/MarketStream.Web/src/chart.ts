// The chart view: one-second mid-price candles of the selected symbol with lightweight-charts.
// Called once per animation frame; it only talks to the chart when the row's bars changed, and
// then only updates the newest candle (setData only when the symbol or epoch changes).

import { CandlestickSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from "lightweight-charts";
import type { Market } from "./market";

export class ChartView {
  private readonly chart: IChartApi;
  private readonly series: ISeriesApi<"Candlestick">;
  private symbol: string | null = null;
  private shownVersion = -1;
  private shownBars = 0;
  private firstTime = -1;
  /** Shifts server UTC seconds so the time axis reads in the browser's local time. */
  private readonly tzShift = -new Date().getTimezoneOffset() * 60;

  constructor(
    container: HTMLElement,
    private readonly market: Market,
    private readonly title: HTMLElement,
  ) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: "#9aa4b2", fontFamily: "Inter, system-ui, sans-serif" },
      grid: { vertLines: { color: "rgba(255,255,255,0.04)" }, horzLines: { color: "rgba(255,255,255,0.04)" } },
      rightPriceScale: { borderColor: "rgba(255,255,255,0.1)" },
      timeScale: { borderColor: "rgba(255,255,255,0.1)", timeVisible: true, secondsVisible: true, rightOffset: 4 },
      crosshair: { mode: 0 },
    });
    this.series = this.chart.addSeries(CandlestickSeries, {
      upColor: "#26a69a",
      downColor: "#ef5350",
      borderVisible: false,
      wickUpColor: "#26a69a",
      wickDownColor: "#ef5350",
    });
  }

  select(name: string): void {
    if (this.symbol === name) return;
    this.symbol = name;
    this.shownVersion = -1;
    this.shownBars = 0;
    this.firstTime = -1;
    this.series.setData([]);
  }

  get selected(): string | null {
    return this.symbol;
  }

  /** Points the chart holds (for the browser tests: the series has data). */
  pointCount(): number {
    return this.series.data().length;
  }

  render(): void {
    const row = this.symbol ? this.market.rows.get(this.symbol) : undefined;
    if (!row) {
      this.title.textContent = this.symbol ? `${this.symbol} — not on the board` : "Select a symbol";
      return;
    }
    if (row.barsVersion === this.shownVersion) return;
    this.shownVersion = row.barsVersion;
    const bars = row.bars;
    if (bars.length === 0) {
      if (this.shownBars !== 0) this.series.setData([]);
      this.shownBars = 0;
      return;
    }
    const scale = row.definition.priceScale;
    // A reset (new epoch) or the bounded history dropping old bars: redraw from scratch.
    if (this.shownBars === 0 || bars[0].time !== this.firstTime || bars.length < this.shownBars) {
      this.series.applyOptions({ priceFormat: { type: "price", precision: scale, minMove: 1 / 10 ** scale } });
      this.series.setData(bars.map((b) => ({ ...b, time: (b.time + this.tzShift) as UTCTimestamp })));
      this.firstTime = bars[0].time;
      this.title.textContent = `${row.name} · mid · 1s`;
    } else {
      // Only the newest bars can have changed since the last frame.
      for (let i = Math.max(0, this.shownBars - 1); i < bars.length; i++) {
        this.series.update({ ...bars[i], time: (bars[i].time + this.tzShift) as UTCTimestamp });
      }
    }
    this.shownBars = bars.length;
  }
}
