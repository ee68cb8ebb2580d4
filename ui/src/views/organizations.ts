// The organisations list: search (typo tolerant, best match first), order
// by name, contacts or open deals, counts per organisation, and "New
// organisation". A row opens the organisation's page (click, Enter).
import { h, replace } from "../dom";
import { formatNumber, t } from "../i18n";
import type { OrgSort, Shell } from "../shell";
import { button } from "./common";
import { newOrganizationDialog } from "./organization";

const SORTS: readonly OrgSort[] = ["name", "contacts", "open_deals"];

/** How many organisations are drawn at once (the rest with "Show more"). */
const PAGE = 200;

export class OrganizationsView {
  readonly el: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly body = h("div", { class: "org-list-body" });
  private shown = PAGE;

  constructor(private readonly app: Shell) {
    this.search = h("input", {
      type: "search", class: "search", "data-testid": "org-search", placeholder: t("orgs.search_placeholder"),
      "aria-label": t("orgs.search"), autocomplete: "off", spellcheck: "false", value: app.organizations.search,
      oninput: () => { this.shown = PAGE; app.setOrgSearch(this.search.value); },
      onkeydown: (ev: KeyboardEvent) => {
        if (ev.key === "ArrowDown") {
          ev.preventDefault();
          this.rows()[0]?.focus();
        }
      },
    }) as HTMLInputElement;
    const sort = h("select", {
      class: "sort-select", "data-testid": "org-sort", "aria-label": t("orgs.sort"), title: t("orgs.sort"),
      onchange: () => app.setOrgSort(sort.value as OrgSort),
    }, SORTS.map((s) => h("option", { value: s, selected: s === app.organizations.sort }, t(`orgs.sort.${s}`)))) as HTMLSelectElement;
    this.el = h(
      "section",
      { class: "org-view", "aria-labelledby": "orgs-heading" },
      h("div", { class: "page-head" },
        h("h1", { id: "orgs-heading", tabindex: -1 }, t("orgs.title")),
        button(t("orgs.new"), { testid: "org-new", kind: "primary", onclick: () => newOrganizationDialog(app) })),
      h("div", { class: "toolbar" }, h("div", { class: "search-wrap" }, this.search, sort)),
      this.body,
    );
  }

  private rows(): HTMLElement[] {
    return Array.from(this.body.querySelectorAll<HTMLElement>('[data-testid="org-row"]'));
  }

  update(): void {
    const s = this.app.organizations;
    this.el.setAttribute("aria-busy", String(s.loading));
    const items = s.items;
    if (items === null) {
      replace(this.body, h("p", { class: "muted pad" }, t("list.loading")));
      return;
    }
    if (items.length === 0) {
      replace(this.body, h("p", { class: "muted pad", "data-testid": "org-none" }, s.search.trim() ? t("orgs.no_matches", { query: s.search.trim() }) : t("orgs.empty")));
      return;
    }
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.id;
    const row = (o: (typeof items)[number]) => {
      const open = () => void this.app.openOrganization(o.id);
      return h("li", {
        class: "row org-row", tabindex: 0, "data-testid": "org-row", "data-id": o.id, onclick: open,
        onkeydown: (ev: KeyboardEvent) => {
          if (ev.key === "Enter") { ev.preventDefault(); open(); }
          else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
            ev.preventDefault();
            const rows = this.rows();
            rows[Math.max(0, Math.min(rows.length - 1, rows.indexOf(ev.currentTarget as HTMLElement) + (ev.key === "ArrowDown" ? 1 : -1)))]?.focus();
          }
        },
      },
      h("span", { class: "cell org-name", "data-testid": "org-row-name" }, o.name),
      h("span", { class: "cell num", "data-testid": "org-row-contacts" }, formatNumber(o.contacts)),
      h("span", { class: "cell num", "data-testid": "org-row-deals" }, formatNumber(o.open_deals)));
    };
    replace(
      this.body,
      h("div", { class: "rows" },
        h("div", { class: "row org-row head" },
          h("span", null, t("orgs.col_name")), h("span", { class: "num" }, t("orgs.col_contacts")), h("span", { class: "num" }, t("orgs.col_deals"))),
        h("ul", { class: "row-list", role: "list", "aria-label": t("orgs.title") }, items.slice(0, this.shown).map(row))),
      h("div", { class: "list-footer" },
        h("span", { class: "muted", "data-testid": "org-showing" }, t("list.showing", { shown: formatNumber(Math.min(this.shown, items.length)), total: formatNumber(items.length) })),
        items.length > this.shown
          ? button(t("list.load_more"), { testid: "org-more", onclick: () => { this.shown += PAGE; this.update(); } })
          : null),
    );
    if (focused) this.rows().find((r) => r.dataset.id === focused)?.focus();
  }
}
