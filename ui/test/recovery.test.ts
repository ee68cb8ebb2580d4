import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it } from "vitest";
import type { BackupEntry } from "../src/bindings/BackupEntry";
import { $, $$, maybe, start, stop, until } from "./helpers";

afterEach(stop);

const backup = (file: string, at: string, contacts: number, reason: BackupEntry["reason"]): BackupEntry => ({
  file, created_at: at, verified: true, reason,
  counts: { contacts, organizations: 2, activities: 7, tasks: 3, deals: 1, appointments: 0, trips: 0 },
});

describe("recovery when the store cannot be opened", () => {
  it("says what happened, shows the newest checked backup and restores it (German)", async () => {
    const { backend } = await start((b) => {
      Object.assign(b.info, {
        locale: "de-DE", os_language: "de",
        store_error: { code: "store_corrupt", message: "the store cannot be read (its files are damaged)", field: null, from: null, to: null },
        latest_backup: backup("kontor-20261205T080000Z-daily.json.gz", "2026-12-05T08:00:00Z", 4200, "daily"),
      });
    });
    expect($("recovery").textContent).toContain("Kontor kann seinen Datenspeicher nicht öffnen");
    expect($("recovery-what").textContent).toContain("beschädigt");
    expect($("recovery-counts").textContent).toBe("4200 Kontakte, 2 Organisationen, 7 Aktivitäten, 3 Aufgaben, 1 Verkaufschancen");
    expect($("recovery-date").textContent).toMatch(/2026/);
    expect(maybe("contact-list")).toBeNull();
    $("recovery-restore").click();
    await until(() => backend.calls.some((c) => c.cmd === "recover_latest"));
  });

  it("says where to look when there is no backup, in English, and a newer store is named as such", async () => {
    await start((b) => {
      Object.assign(b.info, {
        locale: "en-US", os_language: "en",
        store_error: { code: "store_newer", message: "the store has schema version 9", field: null, from: null, to: null },
        latest_backup: null,
        data_dir: "/home/rep/.local/share/kontor",
      });
    });
    expect($("recovery-what").textContent).toContain("newer Kontor");
    expect($("recovery-none").textContent).toContain("/home/rep/.local/share/kontor");
    expect(maybe("recovery-restore")).toBeNull();
  });

  it("shows the failure in the screen and lets the rep try again", async () => {
    const { backend } = await start((b) => {
      b.info = {
        ...b.info,
        store_error: { code: "store_corrupt", message: "damaged", field: null, from: null, to: null },
        latest_backup: backup("a.json.gz", "2026-12-05T08:00:00Z", 3, "hourly"),
      };
    }, (b) => (cmd, args) => (cmd === "recover_latest" ? Promise.reject({ code: "io", message: "disk full" }) : b.handle(cmd, args)));
    $("recovery-restore").click();
    await until(() => $("recovery-error").textContent !== "");
    expect($("recovery-error").textContent).toContain("disk full");
    expect($("recovery-restore").hasAttribute("disabled")).toBe(false);
    expect(backend.info.store_error).not.toBeNull();
  });
});

describe("settings: automatic backups and the integrity check", () => {
  it("lists the backups with why and what, restores one after a confirmation, and checks the store", async () => {
    const { backend } = await start((b) => {
      Object.assign(b.info, { locale: "en-US", os_language: "en" });
      b.add({ first_name: "Anna", last_name: "Becker" });
      // Automatic backups as the app writes them: before an import (Anna alone) and before an erase (Anna and Bernd).
      let bernd!: ReturnType<typeof b.imported>;
      b.at("2026-12-05T08:00:00Z", () => { bernd = b.imported("messe.csv", "First name,Last name\nBernd,Otto\n", "Bernd Otto"); });
      b.at("2026-12-06T10:00:00Z", () => b.erase(bernd));
    });
    $("open-settings").click();
    await until(() => $$("backup-row").length === 2);
    const rows = $$("backup-row").map((r) => r.textContent ?? "");
    expect(rows[0]).toContain("before an erase");
    expect(rows[0]).toContain("2 contacts");
    expect(rows[1]).toContain("before an import");
    expect(rows[1]).toContain("1 contacts");
    $$("backup-restore")[1]!.click();
    await until(() => maybe("backup-restore-confirm"));
    expect(backend.calls.some((c) => c.cmd === "restore_backup")).toBe(false);
    $("backup-restore-confirm").click();
    await until(() => backend.calls.some((c) => c.cmd === "restore_backup"));
    expect(backend.calls.find((c) => c.cmd === "restore_backup")!.args.file).toMatch(/-import\.json\.gz$/);
    await until(() => maybe("data-status")?.textContent?.startsWith("Restored 1 contacts"));
    await until(() => $$("backup-row").length === 3); // the state before it, backed up first
    await backend.idle(); // the reload after the restore re-renders the dialog

    $("check-run").click();
    await until(() => maybe("check-result"));
    expect($("check-result").textContent).toBe("The data store is healthy: 1 contacts, 0 activities, 0 tasks and 0 deals checked.");
  });

  it("warns when others can read the data folder", async () => {
    await start((b) => {
      Object.assign(b.info, { locale: "en-US", os_language: "en", exposed: true });
    });
    $("open-settings").click();
    expect($("data-exposed").textContent).toContain("Other users of this computer can read");
  });
});

describe("the daily integrity check", () => {
  it("says when it found something and leads to Settings → Data", async () => {
    await start((b) => {
      Object.assign(b.info, { locale: "de-DE", os_language: "de" });
    });
    await emit("store-checked", [{ kind: "counter", id: "contacts.lead", problem: "says 7, the records hold 2" }]);
    await until(() => maybe("notice-open-data"));
    expect($("notice").textContent).toContain("Die tägliche Prüfung hat Unstimmigkeiten im Datenspeicher gefunden");
    $("notice-open-data").click();
    await until(() => maybe("settings-data"));
  });
});
