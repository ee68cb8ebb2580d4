// The pipeline board: one column per deal stage with count, total and
// weighted total (per currency), cards with value, close date, next step and
// the "no next step" / "rotting" markers. Cards move by pointer drag (pointer
// events, so mouse, touch and WebDriver actions all work; a ghost follows the
// pointer and the column under it is highlighted) or by keyboard (Shift+←/→;
// Enter opens). Moves are announced in an aria-live region.
import type { Shell } from "../shell";
import type { DealCard } from "../bindings/DealCard";
import type { PipelineColumn } from "../bindings/PipelineColumn";
import { h, replace } from "../dom";

import { dealStageName, formatDay, formatMoney, formatMoneyList, plural, t } from "../i18n";
import { button } from "./common";

/** Pixels the pointer must travel before a press becomes a drag. */
export const DRAG_THRESHOLD = 4;

interface Drag {
  card: HTMLElement;
  dealId: string;
  from: string;
  pointerId: number;
  x: number;
  y: number;
  started: boolean;
  ghost: HTMLElement | null;
  over: HTMLElement | null;
}

export class PipelineView {
  readonly el: HTMLElement;
  private readonly live: HTMLElement;
  private readonly body: HTMLElement;
  private drag: Drag | null = null;
  /** Set after a drag so the click that follows does not open the deal. */
  private suppressClick = false;

  constructor(private readonly app: Shell) {
    this.live = h("div", { class: "sr-only", "aria-live": "polite", "data-testid": "pipeline-live" });
    this.body = h("div", { class: "pipeline-body" });
    this.el = h("section", { class: "pipeline-view", "data-testid": "pipeline-view" }, this.body, this.live);
    this.el.addEventListener("pointermove", (ev) => this.onMove(ev as PointerEvent));
    this.el.addEventListener("pointerup", (ev) => this.onUp(ev as PointerEvent));
    this.el.addEventListener("pointercancel", () => this.cancelDrag());
  }

  /** Says something to screen readers (and keeps it readable for tests). */
  announce(text: string): void {
    this.live.textContent = text;
  }

  update(): void {
    const st = this.app.pipeline;
    const data = st.data;
    const head = h(
      "header",
      { class: "pipeline-head" },
      h("h1", { tabindex: -1, "data-testid": "pipeline-heading" }, t("pipeline.title")),
      data
        ? h("div", { class: "stats pipeline-totals" },
            h("div", { class: "stat" }, h("span", { class: "stat-label" }, t("pipeline.open_total")),
              h("span", { class: "stat-num", "data-testid": "pipeline-total" }, formatMoneyList(data.total))),
            h("div", { class: "stat" }, h("span", { class: "stat-label" }, t("pipeline.weighted")),
              h("span", { class: "stat-num", "data-testid": "pipeline-weighted" }, formatMoneyList(data.weighted))))
        : null,
      h("span", { class: "spacer" }),
      button(t("pipeline.new_deal"), {
        testid: "deal-new", kind: "primary", title: t("pipeline.new_deal_title"), keys: "d", onclick: () => this.app.openDealDialog(null),
      }),
    );
    const hint = h("p", { class: "hint", id: "pipeline-hint" }, t("pipeline.keys_hint"));
    if (!data) {
      replace(this.body, head, h("p", { class: "muted pad", "aria-busy": "true" }, t("pipeline.loading")));
      return;
    }
    const empty = data.columns.every((c) => c.count === 0);
    replace(
      this.body,
      head,
      hint,
      empty ? h("p", { class: "muted", "data-testid": "pipeline-empty" }, t("pipeline.empty")) : null,
      h("div", { class: "pipeline-board", "data-testid": "pipeline-board", "aria-busy": st.loading ? "true" : "false" },
        data.columns.map((c, i) => this.column(c, i))),
    );
  }

  private column(col: PipelineColumn, index: number): HTMLElement {
    const s = col.stage;
    const name = dealStageName(this.app.settings.deal_stages.length ? this.app.settings.deal_stages : [s], s.key) || s.key;
    const headId = `col-${s.key}`;
    return h(
      "section",
      {
        class: `pipeline-column outcome-${s.outcome}`, "data-testid": "pipeline-column", "data-stage": s.key,
        "data-index": index, "aria-labelledby": headId,
      },
      h("header", { class: "column-head" },
        h("h2", { id: headId },
          h("span", { class: "column-name", "data-testid": "column-name" }, name),
          h("span", { class: "chip-count", "data-testid": "column-count", "aria-label": plural("pipeline.deals", col.count) }, String(col.count))),
        h("div", { class: "column-sums" },
          h("span", { "data-testid": "column-total", title: t("pipeline.total") }, formatMoneyList(col.total)),
          s.outcome === "open"
            ? h("span", { class: "muted", "data-testid": "column-weighted", title: t("pipeline.weighted") },
                `${t("pipeline.weighted")} ${formatMoneyList(col.weighted)}`)
            : h("span", { class: "muted", "data-testid": "column-weighted", title: t("pipeline.weighted") }, `${s.probability} %`))),
      h("ol", { class: "column-cards" },
        col.deals.length
          ? col.deals.map((card) => h("li", null, this.card(card, s.key)))
          : h("li", { class: "muted column-empty" }, t("pipeline.empty_column"))),
    );
  }

  private card(card: DealCard, stage: string): HTMLElement {
    const d = card.deal;
    const markers = [
      card.no_next_step ? h("span", { class: "marker marker-warn", "data-testid": "marker-no-next-step", title: t("pipeline.no_next_step") }, "⚠ ", t("pipeline.no_next_step")) : null,
      card.rotting && card.days_idle !== null
        ? h("span", { class: "marker marker-rot", "data-testid": "marker-rotting" }, "◷ ", plural("pipeline.idle", card.days_idle))
        : null,
    ];
    const label = [d.title, card.contact_name, formatMoney(d.value, d.currency)].join(", ");
    const el = h(
      "article",
      {
        class: `deal-card${card.rotting ? " rotting" : ""}`, "data-testid": "deal-card", "data-deal-id": d.id, "data-stage": stage,
        tabindex: 0, role: "button", "aria-label": label, "aria-describedby": "pipeline-hint", "aria-keyshortcuts": "Shift+ArrowLeft Shift+ArrowRight Enter",
        onpointerdown: (ev: PointerEvent) => this.onDown(ev, el, d.id, stage),
        onclick: () => {
          if (this.suppressClick) {
            this.suppressClick = false;
            return;
          }
          void this.app.openDeal(d.id);
        },
        onkeydown: (ev: KeyboardEvent) => this.onKey(ev, d.id, stage),
      },
      h("div", { class: "card-line" },
        h("strong", { class: "deal-title", "data-testid": "deal-title-text" }, d.title),
        h("span", { class: "deal-value num", "data-testid": "deal-value-text" }, formatMoney(d.value, d.currency))),
      h("div", { class: "card-line muted" },
        h("span", { "data-testid": "deal-contact" }, card.contact_name),
        d.close_date ? h("time", { datetime: d.close_date, "data-testid": "deal-close-text" }, formatDay(d.close_date)) : null),
      d.next_step ? h("div", { class: "card-next", "data-testid": "deal-next-step-text" }, "→ ", d.next_step) : null,
      markers.some(Boolean) ? h("div", { class: "card-markers" }, markers) : null,
    );
    return el;
  }

  // ---- keyboard ----

  private onKey(ev: KeyboardEvent, dealId: string, stage: string): void {
    const cols = this.app.pipeline.data?.columns ?? [];
    const i = cols.findIndex((c) => c.stage.key === stage);
    if (ev.key === "Enter") {
      ev.preventDefault();
      void this.app.openDeal(dealId);
    } else if (ev.shiftKey && (ev.key === "ArrowRight" || ev.key === "ArrowLeft")) {
      ev.preventDefault();
      const to = cols[i + (ev.key === "ArrowRight" ? 1 : -1)];
      if (to) void this.app.moveDeal(dealId, to.stage.key);
    } else if (!ev.shiftKey && (ev.key === "ArrowDown" || ev.key === "ArrowUp" || ev.key === "ArrowLeft" || ev.key === "ArrowRight")) {
      // Plain arrows move the focus: up/down within the column, left/right to the neighbour column.
      ev.preventDefault();
      const cards = (c: Element | undefined | null) => Array.from(c?.querySelectorAll<HTMLElement>('[data-testid="deal-card"]') ?? []);
      const here = (ev.currentTarget as HTMLElement).closest('[data-testid="pipeline-column"]');
      const mine = cards(here);
      const k = mine.indexOf(ev.currentTarget as HTMLElement);
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        mine[k + (ev.key === "ArrowDown" ? 1 : -1)]?.focus();
      } else {
        const columns = Array.from(this.el.querySelectorAll('[data-testid="pipeline-column"]'));
        const step = ev.key === "ArrowRight" ? 1 : -1;
        for (let j = columns.indexOf(here!) + step; j >= 0 && j < columns.length; j += step) {
          const next = cards(columns[j]);
          if (next.length) {
            next[Math.min(k, next.length - 1)].focus();
            break;
          }
        }
      }
    }
  }

  /** Focuses a card after a re-render (or the heading when it is gone). */
  focusCard(dealId: string): void {
    const el = Array.from(this.el.querySelectorAll<HTMLElement>('[data-testid="deal-card"]')).find((c) => c.dataset.dealId === dealId);
    (el ?? this.el.querySelector<HTMLElement>('[data-testid="pipeline-heading"]'))?.focus();
  }

  // ---- pointer drag ----

  private onDown(ev: PointerEvent, card: HTMLElement, dealId: string, from: string): void {
    if (ev.button !== undefined && ev.button !== 0) return;
    if (ev.isPrimary === false) return;
    this.cancelDrag();
    this.drag = { card, dealId, from, pointerId: ev.pointerId, x: ev.clientX, y: ev.clientY, started: false, ghost: null, over: null };
  }

  private onMove(ev: PointerEvent): void {
    const d = this.drag;
    if (!d || ev.pointerId !== d.pointerId) return;
    if (!d.started) {
      if (Math.hypot(ev.clientX - d.x, ev.clientY - d.y) < DRAG_THRESHOLD) return;
      d.started = true;
      d.card.classList.add("dragging");
      const rect = d.card.getBoundingClientRect();
      const ghost = d.card.cloneNode(true) as HTMLElement;
      ghost.removeAttribute("data-testid");
      ghost.removeAttribute("tabindex");
      ghost.setAttribute("aria-hidden", "true");
      ghost.classList.add("drag-ghost");
      ghost.style.width = `${rect.width || 220}px`;
      document.body.appendChild(ghost);
      d.ghost = ghost;
    }
    ev.preventDefault();
    if (d.ghost) d.ghost.style.transform = `translate(${ev.clientX + 6}px, ${ev.clientY + 6}px)`;
    const col = this.columnAt(ev);
    if (col !== d.over) {
      d.over?.classList.remove("drop-target");
      col?.classList.add("drop-target");
      d.over = col;
    }
  }

  private onUp(ev: PointerEvent): void {
    const d = this.drag;
    if (!d || ev.pointerId !== d.pointerId) return;
    const col = d.started ? this.columnAt(ev) : null;
    const started = d.started;
    this.cancelDrag();
    if (!started) return;
    this.suppressClick = true;
    setTimeout(() => { this.suppressClick = false; }, 0);
    const to = col?.dataset.stage;
    if (to && to !== d.from) void this.app.moveDeal(d.dealId, to);
  }

  /** The column under the pointer: by hit test where the browser has one, else the event's target. */
  private columnAt(ev: PointerEvent): HTMLElement | null {
    const hit = typeof document.elementFromPoint === "function" ? document.elementFromPoint(ev.clientX, ev.clientY) : null;
    const target = hit ?? (ev.target instanceof Element ? ev.target : null);
    const col = target?.closest<HTMLElement>('[data-testid="pipeline-column"]') ?? null;
    return col && this.el.contains(col) ? col : null;
  }

  cancelDrag(): void {
    const d = this.drag;
    if (!d) return;
    d.ghost?.remove();
    d.card.classList.remove("dragging");
    d.over?.classList.remove("drop-target");
    this.drag = null;
  }
}
