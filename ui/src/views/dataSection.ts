// The settings dialog's "Data" section: export (CSV, vCard, JSON), a full
// backup, and restore from a backup (manifest shown first; replacing existing
// contacts needs an explicit confirmation). The backend opens the native file
// dialogs; a cancelled dialog changes nothing. The state lives outside the
// section so a re-render (language switch) keeps it.
import type { App } from "../app";
import type { BackupInfo } from "../bindings/BackupInfo";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { SavedFile } from "../bindings/SavedFile";
import { h, type Child } from "../dom";
import { formatDateTime, language, t } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import { button } from "./common";

/** Countries offered for reading national phone numbers (ISO 3166 alpha-2). */
export const PHONE_REGIONS = [
  "DE", "AT", "CH", "LI", "LU", "NL", "BE", "FR", "IT", "ES", "PT", "PL", "CZ", "DK", "SE", "NO", "FI", "GB", "IE", "US", "CA", "TR",
] as const;

/** A country's name in the UI language ("DE" → "Deutschland" / "Germany"). */
export function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([language()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export interface DataState {
  /** The last success line ("12 contacts saved in kontor.csv"). */
  status: string | null;
  /** The backup chosen for a restore, waiting for confirmation. */
  restore: BackupInfo | null;
  /** The backend said the store is not empty: the next confirm forces. */
  forceNeeded: boolean;
  busy: boolean;
}

export const newDataState = (): DataState => ({ status: null, restore: null, forceNeeded: false, busy: false });

export function savedText(file: SavedFile): string {
  return t(file.count === 1 ? "data.saved_one" : "data.saved_other", { n: file.count, name: file.name });
}

/**
 * The section. `rerender` redraws the dialog; errors show in the section's own slot;
 * `restored` runs after a successful restore (reloads the app's state).
 */
export function dataSection(
  app: App,
  s: DataState,
  o: { rerender: () => void; restored: () => Promise<void>; extra?: Child },
): HTMLElement {
  const act = async (testid: string, work: () => Promise<void>) => {
    if (s.busy) return;
    s.busy = true;
    app.clearError();
    try {
      await work();
    } catch (e) {
      s.busy = false;
      o.rerender();
      app.showError(e, document.querySelector<HTMLElement>('[data-slot="data"]') ?? undefined);
      return;
    }
    s.busy = false;
    o.rerender();
    document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.focus();
  };
  const saved = (file: SavedFile | null) => {
    if (file) s.status = savedText(file); // null: the save dialog was cancelled
  };
  const exportBtn = (format: ExportFormat, label: string) =>
    button(label, { testid: `export-${format}`, onclick: () => void act(`export-${format}`, async () => saved(await ipc.exportContacts(format))) });

  const restoreBox = (info: BackupInfo): HTMLElement => {
    const m = info.manifest;
    const c = m.counts;
    const replacing = info.current_contacts > 0 || s.forceNeeded;
    return h(
      "div",
      { class: "restore-box", "data-testid": "restore-info" },
      h("p", { class: "label" }, t("data.restore_from", { name: info.name })),
      h(
        "dl",
        { class: "fields compact" },
        h("dt", null, t("data.created")), h("dd", { "data-testid": "restore-date" }, formatDateTime(m.created_at)),
        h("dt", null, t("data.contains")),
        h("dd", { "data-testid": "restore-counts" }, t("data.counts", {
          contacts: c.contacts, organizations: c.organizations, activities: c.activities, tasks: c.tasks, deals: c.deals,
        })),
        h("dt", null, t("data.app_version")), h("dd", { "data-testid": "restore-version" }, `Kontor ${m.app_version}`),
      ),
      replacing
        ? h("p", { class: "warning-box", role: "alert", "data-testid": "restore-warning" },
            info.current_contacts > 0
              ? t(info.current_contacts === 1 ? "data.replace_warning_one" : "data.replace_warning_other", { n: info.current_contacts })
              : t("data.replace_warning_unknown"))
        : null,
      h(
        "div",
        { class: "data-actions" },
        button(t("action.cancel"), { testid: "restore-cancel", onclick: () => { s.restore = null; s.forceNeeded = false; o.rerender(); } }),
        h("button", {
          type: "button", class: `btn ${replacing ? "btn-danger" : "btn-primary"}`, "data-testid": "restore-confirm", disabled: s.busy,
          onclick: () => void act("restore", async () => {
            try {
              const counts = await ipc.restoreStore(replacing);
              s.restore = null;
              s.forceNeeded = false;
              s.status = t("data.restored", { contacts: counts.contacts, name: info.name });
              await o.restored();
            } catch (e) {
              if (AppError.from(e).code === "store_not_empty") s.forceNeeded = true;
              throw e;
            }
          }),
        }, replacing ? t("data.restore_replace") : t("data.restore_confirm")),
      ),
    );
  };

  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-data", "aria-labelledby": "data-title" },
    h("h3", { id: "data-title" }, t("data.title")),
    h("p", { class: "hint" }, t("data.hint")),
    h(
      "div",
      { class: "data-actions" },
      exportBtn("csv", t("data.export_csv")),
      exportBtn("vcard", t("data.export_vcard")),
      exportBtn("json", t("data.export_json")),
    ),
    h(
      "div",
      { class: "data-actions" },
      button(t("data.backup"), { testid: "backup", title: t("data.backup_title"), onclick: () => void act("backup", async () => saved(await ipc.backupStore())) }),
      button(t("data.restore"), {
        testid: "restore", title: t("data.restore_title"),
        onclick: () => void act("restore-confirm", async () => {
          const info = await ipc.chooseBackupFile();
          if (info) {
            s.restore = info;
            s.forceNeeded = false;
            s.status = null;
          }
        }),
      }),
    ),
    s.restore ? restoreBox(s.restore) : null,
    s.status ? h("p", { class: "status-line", role: "status", "data-testid": "data-status" }, s.status) : null,
    h("div", { class: "error-slot", "data-slot": "data" }),
    o.extra,
  );
}
