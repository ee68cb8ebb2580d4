// The bar at the bottom: one notice with an action (a qualification
// proposal, contacts newly ready, the store check), a short toast, and a
// toast per automation rule outcome.
import type { AutomationOutcome } from "../bindings/AutomationOutcome";
import type { Contact } from "../bindings/Contact";
import type { SettingsSaved } from "../bindings/SettingsSaved";
import { h } from "../dom";
import { dueText, plural, stageName, t } from "../i18n";
import { NOTICE_MS, type ToastAction } from "../shell";
import { clock } from "../tasks";
import type { Hub } from "./hub";

export class Notices {
  readonly el = h("div", { class: "notice-slot" });
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | null = null;

  /** `host`: where the notices show now (the open dialog, else the app). */
  constructor(private readonly app: Hub, private readonly host: () => HTMLElement) {}

  /** Puts the notices where they can be seen (into the open dialog, or back). */
  attach(): void {
    const host = this.host();
    if (this.el.parentNode !== host) host.appendChild(this.el);
  }

  stop(): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    if (this.toastTimer) clearTimeout(this.toastTimer);
  }

  /** The in-app notice "Anna Schmidt ist bereit für Interessent (MQL)" with an Accept action. */
  showProposal(c: Contact): void {
    if (!c.proposal) return;
    this.show(t("notice.ready", { name: c.display_name, stage: stageName(c.proposal) }), h("button", {
      type: "button", class: "btn btn-primary", "data-testid": "notice-accept",
      onclick: () => void this.app.acceptProposal(c.id),
    }, t("proposal.accept")));
  }

  /** The notice "3 contacts are now ready to qualify" with a Show action (the ready list). */
  showReady(n: number): void {
    this.show(plural("notice.now_ready", n), h("button", {
      type: "button", class: "btn btn-primary", "data-testid": "notice-show-ready",
      onclick: () => void this.app.showReadyList(),
    }, t("notice.show_ready")));
  }

  /** The notice that the daily store check found problems, with the way to the data settings. */
  showStoreChecked(): void {
    this.show(t("check.background"), h("button", {
      type: "button", class: "btn btn-primary", "data-testid": "notice-open-data",
      onclick: () => { this.hide(); this.app.openSettings(); },
    }, t("settings.title")));
  }

  /** The notice for contacts a settings change made ready to qualify. */
  announceReady(saved: SettingsSaved): void {
    const n = saved.newly_ready;
    if (n === 0) return;
    const one = saved.ready_contact;
    // The open contact's own proposal was announced by contactChanged already.
    const view = this.app.view;
    if (n === 1 && one && view.name === "contact" && view.detail.contact.id === one.id) return;
    if (n === 1 && one) this.showProposal(one);
    else this.showReady(n);
  }

  /** Shows one notice (replacing any other) with its action and a dismiss button, for a while. */
  private show(text: string, action: HTMLElement): void {
    this.hide();
    this.attach();
    this.el.appendChild(box({ class: "notice", "data-testid": "notice" }, "★", text, action, () => this.hide()));
    this.noticeTimer = setTimeout(() => this.hide(), NOTICE_MS);
  }

  hide(): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    this.el.querySelectorAll(".notice:not(.toast):not(.auto-toast)").forEach((el) => el.remove());
  }

  /**
   * A short status line at the bottom ("“Call Anna” done. Next: tomorrow"),
   * with an action button (Undo) when given; the action closes the toast.
   */
  toast(text: string, action?: ToastAction): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.el.querySelector(".toast")?.remove();
    const el = h("div", { class: "notice toast", role: "status", "data-testid": "toast" },
      h("span", { class: "notice-text" }, text),
      action
        ? h("button", {
            type: "button", class: "btn btn-ghost toast-action", "data-testid": "toast-action",
            onclick: () => { el.remove(); action.run(); },
          }, action.label)
        : null);
    this.attach();
    this.el.appendChild(el);
    this.toastTimer = setTimeout(() => el.remove(), NOTICE_MS);
  }

  /** Each outcome of the rules becomes a toast; tasks views and counts refresh. */
  automationFired(outcomes: AutomationOutcome[]): void {
    for (const o of outcomes) this.automationToast(o);
    if (outcomes.some((o) => o.type === "task_created")) void this.app.refreshTasks();
  }

  private automationToast(o: AutomationOutcome): void {
    let text: string;
    let action: HTMLElement | null = null;
    if (o.type === "task_created") text = t("automation.task", { title: o.task.title, date: dueText(o.task, clock.now()) });
    else if (o.type === "notice") text = o.message;
    else {
      const view = this.app.view;
      const name = view.name === "contact" && view.detail.contact.id === o.contact_id
        ? view.detail.contact.display_name
        : this.app.list.items.find((c) => c.id === o.contact_id)?.display_name;
      text = name ? `${t("automation.proposed", { stage: stageName(o.stage) })}: ${name}` : t("automation.proposed", { stage: stageName(o.stage) });
      action = h("button", {
        type: "button", class: "btn btn-primary", "data-testid": "automation-open",
        onclick: () => { el.remove(); void this.app.openContact(o.contact_id); },
      }, t("automation.open"));
    }
    const el = box({ class: "notice auto-toast", "data-testid": "automation-toast", "data-type": o.type }, "⚙", text, action, () => el.remove());
    this.attach();
    this.el.appendChild(el);
    setTimeout(() => el.remove(), NOTICE_MS);
  }
}

/** A notice's box: icon, text, an action, and a dismiss button. */
function box(attrs: Record<string, string>, icon: string, text: string, action: HTMLElement | null, dismiss: () => void): HTMLElement {
  return h(
    "div",
    { ...attrs, role: "status" },
    h("span", { class: "notice-icon", "aria-hidden": "true" }, icon),
    h("span", { class: "notice-text" }, text),
    action,
    h("button", {
      type: "button", class: "btn btn-ghost notice-close", "aria-label": t("action.dismiss"), title: t("action.dismiss"),
      onclick: dismiss,
    }, "×"),
  );
}
