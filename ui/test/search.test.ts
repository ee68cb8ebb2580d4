import { afterEach, describe, expect, it } from "vitest";
import { fromFirstMark, marked } from "../src/views/common";
import { h } from "../src/dom";
import { $, $$, key, maybe, names, start, stop, type, until } from "./helpers";

afterEach(stop);

/** The marked stretches of an element, in order. */
function marks(el: Element): string[] {
  return Array.from(el.querySelectorAll("mark")).map((m) => m.textContent ?? "");
}

describe("search", () => {
  it("marks what matched and shows a field the row does not show", async () => {
    await start((b) => {
      b.add({ first_name: "Greta", last_name: "Kowalski", organization: "Mainfranken Druck", notes: "Wartung der Heidelberger Maschinen" });
      b.add({ first_name: "Hugo", last_name: "Heidel" });
    });
    type($("search"), "heidel");
    await until(() => maybe("match-context") !== null);
    const rows = $$("contact-row");
    const hugo = rows.find((r) => r.textContent!.includes("Hugo"))!;
    expect(marks(hugo.querySelector('[data-testid="row-name"]')!)).toEqual(["Heidel"]);
    const greta = rows.find((r) => r.textContent!.includes("Greta"))!;
    const context = greta.querySelector<HTMLElement>('[data-testid="match-context"]')!;
    expect(context.dataset.field).toBe("notes");
    expect(context.textContent).toContain("Notes: ");
    expect(marks(context)).toEqual(["Heidel"]);
  });

  it("groups organisations and deals beside the contacts, walks them with the arrows and opens them", async () => {
    const { backend, app } = await start((b) => {
      const anna = b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Acme AG" });
      b.add({ first_name: "Bert", last_name: "Brauer", organization: "Acme AG" });
      b.add({ first_name: "Carl", last_name: "Other", organization: "Elsewhere" });
      b.addDeal({ contact_id: anna.id, title: "Acme Rahmenvertrag", value: 9000 });
    });
    type($("search"), "acme");
    await until(() => maybe("search-group-organization") !== null);
    expect(names()).toEqual(["Anna Schmidt", "Bert Brauer"]);
    const org = $("org-hit");
    expect(marks(org)).toEqual(["Acme"]);
    expect($("search-group-organization").textContent).toContain("(1)");
    expect($("deal-hit").textContent).toContain("Acme Rahmenvertrag");
    expect(backend.calls.find((c) => c.cmd === "search")!.args.query).toEqual({ text: "acme", kind: null, limit: 5, per_kind: true });

    // ↓ from the search box walks the contacts, then the organisation, then the deal.
    $("search").focus();
    key("ArrowDown", $("search"));
    expect(document.activeElement).toBe($$("contact-row")[0]);
    key("ArrowDown", document.activeElement!);
    key("ArrowDown", document.activeElement!);
    expect(document.activeElement).toBe(org);
    key("ArrowDown", document.activeElement!);
    expect(document.activeElement).toBe($("deal-hit"));

    // Enter on the organisation opens its page; from there its contacts go
    // to the list, with a chip to go back to all.
    org.focus();
    key("Enter", org);
    await until(() => maybe("org-page"));
    expect($("org-name").textContent).toBe("Acme AG");
    expect($$("org-contact")).toHaveLength(2);
    $("org-in-list").click();
    await until(() => maybe("org-filter") !== null && names().length === 2);
    expect(($("search") as HTMLInputElement).value).toBe("");
    expect($("org-filter").textContent).toContain("Acme AG");
    expect(names()).toEqual(["Anna Schmidt", "Bert Brauer"]);
    expect(backend.calls.filter((c) => c.cmd === "list_contacts").at(-1)!.args.query.organization_id).toBeTruthy();
    $("org-filter").click();
    await until(() => names().length === 3);
    expect(maybe("org-filter")).toBeNull();
    expect(app.list.organization).toBeNull();
  });

  it("says when the index is being rebuilt", async () => {
    await start((b) => {
      b.info = { ...b.info, rebuilding: true };
      b.add({ first_name: "Anna", last_name: "Schmidt" });
    });
    expect($("index-rebuilding").textContent).toContain("rebuilding");
  });

  it("a search of one or two letters shows the exact total from the counts, pages on, and marks capped groups", async () => {
    await start((b) => {
      for (let i = 0; i < 150; i++) b.add({ first_name: `Anna${i}`, last_name: "Schulz", organization: `Anker ${i % 8}` });
    });
    type($("search"), "an");
    await until(() => maybe("search-group-organization") !== null);
    expect($$("contact-row")).toHaveLength(100);
    // The page alone counts no further than 100; the stage counts know all 150.
    expect($("list-showing").textContent).toBe("100 of 150");
    expect($("search-group-organization").textContent).toContain("(5+)");
    expect($("search-group-organization").textContent).toContain("type more");
    $("load-more").click();
    await until(() => $$("contact-row").length === 150);
    expect(maybe("load-more")).toBeNull();
  });
});

describe("a matched field's text", () => {
  const shown = (text: string, start: number, end: number) => {
    const [cut, at] = fromFirstMark(text, [{ start, end }]);
    const el = h("span", null, marked(cut, at));
    return { text: el.textContent, marks: marks(el) };
  };

  it("starts a little before the match, at a word, so a narrow column shows it", () => {
    const address = "Kirchplatz 8, 97989 Würzburg";
    const at = Array.from(address).indexOf("W");
    expect(shown(address, at, at + 8)).toEqual({ text: "… 97989 Würzburg", marks: ["Würzburg"] });
  });

  it("is whole when the match is near its start", () => {
    expect(shown("Auf der Messe in Hannover", 8, 13)).toEqual({ text: "Auf der Messe in Hannover", marks: ["Messe"] });
  });

  it("counts characters, not UTF-16 units, before the match", () => {
    const notes = "😀😀😀 Grüße aus der Halle, Stand Ölmühle";
    const at = Array.from(notes).indexOf("Ö");
    expect(shown(notes, at, at + 7)).toEqual({ text: "… Stand Ölmühle", marks: ["Ölmühle"] });
  });
});
