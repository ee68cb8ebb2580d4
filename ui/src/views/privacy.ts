// GDPR on the contact page: export everything about the person as JSON, and
// erase the person (with activities and tasks) for good after a confirmation
// that names them and says it cannot be undone.
import type { Shell } from "../shell";
import type { Contact } from "../bindings/Contact";
import { h } from "../dom";
import { formatList, plural, t } from "../i18n";
import * as ipc from "../ipc";
import { button, formDialog } from "./common";

export function privacyCard(app: Shell, c: Contact): HTMLElement {
  return h(
    "section",
    { class: "card", "data-testid": "privacy", "aria-labelledby": "privacy-title" },
    h("h2", { id: "privacy-title" }, t("privacy.title")),
    h("p", { class: "hint" }, t("privacy.hint")),
    h(
      "div",
      { class: "data-actions" },
      button(t("privacy.export"), { testid: "person-export", onclick: () => void exportPerson(app, c) }),
      h("button", {
        type: "button", class: "btn btn-danger", "data-testid": "person-erase", onclick: () => eraseDialog(app, c),
      }, t("privacy.erase")),
    ),
  );
}

async function exportPerson(app: Shell, c: Contact): Promise<void> {
  try {
    const file = await ipc.exportPerson(c.id);
    if (file) app.showToast(t("privacy.exported", { name: c.display_name, file: file.name }));
  } catch (e) {
    app.showError(e, document.querySelector<HTMLElement>('[data-slot="page"]') ?? undefined);
  }
}

/** What goes with the person, counted from the page: activities, tasks, deals (open ones and their value). */
function erasedWith(app: Shell, c: Contact): HTMLElement | null {
  const activities = app.timeline?.contactId === c.id ? app.timeline.total : null;
  const tasks = app.contactTasks?.contactId === c.id ? app.contactTasks.items.length : null;
  const deals = app.contactDeals?.contactId === c.id ? app.contactDeals.data : null;
  if (activities === null || tasks === null || !deals) return null;
  const open = deals.summary.open;
  const parts = [plural("privacy.count_activities", activities), plural("privacy.count_tasks", tasks),
    plural("privacy.count_deals", deals.deals.length) + (open ? ` (${plural("privacy.count_open", open)})` : "")];
  return h("p", { "data-testid": "erase-counts" }, t("privacy.erase_counts", { what: formatList(parts) }));
}

export function eraseDialog(app: Shell, c: Contact): void {
  const errors = h("div", { class: "error-slot", "data-slot": "erase" });
  const save = h("button", { type: "submit", class: "btn btn-danger", "data-testid": "erase-confirm" }, t("privacy.erase"));
  let busy = false;
  const submit = async () => {
    if (busy) return;
    busy = true;
    save.disabled = true;
    try {
      const compacted = await ipc.erasePerson(c.id);
      app.closeModal();
      app.list.stale = true;
      await app.backToList();
      void app.refreshTasks();
      app.showToast(t(compacted ? "privacy.erased" : "privacy.erased_later", { name: c.display_name }));
    } catch (e) {
      app.showError(e, errors);
    } finally {
      busy = false;
      save.disabled = false;
    }
  };
  const dialog = formDialog(
    app,
    { testid: "erase-dialog", cls: "narrow", heading: [t("privacy.erase_title", { name: c.display_name })], onSubmit: () => void submit(), errors, save },
    h("p", { class: "warning-box", "data-testid": "erase-text" }, t("privacy.erase_text", { name: c.display_name })),
    erasedWith(app, c),
    h("p", { class: "hint" }, t("privacy.erase_hint")),
  );
  app.openModal(dialog);
  dialog.querySelector<HTMLElement>('[data-testid="cancel"]')?.focus();
}
