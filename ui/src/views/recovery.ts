// The recovery screen: the store could not be opened (damaged, or written by
// a newer Kontor). It says what happened, shows the newest checked automatic
// backup with its date and counts, and restores it: the backend moves the
// damaged store aside (never deleting it) and restores into a fresh one.
import type { AppInfo } from "../bindings/AppInfo";
import { h } from "../dom";
import { formatDateTime, t } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";

/** The counts of a backup as one line. */
export function countsText(c: { contacts: number; organizations: number; activities: number; tasks: number; deals: number }): string {
  return t("data.counts", { contacts: c.contacts, organizations: c.organizations, activities: c.activities, tasks: c.tasks, deals: c.deals });
}

/** Whether the app must show [`recoveryScreen`] instead of its views. */
export function needsRecovery(info: AppInfo | null): boolean {
  const code = info?.store_error?.code;
  return code === "store_corrupt" || code === "store_newer";
}

/**
 * The screen. `recovered` runs once the backup is restored (the app then
 * starts over on the restored store).
 */
export function recoveryScreen(info: AppInfo, recovered: () => void): HTMLElement {
  const error = info.store_error!;
  const latest = info.latest_backup;
  const errorSlot = h("div", { class: "error-slot", role: "alert", "data-testid": "recovery-error" });
  const restore = h("button", { type: "button", class: "btn btn-primary", "data-testid": "recovery-restore" }, t("recovery.restore"));
  restore.addEventListener("click", () => {
    restore.setAttribute("disabled", "");
    errorSlot.textContent = "";
    ipc.recoverLatest().then(recovered, (e: unknown) => {
      restore.removeAttribute("disabled");
      const err = AppError.from(e);
      errorSlot.textContent = err.message;
    });
  });
  return h(
    "main",
    { class: "main recovery", id: "main", "data-testid": "recovery" },
    h(
      "section",
      { class: "recovery-card", "aria-labelledby": "recovery-title" },
      h("h1", { id: "recovery-title" }, t("recovery.title")),
      h("p", { "data-testid": "recovery-what" }, t(error.code === "store_newer" ? "recovery.store_newer" : "recovery.store_corrupt")),
      latest
        ? h(
            "div",
            { class: "restore-box", "data-testid": "recovery-backup" },
            h("p", { class: "label" }, t("recovery.latest")),
            h(
              "dl",
              { class: "fields compact" },
              h("dt", null, t("data.created")),
              h("dd", { "data-testid": "recovery-date" }, formatDateTime(latest.created_at)),
              h("dt", null, t("data.contains")),
              h("dd", { "data-testid": "recovery-counts" }, countsText(latest.counts)),
            ),
            h("div", { class: "data-actions" }, restore),
            h("p", { class: "hint" }, t("recovery.kept")),
          )
        : h("p", { class: "warning-box", "data-testid": "recovery-none" }, t("recovery.none", { dir: info.data_dir })),
      errorSlot,
      h("details", { class: "recovery-details" }, h("summary", null, t("recovery.details")), h("code", null, error.message)),
    ),
  );
}
