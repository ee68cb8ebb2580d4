import { afterEach, describe, expect, it } from "vitest";
import { $, $$, chipCount, maybe, names, select, start, stop, until } from "./helpers";
import type { Seeded } from "./live";

afterEach(stop);

describe("settings: data section", () => {
  it("exports each format and shows where, and nothing when the save dialog is cancelled", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "de";
      b.add({ first_name: "Anna", last_name: "Becker" });
      b.add({ first_name: "Bernd", last_name: "Otto" });
    });
    $("open-settings").click();
    expect($("settings-data").textContent).toContain("Daten");
    $("export-csv").click();
    await until(() => maybe("data-status"));
    expect($("data-status").textContent).toBe("2 Kontakte gespeichert in kontakte.csv");
    $("export-vcard").click();
    await until(() => $("data-status").textContent!.includes("kontakte.vcf"));
    $("export-json").click();
    await until(() => $("data-status").textContent!.includes("kontakte.json"));
    expect(backend.calls.filter((c) => c.cmd === "export_contacts").map((c) => c.args)).toEqual([
      { format: "csv", ids: null }, { format: "vcard", ids: null }, { format: "json", ids: null },
    ]);
    await backend.answerDialog(null); // the rep cancels the save dialog
    $("backup").click();
    await until(() => backend.calls.some((c) => c.cmd === "backup_store"));
    await backend.idle();
    expect($("data-status").textContent).toContain("kontakte.json"); // unchanged
    await backend.answerDialog({ name: "sicherung.json" });
    $("backup").click();
    await until(() => $("data-status").textContent === "2 Kontakte gespeichert in sicherung.json");
  });

  it("restores into an empty store after showing the manifest", async () => {
    const { backend } = await start((b) => {
      b.addBackup("kontor-backup-2025-02-01.json", (o) => {
        o.add({ first_name: "Anna", last_name: "Becker", stage: "customer" });
        o.add({ first_name: "Carla", last_name: "Zorn" });
      });
    });
    expect(maybe("empty-state")).not.toBeNull();
    $("open-settings").click();
    $("restore").click();
    await until(() => maybe("restore-info"));
    expect($("restore-info").textContent).toContain("kontor-backup-2025-02-01.json");
    expect($("restore-date").textContent).toMatch(/Feb 1, 2025/);
    expect($("restore-counts").textContent).toBe("2 contacts, 0 organisations, 0 activities, 0 tasks, 0 deals");
    expect($("restore-version").textContent).toBe("Kontor 0.2.0");
    expect(maybe("restore-warning")).toBeNull();
    expect($("restore-confirm").textContent).toBe("Restore");
    $("restore-confirm").click();
    await until(() => maybe("data-status"));
    expect(backend.calls.find((c) => c.cmd === "restore_store")!.args).toEqual({ force: false });
    expect($("data-status").textContent).toBe("Restored 2 contacts from kontor-backup-2025-02-01.json.");
    await until(() => names().length === 2);
    expect(names()).toEqual(["Anna Becker", "Carla Zorn"]);
    expect(chipCount("customer")).toBe("1");
  });

  it("warns that existing contacts are replaced and forces only after confirmation", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "de";
      b.add({ first_name: "Alt", last_name: "Eins" });
      b.add({ first_name: "Alt", last_name: "Zwei" });
      b.add({ first_name: "Alt", last_name: "Drei" });
      b.addBackup("alt.json", (o) => { o.add({ first_name: "Neu", last_name: "Kontakt" }); });
    });
    $("open-settings").click();
    $("restore").click();
    await until(() => maybe("restore-warning"));
    expect($("restore-warning").textContent).toBe("Die 3 Kontakte, die jetzt in Kontor sind, werden durch die Sicherung ersetzt. Kontor sichert sie vorher (siehe Automatische Sicherungen).");
    expect($("restore-confirm").textContent).toBe("Ersetzen und wiederherstellen");
    $("restore-cancel").click();
    expect(maybe("restore-info")).toBeNull();
    expect(backend.calls.some((c) => c.cmd === "restore_store")).toBe(false);
    await backend.answerDialog({ name: "alt.json" }); // the same file, picked again
    $("restore").click();
    await until(() => maybe("restore-confirm"));
    $("restore-confirm").click();
    await until(() => names().length === 1);
    expect(backend.calls.find((c) => c.cmd === "restore_store")!.args).toEqual({ force: true });
    expect(names()).toEqual(["Neu Kontakt"]);
  });

  it("asks again when the store turned out not empty (store_not_empty)", async () => {
    const { backend } = await start((b) => {
      b.addBackup("b.json", (o) => { o.add({ first_name: "Neu", last_name: "Kontakt" }); });
    });
    $("open-settings").click();
    $("restore").click();
    await until(() => maybe("restore-confirm"));
    await backend.call("create_contact", { input: { first_name: "Inzwischen", last_name: "Angelegt", display_name: null, organization: null, title: null, emails: [], phones: [], tags: [], source: null, notes: null } }); // e.g. by the CLI
    $("restore-confirm").click();
    await until(() => maybe("error-message"));
    expect($("error-message").textContent).toBe("The data store already holds contacts. Restoring replaces them; please confirm.");
    expect($("error-message").dataset.code).toBe("store_not_empty");
    expect($("settings-data").contains($("error-message"))).toBe(true);
    expect($("restore-warning").textContent).toContain("will be replaced");
    $("restore-confirm").click();
    await until(() => maybe("data-status"));
    expect(backend.calls.filter((c) => c.cmd === "restore_store").map((c) => c.args.force)).toEqual([false, true]);
  });

  it("shows invalid_backup translated and nothing on a cancelled choice", async () => {
    const { backend } = await start();
    $("open-settings").click();
    $("restore").click();
    await until(() => backend.calls.some((c) => c.cmd === "choose_backup_file"));
    await backend.idle();
    expect(maybe("restore-info")).toBeNull();
    await backend.answerDialog({ name: "kaputt.json", text: "{\"not\": \"a backup\"}" });
    $("restore").click();
    await until(() => maybe("error-message"));
    expect($("error-message").textContent).toMatch(/^This is not a valid Kontor backup/);
  });

  it("binds the phone region to settings.phone_region", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "de";
      b.settings.company = { ...b.settings.company, name: "Vertrieb Nord GmbH" };
    });
    $("open-settings").click();
    const sel = $("setting-phone-region") as HTMLSelectElement;
    expect(sel.value).toBe("DE");
    expect(sel.selectedOptions[0].textContent).toBe("Deutschland (DE)");
    expect(Array.from(sel.options).map((o) => o.value)).toEqual(expect.arrayContaining(["AT", "CH", "NL", "BE", "FR", "IT", "PL", "GB", "US"]));
    select(sel, "AT");
    $("settings-save").click();
    await until(() => backend.calls.some((c) => c.cmd === "set_settings"));
    const saved = await backend.call("get_settings");
    expect(saved.phone_region).toBe("AT");
    expect(saved.company.name).toBe("Vertrieb Nord GmbH"); // fields this dialog does not edit go back unchanged
  });
});

describe("GDPR on the contact page", () => {
  it("exports everything about the person", async () => {
    const { backend } = await start((b) => b.add({ first_name: "Anna", last_name: "Becker" }));
    $("contact-row").click();
    await until(() => maybe("contact-page"));
    expect($("person-export").textContent).toBe("Export data (GDPR)");
    $("person-export").click();
    await until(() => maybe("toast"));
    expect($("toast").textContent).toBe("Everything about Anna Becker saved in data-Anna-Becker.json");
    expect(JSON.parse(await backend.savedFile("data-Anna-Becker.json")).contact.display_name).toBe("Anna Becker");
  });

  it("erases for good only after a confirmation naming the person", async () => {
    let a!: Seeded;
    const { backend } = await start((b) => {
      b.settings.language = "de";
      a = b.add({ first_name: "Anna", last_name: "Becker" });
      b.add({ first_name: "Bernd", last_name: "Otto" });
      b.log(a, "call", 1);
      b.addTask({ title: "Anrufen", due: "2025-03-14", contact_id: a.id });
      b.addDeal({ contact_id: a.id, title: "Lizenz", value: 900 });
    });
    $$("contact-row")[0].click();
    await until(() => maybe("contact-page") && maybe("contact-deal") && maybe("task-row") && maybe("timeline-entry"));
    expect($("person-erase").textContent).toBe("Endgültig löschen");
    $("person-erase").click();
    expect($("erase-dialog").textContent).toContain("Anna Becker endgültig löschen?");
    expect($("erase-text").textContent).toBe("Anna Becker wird mit allen Aktivitäten, Aufgaben und Verkaufschancen gelöscht, ebenso eine Organisation, zu der nur diese Person gehört. Ältere Sicherungen enthalten die Person noch; Kontor löscht sie bei jeder Wiederherstellung einer solchen Sicherung erneut.");
    // what goes with her, counted: the call, the task, and the deal
    expect($("erase-counts").textContent).toBe("Mit gelöscht werden: 1 Aktivität, 1 Aufgabe und 1 Verkaufschance (davon 1 offen).");
    $("cancel").click();
    expect(maybe("erase-dialog")).toBeNull();
    expect((await backend.call("stage_counts", { search: null })).all).toBe(2);
    $("person-erase").click();
    $("erase-confirm").click();
    await until(() => maybe("contact-row") && !maybe("contact-page"));
    expect(backend.calls.find((c) => c.cmd === "erase_person")!.args).toEqual({ id: a.id });
    await until(() => names().length === 1);
    expect(names()).toEqual(["Bernd Otto"]);
    expect(await backend.tasks()).toHaveLength(0);
    expect((await backend.call("list_activities", { id: a.id, query: { kinds: null, offset: 0, limit: 50 } }).catch((e: { code: string }) => e.code))).toBe("not_found");
    expect($("toast").textContent).toBe("Anna Becker wurde gelöscht.");
    expect(chipCount("all")).toBe("1");
  });

  it("says when the erased person's traces leave the files only at the next start", async () => {
    // Another holder of the store (the CLI, a long command) is the environment: the erase runs, its compaction is reported as not done now.
    const { backend } = await start((b) => { b.add({ first_name: "Anna", last_name: "Becker" }); }, (b) => async (cmd, args) => {
      const answer = await b.handle(cmd, args);
      return cmd === "erase_person" ? false : answer;
    });
    $$("contact-row")[0].click();
    await until(() => maybe("contact-page"));
    $("person-erase").click();
    $("erase-confirm").click();
    await until(() => maybe("toast"));
    expect($("toast").textContent).toBe(
      "Anna Becker was erased. The store was busy: the last traces leave its files at the next start of Kontor.",
    );
    expect((await backend.call("stage_counts", { search: null })).all).toBe(0);
  });
});
