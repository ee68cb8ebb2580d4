// The application controller: holds the state (settings, list query and
// results, the open contact, the open dialog), talks to ipc.ts, and tells the
// views to render. Views are plain functions/classes that build DOM with dom.ts.
import type { AppInfo } from "./bindings/AppInfo";
import type { Contact } from "./bindings/Contact";
import type { ContactDetail } from "./bindings/ContactDetail";
import type { Settings } from "./bindings/Settings";
import type { SortOrder } from "./bindings/SortOrder";
import type { Stage } from "./bindings/Stage";
import type { StageCounts } from "./bindings/StageCounts";
import { byTestId, closeDialog, h, isTyping, openDialog, replace } from "./dom";
import { errorText, resolveLanguage, setLanguage, t, type Lang } from "./i18n";
import * as ipc from "./ipc";
import { AppError } from "./ipc";
import { button } from "./views/common";
import { renderContactPage } from "./views/contact";
import { contactForm } from "./views/form";
import { ListView } from "./views/list";
import { settingsDialog } from "./views/settings";
import { stageDialog } from "./views/stage";

export const PAGE_SIZE = 100;
export const SEARCH_DEBOUNCE_MS = 120;

export type View = { name: "list" } | { name: "contact"; detail: ContactDetail };

export interface ListState {
  search: string;
  stage: Stage | null;
  sort: SortOrder;
  items: Contact[];
  total: number;
  counts: StageCounts | null;
  loading: boolean;
  /** Whether data must be fetched again before the list is shown. */
  stale: boolean;
}

/** An open modal dialog; `rerender` rebuilds its texts after a language switch. */
export interface OpenDialog {
  el: HTMLDialogElement;
  rerender?: () => void;
  /** Focused element before the dialog opened, to give focus back. */
  returnFocus: Element | null;
}

export class App {
  readonly root: HTMLElement;
  settings: Settings = { language: null };
  info: AppInfo | null = null;
  view: View = { name: "list" };
  list: ListState = {
    search: "", stage: null, sort: "name", items: [], total: 0, counts: null, loading: false, stale: true,
  };
  dialog: OpenDialog | null = null;
  listView: ListView | null = null;

  private main!: HTMLElement;
  private globalErrors!: HTMLElement;
  private topbar!: HTMLElement;
  private seq = 0;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly onKeyDown = (ev: KeyboardEvent) => this.handleKey(ev);

  constructor(root: HTMLElement) {
    this.root = root;
  }

  /** Loads settings and app info, picks the language, renders, loads the list. */
  async start(): Promise<void> {
    const [settings, info] = await Promise.all([
      ipc.getSettings().catch(() => ({ language: null }) as Settings),
      ipc.appInfo().catch(() => null),
    ]);
    this.settings = settings;
    this.info = info;
    this.applyLanguage();
    this.topbar = h("header", { class: "topbar" });
    this.globalErrors = h("div", { class: "error-slot global" });
    this.main = h("main", { class: "main", id: "main" });
    replace(this.root, this.topbar, this.globalErrors, this.main);
    document.addEventListener("keydown", this.onKeyDown);
    this.render();
    await this.reloadList();
  }

  /** Removes global listeners (used by tests between runs). */
  stop(): void {
    document.removeEventListener("keydown", this.onKeyDown);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    if (this.dialog) closeDialog(this.dialog.el);
    this.dialog = null;
  }

  get lang(): Lang {
    return resolveLanguage(this.settings.language, this.info?.locale || navigator.language);
  }

  applyLanguage(): void {
    setLanguage(this.lang);
    document.title = t("app.name");
  }

  /** Rebuilds the whole visible UI from state (after navigation or a language switch). */
  render(): void {
    this.renderTopbar();
    if (this.view.name === "list") {
      this.listView = new ListView(this);
      replace(this.main, this.listView.el);
      this.listView.update();
    } else {
      this.listView = null;
      replace(this.main, renderContactPage(this, this.view.detail));
    }
    this.dialog?.rerender?.();
  }

  private renderTopbar(): void {
    replace(
      this.topbar,
      h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "K"), t("app.name")),
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
  }

  // ---- list ---------------------------------------------------------------

  /** Fetches the first page and the stage counts for the current query. */
  async reloadList(): Promise<void> {
    const seq = ++this.seq;
    const q = this.list;
    q.loading = true;
    this.listView?.update();
    const search = q.search.trim() || null;
    try {
      const [page, counts] = await Promise.all([
        ipc.listContacts({ stage: q.stage, search, sort: q.sort, offset: 0, limit: PAGE_SIZE }),
        ipc.stageCounts(search),
      ]);
      if (seq !== this.seq) return;
      q.items = page.items;
      q.total = page.total;
      q.counts = counts;
      q.stale = false;
      this.clearError();
    } catch (e) {
      if (seq !== this.seq) return;
      this.showError(e);
    } finally {
      if (seq === this.seq) {
        q.loading = false;
        this.listView?.update();
      }
    }
  }

  async loadMore(): Promise<void> {
    const q = this.list;
    if (q.loading || q.items.length >= q.total) return;
    const seq = ++this.seq;
    q.loading = true;
    this.listView?.update();
    try {
      const page = await ipc.listContacts({
        stage: q.stage, search: q.search.trim() || null, sort: q.sort, offset: q.items.length, limit: PAGE_SIZE,
      });
      if (seq !== this.seq) return;
      q.items = q.items.concat(page.items);
      q.total = page.total;
    } catch (e) {
      if (seq === this.seq) this.showError(e);
    } finally {
      if (seq === this.seq) {
        q.loading = false;
        this.listView?.update();
      }
    }
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

  setStageFilter(stage: Stage | null): void {
    this.list.stage = stage;
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

  async openContact(id: string): Promise<void> {
    try {
      const detail = await ipc.getContact(id);
      this.showContact(detail);
    } catch (e) {
      this.showError(e);
    }
  }

  showContact(detail: ContactDetail): void {
    this.clearError();
    this.view = { name: "contact", detail };
    this.render();
    byTestId(this.main, "contact-name")?.focus();
  }

  /** Called after a contact changed: update the page and mark the list for refetch. */
  contactChanged(detail: ContactDetail): void {
    this.list.stale = true;
    this.showContact(detail);
  }

  async backToList(): Promise<void> {
    const openId = this.view.name === "contact" ? this.view.detail.contact.id : null;
    this.clearError();
    this.view = { name: "list" };
    this.render();
    if (this.list.stale) await this.reloadList();
    const rows = Array.from(this.main.querySelectorAll<HTMLElement>('[data-testid="contact-row"]'));
    rows.find((row) => row.dataset.id === openId)?.focus();
  }

  focusSearch(): void {
    const go = () => byTestId<HTMLInputElement>(this.main, "search")?.focus();
    if (this.view.name === "list") go();
    else void this.backToList().then(go);
  }

  // ---- dialogs --------------------------------------------------------------

  openModal(el: HTMLDialogElement, rerender?: () => void): void {
    const returnFocus = document.activeElement;
    if (this.dialog) this.closeModal();
    this.dialog = { el, rerender, returnFocus };
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

  /** Stores and applies a language choice; everything re-renders at once. */
  async setLanguageChoice(language: Lang | null): Promise<void> {
    this.settings = { ...this.settings, language };
    this.applyLanguage();
    this.render();
    try {
      this.settings = await ipc.setSettings({ language });
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- errors ---------------------------------------------------------------

  /**
   * Shows the translated error of the last failed action. Only one error is on
   * screen at a time: in `slot` (a dialog's or page's), else at the top.
   */
  showError(e: unknown, slot?: HTMLElement): AppError {
    const err = AppError.from(e);
    this.clearError();
    const target =
      slot ?? this.dialog?.el.querySelector<HTMLElement>(".error-slot") ?? this.globalErrors;
    const box = h(
      "div",
      { class: "alert" },
      h("p", { role: "alert", "data-testid": "error-message", "data-code": err.code }, errorText(err)),
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
        void this.backToList();
      }
      return;
    }
    if (this.dialog || ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
    const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    const onContact = this.view.name === "contact";
    const actions: Record<string, (() => void) | undefined> = {
      "/": () => this.focusSearch(),
      n: () => this.openForm(null),
      ",": () => this.openSettings(),
      e: onContact ? () => this.openForm((this.view as { detail: ContactDetail }).detail) : undefined,
      s: onContact ? () => this.openStageControl() : undefined,
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
