import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, select, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

const CSV = [
  "Vorname;Nachname;Firma;E-Mail;Telefon;Branche",
  "Anna;Becker;Müller AG;anna@mueller.de;030 1234567;Maschinenbau",
  ";;Leer GmbH;;;",
  "Bernd;Otto;;bernd@otto.de;;Handel",
  "Carla;Zorn;;kaputt;;",
  ";;;;;Handel",
].join("\n");

const dialog = () => $("import-dialog");

async function openPreview(file = { name: "messe.csv", text: CSV }, prepare?: (b: LiveBackend) => void) {
  const h = await start((b) => {
    b.stageImport(file);
    prepare?.(b);
  });
  $(h.backend.contacts.length ? "import-open" : "empty-import").click();
  $("import-choose").click();
  await until(() => maybe("import-preview"));
  return h;
}

describe("import wizard", () => {
  it("opens from the empty state, and a cancelled file dialog leaves it at step 1", async () => {
    const { backend } = await start((b) => { b.stageImport(null); });
    $("empty-import").click();
    expect(dialog().textContent).toContain("Import contacts");
    $("import-choose").click();
    await until(() => backend.calls.some((c) => c.cmd === "choose_import_file"));
    await backend.idle();
    expect(maybe("import-preview")).toBeNull();
    expect(maybe("import-file-name")).toBeNull();
    expect(backend.calls.some((c) => c.cmd === "import_preview")).toBe(false);
  });

  it("shows format, delimiter, the mapping per column and the first rows with errors at their line", async () => {
    const { backend } = await openPreview(undefined, (b) => { b.settings.language = "de"; });
    expect($("import-file-name").textContent).toBe("messe.csv");
    expect($("import-format").textContent).toBe("CSV");
    expect($("import-encoding").textContent).toBe("UTF-8");
    expect($("import-delimiter").textContent).toBe("Semikolon (;)");
    expect(($("import-preset") as HTMLSelectElement).selectedOptions[0].textContent).toBe("Automatisch erkennen (erkannt: Allgemein (deutsche/englische Spaltennamen))");
    const rows = $$("import-mapping-row");
    expect(rows.map((r) => r.querySelector("th")!.textContent)).toEqual(["Vorname", "Nachname", "Firma", "E-Mail", "Telefon", "Branche"]);
    expect(rows[0].textContent).toContain("Anna");
    const fieldOf = (i: number) => ($$("import-field-select")[i] as HTMLSelectElement).selectedOptions[0].textContent;
    // a column the core does not know goes into the notes: nothing is lost
    expect([0, 1, 2, 3, 4, 5].map(fieldOf)).toEqual(["Vorname", "Nachname", "Firma/Organisation", "E-Mail-Adresse", "Telefonnummer", "In Notizen übernehmen"]);
    // every field is offered, translated
    expect(($$("import-field-select")[0] as HTMLSelectElement).options).toHaveLength(21);
    expect(Array.from(($$("import-field-select")[0] as HTMLSelectElement).options).map((o) => o.textContent)).toContain("In Notizen übernehmen");
    expect(($("import-source") as HTMLInputElement).value).toBe("messe.csv");
    expect(($("import-merge") as HTMLInputElement).checked).toBe(true);
    const lines = $$("import-row").map((r) => r.dataset.line);
    expect(lines).toEqual(["2", "3", "4", "5", "6"]);
    expect($$("import-row")[0].textContent).toContain("Anna Becker");
    expect($$("import-row")[0].textContent).toContain("Müller AG");
    expect($$("import-row")[0].textContent).toContain("anna@mueller.de");
    // an organisation alone is a record; a row with neither name, organisation nor email is not
    expect($("import-row-error").textContent).toBe("Zeile 6: Datensatz ohne Namen (no name, organisation or email address)");
    expect($("import-row-warning").textContent).toContain("kaputt");
    expect($("import-total").textContent).toBe("5 Datensätze");
    expect($("import-rejected").textContent).toBe("1 abgelehnt");
    expect($("import-duplicates").textContent).toBe("0 Duplikate");
    expect($("import-run").textContent).toBe("4 Datensätze importieren");
    expect((await backend.call("stage_counts", { search: null })).all).toBe(0); // nothing written by the preview
  });

  it("re-requests the preview with the full mapping when a field or the preset changes", async () => {
    const { backend } = await openPreview();
    select($$("import-field-select")[5], "note_line");
    await until(() => backend.calls.filter((c) => c.cmd === "import_preview").length === 2);
    const sent = backend.calls.filter((c) => c.cmd === "import_preview").at(-1)!.args.options;
    expect(sent.mapping).toEqual(["first_name", "last_name", "organization", "email", "phone", "note_line"]);
    expect(sent).toMatchObject({ format: "auto", preset: "auto", source: "messe.csv", merge_duplicates: true });
    await until(() => ($$("import-field-select")[5] as HTMLSelectElement).value === "note_line");
    expect(($$("import-field-select")[5] as HTMLSelectElement).selectedOptions[0].textContent).toBe("Add to notes");
    select($("import-preset"), "outlook");
    await until(() => backend.calls.filter((c) => c.cmd === "import_preview").length === 3);
    const again = backend.calls.filter((c) => c.cmd === "import_preview").at(-1)!.args.options;
    expect(again.preset).toBe("outlook");
    expect(again.mapping).toBeNull();
  });

  it("marks duplicates of existing contacts and runs with the chosen source, then reports", async () => {
    const { backend } = await openPreview(undefined, (b) => b.add({ first_name: "Anna", last_name: "Becker", emails: ["anna@mueller.de"] }));
    expect($("import-row-duplicate").textContent).toBe("will be merged with Anna Becker");
    expect($("import-duplicates").textContent).toBe("1 duplicate");
    type($("import-source"), "Messe Hannover 2025");
    $("import-run").click();
    await until(() => maybe("import-report"));
    expect(backend.calls.find((c) => c.cmd === "import_run")!.args.options).toMatchObject({ source: "Messe Hannover 2025", merge_duplicates: true });
    expect($("report-imported").textContent).toBe("3imported");
    expect($("report-merged").textContent).toBe("1merged");
    expect($("report-skipped").textContent).toBe("0skipped");
    expect($$("report-error").map((e) => e.textContent)).toEqual(["line 6: record without a name (no name, organisation or email address)"]);
    expect($$("report-warning").map((e) => e.textContent)).toEqual(["line 5: invalid email address “kaputt” kept in the notes"]);
    expect(maybe("report-cancelled")).toBeNull();
    const bernd = (await backend.call("list_contacts", { query: { stage: null, search: "Bernd Otto", sort: "name", offset: 0, limit: 1, ready_to_qualify: false, organization_id: null } })).items[0];
    expect(bernd.source).toBe("Messe Hannover 2025");
    $("import-done").click();
    expect(maybe("import-dialog")).toBeNull();
    await until(() => $$("contact-row").length === 4);
  });

  it("creates duplicates anew when merging is off", async () => {
    const { backend } = await openPreview(undefined, (b) => b.add({ first_name: "Anna", last_name: "Becker", emails: ["anna@mueller.de"] }));
    $("import-merge").click();
    expect($("import-row-duplicate").textContent).toBe("looks like Anna Becker (will be created anyway)");
    $("import-run").click();
    await until(() => maybe("import-report"));
    expect(backend.calls.find((c) => c.cmd === "import_run")!.args.options.merge_duplicates).toBe(false);
    expect($("report-imported").textContent).toBe("4imported");
  });

  it("shows progress from the import-progress event and stops on cancel", async () => {
    // The core writes batches of 500: 2,000 records are four batches, and the
    // backend holds the import after each batch's progress until the test steps it.
    const text = ["First name,Last name", ...Array.from({ length: 2000 }, (_, i) => `P${i},Q${i}`)].join("\n");
    const { backend } = await start((b) => {
      b.stageImport({ name: "big.csv", text });
      b.holdImport();
    });
    $("empty-import").click();
    $("import-choose").click();
    await until(() => maybe("import-preview"));
    expect($("import-delimiter").textContent).toBe("comma (,)");
    $("import-run").click();
    await until(() => maybe("import-progress"));
    const bar = $("import-progress-bar") as HTMLProgressElement;
    await until(() => bar.value === 500);
    expect(bar.max).toBe(2000);
    expect($("import-progress-text").textContent).toBe("500 of 2,000");
    await backend.stepImport();
    await until(() => bar.value === 1000);
    $("import-cancel").click();
    await until(() => backend.calls.some((c) => c.cmd === "cancel_import"));
    expect(($("import-cancel") as HTMLButtonElement).disabled).toBe(true);
    await backend.stepImport();
    await until(() => maybe("import-report"));
    expect($("report-cancelled").textContent).toContain("The import was stopped");
    expect($("report-imported").textContent).toBe("1,000imported");
    const query = { stage: null, search: "", sort: "name", offset: 0, limit: 1, ready_to_qualify: false, organization_id: null };
    expect((await backend.call("list_contacts", { query })).total).toBe(1000);
  });

  it("has no mapping for vCard and reads every card", async () => {
    const vcf = [
      "BEGIN:VCARD", "VERSION:3.0", "N:Schmidt;Anna;;Frau;", "FN:Anna Schmidt", "ORG:Kaffee & Co.", "EMAIL:anna@kaffee.de", "END:VCARD",
      "BEGIN:VCARD", "VERSION:4.0", "FN:Jörg Lang", "TEL:+49 40 1234", "END:VCARD",
      "BEGIN:VCARD", "VERSION:4.0", "KIND:org", "FN:Nordlicht Logistik", "ORG:Nordlicht Logistik", "END:VCARD",
    ].join("\r\n");
    await openPreview({ name: "karten.vcf", text: vcf });
    expect($("import-format").textContent).toBe("vCard");
    expect(maybe("import-preset")).toBeNull();
    expect(maybe("import-mapping")).toBeNull();
    expect(maybe("import-delimiter")).toBeNull();
    expect($$("import-row").map((r) => r.dataset.line)).toEqual(["1", "8", "13"]);
    expect($$("import-row")[0].textContent).toContain("Anna Schmidt");
    expect($$("import-row")[0].textContent).toContain("Kaffee & Co.");
    expect($("import-row-org").textContent).toBe("organisation only");
    expect($$("import-row")[2].textContent).toContain("Nordlicht Logistik");
    expect($("import-run").textContent).toBe("Import 3 records");
  });

  it("shows a translated error when the file cannot be read", async () => {
    await start((b) => { b.stageImport({ name: "x.csv", text: "a" }); }, (b) => (cmd, args) => {
      if (cmd === "import_preview") throw { code: "unreadable_file", message: "not UTF-8, Windows-1252 or UTF-16", field: null, from: null, to: null };
      return b.handle(cmd, args);
    });
    $("empty-import").click();
    $("import-choose").click();
    await until(() => maybe("error-message"));
    expect($("error-message").textContent).toBe("The file could not be read: not UTF-8, Windows-1252 or UTF-16");
    expect(dialog().contains($("error-message"))).toBe(true);
  });
});

describe("possible duplicates on import", () => {
  it("lets the rep merge, create or skip each possible duplicate, or choose for all", async () => {
    const csv = "Vorname;Nachname;Firma;E-Mail\nAna;Becker;Müller AG;ana@privat.de\nKarl;Otto;Otto KG;info@otto.de\nNeu;Mensch;;neu@x.de\n";
    const { backend } = await openPreview({ name: "neu.csv", text: csv }, (b) => {
      b.add({ first_name: "Anna", last_name: "Becker", organization: "Müller AG", emails: ["anna@mueller.de"] });
      b.add({ first_name: "Zentrale", last_name: "Otto", organization: "Otto KG", emails: ["info@otto.de"] });
    });
    const choiceOf = (line: number) => ($("import-row-choice", $$("import-row").find((r) => r.dataset.line === String(line))!) as HTMLSelectElement).value;
    expect([choiceOf(2), choiceOf(3)]).toEqual(["new", "new"]); // possible duplicates come in as new by default
    expect($$("import-row")[2].querySelector('[data-testid="import-row-choice"]')).toBeNull(); // a new person: no choice
    // all possible duplicates skipped, then line 3 merged into the switchboard
    select($("import-possible"), "skip");
    await until(() => choiceOf(2) === "skip" && choiceOf(3) === "skip");
    select($("import-row-choice", $$("import-row").find((r) => r.dataset.line === "3")!), "merge");
    await until(() => choiceOf(3) === "merge");
    expect(choiceOf(2)).toBe("skip");
    $("import-run").click();
    await until(() => maybe("import-report"));
    const options = backend.calls.find((c) => c.cmd === "import_run")!.args.options;
    expect(options.possible_duplicates).toBe("skip");
    expect(options.choices).toEqual([{ line: 3, choice: "merge" }]);
    expect($("report-imported").textContent).toBe("1imported");
    expect($("report-merged").textContent).toBe("1merged");
    expect($("report-skipped").textContent).toBe("1skipped");
  });

  it("flags a similar name at the same company in the preview and offers the duplicates view after", async () => {
    const csv = "Vorname;Nachname;Firma;E-Mail\nAna;Becker;Müller AG;ana@privat.de\n";
    await openPreview({ name: "neu.csv", text: csv }, (b) => {
      b.settings.language = "de";
      b.add({ first_name: "Anna", last_name: "Becker", organization: "Müller AG", emails: ["anna@mueller.de"] });
    });
    expect($("import-row-similar").textContent).toBe("ähnlicher Name in derselben Firma wie Anna Becker: mögliches Duplikat");
    expect($("import-similar").textContent).toBe("1 mögliches Duplikat");
    $("import-run").click();
    await until(() => maybe("import-report"));
    expect($("report-possible-duplicates").textContent).toContain("1 neuer Kontakt hat einen ähnlichen Namen");
    $("report-review-duplicates").click();
    await until(() => maybe("duplicates-dialog"));
  });
});
