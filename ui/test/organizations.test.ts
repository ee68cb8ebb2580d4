import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, select, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

function seed(b: LiveBackend, language: "de" | "en" = "en") {
  b.settings.language = language;
  const anna = b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Müller AG", stage: "prospect" });
  const bernd = b.add({ first_name: "Bernd", last_name: "Becker", organization: "Müller AG" });
  b.add({ first_name: "Cleo", last_name: "Cramer", organization: "Mueller Aktiengesellschaft" });
  b.add({ first_name: "Dora", last_name: "Dietz", organization: "Zander GmbH" });
  b.addDeal({ contact_id: anna.id, title: "Wartungsvertrag", value: 1200, currency: "EUR" });
  b.addTask({ title: "Angebot nachfassen", due: "2030-01-10", contact_id: bernd.id });
  return { anna, bernd };
}

const names = () => $$("org-row-name").map((e) => e.textContent);

describe("organisations", () => {
  it("lists organisations with counts, searches and sorts them, and opens a page with contacts, deals and tasks", async () => {
    await start((b) => seed(b));
    $("nav-organizations").click();
    await until(() => names().length === 3);
    expect(names()).toEqual(["Mueller Aktiengesellschaft", "Müller AG", "Zander GmbH"]);
    const muller = $$("org-row").find((r) => r.textContent?.includes("Müller AG"))!;
    expect($("org-row-contacts", muller).textContent).toBe("2");
    expect($("org-row-deals", muller).textContent).toBe("1");
    select($("org-sort"), "contacts");
    expect(names()[0]).toBe("Müller AG");
    type($("org-search"), "zandr");
    await until(() => names().length === 1);
    expect(names()).toEqual(["Zander GmbH"]);
    type($("org-search"), "müller");
    await until(() => names()[0] === "Müller AG");
    $$("org-row")[0].focus();
    key("Enter", $$("org-row")[0]);
    await until(() => maybe("org-page"));
    expect($("org-name").textContent).toBe("Müller AG");
    expect($$("org-contact").map((e) => e.querySelector(".strong")?.textContent)).toEqual(["Bernd Becker", "Anna Schmidt"]);
    expect($("org-deal").textContent).toContain("Wartungsvertrag");
    const task = $$("org-task").find((e) => e.textContent?.includes("Angebot nachfassen"));
    expect(task?.textContent).toContain("Bernd Becker");
    // A contact opened here returns here with Back.
    $$("org-contact")[1].click();
    await until(() => maybe("contact-page"));
    expect($("nav-organizations").getAttribute("aria-current")).toBe("page");
    key("Escape");
    await until(() => maybe("org-page"));
    expect($("org-name").textContent).toBe("Müller AG");
  });

  it("creates an organisation, edits it, and merges a duplicate into it (German)", async () => {
    const { backend } = await start((b) => seed(b, "de"));
    $("nav-organizations").click();
    await until(() => names().length === 3);
    $("org-new").click();
    await until(() => maybe("org-dialog"));
    $("org-save").click();
    expect($("org-dialog").textContent).toContain("Bitte ausfüllen.");
    type($("org-name"), "Hafen Logistik KG");
    type($("org-industry"), "Logistik");
    $("org-save").click();
    await until(() => maybe("org-page") && $("org-name").textContent === "Hafen Logistik KG");
    expect($("org-facts").textContent).toBe("Logistik");
    expect($("org-contacts").textContent).toContain("Noch keine Kontakte");
    // The same name again is refused, in German.
    $("org-back").click();
    await until(() => names().length === 4);
    $("org-new").click();
    await until(() => maybe("org-dialog"));
    type($("org-name"), "hafen logistik kg");
    $("org-save").click();
    await until(() => maybe("org-dialog")?.querySelector('[data-testid="field-error"]:not([hidden])'));
    key("Escape", $("org-name"));
    await until(() => maybe("org-dialog") === null || maybe("discard-confirm"));
    if (maybe("discard-confirm")) $("discard-yes").click();
    // Merge "Mueller Aktiengesellschaft" into "Müller AG".
    const row = $$("org-row").find((r) => r.textContent?.includes("Müller AG"))!;
    row.click();
    await until(() => maybe("org-page") && $("org-name").textContent === "Müller AG");
    $("org-merge").click();
    await until(() => maybe("org-merge-dialog"));
    type($("org-merge-search"), "Mueller");
    await until(() => $$("org-merge-pick").some((b) => b.textContent?.startsWith("Mueller Aktiengesellschaft")));
    $$("org-merge-pick").find((b) => b.textContent?.startsWith("Mueller Aktiengesellschaft"))!.click();
    await until(() => maybe("org-merge-confirm"));
    expect($("org-merge-confirm").textContent).toContain("1 Kontakte und 0 offene Verkaufschancen wechseln");
    $("org-merge-do").click();
    await until(() => maybe("org-merge-dialog") === null && $$("org-contact").length === 3);
    expect($$("org-contact").map((e) => e.querySelector(".strong")?.textContent)).toContain("Cleo Cramer");
    const orgs = await backend.call("organization_summaries", { search: null });
    expect(orgs.map((o: { name: string }) => o.name)).toEqual(["Hafen Logistik KG", "Müller AG", "Zander GmbH"]);
  });

  it("finds an organisation from the search and the palette and opens its page", async () => {
    await start((b) => seed(b));
    await until(() => maybe("contact-row"));
    type($("search"), "Zander");
    await until(() => maybe("org-hit"));
    $("org-hit").click();
    await until(() => maybe("org-page"));
    expect($("org-name").textContent).toBe("Zander GmbH");
    $("org-in-list").click();
    await until(() => maybe("contact-row") && $$("row-name").length === 1);
    expect($("row-name").textContent).toBe("Dora Dietz");
  });

  it("keeps an opened page still when a search typed just before the click comes due", async () => {
    await start((b) => seed(b));
    $("nav-organizations").click();
    await until(() => names().length === 3);
    type($("org-search"), "müller");
    // Clicked before the search's pause has passed: the list still shows every organisation.
    $$("org-row").find((r) => r.textContent?.includes("Müller AG"))!.click();
    await until(() => maybe("org-page"));
    const heading = $("org-name");
    await new Promise((r) => setTimeout(r, 400));
    expect(maybe("org-page")).toBeTruthy();
    expect($("org-name")).toBe(heading);
    expect($$("org-task")[0].isConnected).toBe(true);
  });

  it("takes an address and a pin by hand in its dialog and refuses a pin off the globe", async () => {
    const { backend } = await start((b) => seed(b));
    $("nav-organizations").click();
    await until(() => names().length === 3);
    $$("org-row").find((r) => r.textContent?.includes("Zander GmbH"))!.click();
    await until(() => maybe("org-page"));
    $("org-edit").click();
    await until(() => maybe("org-dialog"));
    type($("org-street"), "Elbchaussee 1");
    type($("org-postcode"), "22763");
    type($("org-city"), "Hamburg");
    type($("org-lat"), "95");
    type($("org-lon"), "9,9314");
    $("org-save").click();
    await until(() => maybe("org-dialog")?.querySelector('[data-testid="field-error"]:not([hidden])'));
    expect(backend.calls.some((c) => c.cmd === "update_organization")).toBe(false);
    type($("org-lat"), "53,5456");
    $("org-save").click();
    await until(() => maybe("org-dialog") === null);
    const input = backend.calls.find((c) => c.cmd === "update_organization")!.args.input;
    expect(input).toMatchObject({ street: "Elbchaussee 1", postcode: "22763", city: "Hamburg", pin: { lat: 53.5456, lon: 9.9314 } });
    await until(() => $("org-facts")?.textContent?.includes("Elbchaussee 1, 22763 Hamburg"));
  });
});
