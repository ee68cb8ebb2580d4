// The application: starts and stops, holds the settings, what is shown
// (the view, where a contact page was opened from, the open dialog) and the
// areas that own each view's state and loads (areas/: list, contact, tasks,
// pipeline, reports, notices, keyboard). It implements `Shell` for the
// views and `Hub` for the areas, mostly by handing a call to its area.
import type { ActivityKind } from "./bindings/ActivityKind";
import type { AppInfo } from "./bindings/AppInfo";
import type { Contact } from "./bindings/Contact";
import type { ContactDetail } from "./bindings/ContactDetail";
import type { Deal } from "./bindings/Deal";
import type { Period } from "./bindings/Period";
import type { SearchHit } from "./bindings/SearchHit";
import type { Settings } from "./bindings/Settings";
import type { SnoozePreset } from "./bindings/SnoozePreset";
import type { SortOrder } from "./bindings/SortOrder";
import type { Stage } from "./bindings/Stage";
import type { SyncView } from "./bindings/SyncView";
import type { TaskItem } from "./bindings/TaskItem";
import { CalendarArea } from "./areas/calendar";
import type { CalendarMode } from "./calendar";
import { ContactArea } from "./areas/contact";
import type { Hub } from "./areas/hub";
import { Keyboard } from "./areas/keyboard";
import { ListArea } from "./areas/list";
import { Notices } from "./areas/notices";
import { PipelineArea } from "./areas/pipeline";
import { OrganizationsArea } from "./areas/organizations";
import { ReportsArea } from "./areas/reports";
import { TasksArea } from "./areas/tasks";
import { byTestId, closeDialog, h, openDialog, replace } from "./dom";
import { errorText, formatDateTime, type Lang, plural, resolveLanguage, setLanguage, t } from "./i18n";
import * as ipc from "./ipc";
import { AppError } from "./ipc";
import type { PeriodPreset } from "./periods";
import {
  TASKS_REFRESH_MS, type ContactDealsState, type ContactTasksState, type DealContact, type ListState, type OpenDialog,
  type PipelineState, type Place, type PresetContact, type PresetDeal, type ReportsState, type TasksState,
  type OrganizationsState, type OrgSort, type TimelineState, type ToastAction, type View,
} from "./shell";
import { defaultSettings, withDefaults } from "./settings";
import type { TaskTab } from "./tasks";
import type { ContactFilter } from "./bindings/ContactFilter";
import type { SavedView } from "./bindings/SavedView";
import type { Activity } from "./bindings/Activity";
import { activityDialog } from "./views/activity";
import { button } from "./views/common";
import { conflictsDialog } from "./views/conflicts";
import { duplicatesDialog } from "./views/duplicates";
import { contactForm } from "./views/form";
import { importWizard } from "./views/import/wizard";
import { orgDialog } from "./views/organization";
import { needsRecovery, recoveryScreen } from "./views/recovery";
import { openPalette } from "./views/palette";
import { settingsDialog } from "./views/settings/dialog";
import { stageDialog } from "./views/stage";

export class App implements Hub {
  readonly root: HTMLElement;
  settings: Settings = defaultSettings();
  info: AppInfo | null = null;
  view: View = { name: "list" };
  /** Where Back/Esc on a contact page goes. */
  origin: Place = "list";
  dialog: OpenDialog | null = null;
  main!: HTMLElement;

  private readonly areas = {
    list: new ListArea(this),
    contact: new ContactArea(this),
    tasks: new TasksArea(this),
    pipeline: new PipelineArea(this),
    reports: new ReportsArea(this),
    organizations: new OrganizationsArea(this),
    calendar: new CalendarArea(this),
    // A modal dialog sits in the top layer: toasts and notices show in it
    // while one is open, or they would be hidden under it.
    notices: new Notices(this, () => this.dialog?.el ?? this.root),
    keyboard: new Keyboard(this),
  };
  private globalErrors!: HTMLElement;
  private topbar!: HTMLElement;
  private badge: HTMLElement | null = null;
  /** Team sync's state in the top bar (hidden until sync is set up). */
  private syncBtn: HTMLButtonElement | null = null;
  private sync: SyncView | null = null;
  /** How many sync-status events came in (a status asked for before one is older). */
  private syncEvents = 0;
  /** Another rep's change came in while a dialog was open over a contact page. */
  private contactStale = false;
  private tasksTimer: ReturnType<typeof setInterval> | null = null;
  private readonly unlisten: (() => void)[] = [];
  /** The view last rendered ("contact:<id>" for a contact page): a new one opens at its top. */
  private rendered = "";
  /** Where the list was scrolled when the rep left it (Back returns there). */
  private listScroll = 0;
  private stopped = false;

  constructor(root: HTMLElement) {
    this.root = root;
  }

  // ---- the areas' state, as the views read it ----------------------------------

  get list(): ListState { return this.areas.list.state; }
  set list(state: ListState) { this.areas.list.state = state; }
  get listView(): { moveFocus(step: number): void; clearSelection(): boolean } | null { return this.areas.list.view; }
  get timeline(): TimelineState | null { return this.areas.contact.timeline; }
  get contactTasks(): ContactTasksState | null { return this.areas.contact.tasks; }
  get contactDeals(): ContactDealsState | null { return this.areas.contact.deals; }
  get tasks(): TasksState { return this.areas.tasks.state; }
  get pipeline(): PipelineState { return this.areas.pipeline.state; }
  get reports(): ReportsState { return this.areas.reports.state; }
  get organizations(): OrganizationsState { return this.areas.organizations.state; }

  // ---- start and stop ------------------------------------------------------------

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
    replace(this.root, this.topbar, this.globalErrors, this.main, this.areas.notices.el);
    this.areas.keyboard.start();
    this.render();
    this.listen(ipc.onTasksChanged(() => void this.refreshTasks()));
    this.listen(ipc.onAutomation((outcomes) => this.areas.notices.automationFired(outcomes)));
    this.listen(ipc.onIndexRebuilt(() => {
      this.list.rebuilding = false;
      this.list.stale = true;
      if (this.view.name === "list") void this.reloadList();
      // Another rep's change came in by sync: an open contact page shows it (focus stays where it was).
      else if (this.view.name === "contact") {
        if (this.dialog) this.contactStale = true; // read anew once the dialog closes
        else void this.refreshOpenContact();
      }
      // Deals, appointments, conversations and organisations come in too:
      // the board, the calendar, the reports and the organisations read
      // anew (not under an open dialog).
      else if (!this.dialog) {
        if (this.view.name === "pipeline") void this.areas.pipeline.reload();
        else if (this.view.name === "calendar") void this.areas.calendar.reload();
        else if (this.view.name === "reports") void this.areas.reports.reload();
        else if (this.view.name === "organizations" || this.view.name === "organization") {
          // (An organisation renamed or merged away elsewhere: its page errs, the rep goes back.)
          this.areas.organizations.changed().catch(() => undefined);
        }
      }
    }));
    this.listen(ipc.onStoreChecked(() => this.areas.notices.showStoreChecked()));
    this.listen(ipc.onSyncStatus((view) => {
      this.syncEvents += 1;
      this.sync = view;
      this.updateSync();
    }));
    void this.syncChanged();
    // A click on a reminder's notification: its contact, whatever was open.
    this.listen(ipc.onOpenContact((id) => {
      if (this.dialog?.changed) return this.dismissModal(); // nothing typed is lost to a click elsewhere
      if (this.dialog) this.closeModal();
      void this.openContact(id);
    }));
    this.tasksTimer = setInterval(() => void this.refreshTasks(), TASKS_REFRESH_MS);
    await Promise.all([this.reloadList(), this.refreshCounts()]);
    performance.mark("kontor-list");
  }

  /**
   * Keeps a subscription to a backend event until `stop`. Without event
   * support (a plain browser) the app still works: task counts refresh on a
   * timer and rule outcomes show up in the tasks views.
   */
  private listen(subscribed: Promise<() => void>): void {
    subscribed.then((unlisten) => {
      if (this.stopped) unlisten();
      else this.unlisten.push(unlisten);
    }, () => {});
  }

  /** Removes global listeners (used by tests between runs). */
  stop(): void {
    this.stopped = true;
    this.areas.keyboard.stop();
    this.areas.list.stop();
    this.areas.notices.stop();
    if (this.tasksTimer) clearInterval(this.tasksTimer);
    for (const unlisten of this.unlisten.splice(0)) unlisten();
    this.areas.pipeline.unmount();
    if (this.dialog) closeDialog(this.dialog.el);
    this.dialog = null;
  }

  // ---- language and rendering ------------------------------------------------------

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
    const shown = this.view.name === "contact" ? `contact:${this.view.detail.contact.id}`
      : this.view.name === "organization" ? `organization:${this.view.detail.id}` : this.view.name;
    const moved = shown !== this.rendered;
    if (moved && this.rendered === "list") this.listScroll = window.scrollY;
    this.rendered = shown;
    this.renderTopbar();
    const { list, contact, tasks, pipeline, reports, organizations, calendar } = this.areas;
    list.view = null;
    tasks.view = null;
    reports.view = null;
    organizations.view = null;
    calendar.view = null;
    contact.unmount();
    pipeline.unmount();
    const name = this.view.name;
    if (name === "contact") {
      contact.mount(this.main, (this.view as { detail: ContactDetail }).detail);
    } else {
      const view = name === "pipeline" ? pipeline.mount()
        : name === "reports" ? reports.mount()
          : name === "list" ? list.mount()
            : name === "organizations" || name === "organization" ? organizations.mount()
              : name === "calendar" ? calendar.mount()
                : tasks.mount();
      replace(this.main, view.el);
      view.update();
    }
    // A page the rep goes to opens at its top; a page redrawn in place stays where it was.
    if (moved) window.scrollTo(0, 0);
    this.dialog?.rerender?.();
  }

  /** The top-level place shown (a contact page belongs to where it was opened from). */
  get place(): Place {
    const name = this.view.name;
    return name === "contact" ? this.origin : name === "organization" ? "organizations" : name;
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
      h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "K"), h("span", { class: "brand-name" }, t("app.name"))),
      h(
        "nav",
        { class: "nav", "aria-label": t("nav.main") },
        nav("list", t("nav.contacts"), t("nav.contacts_title"), () => void this.showList()),
        nav("tasks", t("nav.tasks"), t("nav.tasks_title"), () => void this.showTasks(), this.badge),
        nav("pipeline", t("nav.pipeline"), t("nav.pipeline_title"), () => void this.showPipeline()),
        nav("calendar", t("nav.calendar"), t("nav.calendar_title"), () => void this.showCalendar()),
        nav("organizations", t("nav.organizations"), t("nav.organizations_title"), () => void this.showOrganizations()),
        nav("reports", t("nav.reports"), t("nav.reports_title"), () => void this.showReports()),
      ),
      h("div", { class: "spacer" }),
      button(t("action.new_contact"), {
        testid: "new-contact", kind: "primary", title: t("action.new_contact_title"), keys: "n",
        onclick: () => this.openForm(null),
      }),
      this.syncBtn = h("button", {
        type: "button", class: "btn btn-ghost sync-btn", "data-testid": "sync-status", hidden: true,
        onclick: () => (this.sync?.conflicts ? this.openConflicts() : this.openSettings("team")),
      }) as HTMLButtonElement,
      h("button", {
        type: "button", class: "btn btn-ghost palette-btn", "data-testid": "open-palette", title: t("palette.button_title"),
        "aria-label": t("palette.button_title"), "aria-keyshortcuts": "Control+K", onclick: () => this.openPalette(),
      }, h("kbd", { "aria-hidden": "true" }, t("palette.button"))),
      // In a narrow window the gear alone (its name stays for screen readers).
      h("button", {
        type: "button", class: "btn btn-ghost settings-btn", "data-testid": "open-settings", title: t("action.settings_title"),
        "aria-keyshortcuts": ",", onclick: () => this.openSettings(),
      }, h("span", { class: "settings-icon", "aria-hidden": "true" }, "⚙"), h("span", { class: "settings-label" }, t("action.settings"))),
    );
    this.updateBadge();
    this.updateSync();
  }

  /** The top bar's sync status: synced, syncing, offline, changes waiting, conflicts. */
  private updateSync(): void {
    const b = this.syncBtn;
    const v = this.sync;
    if (!b) return;
    b.hidden = !v || v.phase === "off";
    if (!v || v.phase === "off") return;
    const text = v.conflicts > 0
      ? plural("sync.conflicts", v.conflicts)
      : v.phase === "syncing" ? t("sync.phase.syncing")
      : v.phase === "offline" || v.phase === "refused"
        ? (v.pending > 0 ? `${t(`sync.phase.${v.phase}`)} · ${plural("sync.waiting", v.pending)}` : t(`sync.phase.${v.phase}`))
        : v.pending > 0 ? plural("sync.waiting", v.pending) : t("sync.phase.synced");
    // In a narrow window a sign and a number (the words stay for screen readers).
    const short = v.conflicts > 0 ? `⚠ ${v.conflicts}` : v.phase === "syncing" ? "⟳"
      : v.phase === "offline" || v.phase === "refused" ? `⊘${v.pending > 0 ? ` ${v.pending}` : ""}`
      : v.pending > 0 ? `↑ ${v.pending}` : "✓";
    replace(b, h("span", { class: "sync-short", "aria-hidden": "true" }, short), h("span", { class: "sync-long" }, text));
    b.dataset.phase = v.conflicts > 0 ? "conflicts" : v.phase;
    const last = v.last_sync ? t("team.last_sync", { when: formatDateTime(v.last_sync) }) : t("sync.never");
    b.title = [v.server ?? "", last, v.error ? errorText(v.error) : ""].filter(Boolean).join("\n");
  }

  async syncChanged(): Promise<void> {
    // A kept value or received changes: an open contact page reads anew (once its dialog closes).
    this.list.stale = true;
    if (this.view.name === "contact") {
      if (this.dialog) this.contactStale = true;
      else void this.refreshOpenContact();
    }
    // An event that comes in meanwhile is newer than this answer.
    const events = this.syncEvents;
    let view: SyncView;
    try {
      view = await ipc.syncStatus();
    } catch {
      return;
    }
    if (events !== this.syncEvents) return;
    this.sync = view;
    this.updateSync();
  }

  openConflicts(): void {
    conflictsDialog(this);
  }

  /** Reads the open contact anew and shows it where it is. */
  private async refreshOpenContact(): Promise<void> {
    if (this.view.name !== "contact") return;
    const id = this.view.detail.contact.id;
    const focus = (document.activeElement as HTMLElement | null)?.dataset?.testid ?? "contact-name";
    try {
      const detail = await ipc.getContact(id);
      if (this.view.name === "contact" && this.view.detail.contact.id === id && !this.dialog) {
        // Other reps' conversations, tasks and deals too.
        this.areas.contact.changed(detail, { focus, activities: true });
        void this.areas.contact.loadTasks();
        void this.areas.contact.loadDeals();
      }
    } catch {
      /* gone meanwhile (deleted by another rep): the page stays until the rep goes back */
    }
  }

  /** The Tasks nav badge: overdue + today (red while anything is overdue). */
  updateBadge(): void {
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

  // ---- navigation ----------------------------------------------------------------

  /** Back from a contact page to where it was opened from. */
  async back(): Promise<void> {
    const from = this.view.name === "contact" ? this.origin : "list";
    if (from === "tasks") await this.showTasks();
    else if (from === "pipeline") await this.showPipeline();
    else if (from === "reports") await this.showReports();
    else if (from === "organizations") await this.areas.organizations.back();
    else if (from === "calendar") await this.showCalendar();
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
    // Back where the rep left the list, on the row they opened.
    window.scrollTo(0, this.listScroll);
    const rows = Array.from(this.main.querySelectorAll<HTMLElement>('[data-testid="contact-row"]'));
    rows.find((row) => row.dataset.id === openId)?.focus({ preventScroll: true });
  }

  focusSearch(): void {
    const go = () => byTestId<HTMLInputElement>(this.main, "search")?.focus();
    if (this.view.name === "list") go();
    else void this.backToList().then(go);
  }

  // ---- the areas' use cases (views call them through Shell) ---------------------------

  reloadList(): Promise<void> { return this.areas.list.reload(); }
  loadMore(): Promise<void> { return this.areas.list.loadMore(); }
  setSearch(text: string): void { this.areas.list.setSearch(text); }
  openHit(hit: SearchHit): void { this.areas.list.openHit(hit); }
  showOrganization(id: string, name: string): void { this.areas.list.showOrganization(id, name); }
  clearOrganization(): void { this.areas.list.clearOrganization(); }
  setStageFilter(stage: Stage | null): void { this.areas.list.setStageFilter(stage); }
  setListFilter(filter: ContactFilter | null): void { this.areas.list.setFilter(filter); }
  showSavedView(view: SavedView | null): void { this.areas.list.showView(view); }
  toggleReadyFilter(): void { this.areas.list.toggleReadyFilter(); }
  setSort(sort: SortOrder): void { this.areas.list.setSort(sort); }
  loadDemo(): Promise<void> { return this.areas.list.loadDemo(); }
  showReadyList(): Promise<void> { return this.areas.list.showReady(); }

  openContact(id: string, from?: Place): Promise<void> { return this.areas.contact.open(id, from); }
  showContact(detail: ContactDetail, focus?: string): void { this.areas.contact.show(detail, focus); }
  contactChanged(detail: ContactDetail, opts?: { focus?: string; activities?: boolean; stay?: boolean }): void {
    this.areas.contact.changed(detail, opts);
  }
  loadTimeline(more: boolean): Promise<void> { return this.areas.contact.loadTimeline(more); }
  setTimelineFilter(kind: ActivityKind | null): void { this.areas.contact.setTimelineFilter(kind); }
  deleteActivity(activityId: string): Promise<void> { return this.areas.contact.deleteActivity(activityId); }
  acceptProposal(id: string): Promise<void> { return this.areas.contact.acceptProposal(id); }
  loadContactTasks(): Promise<void> { return this.areas.contact.loadTasks(); }
  loadContactDeals(): Promise<void> { return this.areas.contact.loadDeals(); }
  activitiesChanged(contactId: string, detail?: ContactDetail): Promise<void> {
    return this.areas.contact.activitiesChanged(contactId, detail);
  }

  showTasks(): Promise<void> { return this.areas.tasks.show(); }
  setTaskTab(tab: TaskTab): void { this.areas.tasks.setTab(tab); }
  reloadTasks(): Promise<void> { return this.areas.tasks.reload(); }
  refreshCounts(): Promise<void> { return this.areas.tasks.refreshCounts(); }
  refreshTasks(): Promise<void> { return this.areas.tasks.refresh(); }
  openTaskDialog(item: TaskItem | null, deal: { deal: PresetDeal; contact: PresetContact } | null = null): void {
    this.areas.tasks.openDialog(item, deal);
  }
  /** A task was created or edited in the dialog. */
  taskSaved(_item: TaskItem): void { void this.refreshTasks(); }
  completeTask(item: TaskItem): Promise<void> { return this.areas.tasks.complete(item); }
  snoozeTask(id: string, preset: SnoozePreset): Promise<void> { return this.areas.tasks.snooze(id, preset); }
  snoozeTaskUntil(id: string, until: string): Promise<void> { return this.areas.tasks.snoozeUntil(id, until); }
  deleteTask(id: string): Promise<void> { return this.areas.tasks.remove(id); }

  showPipeline(): Promise<void> { return this.areas.pipeline.show(); }
  reloadPipeline(): Promise<void> { return this.areas.pipeline.reload(); }
  openDealDialog(deal: Deal | null, contact: DealContact | null = null): void { this.areas.pipeline.openDialog(deal, contact); }
  openDeal(id: string): Promise<void> { return this.areas.pipeline.open(id); }
  moveDeal(id: string, stage: string, reason: string | null = null): Promise<void> { return this.areas.pipeline.move(id, stage, reason); }
  dealsChanged(contact: ContactDetail | null): Promise<void> { return this.areas.pipeline.changed(contact); }
  openEmailDialog(contactId: string, dealId: string | null): void { this.areas.pipeline.openEmail(contactId, dealId); }
  contactRef(detail: ContactDetail): DealContact {
    return { id: detail.contact.id, name: detail.contact.display_name };
  }

  showReports(): Promise<void> { return this.areas.reports.show(); }
  showCalendar(mode?: CalendarMode): Promise<void> { return this.areas.calendar.show(mode); }
  showOrganizations(): Promise<void> { return this.areas.organizations.show(); }
  openOrganization(id: string): Promise<void> { return this.areas.organizations.open(id); }
  setOrgSearch(text: string): void { this.areas.organizations.setSearch(text); }
  setOrgSort(sort: OrgSort): void { this.areas.organizations.setSort(sort); }
  organizationsChanged(): Promise<void> { return this.areas.organizations.changed(); }
  setReportPreset(preset: PeriodPreset, reload = true): void { this.areas.reports.setPreset(preset, reload); }
  setReportPeriod(period: Period): void { this.areas.reports.setPeriod(period); }
  reloadReports(): Promise<void> { return this.areas.reports.reload(); }

  showNotice(c: Contact): void { this.areas.notices.showProposal(c); }
  showReadyNotice(n: number): void { this.areas.notices.showReady(n); }
  hideNotice(): void { this.areas.notices.hide(); }
  showToast(text: string, action?: ToastAction): void { this.areas.notices.toast(text, action); }

  // ---- dialogs --------------------------------------------------------------

  openModal(el: HTMLDialogElement, rerender?: () => void, onClose?: () => void): void {
    const returnFocus = document.activeElement;
    if (this.dialog) this.closeModal();
    const dialog: OpenDialog = { el, rerender, returnFocus, onClose, changed: false };
    this.dialog = dialog;
    // What the rep types or picks is a change; a control that applies at once
    // (the language) is marked `data-applies` and is not.
    const changed = (ev: Event) => {
      if (!(ev.target instanceof Element && ev.target.closest("[data-applies]"))) dialog.changed = true;
    };
    el.addEventListener("input", changed, true);
    el.addEventListener("change", changed, true);
    el.addEventListener("cancel", (ev) => {
      ev.preventDefault();
      this.dismissModal();
    });
    openDialog(el);
  }

  dismissModal(then?: () => void): void {
    const d = this.dialog;
    const close = () => { this.closeModal(); then?.(); };
    if (!d || !d.changed) return close();
    askToDiscard(d.el, close);
  }

  closeModal(): void {
    const d = this.dialog;
    if (!d) return;
    this.dialog = null;
    closeDialog(d.el);
    this.areas.notices.attach();
    if (d.returnFocus instanceof HTMLElement && d.returnFocus.isConnected) d.returnFocus.focus();
    d.onClose?.();
    if (this.contactStale) {
      this.contactStale = false;
      void this.refreshOpenContact();
    }
  }

  openImport(): void {
    importWizard(this);
  }

  openDuplicates(): void {
    duplicatesDialog(this);
  }

  openForm(detail: ContactDetail | null): void {
    contactForm(this, detail);
  }

  openStageControl(): void {
    if (this.view.name === "contact") stageDialog(this, this.view.detail);
  }

  openPalette(): void {
    if (!this.dialog) openPalette(this);
  }

  openSettings(section?: string): void {
    settingsDialog(this, section);
  }

  editActivity(activity: Activity): void {
    if (this.view.name === "contact") activityDialog(this, this.view.detail, null, activity);
  }

  openActivityDialog(kind: ActivityKind | null): void {
    if (this.view.name === "contact") activityDialog(this, this.view.detail, kind);
  }

  openOrgDialog(): void {
    if (this.view.name === "contact" && this.view.detail.organization) orgDialog(this, this.view.detail);
  }

  // ---- changes to much at once ----------------------------------------------------

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
    this.areas.notices.announceReady(saved);
  }

  /** After a restore replaced the store: settings, language, the list, counts and tasks all come fresh. */
  async reloadAll(): Promise<void> {
    this.settings = withDefaults(await ipc.getSettings().catch(() => this.settings));
    this.applyLanguage();
    this.view = { name: "list" };
    this.origin = "list";
    this.areas.contact.reset();
    this.areas.list.reset();
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
}

/**
 * "Discard your changes?" in the dialog, above its buttons: Keep editing
 * (focused; Esc again keeps it too) or Discard.
 */
function askToDiscard(dialog: HTMLElement, discard: () => void): void {
  const shown = dialog.querySelector<HTMLElement>('[data-testid="discard-confirm"]');
  if (shown) return void shown.querySelector<HTMLElement>('[data-testid="discard-keep"]')?.focus();
  const bar: HTMLElement = h(
    "div",
    { class: "warning-box discard-confirm", role: "alertdialog", "aria-label": t("discard.question"), "data-testid": "discard-confirm" },
    h("p", null, t("discard.question")),
    h("div", { class: "data-actions" },
      button(t("discard.keep"), { testid: "discard-keep", kind: "primary", onclick: () => bar.remove() }),
      h("button", { type: "button", class: "btn btn-danger", "data-testid": "discard-yes", onclick: discard }, t("discard.yes"))),
  );
  const footer = dialog.querySelector(".dialog-actions");
  if (footer?.parentNode) footer.parentNode.insertBefore(bar, footer);
  else dialog.appendChild(bar);
  bar.querySelector<HTMLElement>('[data-testid="discard-keep"]')?.focus();
}
