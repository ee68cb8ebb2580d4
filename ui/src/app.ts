// The application controller: holds the state (settings, list query and
// results, the open contact, the tasks view and counts, the open dialog),
// talks to ipc.ts, and tells the views to render. Views are plain functions/classes that build DOM with dom.ts.
import type { ActivityKind } from "./bindings/ActivityKind";
import type { AppInfo } from "./bindings/AppInfo";
import type { AutomationOutcome } from "./bindings/AutomationOutcome";
import type { Period } from "./bindings/Period";
import type { Contact } from "./bindings/Contact";
import type { ContactPage } from "./bindings/ContactPage";
import type { ContactDetail } from "./bindings/ContactDetail";
import type { Settings } from "./bindings/Settings";
import type { SettingsSaved } from "./bindings/SettingsSaved";
import type { Stage } from "./bindings/Stage";
import type { StageCounts } from "./bindings/StageCounts";
import type { SearchHit } from "./bindings/SearchHit";
import type { SnoozePreset } from "./bindings/SnoozePreset";
import type { TaskItem } from "./bindings/TaskItem";
import { byTestId, closeDialog, h, isTyping, openDialog, replace } from "./dom";
import { dealErrorText, dealStageName, dueText, errorText, type Lang, plural, resolveLanguage, setLanguage, stageName, t } from "./i18n";
import { presetPeriod, type PeriodPreset } from "./periods";
import * as ipc from "./ipc";
import { AppError } from "./ipc";
import { Latest } from "./latest";
import {
  GOTO_MS, NOTICE_MS, OTHER_HITS, PAGE_SIZE, SEARCH_DEBOUNCE_MS, TASKS_REFRESH_MS, TIMELINE_PAGE,
  type ContactDealsState, type ContactTasksState, type DealContact, type ListState, type OpenDialog,
  type PipelineState, type Place, type PresetContact, type PresetDeal, type ReportsState, type Shell,
  type TasksState, type TimelineState, type View,
} from "./shell";
import { defaultSettings, withDefaults } from "./settings";
import { clock, contactOrder, type TaskTab } from "./tasks";
import { activityDialog } from "./views/activity";
import { ContactDealsView } from "./views/contactDeals";
import { dealDialog, lostDialog } from "./views/dealDialog";
import { emailDialog } from "./views/emailDialog";
import { PipelineView } from "./views/pipeline";
import { ReportsView } from "./views/reports";
import { button } from "./views/common";
import { renderContactPage } from "./views/contact";
import { duplicatesDialog } from "./views/duplicates";
import { contactForm } from "./views/form";
import { importWizard } from "./views/importWizard";
import { orgDialog } from "./views/organization";
import { needsRecovery, recoveryScreen } from "./views/recovery";
import { ListView } from "./views/list";
import { settingsDialog } from "./views/settings";
import { stageDialog } from "./views/stage";
import { taskDialog } from "./views/taskDialog";
import { ContactTasksView, TasksView } from "./views/tasks";
import { TimelineView } from "./views/timeline";

export class App implements Shell {
  readonly root: HTMLElement;
  settings: Settings = defaultSettings();
  info: AppInfo | null = null;
  view: View = { name: "list" };
  list: ListState = {
    search: "", stage: null, ready: false, sort: "name", items: [], total: 0, more: false, matches: [], others: null,
    organization: null, counts: null, loading: false, stale: true, rebuilding: false,
  };
  timeline: TimelineState | null = null;
  timelineView: TimelineView | null = null;
  dialog: OpenDialog | null = null;
  listView: ListView | null = null;
  tasks: TasksState = { tab: "today", items: [], counts: null, doneCount: null, loading: false, loaded: false };
  tasksView: TasksView | null = null;
  contactTasks: ContactTasksState | null = null;
  contactTasksView: ContactTasksView | null = null;
  /** Where Back/Esc on a contact page goes. */
  origin: Place = "list";
  pipeline: PipelineState = { data: null, loading: false };
  pipelineView: PipelineView | null = null;
  reports: ReportsState = { period: { from: null, to: null }, preset: null, data: {}, names: {}, loading: false };
  reportsView: ReportsView | null = null;
  contactDeals: ContactDealsState | null = null;
  contactDealsView: ContactDealsView | null = null;

  private main!: HTMLElement;
  private globalErrors!: HTMLElement;
  private topbar!: HTMLElement;
  private noticeSlot!: HTMLElement;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private tasksTimer: ReturnType<typeof setInterval> | null = null;
  private unlistenTasks: (() => void) | null = null;
  private unlistenAutomation: (() => void) | null = null;
  private unlistenIndex: (() => void) | null = null;
  private unlistenChecked: (() => void) | null = null;
  /** Per kind of request, only the latest answer lands. */
  private readonly latest = {
    list: new Latest(), timeline: new Latest(), tasks: new Latest(), counts: new Latest(), contactTasks: new Latest(),
    pipeline: new Latest(), reports: new Latest(), contactDeals: new Latest(),
  };
  private stopped = false;
  /** When "g" was pressed (for g c / g t). */
  private gotoAt = 0;
  private badge: HTMLElement | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly onKeyDown = (ev: KeyboardEvent) => this.handleKey(ev);

  constructor(root: HTMLElement) {
    this.root = root;
  }

  /** Loads settings and app info, picks the language, renders, loads the list. */
  async start(): Promise<void> {
    // Marks for the start measurement (measure-start reads them over WebDriver).
    performance.mark("kontor-start");
    const [settings, info] = await Promise.all([
      ipc.getSettings().catch(() => defaultSettings()),
      ipc.appInfo().catch(() => null),
    ]);
    performance.mark("kontor-settings");
    this.settings = withDefaults(settings);
    this.info = info;
    this.list.rebuilding = info?.rebuilding ?? false;
    this.applyLanguage();
    if (info && needsRecovery(info)) {
      // The store could not be opened: the recovery screen instead of the views;
      // once a backup is restored the app starts over on it.
      replace(this.root, recoveryScreen(info, () => location.reload()));
      return;
    }
    this.topbar = h("header", { class: "topbar" });
    this.globalErrors = h("div", { class: "error-slot global" });
    this.main = h("main", { class: "main", id: "main" });
    this.noticeSlot = h("div", { class: "notice-slot" });
    replace(this.root, this.topbar, this.globalErrors, this.main, this.noticeSlot);
    document.addEventListener("keydown", this.onKeyDown);
    this.render();
    void this.listenTasksChanged();
    void this.listenAutomation();
    void this.listenIndexRebuilt();
    void this.listenStoreChecked();
    this.tasksTimer = setInterval(() => void this.refreshTasks(), TASKS_REFRESH_MS);
    await Promise.all([this.reloadList(), this.refreshCounts()]);
    performance.mark("kontor-list");
  }

  /** Subscribes to the backend's `tasks-changed` event (tray snooze, reminders firing). */
  private async listenTasksChanged(): Promise<void> {
    try {
      const unlisten = await ipc.onTasksChanged(() => void this.refreshTasks());
      if (this.stopped) unlisten();
      else this.unlistenTasks = unlisten;
    } catch {
      /* no event support (plain browser without mocks): counts still refresh on a timer */
    }
  }

  /** Subscribes to the backend's `index-rebuilt` event: lists are complete again. */
  private async listenIndexRebuilt(): Promise<void> {
    try {
      const unlisten = await ipc.onIndexRebuilt(() => {
        this.list.rebuilding = false;
        this.list.stale = true;
        if (this.view.name === "list") void this.reloadList();
      });
      if (this.stopped) unlisten();
      else this.unlistenIndex = unlisten;
    } catch {
      /* no event support */
    }
  }

  /** Subscribes to the backend's `store-checked` event: the daily check found problems. */
  private async listenStoreChecked(): Promise<void> {
    try {
      const unlisten = await ipc.onStoreChecked(() => this.mountNotice(t("check.background"), h("button", {
        type: "button", class: "btn btn-primary", "data-testid": "notice-open-data",
        onclick: () => { this.hideNotice(); this.openSettings(); },
      }, t("settings.title"))));
      if (this.stopped) unlisten();
      else this.unlistenChecked = unlisten;
    } catch {
      /* no event support */
    }
  }

  /** Subscribes to the backend's `automation` event: each rule outcome becomes a toast. */
  private async listenAutomation(): Promise<void> {
    try {
      const unlisten = await ipc.onAutomation((outcomes) => this.automationFired(outcomes));
      if (this.stopped) unlisten();
      else this.unlistenAutomation = unlisten;
    } catch {
      /* no event support: rule outcomes still show up in the tasks views */
    }
  }

  /** Removes global listeners (used by tests between runs). */
  stop(): void {
    this.stopped = true;
    document.removeEventListener("keydown", this.onKeyDown);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    if (this.toastTimer) clearTimeout(this.toastTimer);
    if (this.tasksTimer) clearInterval(this.tasksTimer);
    this.unlistenTasks?.();
    this.unlistenTasks = null;
    this.unlistenAutomation?.();
    this.unlistenAutomation = null;
    this.unlistenIndex?.();
    this.unlistenIndex = null;
    this.unlistenChecked?.();
    this.unlistenChecked = null;
    this.pipelineView?.cancelDrag();
    if (this.dialog) closeDialog(this.dialog.el);
    this.dialog = null;
  }

  /** The OS locale (the backend's, else the webview's). */
  get osLocale(): string {
    return this.info?.locale || navigator.language;
  }

  get lang(): Lang {
    return resolveLanguage(this.settings.language, this.info?.os_language);
  }

  applyLanguage(): void {
    setLanguage(this.lang, this.osLocale);
    document.title = t("app.name");
  }

  /** Rebuilds the whole visible UI from state (after navigation or a language switch). */
  render(): void {
    this.renderTopbar();
    this.listView = null;
    this.timelineView = null;
    this.tasksView = null;
    this.contactTasksView = null;
    this.pipelineView?.cancelDrag();
    this.pipelineView = null;
    this.reportsView = null;
    this.contactDealsView = null;
    if (this.view.name === "pipeline") {
      this.pipelineView = new PipelineView(this);
      replace(this.main, this.pipelineView.el);
      this.pipelineView.update();
    } else if (this.view.name === "reports") {
      this.reportsView = new ReportsView(this);
      replace(this.main, this.reportsView.el);
      this.reportsView.update();
    } else if (this.view.name === "list") {
      this.listView = new ListView(this);
      replace(this.main, this.listView.el);
      this.listView.update();
    } else if (this.view.name === "tasks") {
      this.tasksView = new TasksView(this);
      replace(this.main, this.tasksView.el);
      this.tasksView.update();
    } else {
      this.timelineView = new TimelineView(this);
      this.contactTasksView = new ContactTasksView(this);
      this.contactDealsView = new ContactDealsView(this);
      replace(this.main, renderContactPage(this, this.view.detail, this.timelineView.el, this.contactTasksView.el, this.contactDealsView.el));
      this.timelineView.update();
      this.contactTasksView.update();
      this.contactDealsView.update();
    }
    this.dialog?.rerender?.();
  }

  /** The top-level place shown (a contact page belongs to where it was opened from). */
  get place(): Place {
    return this.view.name === "contact" ? this.origin : this.view.name;
  }

  private renderTopbar(): void {
    const nav = (place: Place, label: string, title: string, onclick: () => void, extra: HTMLElement | null = null) => {
      const active = this.place === place;
      return h("button", {
        type: "button", class: `nav-item${active ? " active" : ""}`, "data-testid": `nav-${place === "list" ? "contacts" : place}`,
        "aria-current": active ? "page" : null, title, onclick,
      }, label, extra);
    };
    this.badge = h("span", { class: "nav-badge", "data-testid": "nav-tasks-badge" });
    replace(
      this.topbar,
      h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "K"), t("app.name")),
      h(
        "nav",
        { class: "nav", "aria-label": t("nav.main") },
        nav("list", t("nav.contacts"), t("nav.contacts_title"), () => void this.showList()),
        nav("tasks", t("nav.tasks"), t("nav.tasks_title"), () => void this.showTasks(), this.badge),
        nav("pipeline", t("nav.pipeline"), t("nav.pipeline_title"), () => void this.showPipeline()),
        nav("reports", t("nav.reports"), t("nav.reports_title"), () => void this.showReports()),
      ),
      h("div", { class: "spacer" }),
      button(t("action.new_contact"), {
        testid: "new-contact", kind: "primary", title: t("action.new_contact_title"), keys: "n",
        onclick: () => this.openForm(null),
      }),
      button(t("action.settings"), {
        testid: "open-settings", kind: "ghost", title: t("action.settings_title"), keys: ",",
        onclick: () => this.openSettings(),
      }),
    );
    this.updateBadge();
  }

  /** The Tasks nav badge: overdue + today (red while anything is overdue). */
  private updateBadge(): void {
    const b = this.badge;
    if (!b) return;
    const c = this.tasks.counts;
    const n = c ? c.overdue + c.today : 0;
    b.textContent = String(n);
    b.hidden = n === 0;
    b.classList.toggle("has-overdue", (c?.overdue ?? 0) > 0);
    b.setAttribute("aria-label", t("nav.badge", { n }));
    b.title = t("nav.badge", { n });
  }

  // ---- list ---------------------------------------------------------------

  /** Fetches the first page and the stage counts for the current query. */
  async reloadList(): Promise<void> {
    const current = this.latest.list.start();
    const q = this.list;
    q.loading = true;
    this.listView?.busy();
    const search = q.search.trim() || null;
    try {
      const [page, counts, others] = await Promise.all([
        ipc.listContacts({
          stage: q.stage, search, sort: q.sort, offset: 0, limit: PAGE_SIZE, ready_to_qualify: q.ready,
          organization_id: q.organization?.id ?? null,
        }),
        ipc.stageCounts(search),
        search && !q.organization ? ipc.search({ text: search, kind: null, limit: OTHER_HITS, per_kind: true }) : null,
      ]);
      if (!current()) return;
      if (performance.getEntriesByName("kontor-data").length === 0) performance.mark("kontor-data");
      q.items = page.items;
      this.setTotal(page, counts);
      q.matches = page.matches;
      q.others = others;
      q.counts = counts;
      q.stale = false;
      this.clearError();
    } catch (e) {
      if (!current()) return;
      this.showError(e);
    } finally {
      if (current()) {
        q.loading = false;
        this.listView?.update();
        if (performance.getEntriesByName("kontor-rendered").length === 0) {
          performance.mark("kontor-rendered");
          // On screen: after the next frame is drawn.
          requestAnimationFrame(() => setTimeout(() => performance.mark("kontor-painted"), 0));
        }
      }
    }
  }

  async loadMore(): Promise<void> {
    const q = this.list;
    if (q.loading || (q.items.length >= q.total && !q.more)) return;
    const current = this.latest.list.start();
    q.loading = true;
    this.listView?.busy();
    try {
      const page = await ipc.listContacts({
        stage: q.stage, search: q.search.trim() || null, sort: q.sort, offset: q.items.length, limit: PAGE_SIZE,
        ready_to_qualify: q.ready, organization_id: q.organization?.id ?? null,
      });
      if (!current()) return;
      q.items = q.items.concat(page.items);
      q.matches = q.matches.concat(page.matches);
      this.setTotal(page, q.counts);
    } catch (e) {
      if (current()) this.showError(e);
    } finally {
      if (current()) {
        q.loading = false;
        this.listView?.update();
      }
    }
  }

  /**
   * Takes a page's total: a short search counts only as far as its page, so
   * the exact number then comes from the stage counts when no other filter
   * narrows the list.
   */
  private setTotal(page: ContactPage, counts: StageCounts | null): void {
    const q = this.list;
    const exact = page.more && counts && !q.ready && !q.organization ? (q.stage ? counts[q.stage] : counts.all) : null;
    q.total = exact ?? page.total;
    q.more = page.more && exact === null;
  }

  /** Called on every keystroke in the search box; queries after a short pause. */
  setSearch(text: string): void {
    this.list.search = text;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      void this.reloadList();
    }, SEARCH_DEBOUNCE_MS);
  }

  /** Opens a search hit: a contact's page, a deal's dialog, an organisation's contacts. */
  openHit(hit: SearchHit): void {
    if (hit.kind === "contact") void this.openContact(hit.id);
    else if (hit.kind === "deal") void this.openDeal(hit.id);
    else this.showOrganization(hit.id, hit.title);
  }

  /** The list of one organisation's contacts (the search is cleared). */
  showOrganization(id: string, name: string): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.list = { ...this.list, search: "", organization: { id, name }, stage: null, ready: false, stale: true };
    if (this.view.name === "list") {
      this.render();
      void this.reloadList();
    } else {
      void this.backToList();
    }
  }

  /** Back to all contacts from one organisation's. */
  clearOrganization(): void {
    this.list.organization = null;
    void this.reloadList();
  }

  setStageFilter(stage: Stage | null): void {
    this.list.stage = stage;
    this.list.ready = false;
    void this.reloadList();
  }

  /** The "ready to qualify" chip: only contacts with a proposal (any stage); toggles. */
  toggleReadyFilter(): void {
    this.list.ready = !this.list.ready;
    this.list.stage = null;
    void this.reloadList();
  }

  toggleSort(): void {
    this.list.sort = this.list.sort === "name" ? "last_change" : "name";
    void this.reloadList();
  }

  async loadDemo(): Promise<void> {
    try {
      await ipc.loadDemoData();
      await this.reloadList();
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- navigation -----------------------------------------------------------

  /** Opens a contact page; `from` says where Back returns to (default: where the user is). */
  async openContact(id: string, from?: Place): Promise<void> {
    try {
      const detail = await ipc.getContact(id);
      if (from) this.origin = from;
      else if (this.view.name !== "contact") this.origin = this.view.name;
      this.showContact(detail);
    } catch (e) {
      this.showError(e);
    }
  }

  /** Shows a contact page; `focus` names the data-testid to focus (default: the name). */
  showContact(detail: ContactDetail, focus = "contact-name"): void {
    this.clearError();
    this.view = { name: "contact", detail };
    const fresh = this.timeline?.contactId !== detail.contact.id;
    if (fresh) this.timeline = { contactId: detail.contact.id, kind: null, items: [], total: 0, counts: {}, loading: true };
    const freshTasks = this.contactTasks?.contactId !== detail.contact.id;
    if (freshTasks) this.contactTasks = { contactId: detail.contact.id, items: [], loading: true };
    const freshDeals = this.contactDeals?.contactId !== detail.contact.id;
    if (freshDeals) this.contactDeals = { contactId: detail.contact.id, data: null };
    this.render();
    (byTestId(this.main, focus) ?? byTestId(this.main, "contact-name"))?.focus();
    if (fresh) void this.loadTimeline(false);
    if (freshTasks) void this.loadContactTasks();
    if (freshDeals) void this.loadContactDeals();
  }

  /**
   * Called after a contact changed: update the page, mark the list for refetch,
   * and announce a qualification proposal that was not there before.
   */
  contactChanged(detail: ContactDetail, opts: { focus?: string; activities?: boolean; stay?: boolean } = {}): void {
    const c = detail.contact;
    const before =
      this.view.name === "contact" && this.view.detail.contact.id === c.id
        ? this.view.detail.contact.proposal
        : this.list.items.find((x) => x.id === c.id)?.proposal ?? null;
    this.list.stale = true;
    const item = this.list.items.findIndex((x) => x.id === c.id);
    if (item >= 0) this.list.items[item] = c;
    if (!opts.stay) this.showContact(detail, opts.focus);
    if (opts.activities) void this.loadTimeline(false);
    if (c.proposal && c.proposal !== before) this.showNotice(c);
  }

  // ---- timeline -------------------------------------------------------------

  /** Loads the first page of the open contact's timeline (or the next with `more`) and the counts per kind. */
  async loadTimeline(more: boolean): Promise<void> {
    const tl = this.timeline;
    if (!tl) return;
    const current = this.latest.timeline.start();
    tl.loading = true;
    this.timelineView?.update();
    const offset = more ? tl.items.length : 0;
    try {
      const query = { kinds: tl.kind ? [tl.kind] : null, offset, limit: TIMELINE_PAGE };
      const page = await ipc.listActivities(tl.contactId, query);
      if (!current() || this.timeline !== tl) return;
      tl.items = more ? tl.items.concat(page.items) : page.items;
      tl.total = page.total;
      tl.counts = page.kind_counts;
    } catch (e) {
      if (current()) this.showError(e);
    } finally {
      if (current()) {
        tl.loading = false;
        this.timelineView?.update();
      }
    }
  }

  setTimelineFilter(kind: ActivityKind | null): void {
    if (!this.timeline) return;
    this.timeline.kind = kind;
    void this.loadTimeline(false);
  }

  async deleteActivity(activityId: string): Promise<void> {
    try {
      const detail = await ipc.deleteActivity(activityId);
      this.contactChanged(detail, { focus: "timeline", activities: true });
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- qualification --------------------------------------------------------

  async acceptProposal(id: string): Promise<void> {
    this.hideNotice();
    try {
      // From the notice, the user may be on the list or on another contact: stay there.
      const stay = !(this.view.name === "contact" && this.view.detail.contact.id === id);
      const detail = await ipc.acceptProposal(id);
      this.contactChanged(detail, { focus: "stage-badge", stay });
      if (this.view.name === "list") await this.reloadList();
    } catch (e) {
      this.showError(e);
    }
  }

  /** The in-app notice "Anna Schmidt ist bereit für Interessent (MQL)" with an Accept action. */
  showNotice(c: Contact): void {
    if (!c.proposal) return;
    this.mountNotice(t("notice.ready", { name: c.display_name, stage: stageName(c.proposal) }), h("button", {
      type: "button", class: "btn btn-primary", "data-testid": "notice-accept",
      onclick: () => void this.acceptProposal(c.id),
    }, t("proposal.accept")));
  }

  /** The notice "3 contacts are now ready to qualify" with a Show action (the ready list). */
  showReadyNotice(n: number): void {
    this.mountNotice(plural("notice.now_ready", n), h("button", {
      type: "button", class: "btn btn-primary", "data-testid": "notice-show-ready",
      onclick: () => void this.showReadyList(),
    }, t("notice.show_ready")));
  }

  /** Shows one notice (replacing any other) with its action and a dismiss button, for a while. */
  private mountNotice(text: string, action: HTMLElement): void {
    this.hideNotice();
    const el = h(
      "div",
      { class: "notice", role: "status", "data-testid": "notice" },
      h("span", { class: "notice-icon", "aria-hidden": "true" }, "★"),
      h("span", { class: "notice-text" }, text),
      action,
      h("button", {
        type: "button", class: "btn btn-ghost notice-close", "aria-label": t("action.dismiss"), title: t("action.dismiss"),
        onclick: () => this.hideNotice(),
      }, "×"),
    );
    this.noticeSlot.appendChild(el);
    this.noticeTimer = setTimeout(() => this.hideNotice(), NOTICE_MS);
  }

  /** The contacts list showing every contact ready to qualify. */
  async showReadyList(): Promise<void> {
    this.hideNotice();
    this.list = { ...this.list, search: "", stage: null, ready: true, stale: true };
    if (this.view.name === "list") {
      this.render();
      await this.reloadList();
    } else {
      await this.backToList();
    }
  }

  hideNotice(): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    this.noticeSlot?.querySelectorAll(".notice:not(.toast):not(.auto-toast)").forEach((el) => el.remove());
  }

  /** Back from a contact page to where it was opened from (the list or the tasks view). */
  async back(): Promise<void> {
    if (this.view.name === "contact" && this.origin === "tasks") await this.showTasks();
    else if (this.view.name === "contact" && this.origin === "pipeline") await this.showPipeline();
    else if (this.view.name === "contact" && this.origin === "reports") await this.showReports();
    else await this.backToList();
  }

  /** The "Contacts" nav item. */
  async showList(): Promise<void> {
    if (this.view.name === "list") return;
    await this.backToList();
  }

  async backToList(): Promise<void> {
    const openId = this.view.name === "contact" ? this.view.detail.contact.id : null;
    this.clearError();
    this.view = { name: "list" };
    this.origin = "list";
    this.render();
    if (this.list.stale) await this.reloadList();
    const rows = Array.from(this.main.querySelectorAll<HTMLElement>('[data-testid="contact-row"]'));
    rows.find((row) => row.dataset.id === openId)?.focus();
  }

  // ---- tasks ----------------------------------------------------------------

  /** The "Tasks" nav item: shows the tasks view (first time: Overdue when anything is, else Today). */
  async showTasks(): Promise<void> {
    this.clearError();
    if (this.view.name !== "tasks" && !this.tasks.loaded && (this.tasks.counts?.overdue ?? 0) > 0) this.tasks.tab = "overdue";
    this.view = { name: "tasks" };
    this.origin = "tasks";
    this.render();
    byTestId<HTMLElement>(this.main, "tasks-heading")?.focus();
    await this.reloadTasks();
  }

  setTaskTab(tab: TaskTab): void {
    if (this.tasks.tab !== tab) {
      this.tasks.tab = tab;
      this.tasks.items = [];
      this.tasks.loaded = false;
    }
    void this.reloadTasks();
  }

  /** Loads the active tab's tasks and the counts. */
  async reloadTasks(): Promise<void> {
    const s = this.tasks;
    const current = this.latest.tasks.start();
    const tab = s.tab;
    s.loading = true;
    this.tasksView?.update();
    try {
      const [items] = await Promise.all([ipc.listTasks(tab), this.refreshCounts()]);
      if (!current()) return;
      s.items = items;
      s.loaded = true;
      if (tab === "done") s.doneCount = items.length;
    } catch (e) {
      if (current()) this.showError(e);
    } finally {
      if (current()) {
        s.loading = false;
        this.tasksView?.update();
      }
    }
  }

  /** Fetches overdue/today/upcoming counts for the tabs and the nav badge. */
  async refreshCounts(): Promise<void> {
    const current = this.latest.counts.start();
    try {
      const counts = await ipc.taskCounts();
      if (!current()) return;
      this.tasks.counts = counts;
      this.updateBadge();
      this.tasksView?.update();
    } catch {
      /* counts are a convenience; the views show their own errors */
    }
  }

  async loadContactTasks(): Promise<void> {
    const ct = this.contactTasks;
    if (!ct) return;
    const current = this.latest.contactTasks.start();
    ct.loading = true;
    try {
      const items = await ipc.contactTasks(ct.contactId);
      if (!current() || this.contactTasks !== ct) return;
      ct.items = contactOrder(items);
    } catch (e) {
      if (current()) this.showError(e);
    } finally {
      if (current()) {
        ct.loading = false;
        this.contactTasksView?.update();
      }
    }
  }

  /** After any task change (here or in the backend): counts, the tasks view, the open contact's tasks. */
  async refreshTasks(): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (this.view.name === "tasks") jobs.push(this.reloadTasks());
    else jobs.push(this.refreshCounts());
    if (this.view.name === "contact" && this.contactTasks) jobs.push(this.loadContactTasks());
    await Promise.all(jobs);
  }

  /**
   * Opens the task dialog: `item` to edit, else a new task for `deal` and its
   * contact when given, else (on a contact page) for that contact.
   */
  openTaskDialog(item: TaskItem | null, deal: { deal: PresetDeal; contact: PresetContact } | null = null): void {
    const c = this.view.name === "contact" ? this.view.detail.contact : null;
    if (deal) taskDialog(this, item, deal.contact, deal.deal);
    else taskDialog(this, item, c ? { id: c.id, name: c.display_name } : null);
  }

  /** A task was created or edited in the dialog. */
  taskSaved(_item: TaskItem): void {
    void this.refreshTasks();
  }

  async completeTask(item: TaskItem): Promise<void> {
    try {
      const done = await ipc.completeTask(item.task.id);
      const next = done.next?.task;
      this.showToast(next
        ? t("tasks.completed_next", { title: item.task.title, when: dueText(next) })
        : t("tasks.completed", { title: item.task.title }));
    } catch (e) {
      this.showError(e);
    }
    await this.refreshTasks();
  }

  async snoozeTask(id: string, preset: SnoozePreset): Promise<void> {
    try {
      await ipc.snoozeTask(id, preset);
    } catch (e) {
      this.showError(e);
    }
    await this.refreshTasks();
  }

  async deleteTask(id: string): Promise<void> {
    try {
      await ipc.deleteTask(id);
    } catch (e) {
      this.showError(e);
    }
    await this.refreshTasks();
  }

  /** A short status line at the bottom ("“Call Anna” done. Next: tomorrow"). */
  showToast(text: string): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.noticeSlot.querySelector(".toast")?.remove();
    const el = h("div", { class: "notice toast", role: "status", "data-testid": "toast" }, h("span", { class: "notice-text" }, text));
    this.noticeSlot.appendChild(el);
    this.toastTimer = setTimeout(() => el.remove(), NOTICE_MS);
  }

  focusSearch(): void {
    const go = () => byTestId<HTMLInputElement>(this.main, "search")?.focus();
    if (this.view.name === "list") go();
    else void this.backToList().then(go);
  }

  // ---- dialogs --------------------------------------------------------------

  openModal(el: HTMLDialogElement, rerender?: () => void, onClose?: () => void): void {
    const returnFocus = document.activeElement;
    if (this.dialog) this.closeModal();
    this.dialog = { el, rerender, returnFocus, onClose };
    el.addEventListener("cancel", (ev) => {
      ev.preventDefault();
      this.closeModal();
    });
    openDialog(el);
  }

  closeModal(): void {
    const d = this.dialog;
    if (!d) return;
    this.dialog = null;
    closeDialog(d.el);
    if (d.returnFocus instanceof HTMLElement && d.returnFocus.isConnected) d.returnFocus.focus();
    d.onClose?.();
  }

  openImport(): void {
    importWizard(this);
  }

  openDuplicates(): void {
    duplicatesDialog(this);
  }

  /**
   * After an import, merge, erase or restore changed many records at once:
   * refetch the list and its counts, the task counts, and the open contact
   * (back to the list when it no longer exists).
   */
  async dataChanged(): Promise<void> {
    this.list.stale = true;
    const jobs: Promise<void>[] = [this.refreshTasks()];
    if (this.view.name === "contact") {
      const id = this.view.detail.contact.id;
      try {
        this.showContact(await ipc.getContact(id));
      } catch {
        await this.backToList();
      }
    } else if (this.view.name === "list") {
      jobs.push(this.reloadList());
    }
    await Promise.all(jobs);
  }

  openForm(detail: ContactDetail | null): void {
    contactForm(this, detail);
  }

  openStageControl(): void {
    if (this.view.name === "contact") stageDialog(this, this.view.detail);
  }

  openSettings(): void {
    settingsDialog(this);
  }

  openActivityDialog(kind: ActivityKind | null): void {
    if (this.view.name === "contact") activityDialog(this, this.view.detail, kind);
  }

  openOrgDialog(): void {
    if (this.view.name === "contact" && this.view.detail.organization) orgDialog(this, this.view.detail);
  }

  /**
   * Saves the whole settings object; scores may change, so views refetch.
   * Thresholds and the target profile can propose qualifications for contacts
   * not on screen: those that became ready are announced.
   */
  async saveSettings(settings: Settings): Promise<void> {
    const saved = await ipc.setSettings(settings);
    this.settings = withDefaults(saved.settings);
    this.list.stale = true;
    if (this.view.name === "contact") {
      const detail = await ipc.getContact(this.view.detail.contact.id);
      this.contactChanged(detail);
    } else {
      await this.reloadList();
    }
    this.announceReady(saved);
  }

  /** The notice for contacts a settings change made ready to qualify. */
  private announceReady(saved: SettingsSaved): void {
    const n = saved.newly_ready;
    if (n === 0) return;
    const one = saved.ready_contact;
    // The open contact's own proposal was announced by contactChanged already.
    if (n === 1 && one && this.view.name === "contact" && this.view.detail.contact.id === one.id) return;
    if (n === 1 && one) this.showNotice(one);
    else this.showReadyNotice(n);
  }

  /** After a restore replaced the store: settings, language, the list, counts and tasks all come fresh. */
  async reloadAll(): Promise<void> {
    this.settings = withDefaults(await ipc.getSettings().catch(() => this.settings));
    this.applyLanguage();
    this.view = { name: "list" };
    this.origin = "list";
    this.timeline = null;
    this.contactTasks = null;
    this.list = {
      ...this.list, search: "", stage: null, ready: false, items: [], total: 0, more: false, matches: [], others: null,
      organization: null, counts: null, stale: true,
    };
    this.render();
    await Promise.all([this.reloadList(), this.refreshTasks()]);
  }

  /** Stores and applies a language choice; everything re-renders at once. */
  async setLanguageChoice(language: Lang | null): Promise<void> {
    this.settings = { ...this.settings, language };
    this.applyLanguage();
    this.render();
    try {
      this.settings = withDefaults((await ipc.setSettings({ ...this.settings, language })).settings);
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- deals and pipeline ------------------------------------------------------

  /** The "Pipeline" nav item: shows the board and loads it. */
  async showPipeline(): Promise<void> {
    this.clearError();
    this.view = { name: "pipeline" };
    this.origin = "pipeline";
    this.render();
    byTestId<HTMLElement>(this.main, "pipeline-heading")?.focus();
    await this.reloadPipeline();
  }

  async reloadPipeline(): Promise<void> {
    const current = this.latest.pipeline.start();
    this.pipeline.loading = true;
    try {
      const data = await ipc.pipeline();
      if (!current()) return;
      this.pipeline.data = data;
    } catch (e) {
      if (current()) this.showError(e);
    } finally {
      if (current()) {
        this.pipeline.loading = false;
        this.pipelineView?.update();
      }
    }
  }

  contactRef(detail: ContactDetail): DealContact {
    return { id: detail.contact.id, name: detail.contact.display_name };
  }

  /** The deal dialog: a new deal (for `contact` when given) or `deal` (fetched fresh by `openDeal`). */
  openDealDialog(deal: import("./bindings/Deal").Deal | null, contact: DealContact | null = null): void {
    if (deal) {
      const name = this.view.name === "contact" && this.view.detail.contact.id === deal.contact_id
        ? this.view.detail.contact.display_name
        : this.pipeline.data?.columns.flatMap((c) => c.deals).find((c) => c.deal.id === deal.id)?.contact_name
          ?? this.list.items.find((c) => c.id === deal.contact_id)?.display_name ?? "—";
      dealDialog(this, deal, { id: deal.contact_id, name });
    } else {
      dealDialog(this, null, contact);
    }
  }

  /** Opens a saved deal's dialog with its current data. */
  async openDeal(id: string): Promise<void> {
    try {
      this.openDealDialog(await ipc.getDeal(id));
    } catch (e) {
      this.showError(e);
    }
  }

  /**
   * Moves a deal to another stage (board drag or keys). The lost stage asks
   * for the reason first. Rule outcomes arrive as the `automation` event.
   */
  async moveDeal(id: string, stage: string, reason: string | null = null): Promise<void> {
    const card = this.pipeline.data?.columns.flatMap((c) => c.deals).find((c) => c.deal.id === id);
    const outcome = this.settings.deal_stages.find((s) => s.key === stage)?.outcome
      ?? this.pipeline.data?.columns.find((c) => c.stage.key === stage)?.stage.outcome;
    if (outcome === "lost" && reason === null) {
      lostDialog(this, card?.deal.title ?? "", async (why) => {
        try {
          await this.applyMove(id, stage, why);
          this.closeModal();
          this.pipelineView?.focusCard(id);
          return null;
        } catch (e) {
          return AppError.from(e);
        }
      });
      return;
    }
    try {
      await this.applyMove(id, stage, reason);
      this.pipelineView?.focusCard(id);
    } catch (e) {
      const err = AppError.from(e);
      this.showError(err, undefined, dealErrorText(err));
    }
  }

  private async applyMove(id: string, stage: string, reason: string | null): Promise<void> {
    const saved = await ipc.moveDeal(id, stage, reason);
    const text = t("pipeline.moved", { title: saved.deal.title, stage: dealStageName(this.settings.deal_stages, saved.deal.stage) });
    await this.dealsChanged(saved.contact);
    this.pipelineView?.announce(text);
  }

  /**
   * After a deal was saved, moved or deleted: the contact's stage may have
   * changed (coupling), so the list is stale; the board, the open contact and
   * its deals reload, and tasks (rules may have made some).
   */
  async dealsChanged(contact: ContactDetail | null): Promise<void> {
    this.list.stale = true;
    const jobs: Promise<void>[] = [this.refreshTasks()];
    if (contact) {
      const i = this.list.items.findIndex((x) => x.id === contact.contact.id);
      if (i >= 0) this.list.items[i] = contact.contact;
    }
    if (this.view.name === "pipeline") jobs.push(this.reloadPipeline());
    if (this.view.name === "contact") {
      const open = this.view.detail.contact.id;
      if (contact && contact.contact.id === open) {
        this.view = { name: "contact", detail: contact };
        this.render();
      }
      jobs.push(this.loadContactDeals(), this.loadTimeline(false));
    }
    if (this.view.name === "reports") jobs.push(this.reloadReports());
    await Promise.all(jobs);
  }

  /** After an email was sent or a quote made: the contact's timeline (and score) changed. */
  async activitiesChanged(contactId: string, detail?: ContactDetail): Promise<void> {
    this.list.stale = true;
    if (this.view.name !== "contact" || this.view.detail.contact.id !== contactId) return;
    try {
      this.contactChanged(detail ?? (await ipc.getContact(contactId)), { activities: true });
    } catch (e) {
      this.showError(e);
    }
  }

  async loadContactDeals(): Promise<void> {
    const st = this.contactDeals;
    if (!st) return;
    const current = this.latest.contactDeals.start();
    try {
      const data = await ipc.contactDeals(st.contactId);
      if (!current() || this.contactDeals !== st) return;
      st.data = data;
      this.contactDealsView?.update();
    } catch (e) {
      if (current()) this.showError(e);
    }
  }

  /** The follow-up email dialog for a contact (and deal). */
  openEmailDialog(contactId: string, dealId: string | null): void {
    const name = this.view.name === "contact" && this.view.detail.contact.id === contactId
      ? this.view.detail.contact.display_name
      : this.pipeline.data?.columns.flatMap((c) => c.deals).find((c) => c.deal.contact_id === contactId)?.contact_name
        ?? this.list.items.find((c) => c.id === contactId)?.display_name ?? "";
    emailDialog(this, contactId, name, dealId);
  }

  // ---- automation -------------------------------------------------------------

  /** Each outcome of the rules becomes a toast; tasks views and counts refresh. */
  automationFired(outcomes: AutomationOutcome[]): void {
    for (const o of outcomes) this.automationToast(o);
    if (outcomes.some((o) => o.type === "task_created")) void this.refreshTasks();
  }

  private automationToast(o: AutomationOutcome): void {
    let text: string;
    let action: HTMLElement | null = null;
    if (o.type === "task_created") text = t("automation.task", { title: o.task.title, date: dueText(o.task, clock.now()) });
    else if (o.type === "notice") text = o.message;
    else {
      const name = this.view.name === "contact" && this.view.detail.contact.id === o.contact_id
        ? this.view.detail.contact.display_name
        : this.list.items.find((c) => c.id === o.contact_id)?.display_name;
      text = name ? `${t("automation.proposed", { stage: stageName(o.stage) })}: ${name}` : t("automation.proposed", { stage: stageName(o.stage) });
      action = h("button", {
        type: "button", class: "btn btn-primary", "data-testid": "automation-open",
        onclick: () => { el.remove(); void this.openContact(o.contact_id); },
      }, t("automation.open"));
    }
    const el = h(
      "div",
      { class: "notice auto-toast", role: "status", "data-testid": "automation-toast", "data-type": o.type },
      h("span", { class: "notice-icon", "aria-hidden": "true" }, "⚙"),
      h("span", { class: "notice-text" }, text),
      action,
      h("button", {
        type: "button", class: "btn btn-ghost notice-close", "aria-label": t("action.dismiss"), title: t("action.dismiss"),
        onclick: () => el.remove(),
      }, "×"),
    );
    this.noticeSlot.appendChild(el);
    setTimeout(() => el.remove(), NOTICE_MS);
  }

  // ---- reports ------------------------------------------------------------------

  /** The "Reports" nav item (the first time: this year). */
  async showReports(): Promise<void> {
    this.clearError();
    if (!this.reports.preset && !this.reports.period.from && !this.reports.period.to) this.setReportPreset("year", false);
    this.view = { name: "reports" };
    this.origin = "reports";
    this.render();
    byTestId<HTMLElement>(this.main, "reports-heading")?.focus();
    await this.reloadReports();
  }

  setReportPreset(preset: PeriodPreset, reload = true): void {
    this.reports.preset = preset;
    this.reports.period = presetPeriod(preset, clock.now());
    if (reload) void this.reloadReports();
  }

  setReportPeriod(period: Period): void {
    this.reports.preset = null;
    this.reports.period = period;
    void this.reloadReports();
  }

  async reloadReports(): Promise<void> {
    const current = this.latest.reports.start();
    const r = this.reports;
    const period = { ...r.period };
    r.loading = true;
    this.reportsView?.update();
    try {
      const [funnel, conversion, pipeline, activities, sources, overdue] = await Promise.all([
        ipc.report("funnel", period), ipc.report("conversion", period), ipc.report("pipeline", period),
        ipc.report("activities", period), ipc.report("sources", period), ipc.report("overdue", period),
      ]);
      const ids = [...new Set(overdue.tasks.map((x) => x.contact_id).filter((x): x is string => !!x && !(x in r.names)))];
      const found = await Promise.all(ids.slice(0, 50).map((id) => ipc.getContact(id).then((d) => d.contact.display_name).catch(() => null)));
      if (!current()) return;
      ids.forEach((id, i) => { if (found[i]) r.names[id] = found[i]!; });
      r.data = { funnel, conversion, pipeline, activities, sources, overdue };
    } catch (e) {
      if (current()) {
        r.data = {};
        this.showError(e);
      }
    } finally {
      if (current()) {
        r.loading = false;
        this.reportsView?.update();
      }
    }
  }

  // ---- errors ---------------------------------------------------------------

  /**
   * Shows the translated error of the last failed action. Only one error is on
   * screen at a time: in `slot` (a dialog's or page's), else at the top.
   */
  showError(e: unknown, slot?: HTMLElement, text?: string): AppError {
    const err = AppError.from(e);
    this.clearError();
    const target =
      slot ?? this.dialog?.el.querySelector<HTMLElement>(".error-slot") ?? this.globalErrors;
    const box = h(
      "div",
      { class: "alert" },
      h("p", { role: "alert", "data-testid": "error-message", "data-code": err.code }, text ?? errorText(err)),
      h("button", {
        type: "button", class: "btn btn-ghost alert-close", "aria-label": t("action.dismiss"), title: t("action.dismiss"),
        onclick: () => box.remove(),
      }, "×"),
    );
    target.appendChild(box);
    return err;
  }

  clearError(): void {
    document.querySelectorAll(".alert").forEach((el) => el.remove());
  }

  // ---- keyboard -------------------------------------------------------------

  private handleKey(ev: KeyboardEvent): void {
    if (ev.defaultPrevented) return;
    if (ev.key === "Escape") {
      if (this.dialog) {
        ev.preventDefault();
        this.closeModal();
      } else if (this.view.name === "contact") {
        ev.preventDefault();
        void this.back();
      }
      return;
    }
    if (this.dialog || ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
    const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (this.gotoAt && Date.now() - this.gotoAt <= GOTO_MS && ["c", "t", "p", "r"].includes(key)) {
      this.gotoAt = 0;
      ev.preventDefault();
      if (key === "c") void this.showList();
      else if (key === "t") void this.showTasks();
      else if (key === "p") void this.showPipeline();
      else void this.showReports();
      return;
    }
    this.gotoAt = key === "g" ? Date.now() : 0;
    if (key === "g") {
      ev.preventDefault();
      return;
    }
    const onContact = this.view.name === "contact";
    const proposalOf = onContact ? (this.view as { detail: ContactDetail }).detail.contact : null;
    const actions: Record<string, (() => void) | undefined> = {
      "/": () => this.focusSearch(),
      n: () => this.openForm(null),
      t: () => this.openTaskDialog(null),
      d: () => this.openDealDialog(null, onContact ? this.contactRef((this.view as { detail: ContactDetail }).detail) : null),
      m: onContact ? () => this.openEmailDialog((this.view as { detail: ContactDetail }).detail.contact.id, null) : undefined,
      ",": () => this.openSettings(),
      e: onContact ? () => this.openForm((this.view as { detail: ContactDetail }).detail) : undefined,
      s: onContact ? () => this.openStageControl() : undefined,
      c: onContact ? () => this.openActivityDialog("call") : undefined,
      v: onContact ? () => this.openActivityDialog("visit") : undefined,
      o: onContact ? () => this.openActivityDialog("note") : undefined,
      a: onContact ? () => this.openActivityDialog(null) : undefined,
      q: proposalOf?.proposal ? () => void this.acceptProposal(proposalOf.id) : undefined,
      ArrowDown: this.listView ? () => this.listView?.moveFocus(1) : undefined,
      ArrowUp: this.listView ? () => this.listView?.moveFocus(-1) : undefined,
    };
    const action = actions[key];
    if (action) {
      ev.preventDefault();
      action();
    }
  }
}
