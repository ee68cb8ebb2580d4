// Contacts list: search, stage chips with counts, sort toggle, paged rows,
// the empty state and the no-matches message.
import type { App } from "../app";
import type { Contact } from "../bindings/Contact";
import type { Stage } from "../bindings/Stage";
import { h, replace } from "../dom";
import { formatDate, stageName, t } from "../i18n";
import { button, STAGES, stageBadge } from "./common";

export class ListView {
  readonly el: HTMLElement;
  private readonly app: App;
  private readonly search: HTMLInputElement;
  private readonly toolbar: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly body: HTMLElement;

  constructor(app: App) {
    this.app = app;
    this.search = h("input", {
      type: "search",
      class: "search",
      "data-testid": "search",
      placeholder: t("list.search_placeholder"),
      "aria-label": t("list.search"),
      title: t("list.search_title"),
      "aria-keyshortcuts": "/",
      autocomplete: "off",
      spellcheck: "false",
      value: app.list.search,
      oninput: () => app.setSearch(this.search.value),
      onkeydown: (ev: KeyboardEvent) => this.onSearchKey(ev),
    });
    this.chips = h("div", { class: "chips", role: "group", "aria-label": t("list.filter") });
    this.toolbar = h("div", { class: "toolbar" }, h("div", { class: "search-wrap" }, this.search), this.chips);
    this.body = h("div", { class: "list-body" });
    this.el = h("section", { class: "list-view", "aria-label": t("list.contacts") }, this.toolbar, this.body);
  }

  private onSearchKey(ev: KeyboardEvent): void {
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      this.rows()[0]?.focus();
    } else if (ev.key === "Escape" && this.search.value) {
      ev.preventDefault();
      this.search.value = "";
      this.app.setSearch("");
    }
  }

  /** Re-renders from `app.list` (the search input is kept so typing is not disturbed). */
  update(): void {
    const q = this.app.list;
    const counts = q.counts;
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.id;
    const storeEmpty = counts !== null && counts.all === 0 && q.search.trim() === "";
    this.toolbar.hidden = storeEmpty;
    this.renderChips();
    if (storeEmpty) {
      replace(this.body, this.emptyState());
    } else if (counts === null) {
      replace(this.body, q.loading ? h("p", { class: "muted pad" }, t("list.loading")) : null);
    } else if (q.items.length === 0 && !q.loading) {
      replace(this.body, this.noMatches());
    } else {
      replace(this.body, this.table(q.items), this.footer());
    }
    this.el.setAttribute("aria-busy", String(q.loading));
    if (focusedId) this.rows().find((r) => r.dataset.id === focusedId)?.focus();
  }

  private renderChips(): void {
    const q = this.app.list;
    const chip = (stage: Stage | null) => {
      const key = stage ?? "all";
      const count = q.counts ? q.counts[key] : 0;
      const active = q.stage === stage;
      return h(
        "button",
        {
          type: "button",
          class: `chip${active ? " active" : ""}${stage ? ` chip-${stage}` : ""}`,
          "data-testid": `stage-chip-${key}`,
          "aria-pressed": String(active),
          onclick: () => this.app.setStageFilter(stage),
        },
        h("span", { class: "chip-label" }, stage ? stageName(stage) : t("stage.all")),
        h("span", { class: "chip-count", "data-testid": "chip-count" }, count),
      );
    };
    const sortLabel = q.sort === "name" ? t("list.sort_name") : t("list.sort_last_change");
    replace(
      this.chips,
      chip(null),
      STAGES.map(chip),
      h("div", { class: "spacer" }),
      h("button", {
        type: "button", class: "btn btn-ghost sort", "data-testid": "sort-toggle", "data-sort": q.sort,
        title: t("list.sort_title"), onclick: () => this.app.toggleSort(),
      }, h("span", { "aria-hidden": "true" }, "⇅ "), sortLabel),
    );
  }

  private emptyState(): HTMLElement {
    return h(
      "div",
      { class: "empty-state", "data-testid": "empty-state" },
      h("div", { class: "empty-art", "aria-hidden": "true" }, "☺"),
      h("h2", null, t("empty.title")),
      h("p", null, t("empty.text")),
      h(
        "div",
        { class: "row-actions" },
        button(t("empty.create"), {
          testid: "create-first-contact", kind: "primary", title: t("action.new_contact_title"), keys: "n",
          onclick: () => this.app.openForm(null),
        }),
        button(t("empty.demo"), { testid: "load-demo", onclick: () => void this.app.loadDemo() }),
      ),
    );
  }

  private noMatches(): HTMLElement {
    const q = this.app.list;
    const query = q.search.trim();
    const text = query
      ? t("list.no_matches", { query })
      : t("list.no_matches_stage", { stage: q.stage ? stageName(q.stage) : t("stage.all") });
    return h(
      "div",
      { class: "no-matches", "data-testid": "no-matches" },
      h("p", null, text),
      query
        ? button(t("list.clear_search"), {
            onclick: () => {
              this.search.value = "";
              this.app.setSearch("");
              this.search.focus();
            },
          })
        : null,
    );
  }

  private table(items: Contact[]): HTMLElement {
    const head = h(
      "div",
      { class: "row head", "aria-hidden": "true" },
      h("span", null, t("field.name")),
      h("span", null, t("field.organization")),
      h("span", null, t("field.stage")),
      h("span", null, t("field.contact")),
      h("span", { class: "num" }, t("list.col_changed")),
    );
    return h(
      "div",
      { class: "rows" },
      head,
      h("ul", { class: "row-list", role: "list", "aria-label": t("list.contacts") }, items.map((c) => this.row(c))),
    );
  }

  private row(c: Contact): HTMLElement {
    const reach = [c.emails[0], c.phones[0]].filter(Boolean).join(" · ");
    return h(
      "li",
      {
        class: "row",
        tabindex: 0,
        "data-testid": "contact-row",
        "data-id": c.id,
        onclick: () => void this.app.openContact(c.id),
        onkeydown: (ev: KeyboardEvent) => {
          if (ev.key === "Enter") {
            ev.preventDefault();
            void this.app.openContact(c.id);
          }
        },
      },
      h(
        "span",
        { class: "cell name" },
        h("span", { class: "row-name", "data-testid": "row-name" }, c.display_name),
        c.title ? h("span", { class: "row-title" }, c.title) : null,
      ),
      h("span", { class: "cell org" }, c.organization ?? ""),
      h("span", { class: "cell" }, stageBadge(c.stage)),
      h("span", { class: "cell reach" }, reach),
      h("span", { class: "cell num date", title: c.updated_at }, formatDate(c.updated_at)),
    );
  }

  private footer(): HTMLElement {
    const q = this.app.list;
    const more = q.items.length < q.total;
    return h(
      "div",
      { class: "list-footer" },
      h("span", { class: "muted" }, t("list.showing", { shown: q.items.length, total: q.total })),
      more
        ? h("button", {
            type: "button", class: "btn", "data-testid": "load-more", disabled: q.loading,
            onclick: () => void this.app.loadMore(),
          }, q.loading ? t("list.loading") : t("list.load_more"))
        : null,
    );
  }

  rows(): HTMLElement[] {
    return Array.from(this.body.querySelectorAll<HTMLElement>('[data-testid="contact-row"]'));
  }

  /** Arrow-key navigation between rows. */
  moveFocus(delta: number): void {
    const rows = this.rows();
    if (rows.length === 0) return;
    const i = rows.indexOf(document.activeElement as HTMLElement);
    const next = i < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, i + delta));
    rows[next].focus();
    rows[next].scrollIntoView?.({ block: "nearest" });
  }
}
