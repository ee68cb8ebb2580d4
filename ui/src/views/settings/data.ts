// The settings dialog's "Data" section: export (CSV, vCard, JSON), a full
// backup, and restore from a backup (manifest shown first; replacing existing
// contacts needs an explicit confirmation). The backend opens the native file
// dialogs; a cancelled dialog changes nothing. The state lives outside the
// section so a re-render (language switch) keeps it.
import type { Shell } from "../../shell";
import type { BackupEntry } from "../../bindings/BackupEntry";
import type { BackupInfo } from "../../bindings/BackupInfo";
import type { Checkup } from "../../bindings/Checkup";
import type { Problem } from "../../bindings/Problem";
import type { Repair } from "../../bindings/Repair";
import type { ExportFormat } from "../../bindings/ExportFormat";
import type { SavedFile } from "../../bindings/SavedFile";
import { h, type Child } from "../../dom";
import { formatDateTime, language, t, type MessageKey } from "../../i18n";
import * as ipc from "../../ipc";
import { AppError } from "../../ipc";
import { button } from "../common";
import { countsText } from "../recovery";

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
  /** The automatic backups (null: not read yet). */
  backups: BackupEntry[] | null;
  /** The backup whose restore waits for confirmation. */
  restoreEntry: BackupEntry | null;
  /** The last integrity check or repair. */
  checkup: Checkup | null;
  repaired: Repair | null;
  /** The last success line ("12 contacts saved in kontor.csv"). */
  status: string | null;
  /** The backup chosen for a restore, waiting for confirmation. */
  restore: BackupInfo | null;
  /** The backend said the store is not empty: the next confirm forces. */
  forceNeeded: boolean;
  busy: boolean;
}

export const newDataState = (): DataState => ({
  status: null, restore: null, forceNeeded: false, busy: false, backups: null, restoreEntry: null, checkup: null, repaired: null,
});

export function savedText(file: SavedFile): string {
  return t(file.count === 1 ? "data.saved_one" : "data.saved_other", { n: file.count, name: file.name });
}

/**
 * The section. `rerender` redraws the dialog; errors show in the section's own slot;
 * `restored` runs after a successful restore (reloads the app's state).
 */
export function dataSection(
  app: Shell,
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
    button(label, { testid: `export-${format}`, onclick: () => void act(`export-${format}`, async () => saved(await ipc.exportContacts(format, null))) });

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

  if (s.backups === null) {
    s.backups = [];
    ipc.listBackups().then((list) => { s.backups = list; o.rerender(); }, () => undefined);
  }
  const backupRow = (b: BackupEntry): HTMLElement => {
    const date = formatDateTime(b.created_at);
    const confirming = s.restoreEntry?.file === b.file;
    return h(
      "li",
      { class: "backup-row", "data-testid": "backup-row" },
      h("span", { class: "backup-date" }, date),
      h("span", { class: "hint" }, `${b.reason ? t(`backups.reason.${b.reason}` as MessageKey) : b.file} · ${countsText(b.counts)} · ${t(b.verified ? "backups.verified" : "backups.unverified")}`),
      confirming
        ? h(
            "div",
            { class: "restore-box", role: "alert" },
            h("p", null, t("backups.confirm", { date })),
            h(
              "div",
              { class: "data-actions" },
              button(t("action.cancel"), { testid: "backup-restore-cancel", onclick: () => { s.restoreEntry = null; o.rerender(); } }),
              h("button", {
                type: "button", class: "btn btn-danger", "data-testid": "backup-restore-confirm", disabled: s.busy,
                onclick: () => void act("backup-restore", async () => {
                  const counts = await ipc.restoreBackup(b.file);
                  s.restoreEntry = null;
                  s.backups = null;
                  s.status = t("backups.restored", { contacts: counts.contacts, date });
                  await o.restored();
                }),
              }, t("backups.restore")),
            ),
          )
        : button(t("backups.restore"), { testid: "backup-restore", onclick: () => { s.restoreEntry = b; o.rerender(); } }),
    );
  };
  const problemList = (problems: Problem[]) =>
    h("ul", { class: "problems", "data-testid": "check-problems" }, ...problems.map((p) => h("li", null, `${p.kind} ${p.id}: ${p.problem}`)));
  const checkResult = (): HTMLElement | null => {
    if (s.repaired) {
      return h("div", { "data-testid": "check-result" }, h("p", { role: "status" }, t("check.repaired", { n: s.repaired.after.length })),
        s.repaired.after.length ? problemList(s.repaired.after) : null);
    }
    const c = s.checkup;
    if (!c) return null;
    if (c.problems.length === 0) {
      const n = (k: string) => c.records[k] ?? 0;
      return h("p", { role: "status", "data-testid": "check-result" },
        t("check.healthy", { contacts: n("contacts"), activities: n("activities"), tasks: n("tasks"), deals: n("deals") }));
    }
    return h(
      "div",
      { "data-testid": "check-result", role: "alert" },
      h("p", null, t(c.problems.length === 1 ? "check.found_one" : "check.found_other", { n: c.problems.length })),
      problemList(c.problems),
      button(t("check.repair"), { testid: "check-repair", onclick: () => void act("check-run", async () => {
        s.repaired = await ipc.repairStore();
        s.checkup = null;
        await o.restored();
      }) }),
    );
  };
  const exposed = app.info?.exposed
    ? h("p", { class: "warning-box", role: "alert", "data-testid": "data-exposed" }, t("data.exposed", { dir: app.info.data_dir }))
    : null;

  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-data", "aria-labelledby": "data-title" },
    exposed,
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
    h("h4", null, t("backups.title")),
    h("p", { class: "hint" }, t("backups.hint")),
    s.backups.length
      ? h("ul", { class: "backup-list", "data-testid": "backup-list" }, ...s.backups.map(backupRow))
      : h("p", { class: "hint", "data-testid": "backup-none" }, t("backups.none")),
    h(
      "div",
      { class: "data-actions" },
      button(t("check.run"), { testid: "check-run", onclick: () => void act("check-run", async () => {
        s.repaired = null;
        s.checkup = await ipc.checkStore();
      }) }),
    ),
    checkResult(),
    o.extra,
  );
}
