import { afterEach, describe, expect, it } from "vitest";
import { $, $$, chipCount, key, maybe, names, scroll, select, start, stop, type, until } from "./helpers";

afterEach(stop);

const XSS = "<img src=x onerror=alert(1)>";

describe("contacts list", () => {
  it("renders rows with name, organisation, stage and counts per chip", async () => {
    const { backend } = await start((b) => {
      b.add({ first_name: "Anna", last_name: "Becker", organization: "Müller AG", title: "CEO", emails: ["anna@x.de"], stage: "prospect" });
      b.add({ first_name: "Bernd", last_name: "Otto", stage: "lead", phones: ["+49 30 1234"] });
      b.add({ first_name: "Carla", last_name: "Zorn", stage: "customer" });
    });
    expect(names()).toEqual(["Anna Becker", "Bernd Otto", "Carla Zorn"]);
    const first = $$("contact-row")[0];
    expect(first.textContent).toContain("Müller AG");
    expect(first.textContent).toContain("CEO");
    expect(first.textContent).toContain("anna@x.de");
    expect(first.querySelector(".badge")!.textContent).toBe("Prospect (MQL)");
    // stored in E.164, shown nationally, dialled as stored; the email is a mailto: link
    expect($("row-phone", $$("contact-row")[1]).textContent).toBe("030 1234");
    expect($("row-phone", $$("contact-row")[1]).getAttribute("href")).toBe("tel:+49301234");
    expect($("row-email", first).getAttribute("href")).toBe("mailto:anna@x.de");
    // a click on it opens the mail program, not the contact
    $("row-email", first).click();
    await until(() => backend.calls.some((c) => c.cmd === "open_link"));
    expect(backend.calls.find((c) => c.cmd === "open_link")!.args).toEqual({ url: "mailto:anna@x.de" });
    expect(maybe("contact-page")).toBeNull();
    // only mailto:, tel: and web links leave the window
    await expect(backend.call("open_link", { url: "file:///etc/passwd" })).rejects.toMatchObject({ code: "invalid_input", field: "url" });
    expect(chipCount("all")).toBe("3");
    expect(chipCount("lead")).toBe("1");
    expect(chipCount("prospect")).toBe("1");
    expect(chipCount("opportunity")).toBe("0");
    expect(chipCount("customer")).toBe("1");
    expect(chipCount("disqualified")).toBe("0");
  });

  it("searches through the backend after a short pause and updates counts", async () => {
    const { backend } = await start((b) => {
      b.add({ first_name: "Anna", last_name: "Becker", stage: "prospect" });
      b.add({ first_name: "Bernd", last_name: "Otto" });
    });
    backend.calls.length = 0;
    type($("search"), "a");
    type($("search"), "ann");
    // debounced: nothing sent synchronously
    expect(backend.calls.filter((c) => c.cmd === "list_contacts")).toHaveLength(0);
    await until(() => names().length === 1);
    const lists = backend.calls.filter((c) => c.cmd === "list_contacts");
    expect(lists).toHaveLength(1);
    expect(lists[0].args.query).toMatchObject({ search: "ann", offset: 0, limit: 100 });
    expect(backend.calls.find((c) => c.cmd === "stage_counts")!.args).toEqual({ search: "ann" });
    expect(names()).toEqual(["Anna Becker"]);
    expect(chipCount("all")).toBe("1");
    expect(chipCount("lead")).toBe("0");
  });

  it("filters by stage chip and sorts by last name first, then by any order from the menu or a column heading", async () => {
    const { backend } = await start((b) => {
      b.add({ first_name: "Adam", last_name: "B", stage: "customer" });
      b.later();
      b.add({ first_name: "Zoe", last_name: "A", stage: "lead" }); // changed last
    });
    expect(names()).toEqual(["Zoe A", "Adam B"]); // people by last name
    expect(($("sort-select") as HTMLSelectElement).value).toBe("last_name");
    expect($("sort-by-last_name").getAttribute("aria-pressed")).toBe("true");
    select($("sort-select"), "name");
    await until(() => names()[0] === "Adam B");
    expect(backend.calls.filter((c) => c.cmd === "list_contacts").at(-1)!.args.query.sort).toBe("name");
    $("sort-by-stage").click(); // lead before customer
    await until(() => names()[0] === "Zoe A");
    expect(backend.calls.filter((c) => c.cmd === "list_contacts").at(-1)!.args.query.sort).toBe("stage");
    expect($("sort-by-company").tagName).toBe("BUTTON"); // focusable: Enter and Space sort too
    $("sort-by-company").click();
    await until(() => backend.calls.filter((c) => c.cmd === "list_contacts").at(-1)!.args.query.sort === "company");
    select($("sort-select"), "name");
    await until(() => names()[0] === "Adam B");
    $("stage-chip-customer").click();
    await until(() => names().length === 1);
    expect(names()).toEqual(["Adam B"]);
    expect($("stage-chip-customer").getAttribute("aria-pressed")).toBe("true");
    expect(backend.calls.at(-2)!.args.query.stage).toBe("customer");
    $("stage-chip-all").click();
    await until(() => names().length === 2);
    $("sort-by-last_change").click();
    await until(() => names()[0] === "Zoe A");
    expect(backend.calls.filter((c) => c.cmd === "list_contacts").at(-1)!.args.query.sort).toBe("last_change");
  });

  it("shows a friendly empty state and loads demo data", async () => {
    const { backend } = await start();
    expect($("empty-state").textContent).toContain("No contacts yet");
    expect(maybe("no-matches")).toBeNull();
    expect($$("contact-row")).toHaveLength(0);
    expect(maybe("create-first-contact")).not.toBeNull();
    $("load-demo").click();
    await until(() => $$("contact-row").length > 0);
    expect(backend.calls.some((c) => c.cmd === "load_demo_data")).toBe(true);
    expect(maybe("empty-state")).toBeNull();
    expect(Number(chipCount("all"))).toBeGreaterThan(0);
  });

  it("create-first-contact opens the form", async () => {
    await start();
    $("create-first-contact").click();
    expect(maybe("contact-form")).not.toBeNull();
  });

  it("tells 'no matches' apart from the empty store", async () => {
    await start((b) => b.add({ first_name: "Anna", last_name: "Becker" }));
    type($("search"), "zzz");
    await until(() => maybe("no-matches"));
    expect($("no-matches").textContent).toContain("zzz");
    expect(maybe("empty-state")).toBeNull();
  });

  it("shows a contact named like HTML literally", async () => {
    await start((b) => b.add({ first_name: XSS, last_name: "", organization: "<b>Org</b>" }));
    expect($("row-name").textContent).toBe(XSS);
    expect(document.querySelector("img")).toBeNull();
    expect(document.querySelector("b")).toBeNull();
    $("contact-row").click();
    await until(() => maybe("contact-page"));
    expect($("contact-name").textContent).toBe(XSS);
    expect($("contact-org").textContent).toBe("<b>Org</b>");
    expect(document.querySelector("img")).toBeNull();
  });

  it("pages 100 at a time with load more", async () => {
    const { backend } = await start((b) => void b.many(230));
    expect($$("contact-row")).toHaveLength(100);
    $("load-more").click();
    await until(() => $$("contact-row").length === 200);
    expect(backend.calls.filter((c) => c.cmd === "list_contacts").at(-1)!.args.query.offset).toBe(100);
    $("load-more").click();
    await until(() => $$("contact-row").length === 230);
    expect(maybe("load-more")).toBeNull();
  });

  it("opens a contact at the top of its page and Back returns to where the list was, on that row", async () => {
    await start((b) => b.many(40));
    const row = $$("contact-row")[30];
    scroll.y = 1500; // the rep scrolled down the list
    row.click();
    await until(() => maybe("contact-page"));
    expect(scroll.y).toBe(0);
    scroll.y = 400; // and down the contact's page
    $("back").click();
    await until(() => maybe("contact-row"));
    expect(scroll.y).toBe(1500);
    expect((document.activeElement as HTMLElement).dataset.id).toBe(row.dataset.id);
    // a page redrawn in place (a language switch, a change) stays where it is
    scroll.y = 900;
    row.click();
    await until(() => maybe("contact-page"));
    scroll.y = 300;
    key("e");
    $("save-contact").click();
    await until(() => !maybe("contact-form"));
    expect(scroll.y).toBe(300);
  });

  it("moves through rows with arrow keys and opens with Enter", async () => {
    await start((b) => {
      b.add({ first_name: "Anna", last_name: "A" });
      b.add({ first_name: "Bert", last_name: "B" });
    });
    key("ArrowDown");
    expect(document.activeElement).toBe($$("contact-row")[0]);
    key("ArrowDown", document.activeElement!);
    expect(document.activeElement).toBe($$("contact-row")[1]);
    key("ArrowUp", document.activeElement!);
    expect(document.activeElement).toBe($$("contact-row")[0]);
    key("Enter", document.activeElement!);
    await until(() => maybe("contact-page"));
    expect($("contact-name").textContent).toBe("Anna A");
  });

  it("shows a translated error when the list cannot load", async () => {
    await start(undefined, (b) => (cmd, args) => {
      if (cmd === "list_contacts") throw { code: "store_locked", message: "locked", field: null, from: null, to: null };
      return b.handle(cmd, args);
    });
    expect($("error-message").textContent).toMatch(/in use by another Kontor process/);
    expect($("error-message").getAttribute("role")).toBe("alert");
  });
});
