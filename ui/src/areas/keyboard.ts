// The app's keyboard: Esc (close the dialog, else back from a contact),
// "g" then c/t/p/o/r/k to go to a view, and one key per action (n new contact,
// t task, d deal, m email, "," settings, "/" search; on a contact page also
// e, s, c, v, o, a, q; ↑/↓ in the list), Ctrl+K for the command palette.
// Nothing but Ctrl+K fires while typing, and nothing while a dialog is open.
import { byTestId, isTyping } from "../dom";
import { GOTO_MS } from "../shell";
import type { Hub } from "./hub";

export class Keyboard {
  /** When "g" was pressed (for g c / g t). */
  private gotoAt = 0;
  private readonly onKeyDown = (ev: KeyboardEvent) => this.handle(ev);

  constructor(private readonly app: Hub) {}

  start(): void {
    document.addEventListener("keydown", this.onKeyDown);
  }

  stop(): void {
    document.removeEventListener("keydown", this.onKeyDown);
  }

  private handle(ev: KeyboardEvent): void {
    const app = this.app;
    if (ev.defaultPrevented) return;
    if (ev.key === "Escape") {
      if (app.dialog) {
        ev.preventDefault();
        app.dismissModal();
      } else if (app.view.name === "contact") {
        ev.preventDefault();
        void app.back();
      } else if (app.listView?.clearSelection()) {
        ev.preventDefault();
      }
      return;
    }
    // Ctrl+K (⌘K) opens the palette from anywhere, the search box too.
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.key.toLowerCase() === "k") {
      if (!app.dialog) {
        ev.preventDefault();
        app.openPalette();
      }
      return;
    }
    if (app.dialog || ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
    const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (this.gotoAt && Date.now() - this.gotoAt <= GOTO_MS && ["c", "t", "p", "r", "o", "k"].includes(key)) {
      this.gotoAt = 0;
      ev.preventDefault();
      if (key === "c") void app.showList();
      else if (key === "t") void app.showTasks();
      else if (key === "p") void app.showPipeline();
      else if (key === "o") void app.showOrganizations();
      else if (key === "k") void app.showCalendar();
      else void app.showReports();
      return;
    }
    this.gotoAt = key === "g" ? Date.now() : 0;
    if (key === "g") {
      ev.preventDefault();
      return;
    }
    const detail = app.view.name === "contact" ? app.view.detail : null;
    const on = (f: (d: NonNullable<typeof detail>) => void) => (detail ? () => f(detail) : undefined);
    const list = app.listView;
    const actions: Record<string, (() => void) | undefined> = {
      "/": () => app.focusSearch(),
      // In the calendar N makes an appointment (its button says so).
      n: app.view.name === "calendar" ? () => byTestId<HTMLElement>(app.main, "cal-new")?.click() : () => app.openForm(null),
      t: () => app.openTaskDialog(null),
      d: () => app.openDealDialog(null, detail ? app.contactRef(detail) : null),
      m: on((d) => app.openEmailDialog(d.contact.id, null)),
      ",": () => app.openSettings(),
      e: on((d) => app.openForm(d)),
      s: on(() => app.openStageControl()),
      c: on(() => app.openActivityDialog("call")),
      v: on(() => app.openActivityDialog("visit")),
      o: on(() => app.openActivityDialog("note")),
      a: on(() => app.openActivityDialog(null)),
      q: detail?.contact.proposal ? () => void app.acceptProposal(detail.contact.id) : undefined,
      ArrowDown: list ? () => list.moveFocus(1) : undefined,
      ArrowUp: list ? () => list.moveFocus(-1) : undefined,
    };
    const action = actions[key];
    if (action) {
      ev.preventDefault();
      action();
    }
  }
}
