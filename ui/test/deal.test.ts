import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, select, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

const lastCall = (b: LiveBackend, cmd: string) => b.calls.filter((c) => c.cmd === cmd).at(-1)?.args;
/** Text as shown, with Intl's non-breaking spaces as plain ones. */
const text = (el: Element) => (el.textContent ?? "").replace(/[\u00a0\u202f]/g, " ");
const val = (id: string, root: ParentNode = document) => ($(id, root) as HTMLInputElement).value;

function seed(b: LiveBackend, language: "de" | "en" = "en") {
  b.settings.language = language;
  b.settings.company = {
    name: "Kontor Vertrieb GmbH", address: "Hauptstr. 5\n10115 Berlin", email: "info@kontor.example", phone: "", vat_id: "DE123",
    bank_name: "Berliner Bank", iban: "DE89 3704 0044 0532 0130 00", bic: "", quote_valid_days: 30, footer: "",
  };
  const anna = b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Müller AG", emails: ["anna@mueller.de"], stage: "prospect" });
  const bernd = b.add({ first_name: "Bernd", last_name: "Becker", stage: "lead" });
  return { anna, bernd };
}

async function openContact(name: string) {
  await until(() => $$("row-name").find((e) => e.textContent === name));
  $$("contact-row").find((r) => r.textContent?.includes(name))!.click();
  await until(() => maybe("contact-page") && maybe("contact-deals")?.getAttribute("aria-busy") === "false");
}

function addItem(product: string, qty: string, price: string, discount: string) {
  $("deal-line-add").click();
  const row = $$("deal-line-item").at(-1)!;
  type($("line-product", row), product);
  type($("line-quantity", row), qty);
  type($("line-price", row), price);
  type($("line-discount", row), discount);
  return row;
}

describe("deal dialog", () => {
  it("creates a deal from the contact page: value computed from line items, the contact becomes an opportunity", async () => {
    const { backend } = await start((b) => seed(b, "de"));
    await openContact("Anna Schmidt");
    expect($("contact-deals-empty").textContent).toBe("Noch keine Verkaufschancen.");
    $("contact-deal-new").click();
    await until(() => maybe("deal-dialog"));
    expect($("deal-contact-name").textContent).toBe("Anna Schmidt");
    type($("deal-title"), "Wartungsvertrag");
    expect(($("deal-probability") as HTMLInputElement).placeholder).toBe("10");
    expect($("deal-probability-default").textContent).toBe("Standard der Phase 10 %");
    const row = addItem("Wartung pro Standort", "3", "1.200", "10");
    expect(text($("line-total", row))).toBe("3.240,00 €");
    addItem("Einrichtung", "1", "850,50", "");
    expect(text($("deal-items-total"))).toBe("4.090,50 €");
    ($("deal-value-from-items") as HTMLInputElement).click();
    expect(($("deal-value") as HTMLInputElement).readOnly).toBe(true);
    expect(val("deal-value")).toBe("4090.5");
    select($("deal-stage"), "proposal");
    expect($("deal-probability-default").textContent).toBe("Standard der Phase 50 %");
    type($("deal-close"), "2025-04-30");
    type($("deal-next-step"), "Angebot schicken");
    $("deal-save").click();
    await until(() => maybe("deal-dialog") === null);
    const input = lastCall(backend, "create_deal").input;
    expect(input).toMatchObject({
      contact_id: backend.contacts[0].id, title: "Wartungsvertrag", value: 4090.5, currency: "EUR", stage: "proposal", probability: null,
      close_date: "2025-04-30", next_step: "Angebot schicken", value_from_items: true, lost_reason: null,
    });
    expect(input.line_items).toEqual([
      { product: "Wartung pro Standort", quantity: 3, unit_price: 1200, discount_percent: 10, vat: "standard" },
      { product: "Einrichtung", quantity: 1, unit_price: 850.5, discount_percent: 0, vat: "standard" },
    ]);
    // lifecycle coupling: an open deal makes the prospect an opportunity
    await until(() => $("stage-badge").textContent === "Verkaufschance (SQL)");
    await until(() => maybe("contact-deal"));
    expect($("contact-deal-title").textContent).toBe("Wartungsvertrag");
    expect($("contact-deal-stage").textContent).toBe("Angebot");
    expect(text($("contact-deal-value"))).toBe("4.090,50 €");
    expect($("contact-deal-probability").textContent).toBe("50 %");
    expect($("toast").textContent).toBe("Verkaufschance „Wartungsvertrag“ gespeichert.");
  });

  it("shows client and backend validation errors at their fields", async () => {
    await start((b) => seed(b), (b) => (cmd, args) => {
      if (cmd === "create_deal" && args.input.currency === "EURO") {
        throw { code: "invalid_input", message: "bad currency", field: "currency", from: null, to: null };
      }
      return b.handle(cmd, args);
    });
    $("nav-pipeline").click();
    await until(() => maybe("pipeline-board"));
    $("deal-new").click();
    $("deal-save").click();
    const errs = $$("field-error").filter((e) => !e.hidden).map((e) => e.closest("[data-field]")!.getAttribute("data-field"));
    expect(errs).toEqual(["contact_id", "title"]);
    // One wording for one mistake: an empty title reads as in the task dialog.
    const titleError = $$("field-error").find((e) => !e.hidden && e.closest("[data-field]")!.getAttribute("data-field") === "title");
    expect(titleError!.textContent).toBe("Please enter a title.");
    type($("deal-contact-input"), "anna");
    await until(() => maybe("deal-contact-option"));
    $("deal-contact-option").click();
    expect($("deal-contact-name").textContent).toBe("Anna Schmidt");
    type($("deal-title"), "Lizenz");
    type($("deal-value"), "1000");
    type($("deal-currency"), "EURO");
    $("deal-save").click();
    await until(() => $$("field-error").some((e) => !e.hidden));
    const shown = $$("field-error").filter((e) => !e.hidden);
    expect(shown).toHaveLength(1);
    expect(shown[0].closest("[data-field]")!.getAttribute("data-field")).toBe("currency");
    expect(shown[0].textContent).toBe("Invalid input in “Currency”.");
    expect($("deal-currency").getAttribute("aria-invalid")).toBe("true");
  });

  it("moving to lost in the dialog needs a reason", async () => {
    const { backend } = await start((b) => seed(b));
    await openContact("Anna Schmidt");
    $("contact-deal-new").click();
    type($("deal-title"), "Pilot");
    type($("deal-value"), "500");
    select($("deal-stage"), "lost");
    expect($("lost-reason").closest(".field")!.hasAttribute("hidden")).toBe(false);
    expect(($("deal-probability") as HTMLInputElement).disabled).toBe(true);
    $("deal-save").click();
    expect($$("field-error").find((e) => !e.hidden)!.textContent).toBe("Please give a reason.");
    type($("lost-reason"), "zu teuer");
    $("deal-save").click();
    await until(() => maybe("deal-dialog") === null);
    expect(lastCall(backend, "create_deal").input).toMatchObject({ stage: "lost", lost_reason: "zu teuer" });
  });

  it("creates, opens and saves quotes of a saved deal; the quote is logged on the timeline", async () => {
    const { backend } = await start((b) => {
      const { anna } = seed(b);
      b.addDeal({
        contact_id: anna.id, title: "Wartungsvertrag", value: 0, currency: "EUR", stage: "proposal", probability: null, close_date: null,
        next_step: "Angebot", line_items: [{ product: "Wartung", quantity: 2, unit_price: 1000, discount_percent: 0, vat: "standard" }], value_from_items: true, lost_reason: null,
      });
    });
    await openContact("Anna Schmidt");
    await until(() => maybe("contact-deal"));
    $("contact-deal").click();
    await until(() => maybe("deal-dialog"));
    await until(() => !($("quote-create") as HTMLButtonElement).disabled);
    expect(maybe("quote-company-missing")).toBeNull();
    expect(val("deal-value")).toBe("2000");
    expect(($("deal-value-from-items") as HTMLInputElement).checked).toBe(true);
    expect($("deal-history-entry").textContent).toContain("created: Proposal");
    expect($("quotes-empty").textContent).toBe("No quotes yet.");
    select($("quote-language"), "de");
    $("quote-create").click();
    await until(() => maybe("quote-row"));
    const year = new Date(backend.now).getUTCFullYear();
    expect($("quote-number").textContent).toBe(`A-${year}-0001`);
    expect($("quote-row").textContent).toContain("German");
    const [deal] = await backend.call("list_deals", { stage: null });
    expect(lastCall(backend, "create_quote")).toEqual({ dealId: deal.id, language: "de" });
    expect(deal.quotes[0].html).toContain("Kontor Vertrieb GmbH");
    expect(deal.quotes[0].html).toContain("USt. 19 % (auf 2.000,00 €)");
    expect(deal.quotes[0].html).toContain("2.380,00 €");
    $("quote-open").click();
    await until(() => lastCall(backend, "open_quote"));
    expect(lastCall(backend, "open_quote")).toEqual({ dealId: deal.id, quoteId: deal.quotes[0].id });
    expect($("quote-save").textContent).toBe("Save as PDF");
    $("quote-save").click();
    await until(() => maybe("toast")?.textContent === `Quote saved as A-${year}-0001.pdf.`);
    const timeline = await backend.call("list_activities", { id: deal.contact_id, query: { kinds: null, offset: 0, limit: 50 } });
    expect(timeline.items.some((a: { kind: string; summary: string }) => a.kind === "note" && a.summary === `Angebot A-${year}-0001 erstellt`)).toBe(true);
  });

  it("asks for the company's details before the first quote and leads to them; line items carry a VAT rate", async () => {
    const { backend } = await start((b) => {
      const { anna } = seed(b, "de");
      b.settings.company = { ...b.settings.company, vat_id: "", iban: "" };
      b.addDeal({
        contact_id: anna.id, title: "Kühlhaus", value: 0, currency: "EUR", stage: "proposal", probability: null, close_date: null,
        next_step: null, line_items: [{ product: "Fachbuch", quantity: 1, unit_price: 100, discount_percent: 0, vat: "reduced" }],
        value_from_items: true, lost_reason: null,
      });
    });
    await openContact("Anna Schmidt");
    await until(() => maybe("contact-deal"));
    $("contact-deal").click();
    await until(() => maybe("quote-company-missing"));
    expect(text($("quote-company-missing"))).toContain("Vor dem ersten Angebot braucht Einstellungen → Firma noch: USt-IdNr., IBAN.");
    expect(($("quote-create") as HTMLButtonElement).disabled).toBe(true);
    expect(($("line-vat") as HTMLSelectElement).value).toBe("reduced");
    select($("line-vat"), "reverse_charge");
    $("deal-save").click();
    await until(() => lastCall(backend, "update_deal"));
    expect(lastCall(backend, "update_deal").input.line_items[0].vat).toBe("reverse_charge");
    // The way to the company details: the settings open at the company section.
    await until(() => maybe("deal-dialog") === null && maybe("contact-deals")?.getAttribute("aria-busy") === "false");
    $("contact-deal").click();
    await until(() => maybe("quote-company-open"));
    $("quote-company-open").click();
    await until(() => maybe("settings-dialog"));
    expect(maybe("deal-dialog")).toBeNull();
    expect(document.activeElement).toBe($("company-name"));
    type($("company-vat"), "DE123456789");
    type($("company-iban"), "DE89 3704 0044 0532 0130 01");
    $("settings-save").click();
    await until(() => text($("settings-company")).includes("Ungültige Einstellung: IBAN."));
    expect(maybe("settings-dialog")).not.toBeNull();
    type($("company-iban"), "DE89 3704 0044 0532 0130 00");
    $("settings-save").click();
    await until(() => maybe("settings-dialog") === null);
    expect((await backend.call("company_missing"))).toEqual([]);
  });

  it("deletes a deal after a confirmation; the contact's deals card updates", async () => {
    const { backend } = await start((b) => {
      const { anna } = seed(b);
      b.addDeal({
        contact_id: anna.id, title: "Pilot", value: 100, currency: "EUR", stage: null, probability: 30, close_date: null,
        next_step: null, line_items: [], value_from_items: false, lost_reason: null,
      });
    });
    await openContact("Anna Schmidt");
    await until(() => maybe("contact-deal"));
    expect($("contact-deal-probability").textContent).toBe("30 %");
    $("contact-deal").click();
    await until(() => maybe("deal-dialog"));
    expect(val("deal-probability")).toBe("30");
    $("deal-delete").click();
    expect($("deal-delete-confirm").textContent).toContain("Really delete “Pilot”?");
    $("deal-delete-yes").click();
    await until(() => maybe("contact-deals-empty"));
    expect(await backend.call("list_deals", { stage: null })).toHaveLength(0);
  });
});

describe("contact deals card", () => {
  it("shows the repeat-customer badge after two won deals", async () => {
    await start((b) => {
      const { anna } = seed(b, "de");
      for (const title of ["Erstauftrag", "Folgeauftrag"]) {
        b.addDeal({
          contact_id: anna.id, title, value: 1000, currency: "EUR", stage: "won", probability: null, close_date: null,
          next_step: null, line_items: [], value_from_items: false, lost_reason: null,
        });
      }
    });
    await openContact("Anna Schmidt");
    await until(() => maybe("repeat-customer"));
    expect($("repeat-customer").textContent).toContain("Stammkunde");
    expect($("contact-deals-summary").textContent).toBe("0 offen · 2 gewonnen · 0 verloren");
    expect($("stage-badge").textContent).toBe("Kunde");
  });
});

describe("follow-up email", () => {
  it("fills a template for the contact and deal, lets the text be edited, sends and logs", async () => {
    const { backend } = await start((b) => {
      const { anna } = seed(b, "de");
      b.addDeal({
        contact_id: anna.id, title: "Wartungsvertrag", value: 12000, currency: "EUR", stage: null, probability: null, close_date: null,
        next_step: null, line_items: [], value_from_items: false, lost_reason: null,
      });
    });
    await openContact("Anna Schmidt");
    await until(() => maybe("contact-deal"));
    $("contact-deal").click();
    await until(() => maybe("deal-dialog"));
    $("email-open", $("deal-dialog")).click();
    await until(() => maybe("email-dialog") && val("email-subject") !== "");
    expect(($("email-template") as HTMLSelectElement).value).toBe("follow_up_de");
    expect($("email-to").textContent).toBe("anna@mueller.de");
    expect($("email-no-address").hidden).toBe(true);
    expect(val("email-subject")).toBe("Unser Gespräch: Wartungsvertrag");
    expect(val("email-body").replace(/\u00a0/g, " ")).toContain("wegen Wartungsvertrag (12.000,00 €) für Müller AG");
    const [deal] = await backend.call("list_deals", { stage: null });
    expect(lastCall(backend, "render_email")).toEqual({ templateId: "follow_up_de", contactId: backend.contacts[0].id, dealId: deal.id });
    select($("email-template"), "follow_up_en");
    await until(() => val("email-subject") === "Following up: Wartungsvertrag");
    type($("email-subject"), "Kurz nachgefragt");
    $("email-send").click();
    await until(() => maybe("email-dialog") === null);
    const sent = lastCall(backend, "send_email");
    expect(sent.contactId).toBe(backend.contacts[0].id);
    expect(sent.email.subject).toBe("Kurz nachgefragt");
    expect(sent.email.body).toContain("Hello Anna");
    expect($("toast").textContent).toBe("E-Mail an Anna Schmidt an das Mailprogramm übergeben und protokolliert.");
    await until(() => $$("timeline-entry").some((e) => e.textContent?.includes("Kurz nachgefragt")));
  });

  it("m on a contact fills in its only open deal; with several it asks which; gaps are named before sending", async () => {
    const deal = (contact_id: string, title: string, value: number, stage: string | null = null) => ({
      contact_id, title, value, currency: "EUR", stage, probability: null, close_date: null, next_step: null, line_items: [],
      value_from_items: false, lost_reason: stage === "lost" ? "zu teuer" : null,
    });
    const { backend } = await start((b) => {
      const { anna, bernd } = seed(b);
      b.addDeal(deal(anna.id, "Wartungsvertrag", 12000));
      b.addDeal(deal(anna.id, "Alte Anlage", 5000, "lost"));
      b.later();
      b.addDeal(deal(bernd.id, "Erstausstattung", 3000));
      b.later();
      b.addDeal(deal(bernd.id, "Zweite Filiale", 8900));
    });
    await openContact("Anna Schmidt");
    key("m");
    await until(() => maybe("email-dialog") && val("email-subject") !== "");
    // the only open deal, chosen by itself (the lost one is not offered)
    expect(val("email-subject")).toBe("Following up: Wartungsvertrag");
    expect(val("email-body").replace(/\u00a0/g, " ")).toContain("following up on Wartungsvertrag (€12,000.00) for Müller AG");
    expect(($("email-deal") as HTMLSelectElement).selectedOptions[0].textContent).toBe("Wartungsvertrag");
    expect(Array.from(($("email-deal") as HTMLSelectElement).options).map((o) => o.textContent)).toEqual(["— no deal —", "Wartungsvertrag"]);
    expect($("email-unfilled").hidden).toBe(true);
    expect($("email-send").textContent).toBe("Open in mail client");
    $("cancel").click();
    $("back").click();

    await openContact("Bernd Becker");
    key("m");
    await until(() => maybe("email-dialog") && val("email-subject") !== "");
    // two open deals: the rep is asked, and the gaps are named
    expect($("email-deal").closest(".field")!.textContent).toContain("Which deal is this about?");
    expect(Array.from(($("email-deal") as HTMLSelectElement).options).map((o) => o.textContent))
      .toEqual(["— no deal —", "Zweite Filiale", "Erstausstattung"]);
    expect($("email-unfilled").hidden).toBe(false);
    expect($("email-unfilled").textContent).toBe("The template has no value for organisation, deal, and deal value: those places stay empty. Pick a deal or edit the text.");
    expect($("email-send").textContent).toBe("Open in mail client anyway");
    select($("email-deal"), (($("email-deal") as HTMLSelectElement).options[2]).value);
    await until(() => val("email-subject") === "Following up: Erstausstattung");
    expect($("email-unfilled").textContent).toContain("no value for organisation:");
    expect(lastCall(backend, "render_email").dealId).toBe(($("email-deal") as HTMLSelectElement).value);
  });

  it("warns when the contact has no email address", async () => {
    await start((b) => seed(b));
    await openContact("Bernd Becker");
    $("email-open").click();
    await until(() => maybe("email-dialog") && val("email-subject") !== "");
    expect($("email-no-address").hidden).toBe(false);
    expect($("email-no-address").textContent).toBe("Bernd Becker has no email address: the mail client opens without a recipient.");
  });
});

describe("automation toasts", () => {
  it("shows each outcome of the automation event and refreshes task counts", async () => {
    const { backend } = await start((b) => seed(b, "de"));
    await until(() => $("nav-tasks-badge").hidden);
    const { task } = await backend.call("create_task", { input: { title: "Erstgespräch führen: Anna Schmidt", due: "2025-03-14", contact_id: backend.contacts[0].id, deal_id: null, priority: "normal", notes: null, reminders: [0], repeat: null } });
    await emit("automation", [
      { type: "task_created", task },
      { type: "notice", message: "Anna Schmidt hat 70 Punkte erreicht" },
      { type: "proposed", contact_id: backend.contacts[0].id, stage: "opportunity" },
    ]);
    await until(() => $$("automation-toast").length === 3);
    const texts = $$("automation-toast").map((e) => e.textContent);
    expect(texts[0]).toContain("Aufgabe angelegt: Erstgespräch führen: Anna Schmidt (fällig heute)");
    expect(texts[1]).toContain("Anna Schmidt hat 70 Punkte erreicht");
    expect(texts[2]).toContain("Verkaufschance (SQL) vorgeschlagen");
    await until(() => $("nav-tasks-badge").textContent === "1");
    $("automation-open").click();
    await until(() => maybe("contact-page"));
    expect($("contact-name").textContent).toBe("Anna Schmidt");
  });

  it("shows toasts in front of an open dialog (in its top layer), and back in the window after", async () => {
    await start((b) => { seed(b); });
    $("open-settings").click();
    await emit("automation", [{ type: "notice", message: "Regel hat gegriffen" }]);
    await until(() => maybe("automation-toast"));
    expect($("settings-dialog").contains($("automation-toast"))).toBe(true);
    $("settings-close").click();
    expect(maybe("settings-dialog")).toBeNull();
    expect(document.getElementById("app")!.contains($("automation-toast"))).toBe(true);
  });

  it("toasts the shipped rule when a contact becomes a prospect by hand", async () => {
    await start((b) => { seed(b); });
    await openContact("Bernd Becker");
    $("stage-control").click();
    select($("stage-select"), "prospect");
    $("stage-submit").click();
    await until(() => maybe("automation-toast"));
    expect($("automation-toast").textContent).toContain("Task created: First call: Bernd Becker (due Mon, Mar 17)"); // not on a Sunday
  });
});
