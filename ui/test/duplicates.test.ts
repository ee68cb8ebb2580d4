import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, start, stop, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

function pair(b: LiveBackend) {
  const a = b.add({
    first_name: "Anna", last_name: "Schmidt", organization: "Müller AG", emails: ["anna@mueller.de"], phones: ["+49 30 1234567"],
    tags: ["messe"], title: null, source: "Messe",
  });
  const other = b.add({
    first_name: "Anna", last_name: "Schmitt", organization: "Müller AG", emails: ["anna@mueller.de", "a.schmitt@privat.de"],
    phones: ["030 1234567"], tags: ["newsletter"], title: "Einkauf", source: "Website", stage: "prospect",
  });
  b.log(other, "call", 1, { summary: "Erstgespräch" });
  b.addTask({ title: "Angebot schicken", due: "2025-03-20", contact_id: other.id });
  return { a, other };
}

describe("duplicates and merge", () => {
  it("shows an empty state when there are none", async () => {
    await start((b) => b.add({ first_name: "Anna", last_name: "A" }));
    $("duplicates-open").click();
    await until(() => maybe("duplicates-empty"));
    expect($("duplicates-empty").textContent).toBe("No duplicates found.");
    expect($$("duplicate-pair")).toHaveLength(0);
  });

  it("lists pairs with both names, organisations and the translated reasons", async () => {
    await start((b) => {
      b.settings.language = "de";
      pair(b);
      b.add({ first_name: "Bernd", last_name: "Otto" });
    });
    $("duplicates-open").click();
    await until(() => $$("duplicate-pair").length === 1);
    expect($("dup-a").textContent).toBe("Anna Schmidt · Müller AG");
    expect($("dup-b").textContent).toBe("Anna Schmitt · Müller AG");
    expect($$("dup-reason").map((r) => r.textContent)).toEqual([
      "Gleiche E-Mail: anna@mueller.de", "Gleiche Telefonnummer: +49301234567", "Ähnlicher Name: Anna Schmidt ~ Anna Schmitt",
    ]);
    expect($("merge-open").textContent).toBe("Zusammenführen…");
  });

  it("merges with the chosen values, keeps activities and tasks, and opens the survivor", async () => {
    let ids!: ReturnType<typeof pair>;
    const { backend } = await start((b) => { ids = pair(b); });
    $("duplicates-open").click();
    await until(() => maybe("merge-open"));
    $("merge-open").click();
    expect($("merge-survivor").textContent).toContain("Anna Schmidt");
    expect($("merge-other").textContent).toContain("Anna Schmitt");
    expect($("merge-note").textContent).toContain("activities, tasks and deals move");
    const fields = $$("merge-field").map((f) => f.dataset.field);
    expect(fields).toEqual(["last_name", "display_name", "title", "source", "stage"]);
    const picked = (f: string) => ($("merge-field").parentElement!.querySelector(`[data-field="${f}"] input:checked`) as HTMLInputElement).value;
    expect(picked("last_name")).toBe("survivor");
    expect(picked("title")).toBe("other"); // the survivor's is empty
    expect(picked("stage")).toBe("other"); // the further stage: prospect over lead
    $("merge-confirm").click();
    await until(() => maybe("contact-page"));
    const call = backend.calls.find((c) => c.cmd === "merge_contacts")!.args;
    expect(call).toEqual({ survivor: ids.a.id, other: ids.other.id, picks: { from_other: ["title", "stage"] } });
    expect(maybe("duplicates-dialog")).toBeNull();
    expect($("contact-name").textContent).toBe("Anna Schmidt");
    expect($("stage-badge").textContent).toBe("Prospect (MQL)");
    expect(document.querySelector('[data-field="emails"]')!.textContent).toBe("anna@mueller.dea.schmitt@privat.de");
    expect(document.querySelector('[data-field="title"]')!.textContent).toBe("Einkauf");
    await until(() => document.body.textContent!.includes("Erstgespräch"));
    await until(() => document.body.textContent!.includes("Angebot schicken"));
    expect((await backend.call("stage_counts", { search: null })).all).toBe(1);
    $("back").click();
    await until(() => $$("contact-row").length === 1);
  });

  it("can swap the survivor", async () => {
    let ids!: ReturnType<typeof pair>;
    const { backend } = await start((b) => { ids = pair(b); });
    $("duplicates-open").click();
    await until(() => maybe("merge-open"));
    $("merge-open").click();
    $("merge-swap").click();
    expect($("merge-survivor").textContent).toContain("Anna Schmitt");
    // the new survivor has a title, so its own value is the default now
    expect(document.querySelector<HTMLInputElement>('[data-field="title"] input:checked')!.value).toBe("survivor");
    $("merge-confirm").click();
    await until(() => maybe("contact-page"));
    expect(backend.calls.find((c) => c.cmd === "merge_contacts")!.args).toMatchObject({ survivor: ids.other.id, other: ids.a.id, picks: { from_other: [] } });
    expect($("contact-name").textContent).toBe("Anna Schmitt");
  });

  it("goes back from the merge view to the list", async () => {
    await start((b) => { pair(b); });
    $("duplicates-open").click();
    await until(() => maybe("merge-open"));
    $("merge-open").click();
    $("merge-back").click();
    expect($$("duplicate-pair")).toHaveLength(1);
  });
});

describe("many duplicates at once", () => {
  it("remembers 'Not a duplicate' and merges the selected pairs in one go", async () => {
    const { backend } = await start((b) => {
      b.add({ first_name: "Anna", last_name: "Schmidt", emails: ["anna@x.de"] });
      b.add({ first_name: "Anna", last_name: "Schmitt", emails: ["anna@x.de"], stage: "prospect" });
      b.add({ first_name: "Bernd", last_name: "Otto", phones: ["+49 30 7654321"] });
      b.add({ first_name: "Bernd", last_name: "Otto", phones: ["030 7654321"] });
      b.add({ first_name: "Zentrale", last_name: "Müller", emails: ["info@mueller.de"] });
      b.add({ first_name: "Karin", last_name: "Müller", emails: ["info@mueller.de"] });
    });
    $("duplicates-open").click();
    await until(() => $$("duplicate-pair").length === 3);
    const pairOf = (name: string) => $$("duplicate-pair").find((p) => p.textContent!.includes(name))!;
    $("dup-dismiss", pairOf("Karin")).click();
    await until(() => $$("duplicate-pair").length === 2);
    expect($("toast").textContent).toContain("are kept as two people");
    expect(($("dup-merge-selected") as HTMLButtonElement).disabled).toBe(true);
    $("dup-select", pairOf("Anna")).click();
    $("dup-select", pairOf("Bernd")).click();
    expect($("dup-merge-selected").textContent).toBe("Merge 2 selected pairs");
    $("dup-merge-selected").click();
    await until(() => maybe("duplicates-empty"));
    expect(backend.calls.filter((c) => c.cmd === "merge_contacts")).toHaveLength(2);
    expect((await backend.call("stage_counts", { search: null })).all).toBe(4);
    // the Anna kept is a prospect: the further stage survives the merge
    const anna = (await backend.call("list_contacts", { query: { stage: null, search: "anna", sort: "name", offset: 0, limit: 5, ready_to_qualify: false, organization_id: null } })).items;
    expect(anna.map((c: { stage: string }) => c.stage)).toEqual(["prospect"]);
    // the dismissed pair stays dismissed
    $("duplicates-close").click();
    $("duplicates-open").click();
    await until(() => maybe("duplicates-empty"));
  });
});
