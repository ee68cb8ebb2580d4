// The organisations: their list (search, order, counts of contacts and open
// deals) and an organisation's page (its contacts, deals, activities and
// open tasks). Back from a contact opened on an organisation's page returns
// to that page.
import type { OrganizationDetail } from "../bindings/OrganizationDetail";
import type { OrganizationSummary } from "../bindings/OrganizationSummary";
import { byTestId } from "../dom";
import * as ipc from "../ipc";
import { Latest } from "../latest";
import type { OrganizationsState, OrgSort } from "../shell";
import { OrganizationPage } from "../views/organizationPage";
import { OrganizationsView } from "../views/organizations";
import type { Hub } from "./hub";

/** How long typing in the search pauses before the list reloads. */
const SEARCH_MS = 150;

export class OrganizationsArea {
  state: OrganizationsState = { search: "", sort: "name", items: null, loading: false };
  view: OrganizationsView | OrganizationPage | null = null;
  /** The organisation whose page was shown last (Back from a contact returns there). */
  private lastOpen: string | null = null;
  /** The organisations as the core ordered them (best match first while searching). */
  private raw: OrganizationSummary[] = [];
  private readonly latest = new Latest();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly app: Hub) {}

  mount(): OrganizationsView | OrganizationPage {
    const v = this.app.view;
    this.view = v.name === "organization" ? new OrganizationPage(this.app, v.detail) : new OrganizationsView(this.app);
    return this.view;
  }

  /** The "Organisations" nav item: the list. */
  async show(): Promise<void> {
    const app = this.app;
    app.clearError();
    this.lastOpen = null;
    app.view = { name: "organizations" };
    app.origin = "organizations";
    app.render();
    byTestId<HTMLElement>(app.main, "org-search")?.focus();
    await this.reload();
  }

  /** Back from a contact: the organisation's page it was opened from, else the list. */
  async back(): Promise<void> {
    if (this.lastOpen) return this.open(this.lastOpen);
    return this.show();
  }

  /** An organisation's page. */
  async open(id: string): Promise<void> {
    const app = this.app;
    try {
      const detail = await ipc.getOrganization(id);
      this.showPage(detail);
    } catch (e) {
      app.showError(e);
    }
  }

  private showPage(detail: OrganizationDetail): void {
    const app = this.app;
    // A search typed just before the click must not reload the list under the page.
    clearTimeout(this.timer);
    this.latest.start();
    app.clearError();
    this.lastOpen = detail.id;
    app.view = { name: "organization", detail };
    app.origin = "organizations";
    app.render();
    byTestId<HTMLElement>(app.main, "org-name")?.focus();
  }

  setSearch(text: string): void {
    this.state.search = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), SEARCH_MS);
  }

  setSort(sort: OrgSort): void {
    this.state.sort = sort;
    if (this.state.items) this.state.items = sorted(this.raw, sort, !!this.state.search.trim());
    this.view?.update();
  }

  /** Reloads what is shown: the list, or the page. */
  async changed(): Promise<void> {
    const v = this.app.view;
    if (v.name === "organization") return this.open(v.detail.id);
    await this.reload();
  }

  async reload(): Promise<void> {
    const current = this.latest.start();
    const s = this.state;
    s.loading = true;
    this.view?.update();
    try {
      const search = s.search.trim();
      const items = await ipc.organizationSummaries(search || null);
      if (!current()) return;
      this.raw = items;
      s.items = sorted(items, s.sort, !!search);
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        s.loading = false;
        this.view?.update();
      }
    }
  }
}

/** By name (the core's order; best match first while searching), or most contacts / open deals first. */
function sorted<T extends { name: string; contacts: number; open_deals: number }>(items: T[], sort: OrgSort, searching: boolean): T[] {
  if (sort === "name") {
    return searching ? items : items.slice().sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  }
  const key = (o: T) => (sort === "contacts" ? o.contacts : o.open_deals);
  return items.slice().sort((a, b) => key(b) - key(a) || a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
}
