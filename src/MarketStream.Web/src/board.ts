// The quote board view. render() runs once per animation frame and touches only rows marked dirty
// (plus the age column a few times a second), at most every ROW_REFRESH_MS per row, so a burst of
// updates costs a bounded number of DOM writes however many updates arrived in between: painting
// a hundred changing rows at 60 fps in software raster is what freezes a page, not decoding.
// Flashes are a class set on change and cleared FLASH_MS later: two style changes per flash, no
// per-frame animation (background-colour animations on hundreds of cells cost a repaint of each on
// every frame, which measured as the difference between ~8 and ~90 fps during a full-mode burst).

import type { Market, Row } from "./market";
import { formatAge, formatFixed, formatPercent, formatSigned, formatVolume } from "./format";

interface RowView {
  tr: HTMLTableRowElement;
  bid: HTMLTableCellElement;
  ask: HTMLTableCellElement;
  last: HTMLTableCellElement;
  change: HTMLTableCellElement;
  volume: HTMLTableCellElement;
  age: HTMLTableCellElement;
  renderedAt: number;
  /** Values on screen, compared to pick the flash direction. */
  shown: { bid: bigint | null; ask: bigint | null; last: bigint | null };
}

/** How long a flashed cell keeps its up/down background, and how soon it may flash again. */
const FLASH_MS = 350;
const FLASH_MIN_GAP_MS = 250;
const AGE_REFRESH_MS = 250;
/** A row's cells are rewritten at most this often (a person reads no faster); the state behind
 * them is always current, so the next write shows the latest value, never a stale one. */
const ROW_REFRESH_MS = 100;

export class BoardView {
  private readonly views = new Map<string, RowView>();
  /** Cells currently flashed, with the time their flash ends. */
  private readonly flashing = new Map<HTMLTableCellElement, number>();
  private lastAgeRefresh = 0;
  selected: string | null = null;
  onSelect: ((name: string) => void) | null = null;

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly market: Market,
  ) {
    body.addEventListener("click", (ev) => {
      const tr = (ev.target as HTMLElement).closest("tr");
      const name = tr?.dataset.symbol;
      if (name) this.onSelect?.(name);
    });
  }

  render(now: number, stale: boolean): void {
    for (const [td, until] of this.flashing) {
      if (now >= until) {
        td.classList.remove("flash-up", "flash-down");
        this.flashing.delete(td);
      }
    }
    let structural = false;
    for (const [name, view] of this.views) {
      if (!this.market.rows.has(name)) {
        view.tr.remove();
        this.views.delete(name);
      }
    }
    for (const row of this.market.rows.values()) {
      let view = this.views.get(row.name);
      if (!view) {
        view = this.createRow(row);
        this.views.set(row.name, view);
        structural = true;
      }
      if (row.dirty && now - view.renderedAt >= ROW_REFRESH_MS) {
        this.update(view, row, now);
        row.dirty = false;
        view.renderedAt = now;
      }
    }
    if (structural) this.sortRows();
    if (now - this.lastAgeRefresh >= AGE_REFRESH_MS) {
      this.lastAgeRefresh = now;
      for (const [name, view] of this.views) {
        const row = this.market.rows.get(name)!;
        const text = row.changedAt === 0 ? "–" : formatAge(now - row.changedAt);
        if (view.age.textContent !== text) view.age.textContent = text;
        view.tr.classList.toggle("stale", stale || (row.changedAt !== 0 && now - row.changedAt > 10_000));
        view.tr.classList.toggle("selected", name === this.selected);
      }
    }
  }

  private createRow(row: Row): RowView {
    const tr = document.createElement("tr");
    tr.dataset.symbol = row.name;
    const cell = (cls: string): HTMLTableCellElement => {
      const td = document.createElement("td");
      td.className = cls;
      tr.appendChild(td);
      return td;
    };
    const sym = cell("sym");
    sym.textContent = row.name;
    sym.title = [row.definition.currency, row.definition.venue].filter(Boolean).join(" · ");
    const view: RowView = {
      tr,
      bid: cell("num bid"),
      ask: cell("num ask"),
      last: cell("num last"),
      change: cell("num chg"),
      volume: cell("num vol"),
      age: cell("num age"),
      shown: { bid: null, ask: null, last: null },
      renderedAt: -Infinity,
    };
    this.body.appendChild(tr);
    return view;
  }

  private update(view: RowView, row: Row, now: number): void {
    const scale = row.definition.priceScale;
    this.setPrice(view.bid, row.bid, view.shown.bid, scale, now);
    this.setPrice(view.ask, row.ask, view.shown.ask, scale, now);
    this.setPrice(view.last, row.last, view.shown.last, scale, now);
    view.shown = { bid: row.bid, ask: row.ask, last: row.last };

    if (row.last !== null && row.open !== null) {
      const delta = row.last - row.open;
      setText(view.change, `${formatSigned(delta, scale)} ${formatPercent(delta, row.open)}`);
      view.change.classList.toggle("up", delta > 0n);
      view.change.classList.toggle("down", delta < 0n);
    } else {
      setText(view.change, "–");
    }
    setText(view.volume, formatVolume(row.volume, row.definition.sizeScale));
  }

  private setPrice(td: HTMLTableCellElement, value: bigint | null, shown: bigint | null, scale: number, now: number): void {
    if (value === null) {
      setText(td, "–");
      return;
    }
    setText(td, formatFixed(value, scale));
    if (shown === null || value === shown) return;
    const up = value > shown;
    td.classList.toggle("tick-up", up);
    td.classList.toggle("tick-down", !up);
    const until = this.flashing.get(td);
    if (until !== undefined && now - (until - FLASH_MS) < FLASH_MIN_GAP_MS) return;
    td.classList.toggle("flash-up", up);
    td.classList.toggle("flash-down", !up);
    this.flashing.set(td, now + FLASH_MS);
  }

  private sortRows(): void {
    const names = [...this.views.keys()].sort();
    for (const name of names) this.body.appendChild(this.views.get(name)!.tr);
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
