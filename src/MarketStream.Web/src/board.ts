// The quote board view. render() runs once per animation frame and touches only rows marked dirty
// (plus the age column a few times a second), so a burst of updates costs one DOM write per changed
// cell per frame however many updates arrived in between. Flashes use the Web Animations API: no
// class toggling, no forced layout.

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
  /** Values on screen, compared to pick the flash direction. */
  shown: { bid: bigint | null; ask: bigint | null; last: bigint | null };
}

const FLASH_UP = [{ backgroundColor: "rgba(38, 166, 154, 0.55)" }, { backgroundColor: "rgba(38, 166, 154, 0)" }];
const FLASH_DOWN = [{ backgroundColor: "rgba(239, 83, 80, 0.55)" }, { backgroundColor: "rgba(239, 83, 80, 0)" }];
const FLASH_TIMING: KeyframeAnimationOptions = { duration: 700, easing: "ease-out" };
const AGE_REFRESH_MS = 250;

export class BoardView {
  private readonly views = new Map<string, RowView>();
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
      if (row.dirty) {
        this.update(view, row);
        row.dirty = false;
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
    };
    this.body.appendChild(tr);
    return view;
  }

  private update(view: RowView, row: Row): void {
    const scale = row.definition.priceScale;
    setPrice(view.bid, row.bid, view.shown.bid, scale);
    setPrice(view.ask, row.ask, view.shown.ask, scale);
    setPrice(view.last, row.last, view.shown.last, scale);
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

  private sortRows(): void {
    const names = [...this.views.keys()].sort();
    for (const name of names) this.body.appendChild(this.views.get(name)!.tr);
  }
}

function setPrice(td: HTMLTableCellElement, value: bigint | null, shown: bigint | null, scale: number): void {
  if (value === null) {
    setText(td, "–");
    return;
  }
  setText(td, formatFixed(value, scale));
  if (shown !== null && value !== shown) {
    td.animate(value > shown ? FLASH_UP : FLASH_DOWN, FLASH_TIMING);
    td.classList.toggle("tick-up", value > shown);
    td.classList.toggle("tick-down", value < shown);
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
