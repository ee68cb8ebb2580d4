import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, start, stop, type, until } from "./helpers";
import type { Seeded } from "./live";

afterEach(stop);

function fill(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) type($(`field-${name}`), value);
}

describe("contact form", () => {
  it("marks every problem the core finds, translated, next to its field, before anything is saved", async () => {
    const { backend } = await start((b) => { b.settings.language = "de"; });
    $("new-contact").click();
    fill({ emails: "ok@example.com\nkaputt", phones: "12" });
    $("save-contact").click();
    await until(() => $$("field-error").length === 3);
    const errors = $$("field-error").map((e) => e.textContent);
    expect(errors).toEqual([
      "Bitte geben Sie einen Vor- oder Nachnamen an.",
      "„kaputt“: Das sieht nicht nach einer E-Mail-Adresse aus.",
      "„12“: Das ist keine vollständige Telefonnummer: schreiben Sie sie mit Vorwahl (030 1234567) oder Ländervorwahl (+49 30 1234567).",
    ]);
    expect($("field-first_name").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe($("field-first_name"));
    expect(backend.calls.some((c) => c.cmd === "create_contact")).toBe(false);
    // fixing the input clears the messages and saves
    fill({ last_name: "Becker", emails: "ok@example.com", phones: "+49 30 123" });
    $("save-contact").click();
    await until(() => maybe("contact-page"));
    expect($$("field-error")).toHaveLength(0);
  });

  it("names every bad entry of a field, a website that is no address, a German postcode that is not five digits, a cut-off mobile number", async () => {
    await start((b) => { b.settings.language = "en"; });
    $("new-contact").click();
    fill({ last_name: "Weiss", emails: "kaputt\nauch kaputt", phones: "0170 12", website: "weiss de", postcode: "ABCDE", country: "Deutschland" });
    $("save-contact").click();
    await until(() => $$("field-error").length === 4);
    expect($$("field-error").map((e) => e.textContent)).toEqual([
      "“kaputt”: This does not look like an email address.“auch kaputt”: This does not look like an email address.",
      "“0170 12”: This is not a whole phone number: write it with the area code (030 1234567) or the country code (+49 30 1234567).",
      "This postcode does not fit the country: Germany has five digits, Austria and Switzerland four.",
      "This is not a web address (like example.com).",
    ]);
    // in Austria four digits are right; a real web address and a whole number pass
    fill({ emails: "weiss@example.at", phones: "0170 1234567", website: "weiss.at", postcode: "1010", country: "Österreich" });
    $("save-contact").click();
    await until(() => maybe("contact-page"));
  });

  it("creates a contact from the parsed fields and opens it", async () => {
    const { backend } = await start((b) => b.add({ first_name: "X", last_name: "Y" }));
    $("new-contact").click();
    fill({
      first_name: " Anna ", last_name: "Becker", display_name: "", organization: "Neue Firma KG", title: "CEO",
      emails: "a@b.de\n\n c@d.de ", phones: "+49 30 1234", tags: "vip, messe, vip,", source: "Messe", notes: "",
      salutation: "Frau", website: "https://neue-firma.example", street: "Hauptstr. 5", postcode: "10115", city: "Berlin",
      region: "", country: "Deutschland",
    });
    $("save-contact").click();
    await until(() => maybe("contact-page"));
    expect(backend.calls.find((c) => c.cmd === "create_contact")!.args.input).toEqual({
      first_name: "Anna", last_name: "Becker", display_name: null, organization: "Neue Firma KG", title: "CEO",
      emails: ["a@b.de", "c@d.de"], phones: ["+49 30 1234"], tags: ["vip", "messe"], source: "Messe", notes: null,
      salutation: "Frau", website: "https://neue-firma.example",
      address: { street: "Hauptstr. 5", postcode: "10115", city: "Berlin", region: null, country: "Deutschland", pin: null },
    });
    expect(maybe("contact-form")).toBeNull();
    expect($("contact-name").textContent).toBe("Anna Becker");
    expect($("contact-org").textContent).toBe("Neue Firma KG");
    const dd = (name: string) => document.querySelector(`[data-field="${name}"]`)!.textContent;
    expect(dd("salutation")).toBe("Frau");
    expect(dd("address")).toBe("Hauptstr. 5, 10115 Berlin, Deutschland");
    expect(dd("website")).toBe("https://neue-firma.example");
    // the list is refreshed when going back
    $("back").click();
    await until(() => $$("contact-row").length === 2);
  });

  it("shows a backend validation error at the field it names", async () => {
    await start(undefined, (b) => (cmd, args) => {
      if (cmd === "create_contact") throw { code: "invalid_phone", message: "bad", field: "phones[0]", from: null, to: null };
      return b.handle(cmd, args);
    });
    $("new-contact").click();
    fill({ first_name: "Anna", phones: "+49 30 1234" });
    $("save-contact").click();
    await until(() => maybe("field-error"));
    const phonesField = $("field-phones").closest(".field")!;
    expect(phonesField.querySelector('[data-testid="field-error"]')!.textContent).toMatch(/not a whole phone number/);
    expect($("error-message").textContent).toMatch(/not a whole phone number/);
    expect($("contact-form").contains($("error-message"))).toBe(true);
  });

  it("edits an existing contact with its values prefilled", async () => {
    let anna!: Seeded;
    const { backend } = await start((b) => {
      anna = b.add({
        first_name: "Anna", last_name: "Becker", emails: ["a@b.de"], tags: ["x", "y"], salutation: "Frau",
        address: { street: "Ring 1", postcode: "80331", city: "München", region: "Bayern", country: null, pin: null },
      });
    });
    $("contact-row").click();
    await until(() => maybe("contact-page"));
    $("edit-contact").click();
    expect(($("field-first_name") as HTMLInputElement).value).toBe("Anna");
    expect(($("field-emails") as HTMLTextAreaElement).value).toBe("a@b.de");
    expect(($("field-tags") as HTMLInputElement).value).toBe("x, y");
    expect(($("field-salutation") as HTMLInputElement).value).toBe("Frau");
    expect(($("field-city") as HTMLInputElement).value).toBe("München");
    expect(($("field-region") as HTMLInputElement).value).toBe("Bayern");
    fill({ last_name: "Berg", street: "" });
    $("save-contact").click();
    await until(() => $("contact-name").textContent === "Anna Berg");
    const update = backend.calls.find((c) => c.cmd === "update_contact")!.args;
    expect(update.id).toBe(anna.id);
    expect(update.input.address).toEqual({ street: null, postcode: "80331", city: "München", region: "Bayern", country: null, pin: null });
    expect(document.querySelector('[data-field="address"]')!.textContent).toBe("80331 München, Bayern");
  });

  it("suggests organisations from the backend and picks one", async () => {
    const { backend } = await start((b) => {
      // an organisation comes into being with its first contact
      b.add({ first_name: "Max", last_name: "Müller", organization: "Müller Maschinenbau AG" });
      b.add({ first_name: "Sonja", last_name: "Sonne", organization: "Bäckerei Sonnenschein" });
    });
    $("new-contact").click();
    const org = $("field-organization") as HTMLInputElement;
    type(org, "müll");
    await until(() => document.querySelectorAll(".suggestions li").length === 1);
    expect(backend.calls.filter((c) => c.cmd === "list_organizations").at(-1)!.args).toEqual({ search: "müll" });
    const opt = document.querySelector<HTMLElement>(".suggestions li")!;
    opt.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    expect(org.value).toBe("Müller Maschinenbau AG");
    type(org, "Ganz Neu GmbH");
    await until(() => document.querySelector(".org-note")!.textContent!.includes("Ganz Neu GmbH"));
  });

  it("cancel closes the form without saving", async () => {
    const { backend } = await start();
    $("new-contact").click();
    fill({ first_name: "Anna" });
    $("cancel").click();
    // a typed name is not thrown away without asking
    expect(maybe("contact-form")).not.toBeNull();
    $("discard-yes").click();
    expect(maybe("contact-form")).toBeNull();
    expect(backend.calls.some((c) => c.cmd === "create_contact")).toBe(false);
  });
});
