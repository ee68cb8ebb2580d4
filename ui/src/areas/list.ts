// The contacts list: its query (search, stage, ready chip, organisation,
// sort), its pages and counts, and the list view showing them.
import type { ContactFilter } from "../bindings/ContactFilter";
import type { ContactPage } from "../bindings/ContactPage";
import type { SavedView } from "../bindings/SavedView";
import type { SearchHit } from "../bindings/SearchHit";
import type { SortOrder } from "../bindings/SortOrder";
import type { Stage } from "../bindings/Stage";
import type { StageCounts } from "../bindings/StageCounts";
import * as ipc from "../ipc";
import { Latest } from "../latest";
import { OTHER_HITS, PAGE_SIZE, SEARCH_DEBOUNCE_MS, type ListState } from "../shell";
import { ListView } from "../views/list";
import type { Hub } from "./hub";

export class ListArea {
  state: ListState = {
    filter: null, view: null, viewCounts: null, filterOpen: false,
    search: "", stage: null, ready: false, sort: "last_name", items: [], total: 0, more: false, matches: [], phones: [], others: null,
    organization: null, counts: null, loading: false, stale: true, rebuilding: false,
  };
  view: ListView | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly latest = new Latest();

  constructor(private readonly app: Hub) {}

  /** A new list view on the current state (the caller puts it on screen, then updates it). */
  mount(): ListView {
    this.view = new ListView(this.app);
    return this.view;
  }

  stop(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
  }

  /**
   * Fetches the first page and the stage counts for the current query, and
   * the saved views' counts unless only the search text changed (they do
   * not depend on it).
   */
  async reload(viewCounts = true): Promise<void> {
    const current = this.latest.start();
    const q = this.state;
    q.loading = true;
    this.view?.busy();
    const search = q.search.trim() || null;
    try {
      const [page, counts, others] = await Promise.all([
        ipc.listContacts({
          stage: q.stage, search, sort: q.sort, offset: 0, limit: PAGE_SIZE, ready_to_qualify: q.ready,
          organization_id: q.organization?.id ?? null, filter: q.filter,
        }),
        ipc.stageCounts(search),
        search && !q.organization ? ipc.search({ text: search, kind: null, limit: OTHER_HITS, per_kind: true }) : null,
      ]);
      if (!current()) return;
      if (performance.getEntriesByName("kontor-data").length === 0) performance.mark("kontor-data");
      q.items = page.items;
      this.setTotal(page, counts);
      q.matches = page.matches;
      q.phones = page.phones_shown;
      q.others = others;
      q.counts = counts;
      q.stale = false;
      this.app.clearError();
      if (viewCounts) void this.loadViewCounts();
    } catch (e) {
      if (!current()) return;
      this.app.showError(e);
    } finally {
      if (current()) {
        q.loading = false;
        this.view?.update();
        if (performance.getEntriesByName("kontor-rendered").length === 0) {
          performance.mark("kontor-rendered");
          // On screen: after the next frame is drawn.
          requestAnimationFrame(() => setTimeout(() => performance.mark("kontor-painted"), 0));
        }
      }
    }
  }

  async loadMore(): Promise<void> {
    const q = this.state;
    if (q.loading || (q.items.length >= q.total && !q.more)) return;
    const current = this.latest.start();
    q.loading = true;
    this.view?.busy();
    try {
      const page = await ipc.listContacts({
        stage: q.stage, search: q.search.trim() || null, sort: q.sort, offset: q.items.length, limit: PAGE_SIZE,
        ready_to_qualify: q.ready, organization_id: q.organization?.id ?? null, filter: q.filter,
      });
      if (!current()) return;
      q.items = q.items.concat(page.items);
      q.matches = q.matches.concat(page.matches);
      q.phones = q.phones.concat(page.phones_shown);
      this.setTotal(page, q.counts);
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        q.loading = false;
        this.view?.update();
      }
    }
  }

  /**
   * Takes a page's total: a short search counts only as far as its page, so
   * the exact number then comes from the stage counts when no other filter
   * narrows the list.
   */
  private setTotal(page: ContactPage, counts: StageCounts | null): void {
    const q = this.state;
    const exact = page.more && counts && !q.ready && !q.organization && !q.filter ? (q.stage ? counts[q.stage] : counts.all) : null;
    q.total = exact ?? page.total;
    q.more = page.more && exact === null;
  }

  /** The saved views' counts (after each reload: a write may have moved them). */
  async loadViewCounts(): Promise<void> {
    if (this.app.settings.saved_views.length === 0) {
      this.state.viewCounts = [];
      return;
    }
    try {
      this.state.viewCounts = await ipc.viewCounts();
      this.view?.updateViews();
    } catch {
      /* the counts are a convenience; the list shows its own errors */
    }
  }

  /** Filters the list with the filter panel's filter (no saved view). */
  setFilter(filter: ContactFilter | null): void {
    this.state = { ...this.state, filter, view: null, stale: true };
    void this.show();
  }

  /** Shows a saved view: its stage and filter (null: all contacts). */
  showView(view: SavedView | null): void {
    this.state = {
      ...this.state, filter: view?.filter ?? null, view: view?.id ?? null, stage: view?.stage ?? null,
      ready: false, organization: null, stale: true,
    };
    void this.show();
  }

  /** Called on every keystroke in the search box; queries after a short pause. */
  setSearch(text: string): void {
    this.state.search = text;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      void this.reload(false);
    }, SEARCH_DEBOUNCE_MS);
  }

  /** Opens a search hit: a contact's page, a deal's dialog, an organisation's contacts. */
  openHit(hit: SearchHit): void {
    if (hit.kind === "contact") void this.app.openContact(hit.id);
    else if (hit.kind === "deal") void this.app.openDeal(hit.id);
    else void this.app.openOrganization(hit.id);
  }

  /** The list of one organisation's contacts (the search is cleared). */
  showOrganization(id: string, name: string): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.state = { ...this.state, search: "", organization: { id, name }, stage: null, ready: false, stale: true };
    void this.show();
  }

  /** The contacts list showing every contact ready to qualify. */
  async showReady(): Promise<void> {
    this.app.hideNotice();
    this.state = { ...this.state, search: "", stage: null, ready: true, stale: true };
    await this.show();
  }

  /** Shows the list with its changed query: redrawn and reloaded here, else navigated to. */
  private async show(): Promise<void> {
    if (this.app.view.name === "list") {
      this.app.render();
      await this.reload();
    } else {
      await this.app.backToList();
    }
  }

  /** Back to all contacts from one organisation's. */
  clearOrganization(): void {
    this.state.organization = null;
    void this.reload();
  }

  setStageFilter(stage: Stage | null): void {
    this.state.stage = stage;
    this.state.ready = false;
    void this.reload();
  }

  /** The "ready to qualify" chip: only contacts with a proposal (any stage); toggles. */
  toggleReadyFilter(): void {
    this.state.ready = !this.state.ready;
    this.state.stage = null;
    void this.reload();
  }

  setSort(sort: SortOrder): void {
    this.state.sort = sort;
    void this.reload();
  }

  async loadDemo(): Promise<void> {
    try {
      await ipc.loadDemoData();
      await this.reload();
    } catch (e) {
      this.app.showError(e);
    }
  }

  /** After a restore: the query starts over. */
  reset(): void {
    this.state = {
      ...this.state, search: "", stage: null, ready: false, items: [], total: 0, more: false, matches: [], phones: [], others: null,
      organization: null, counts: null, stale: true,
    };
  }
}
