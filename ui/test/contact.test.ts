import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, select, start, stop, type, until } from "./helpers";
import type { LiveBackend, Seeded } from "./live";

afterEach(stop);

/** Anna Becker, imported on Jan 2 and qualified by rule on Feb 3 (a prospect). */
function seed(b: LiveBackend, language: "de" | "en" | null = "en"): Seeded {
  b.settings.language = language;
  let anna!: Seeded;
  b.at("2025-01-02T08:00:00Z", () => {
    anna = b.imported(
      "kontakte.csv",
      "Vorname,Nachname,Firma,Position,E-Mail,Telefon,Tags,Quelle,Notizen\r\n"
        + "Anna,Becker,Müller AG,Einkauf,anna@mueller.de ::: a.becker@privat.de,+49 30 123456,\"messe, vip\",Website,Ruft zurück\r\n",
      "Anna Becker",
    );
  });
  b.at("2025-02-03T09:15:00Z", () => {
    b.setCriteria(anna, { target_group: "yes", budget: "yes", authority: "yes" });
    b.accept(anna);
  });
  return anna;
}

async function openFirst() {
  $("contact-row").click();
  await until(() => maybe("contact-page"));
}

describe("contact page", () => {
  it("shows all fields and the history newest first", async () => {
    await start((b) => seed(b));
    await openFirst();
    expect($("contact-name").textContent).toBe("Anna Becker");
    expect($("contact-org").textContent).toBe("Müller AG");
    expect($("stage-badge").textContent).toBe("Prospect (MQL)");
    const page = $("contact-page").textContent!;
    for (const text of ["Einkauf", "anna@mueller.de", "a.becker@privat.de", "030 123456", "messe", "vip", "Website", "Ruft zurück"]) {
      expect(page).toContain(text);
    }
    // a German number reads nationally and dials in E.164; emails are mailto: links
    expect($$("contact-phone").map((a) => [a.textContent, a.getAttribute("href")])).toEqual([["030 123456", "tel:+4930123456"]]);
    expect($$("contact-email").map((a) => a.getAttribute("href"))).toEqual(["mailto:anna@mueller.de", "mailto:a.becker@privat.de"]);
    const entries = $$("history-entry");
    expect(entries).toHaveLength(2);
    expect(entries[0].textContent).toContain("Lead → Prospect (MQL)");
    expect(entries[0].textContent).toContain("target group, budget and authority confirmed");
    expect(entries[0].textContent).toContain("by rule");
    expect(entries[0].textContent).toContain("Feb 3, 2025");
    expect(entries[1].textContent).toContain("by import");
  });

  it("translates the history into German", async () => {
    await start((b) => seed(b, "de"));
    await openFirst();
    const entries = $$("history-entry");
    expect(entries[0].textContent).toContain("Lead → Interessent (MQL)");
    expect(entries[0].textContent).toContain("automatisch (Regel)");
    expect(entries[0].textContent).toContain("Grund");
    expect(entries[1].textContent).toContain("durch Import");
    expect(entries[0].textContent).toMatch(/03\.02\.2025|3\. Feb/);
  });

  it("goes back with the back button and with Esc", async () => {
    await start((b) => seed(b));
    await openFirst();
    $("back").click();
    await until(() => maybe("contact-row"));
    expect(maybe("contact-page")).toBeNull();
    await openFirst();
    key("Escape");
    await until(() => maybe("contact-row"));
    expect(document.activeElement).toBe($("contact-row"));
  });
});

describe("a click on a reminder", () => {
  it("opens the task's contact from wherever the rep is; a dialog with changes is asked about first", async () => {
    const { backend } = await start((b) => {
      b.add({ first_name: "Anna", last_name: "Becker" });
      b.add({ first_name: "Bernd", last_name: "Otto", organization: "Otto KG" });
    });
    const bernd = backend.contacts[1].id;
    $("nav-tasks").click();
    await until(() => maybe("tasks-heading"));
    await emit("open-contact", bernd);
    await until(() => maybe("contact-page"));
    expect($("contact-name").textContent).toBe("Bernd Otto");
    // with a half-typed contact in the form, nothing is thrown away
    $("new-contact").click();
    type($("field-first_name"), "Carla");
    await emit("open-contact", backend.contacts[0].id);
    expect(maybe("discard-confirm")).not.toBeNull();
    expect($("contact-name").textContent).toBe("Bernd Otto");
  });
});

describe("stage control", () => {
  it("offers normal steps and a separate, confirmed correction group", async () => {
    await start((b) => seed(b));
    await openFirst();
    $("stage-control").click();
    const sel = $("stage-select") as HTMLSelectElement;
    const groups = Array.from(sel.querySelectorAll("optgroup"));
    expect(groups.map((g) => g.label)).toEqual(["Next steps", "Correct stage (skip/back)"]);
    expect(Array.from(groups[0].querySelectorAll("option")).map((o) => o.value)).toEqual(["opportunity", "disqualified"]);
    expect(Array.from(groups[1].querySelectorAll("option")).map((o) => o.value).sort()).toEqual(["customer", "lead"]);
    // a plain step needs no confirmation; its reason is optional
    expect(sel.value).toBe("opportunity");
    expect(maybe("stage-reason")).not.toBeNull();
    expect(document.querySelector('label[for="stage-reason"]')!.textContent).toBe("Reason (optional)");
    expect(maybe("stage-force-confirm")).toBeNull();
    // a correction needs the checkbox and a reason field
    select(sel, "lead");
    expect(maybe("stage-force-confirm")).not.toBeNull();
    expect(maybe("stage-reason")).not.toBeNull();
    expect(($("stage-submit") as HTMLButtonElement).disabled).toBe(true);
    ($("stage-force-confirm") as HTMLInputElement).click();
    expect(($("stage-submit") as HTMLButtonElement).disabled).toBe(false);
  });

  it("changes the stage with a reason and updates badge and history", async () => {
    let anna!: Seeded;
    const { backend } = await start((b) => { anna = seed(b); });
    await openFirst();
    $("stage-control").click();
    select($("stage-select"), "disqualified");
    type($("stage-reason"), "Kein Budget");
    $("stage-submit").click();
    await until(() => $("stage-badge").textContent === "Disqualified");
    expect(backend.calls.find((c) => c.cmd === "change_stage")!.args).toEqual({
      id: anna.id, change: { to: "disqualified", reason: "Kein Budget", force: false },
    });
    expect(maybe("stage-dialog")).toBeNull();
    const top = $$("history-entry")[0].textContent!;
    expect(top).toContain("Prospect (MQL) → Disqualified");
    expect(top).toContain("Kein Budget");
    expect(top).toContain("by hand");
  });

  it("says so when a contact becomes an opportunity without a deal, and opens the deal dialog for it next", async () => {
    await start((b) => { seed(b); });
    await openFirst();
    await until(() => maybe("contact-deals")?.getAttribute("aria-busy") === "false");
    $("stage-control").click();
    expect(($("stage-select") as HTMLSelectElement).value).toBe("opportunity");
    expect($("stage-no-deal").textContent).toContain("this contact has no open deal yet");
    expect(($("stage-new-deal") as HTMLInputElement).checked).toBe(true);
    $("stage-submit").click();
    await until(() => maybe("deal-dialog"));
    expect($("stage-badge").textContent).toBe("Opportunity (SQL)");
    expect($("deal-contact-name").textContent).toBe("Anna Becker");
  });

  it("keeps an optional reason on a plain step", async () => {
    let anna!: Seeded;
    const { backend } = await start((b) => { anna = seed(b); });
    await openFirst();
    $("stage-control").click();
    type($("stage-reason"), "Bedarf bestätigt");
    $("stage-submit").click();
    await until(() => $("stage-badge").textContent === "Opportunity (SQL)");
    expect(backend.calls.find((c) => c.cmd === "change_stage")!.args).toEqual({
      id: anna.id, change: { to: "opportunity", reason: "Bedarf bestätigt", force: false },
    });
  });

  it("sends a forced correction with force=true", async () => {
    const { backend } = await start((b) => seed(b));
    await openFirst();
    $("stage-control").click();
    select($("stage-select"), "customer");
    ($("stage-force-confirm") as HTMLInputElement).click();
    type($("stage-reason"), "Vertrag direkt unterschrieben");
    $("stage-submit").click();
    await until(() => $("stage-badge").textContent === "Customer");
    expect(backend.calls.find((c) => c.cmd === "change_stage")!.args.change).toEqual({
      to: "customer", reason: "Vertrag direkt unterschrieben", force: true,
    });
  });

  for (const [lang, expected] of [
    ["en", "Please give a reason for this stage change."],
    ["de", "Bitte geben Sie einen Grund für diesen Phasenwechsel an."],
  ] as const) {
    it(`does not block an empty reason and shows reason_required translated (${lang})`, async () => {
      const { backend } = await start((b) => seed(b, lang));
      await openFirst();
      $("stage-control").click();
      select($("stage-select"), "disqualified");
      $("stage-submit").click();
      await until(() => maybe("error-message"));
      expect(backend.calls.find((c) => c.cmd === "change_stage")!.args.change).toEqual({
        to: "disqualified", reason: null, force: false,
      });
      expect($("error-message").textContent).toBe(expected);
      expect($("error-message").getAttribute("role")).toBe("alert");
      expect($("stage-dialog").contains($("error-message"))).toBe(true);
      expect($$("error-message")).toHaveLength(1);
      expect($("stage-badge").textContent).not.toMatch(/Disqual/);
    });
  }

  for (const [lang, expected] of [
    ["en", /^Moving from Prospect \(MQL\) to Customer is not allowed\..*correction with a reason/],
    ["de", /^Von Interessent \(MQL\) nach Kunde ist kein erlaubter Schritt\..*Korrektur mit Grund/],
  ] as const) {
    it(`shows invalid_transition translated with stage names (${lang})`, async () => {
      await start((b) => seed(b, lang), (b) => (cmd, args) => {
        if (cmd === "change_stage") {
          throw { code: "invalid_transition", message: "nope", field: null, from: "prospect", to: "customer" };
        }
        return b.handle(cmd, args);
      });
      await openFirst();
      $("stage-control").click();
      select($("stage-select"), "customer");
      ($("stage-force-confirm") as HTMLInputElement).click();
      type($("stage-reason"), "x");
      $("stage-submit").click();
      await until(() => maybe("error-message"));
      expect($("error-message").textContent).toMatch(expected);
    });
  }
});
