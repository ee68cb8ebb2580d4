// Saved views beside the contacts list: "All contacts" and each view with
// its live count (click to show it, × to delete it), and the filter panel
// (tag, score range, source, city or postcode, no next task, a task
// overdue, no activity for N days) that filters the list and saves the
// filter with the current stage as a named view.
import type { ContactFilter } from "../bindings/ContactFilter";
import type { SavedView } from "../bindings/SavedView";
import { h, replace } from "../dom";
import { formatNumber, stageName, t } from "../i18n";
import type { Shell } from "../shell";
import { button } from "./common";

/** The sidebar's content. */
export function viewsSidebar(app: Shell): HTMLElement[] {
  const q = app.list;
  const views = app.settings.saved_views;
  const count = (id: string) => q.viewCounts?.find((c) => c.id === id)?.count;
  const item = (view: SavedView | null) => {
    const active = view ? q.view === view.id : q.view === null && q.filter === null;
    const n = view ? count(view.id) : q.counts?.all;
    return h("li", { class: `view-item${active ? " active" : ""}` },
      h("button", {
        type: "button", class: "view-btn", "data-testid": view ? "saved-view" : "view-all", "data-id": view?.id ?? null,
        "aria-pressed": String(active), title: view ? describe(view) : t("views.all"),
        onclick: () => app.showSavedView(view),
      },
      h("span", { class: "view-name" }, view ? view.name : t("views.all")),
      h("span", { class: "view-count muted", "data-testid": view ? "saved-view-count" : "view-all-count" }, n === undefined ? "…" : formatNumber(n))),
      view
        ? h("button", {
            type: "button", class: "btn btn-ghost view-delete", "data-testid": "saved-view-delete",
            "aria-label": t("views.delete", { name: view.name }), title: t("views.delete", { name: view.name }),
            onclick: () => void app.saveSettings({ ...app.settings, saved_views: views.filter((v) => v.id !== view.id) })
              .then(() => { if (q.view === view.id) app.showSavedView(null); })
              .catch((e) => app.showError(e)),
          }, "×")
        : null);
  };
  return [
    h("h2", { class: "views-head" }, t("views.title")),
    h("ul", { class: "views-list", role: "list" }, item(null), views.map(item),
      q.filter && q.view === null
        ? h("li", { class: "view-item active" }, h("span", { class: "view-btn", "data-testid": "view-unsaved" },
            h("span", { class: "view-name" }, t("views.unsaved")), h("span", { class: "view-count muted" }, formatNumber(q.total))))
        : null),
  ];
}

/** A view's filter in words, for its tooltip. */
function describe(view: SavedView): string {
  const f = view.filter;
  const parts = [
    view.stage ? stageName(view.stage) : null,
    f.tag ? `${t("filter.tag")}: ${f.tag}` : null,
    f.score_min !== null || f.score_max !== null ? `${t("filter.score")}: ${f.score_min ?? 0}–${f.score_max ?? 100}` : null,
    f.source ? `${t("filter.source")}: ${f.source}` : null,
    f.place ? `${t("filter.place")}: ${f.place}` : null,
    f.no_next_task ? t("filter.no_next_task") : null,
    f.task_overdue ? t("filter.task_overdue") : null,
    f.inactive_days !== null ? t("filter.inactive_n", { n: f.inactive_days }) : null,
  ];
  return parts.filter(Boolean).join(" · ");
}

const EMPTY: ContactFilter = {
  tag: null, score_min: null, score_max: null, source: null, place: null, no_next_task: false, task_overdue: false, inactive_days: null,
};

/** The filter panel; `close` hides it. */
export function filterPanel(app: Shell, close: () => void): HTMLElement {
  const f = app.list.filter ?? EMPTY;
  const text = (id: string, label: string, value: string | null, placeholder = "") => {
    const input = h("input", { id, type: "text", "data-testid": id, value: value ?? "", autocomplete: "off", placeholder }) as HTMLInputElement;
    return { input, el: h("div", { class: "field" }, h("label", { for: id, class: "label" }, label), input) };
  };
  const num = (id: string, label: string, value: number | null, max: number) => {
    const input = h("input", { id, type: "number", min: 0, max, step: 1, class: "num-input", "data-testid": id, value: value === null ? "" : String(value) }) as HTMLInputElement;
    return { input, el: h("div", { class: "field" }, h("label", { for: id, class: "label" }, label), input) };
  };
  const check = (id: string, label: string, on: boolean) => {
    const input = h("input", { id, type: "checkbox", "data-testid": id, checked: on }) as HTMLInputElement;
    return { input, el: h("label", { class: "check inline", for: id }, input, h("span", null, label)) };
  };
  const tag = text("filter-tag", t("filter.tag"), f.tag);
  const source = text("filter-source", t("filter.source"), f.source);
  const place = text("filter-place", t("filter.place"), f.place, t("filter.place_placeholder"));
  const min = num("filter-score-min", t("filter.score_min"), f.score_min, 100);
  const max = num("filter-score-max", t("filter.score_max"), f.score_max, 100);
  const inactive = num("filter-inactive", t("filter.inactive"), f.inactive_days, 3650);
  const noTask = check("filter-no-task", t("filter.no_next_task"), f.no_next_task);
  const overdue = check("filter-overdue", t("filter.task_overdue"), f.task_overdue);
  const name = h("input", {
    id: "filter-name", type: "text", "data-testid": "filter-name", autocomplete: "off", placeholder: t("filter.name_placeholder"),
    value: app.settings.saved_views.find((v) => v.id === app.list.view)?.name ?? "",
  }) as HTMLInputElement;
  const slot = h("div", { class: "error-slot", "data-testid": "filter-error" });
  const value = (s: string) => (s.trim() === "" ? null : s.trim());
  const count = (s: string) => (s.trim() === "" ? null : Math.max(0, Math.round(Number(s))));
  const read = (): ContactFilter | null => {
    const filter: ContactFilter = {
      tag: value(tag.input.value), source: value(source.input.value), place: value(place.input.value),
      score_min: count(min.input.value), score_max: count(max.input.value), inactive_days: count(inactive.input.value),
      no_next_task: noTask.input.checked, task_overdue: overdue.input.checked,
    };
    if (filter.score_min !== null && filter.score_max !== null && filter.score_min > filter.score_max) {
      replace(slot, t("filter.score_order"));
      min.input.focus();
      return null;
    }
    replace(slot);
    return filter;
  };
  const empty = (filter: ContactFilter) => JSON.stringify(filter) === JSON.stringify(EMPTY);
  const save = async () => {
    const filter = read();
    if (!filter) return;
    const label = name.value.trim();
    if (!label) {
      replace(slot, t("filter.name_needed"));
      return name.focus();
    }
    const others = app.settings.saved_views.filter((v) => v.name.toLowerCase() !== label.toLowerCase());
    const view: SavedView = { id: `view-${Date.now().toString(36)}`, name: label, stage: app.list.stage, filter };
    try {
      await app.saveSettings({ ...app.settings, saved_views: [...others, view] });
      close();
      app.showSavedView(view);
      app.showToast(t("views.saved", { name: label }));
    } catch (e) {
      app.showError(e, slot);
    }
  };
  return h("form", {
    class: "filter-panel", "data-testid": "filter-panel", novalidate: true, "aria-label": t("filter.title"),
    onsubmit: (ev: Event) => {
      ev.preventDefault();
      const filter = read();
      if (filter) app.setListFilter(empty(filter) ? null : filter);
    },
  },
  h("div", { class: "filter-grid" }, tag.el, source.el, place.el, min.el, max.el, inactive.el),
  h("div", { class: "filter-checks" }, noTask.el, overdue.el),
  slot,
  h("div", { class: "filter-actions" },
    button(t("filter.apply"), { testid: "filter-apply", kind: "primary", type: "submit", onclick: () => {} }),
    button(t("filter.clear"), { testid: "filter-clear", onclick: () => { close(); app.setListFilter(null); } }),
    h("span", { class: "spacer" }),
    h("label", { for: "filter-name", class: "label" }, t("filter.save_as")), name,
    button(t("filter.save"), { testid: "filter-save", onclick: () => void save() })),
  );
}
