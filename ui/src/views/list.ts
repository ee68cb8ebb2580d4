// Contacts list: search, stage chips with counts (plus "ready to qualify"),
// sort toggle, paged rows with a score that expands into its line items, the
// empty state and the no-matches message. With search text, the rows show
// what matched (marked) and the organisations and deals found follow in
// groups of their own; ↑/↓ walk all of them, Enter opens one. Rows can be
// selected for bulk changes (bulk.ts).
import type { Shell } from "../shell";
import type { Contact } from "../bindings/Contact";
import type { ContactMatch } from "../bindings/ContactMatch";
import type { MatchContext } from "../bindings/MatchContext";
import type { SearchHit } from "../bindings/SearchHit";
import type { Score } from "../bindings/Score";
import type { SortOrder } from "../bindings/SortOrder";
import type { Stage } from "../bindings/Stage";
import { h, replace, type Child } from "../dom";

import { formatDate, formatNumber, stageName, t } from "../i18n";
import * as ipc from "../ipc";
import { bulkBar, Selection } from "./bulk";
import { filterPanel, viewsSidebar } from "./savedViews";
import { button, fromFirstMark, link, marked, STAGES, stageBadge, telHref } from "./common";
import { scoreLineList } from "./score";

/** The orders offered, as the core has them. */
const SORTS: readonly SortOrder[] = ["last_name", "name", "company", "score", "stage", "next_task", "last_activity", "last_change"];

export class ListView {
  readonly el: HTMLElement;
  private readonly app: Shell;
  private readonly search: HTMLInputElement;
  private readonly toolbar: HTMLElement;
  private readonly sortSlot = h("span", { class: "sort" });
  private readonly chips: HTMLElement;
  private readonly body: HTMLElement;
  /** Scores fetched for the row popovers (get_score, lazily); cleared on every update. */
  private readonly scores = new Map<string, Promise<Score>>();
  /** The row whose score lines are expanded by click/keyboard. */
  private expanded: string | null = null;
  /** Rows selected for a bulk change. */
  readonly selection = new Selection();
  /** Saved views and their counts, beside the list. */
  private readonly sidebar = h("aside", { class: "views-sidebar", "data-testid": "views-sidebar", "aria-label": t("views.title") });
  private readonly filterSlot = h("div", { class: "filter-slot" });
  private readonly filterBtn: HTMLButtonElement;

  constructor(app: Shell) {
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
    this.filterBtn = h("button", {
      type: "button", class: "btn", "data-testid": "filter-open", "aria-expanded": "false", title: t("filter.title"),
      onclick: () => this.toggleFilter(),
    }, t("filter.open")) as HTMLButtonElement;
    this.toolbar = h(
      "div",
      { class: "toolbar" },
      h(
        "div",
        { class: "search-wrap" },
        this.search,
        button(t("import.open"), { testid: "import-open", title: t("import.open_title"), onclick: () => app.openImport() }),
        button(t("dup.open"), { testid: "duplicates-open", title: t("dup.open_title"), onclick: () => app.openDuplicates() }),
        this.filterBtn,
        this.sortSlot,
      ),
      this.chips,
    );
    this.body = h("div", { class: "list-body" });
    this.el = h("div", { class: "list-layout" },
      this.sidebar,
      h("section", { class: "list-view", "aria-label": t("list.contacts") }, this.toolbar, this.filterSlot, this.body));
  }

  private toggleFilter(): void {
    this.app.list.filterOpen = !this.app.list.filterOpen;
    this.renderFilter();
    if (this.app.list.filterOpen) this.filterSlot.querySelector<HTMLInputElement>("input")?.focus();
    else this.filterBtn.focus();
  }

  private renderFilter(): void {
    const active = this.app.list.filter !== null;
    const open = this.app.list.filterOpen;
    this.filterBtn.setAttribute("aria-expanded", String(open));
    this.filterBtn.classList.toggle("active", active);
    this.filterBtn.textContent = active ? t("filter.open_active") : t("filter.open");
    replace(this.filterSlot, open ? filterPanel(this.app, () => { this.app.list.filterOpen = false; this.renderFilter(); }) : null);
  }

  /** Redraws the saved views and their counts. */
  updateViews(): void {
    replace(this.sidebar, ...viewsSidebar(this.app));
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
  /** Shows that the list is loading; the rows stay as they are until the answer. */
  busy(): void {
    if (this.app.list.counts === null) return this.update();
    this.el.setAttribute("aria-busy", "true");
    const more = this.body.querySelector<HTMLButtonElement>('[data-testid="load-more"]');
    if (more) {
      more.disabled = true;
      more.textContent = t("list.loading");
    }
  }

  update(): void {
    const q = this.app.list;
    const counts = q.counts;
    const focusedEl = document.activeElement as HTMLElement | null;
    const focusedId = focusedEl?.dataset?.id;
    const focusedScore = focusedEl?.dataset?.testid === "row-score" ? focusedEl.dataset.for : undefined;
    this.scores.clear();
    const storeEmpty = counts !== null && counts.all === 0 && q.search.trim() === "" && !q.organization && !q.rebuilding;
    this.toolbar.hidden = storeEmpty;
    this.sidebar.hidden = storeEmpty;
    this.updateViews();
    // An open panel keeps what is typed in it; it is drawn anew with a new view.
    if (!this.filterSlot.hasChildNodes() || !this.app.list.filterOpen) this.renderFilter();
    this.renderChips();
    const others = q.search.trim() ? this.otherHits() : null;
    const banner = q.rebuilding
      ? h("p", { class: "notice-inline", role: "status", "data-testid": "index-rebuilding" }, t("list.rebuilding"))
      : null;
    if (storeEmpty) {
      replace(this.body, this.emptyState());
    } else if (counts === null) {
      replace(this.body, banner, q.loading ? h("p", { class: "muted pad" }, t("list.loading")) : null);
    } else if (q.items.length === 0 && !q.loading) {
      replace(this.body, banner, others ?? this.noMatches());
    } else {
      this.selection.keepOnly(this.order());
      replace(this.body, banner, this.selection.size ? this.bar() : null, this.table(q.items), this.footer(), others);
    }
    this.el.setAttribute("aria-busy", String(q.loading));
    if (focusedId) this.rows().find((r) => r.dataset.id === focusedId)?.focus();
    if (focusedScore) this.body.querySelector<HTMLElement>(`[data-testid="row-score"][data-for="${focusedScore}"]`)?.focus();
    if (this.expanded && q.items.some((c) => c.id === this.expanded)) void this.showLines(this.expanded, true);
  }

  private renderChips(): void {
    const q = this.app.list;
    const chip = (stage: Stage | null) => {
      const key = stage ?? "all";
      const count = q.counts ? q.counts[key] : 0;
      const active = q.stage === stage && !q.ready;
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
    const ready = h(
      "button",
      {
        type: "button", class: `chip chip-ready${q.ready ? " active" : ""}`, "data-testid": "stage-chip-ready",
        "aria-pressed": String(q.ready), onclick: () => this.app.toggleReadyFilter(),
      },
      h("span", { class: "chip-star", "aria-hidden": "true" }, "★"),
      h("span", { class: "chip-label" }, t("list.ready")),
      h("span", { class: "chip-count", "data-testid": "chip-count" }, q.counts?.ready_to_qualify ?? 0),
    );
    const org = q.organization
      ? h(
          "button",
          {
            type: "button", class: "chip chip-org active", "data-testid": "org-filter",
            title: t("list.org_filter_clear"), onclick: () => this.app.clearOrganization(),
          },
          h("span", { class: "chip-label" }, t("list.org_filter", { name: q.organization.name })),
          h("span", { class: "chip-x", "aria-hidden": "true" }, "✕"),
        )
      : null;
    replace(
      this.chips,
      org,
      chip(null),
      STAGES.map(chip),
      h("span", { class: "chip-sep", "aria-hidden": "true" }),
      ready,
    );
    replace(this.sortSlot, this.sortSelect());
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
        button(t("import.open"), { testid: "empty-import", title: t("import.open_title"), onclick: () => this.app.openImport() }),
        button(t("empty.demo"), { testid: "load-demo", onclick: () => void this.app.loadDemo() }),
      ),
    );
  }

  private noMatches(): HTMLElement {
    const q = this.app.list;
    const query = q.search.trim();
    const text = query
      ? t("list.no_matches", { query })
      : q.ready
        ? t("list.no_matches_ready")
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

  /** Every order a list can take; the search's own order wins while searching. */
  private sortSelect(): HTMLElement {
    const q = this.app.list;
    const select = h(
      "select",
      {
        id: "sort-select", class: "sort-select", "data-testid": "sort-select", disabled: !!q.search.trim(),
        onchange: () => this.app.setSort(select.value as SortOrder),
      },
      SORTS.map((s) => h("option", { value: s, selected: s === q.sort }, t(`list.sort.${s}`))),
    );
    select.setAttribute("aria-label", t("list.sort"));
    select.title = t("list.sort");
    return select;
  }

  /** A column heading that sorts the list by it (on click, Enter or Space). */
  private sortHead(label: string, sort: SortOrder, cls = ""): HTMLElement {
    const active = this.app.list.sort === sort && !this.app.list.search.trim();
    return h("button", {
      type: "button", class: `col-sort${cls ? ` ${cls}` : ""}${active ? " active" : ""}`, "data-testid": `sort-by-${sort}`,
      "aria-pressed": String(active), title: t("list.sort_by", { column: label }),
      onclick: () => this.app.setSort(sort),
    }, label, active ? h("span", { "aria-hidden": "true" }, sort === "last_change" || sort === "score" ? " ↓" : " ↑") : null);
  }

  /** The loaded rows' ids, in list order. */
  private order(): string[] {
    return this.app.list.items.map((c) => c.id);
  }

  private bar(): HTMLElement {
    return bulkBar({
      app: this.app,
      ids: () => this.selection.inOrder(this.order()),
      clear: () => this.changeSelection(() => this.selection.clear()),
    });
  }

  /** Changes the selection and redraws, keeping the focused row focused. */
  private changeSelection(change: () => void): void {
    change();
    this.update();
  }

  /** Esc in the list: clears a selection (true when there was one). */
  clearSelection(): boolean {
    if (!this.selection.size) return false;
    this.changeSelection(() => this.selection.clear());
    return true;
  }

  private table(items: Contact[]): HTMLElement {
    const allBox = h("input", {
      type: "checkbox", class: "row-check", "data-testid": "select-all", "aria-label": t("bulk.select_all"), title: t("bulk.select_all"),
      checked: items.length > 0 && this.selection.size === items.length,
      onchange: () => this.changeSelection(() => (allBox.checked ? this.selection.all(this.order()) : this.selection.clear())),
    }) as HTMLInputElement;
    allBox.indeterminate = this.selection.size > 0 && this.selection.size < items.length;
    const head = h(
      "div",
      { class: "row head" },
      h("span", { class: "cell check" }, allBox),
      this.sortHead(t("field.name"), "last_name"),
      this.sortHead(t("field.organization"), "company"),
      this.sortHead(t("field.stage"), "stage"),
      this.sortHead(t("list.col_score"), "score", "num"),
      h("span", null, t("field.contact")),
      this.sortHead(t("list.col_changed"), "last_change", "num"),
    );
    return h(
      "div",
      { class: "rows" },
      head,
      h(
        "ul",
        { class: "row-list", role: "list", "aria-label": t("list.contacts") },
        items.map((c, i) => this.row(c, this.app.list.matches[i]?.id === c.id ? this.app.list.matches[i] : undefined, this.app.list.phones[i])),
      ),
    );
  }

  /** The organisations and deals a search found, a group each (none: null). */
  private otherHits(): HTMLElement | null {
    const found = this.app.list.others;
    if (!found) return null;
    const group = (kind: "organization" | "deal", total: number, heading: string) => {
      const hits = found.hits.filter((hit) => hit.kind === kind);
      if (hits.length === 0) return null;
      const more = total - hits.length;
      const count = countText(total, found.more);
      return h(
        "section",
        { class: "search-group", "data-testid": `search-group-${kind}`, "aria-label": heading },
        h("h3", { class: "search-group-head" }, heading, " ", h("span", { class: "muted" }, `(${count})`)),
        h("ul", { class: "hit-list", role: "list" }, hits.map((hit) => this.hitRow(hit))),
        more > 0 || found.more
          ? h("p", { class: "muted small" }, found.more ? t("search.narrow") : t("search.more", { n: more }))
          : null,
      );
    };
    const orgs = group("organization", found.organizations, t("search.group_organizations"));
    const deals = group("deal", found.deals, t("search.group_deals"));
    return orgs || deals ? h("div", { class: "search-others" }, orgs, deals) : null;
  }

  private hitRow(hit: SearchHit): HTMLElement {
    const open = () => this.app.openHit(hit);
    return h(
      "li",
      {
        class: "hit", tabindex: 0, "data-testid": `${hit.kind === "deal" ? "deal" : "org"}-hit`, "data-id": hit.id,
        onclick: open,
        onkeydown: (ev: KeyboardEvent) => {
          if (ev.key === "Enter") {
            ev.preventDefault();
            open();
          }
        },
      },
      h("span", { class: "hit-title" }, marked(hit.title, hit.title_marks)),
      hit.subtitle ? h("span", { class: "hit-sub muted" }, marked(hit.subtitle, hit.subtitle_marks)) : null,
      hit.context ? contextLine(hit.context) : null,
    );
  }

  private row(c: Contact, match?: ContactMatch, phones?: string[]): HTMLElement {
    const email = c.emails[0];
    const phone = c.phones[0];
    const reach: Child[] = [
      email ? link(`mailto:${email}`, email, "row-email") : null,
      email && phone ? " · " : null,
      phone ? link(telHref(phone), phones?.[0] ?? phone, "row-phone") : null,
    ];
    const selected = this.selection.has(c.id);
    return h(
      "li",
      {
        class: `row${selected ? " selected" : ""}`,
        tabindex: 0,
        "data-testid": "contact-row",
        "data-id": c.id,
        "aria-selected": String(selected),
        onclick: (ev: MouseEvent) => {
          if (ev.ctrlKey || ev.metaKey) this.changeSelection(() => this.selection.toggle(c.id));
          else if (ev.shiftKey) this.changeSelection(() => this.selection.range(this.order(), c.id));
          else void this.app.openContact(c.id);
        },
        onkeydown: (ev: KeyboardEvent) => {
          if (ev.key === "Enter") {
            ev.preventDefault();
            void this.app.openContact(c.id);
          } else if (ev.key === " ") {
            ev.preventDefault();
            this.changeSelection(() => this.selection.toggle(c.id));
          } else if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "a") {
            ev.preventDefault();
            this.changeSelection(() => this.selection.all(this.order()));
          }
        },
      },
      h("span", { class: "cell check" }, h("input", {
        type: "checkbox", class: "row-check", "data-testid": "row-select", checked: selected, tabindex: -1,
        "aria-label": t("bulk.select_row", { name: c.display_name }),
        onclick: (ev: MouseEvent) => {
          ev.stopPropagation();
          this.changeSelection(() => (ev.shiftKey ? this.selection.range(this.order(), c.id) : this.selection.toggle(c.id)));
        },
      })),
      h(
        "span",
        { class: "cell name" },
        h("span", { class: "row-name", "data-testid": "row-name" }, marked(c.display_name, match?.name_marks ?? [])),
        c.title ? h("span", { class: "row-title" }, c.title) : null,
        match?.context ? contextLine(match.context) : null,
      ),
      h("span", { class: "cell org" }, marked(c.organization ?? "", match?.organization_marks ?? [])),
      h(
        "span",
        { class: "cell stage-cell" },
        stageBadge(c.stage),
        c.proposal
          ? h("span", {
              class: `badge proposal-mini stage-${c.proposal}`, "data-testid": "row-proposal", "data-stage": c.proposal,
              title: t("proposal.ready", { stage: stageName(c.proposal) }),
            }, "★ → ", stageName(c.proposal))
          : null,
      ),
      this.scoreCell(c),
      h("span", { class: "cell reach" }, reach),
      h("span", { class: "cell num date", title: c.updated_at }, formatDate(c.updated_at)),
    );
  }

  /** The score number: a button that expands its line items (hover shows them too). */
  private scoreCell(c: Contact): HTMLElement {
    const popId = `score-pop-${c.id}`;
    const btn = h("button", {
      type: "button", class: "score-btn", "data-testid": "row-score", "data-for": c.id,
      "aria-expanded": "false", "aria-controls": popId, title: t("list.score_title"),
      "aria-label": `${t("list.col_score")} ${Math.round(c.score)}`,
      onclick: (ev: MouseEvent) => {
        ev.stopPropagation();
        this.toggleLines(c.id);
      },
      onkeydown: (ev: KeyboardEvent) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          ev.stopPropagation();
          this.toggleLines(c.id);
        } else if (ev.key === "Escape" && this.expanded === c.id) {
          ev.preventDefault();
          ev.stopPropagation();
          this.toggleLines(c.id);
        }
      },
    }, Math.round(c.score));
    const cell = h(
      "span",
      {
        class: "cell num score-cell",
        onmouseenter: () => void this.showLines(c.id, false),
        onmouseleave: () => { if (this.expanded !== c.id) this.hideLines(c.id); },
      },
      btn,
      h("div", { class: "score-pop", id: popId, hidden: true, onclick: (ev: MouseEvent) => ev.stopPropagation() }),
    );
    return cell;
  }

  private toggleLines(id: string): void {
    if (this.expanded === id) {
      this.expanded = null;
      this.hideLines(id);
      return;
    }
    if (this.expanded) this.hideLines(this.expanded);
    this.expanded = id;
    void this.showLines(id, true);
  }

  private popFor(id: string): { btn: HTMLElement; pop: HTMLElement } | null {
    const btn = this.body.querySelector<HTMLElement>(`[data-testid="row-score"][data-for="${id}"]`);
    const pop = btn?.nextElementSibling as HTMLElement | null;
    return btn && pop ? { btn, pop } : null;
  }

  /** Fetches the score lazily (once per list update) and shows its lines under the number. */
  private async showLines(id: string, expanded: boolean): Promise<void> {
    const el = this.popFor(id);
    if (!el) return;
    if (expanded) el.btn.setAttribute("aria-expanded", "true");
    let pending = this.scores.get(id);
    if (!pending) {
      pending = ipc.getScore(id);
      this.scores.set(id, pending);
      pending.catch(() => this.scores.delete(id));
    }
    try {
      const score = await pending;
      const now = this.popFor(id);
      if (!now || (this.expanded !== id && !now.btn.parentElement?.matches(":hover"))) return;
      replace(
        now.pop,
        h("div", { class: "score-pop-head" },
          h("b", null, Math.round(score.score)), " = ",
          t("score.fit"), " ", Math.round(score.fit), " + ", t("score.engagement"), " ", Math.round(score.engagement)),
        scoreLineList(score.lines, "row-score-lines", "score-line"),
      );
      now.pop.hidden = false;
    } catch (e) {
      this.app.showError(e);
    }
  }

  private hideLines(id: string): void {
    const el = this.popFor(id);
    if (!el) return;
    el.pop.hidden = true;
    el.btn.setAttribute("aria-expanded", "false");
  }

  private footer(): HTMLElement {
    const q = this.app.list;
    const more = q.items.length < q.total || q.more;
    const total = countText(q.total, q.more);
    return h(
      "div",
      { class: "list-footer" },
      h("span", { class: "muted", "data-testid": "list-showing" }, t("list.showing", { shown: formatNumber(q.items.length), total })),
      more
        ? h("button", {
            type: "button", class: "btn", "data-testid": "load-more", disabled: q.loading,
            onclick: () => void this.app.loadMore(),
          }, q.loading ? t("list.loading") : t("list.load_more"))
        : null,
    );
  }

  /** The rows ↑/↓ walk: contacts, then the organisations and deals found. */
  rows(): HTMLElement[] {
    return Array.from(
      this.body.querySelectorAll<HTMLElement>('[data-testid="contact-row"], [data-testid="org-hit"], [data-testid="deal-hit"]'),
    );
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

/** A matched field the row does not show: "Notes: … Würzburg …", marked. */
function contextLine(context: MatchContext): HTMLElement {
  return h(
    "span",
    { class: "match-context", "data-testid": "match-context", "data-field": context.field },
    h("span", { class: "match-field" }, `${matchedFieldName(context.field)}: `),
    marked(...fromFirstMark(context.text, context.marks)),
  );
}

/** The UI name of a field a search matched in. */
function matchedFieldName(field: string): string {
  const key = `search.field.${field}` as Parameters<typeof t>[0];
  return t(key);
}

/** A count, or "at least" it when the search stopped early ("100+"). */
function countText(n: number, atLeast: boolean): string {
  return atLeast ? t("list.at_least", { n: formatNumber(n) }) : formatNumber(n);
}
