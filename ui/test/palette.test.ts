import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, start, stop, type, until } from "./helpers";

afterEach(stop);

const labels = () => $$("palette-item").map((e) => e.querySelector(".palette-label")?.textContent);

describe("command palette", () => {
  it("opens with Ctrl+K even from the search box, runs an action by keyboard and closes on Esc without asking", async () => {
    await start((b) => {
      b.settings.language = "en";
      b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Müller AG" });
    });
    await until(() => maybe("contact-row"));
    $("search").focus();
    const ev = key("k", $("search"), { ctrlKey: true });
    expect(ev.defaultPrevented).toBe(true);
    await until(() => maybe("palette"));
    expect(document.activeElement).toBe($("palette-input"));
    expect(labels()).toContain("Go to pipeline");
    type($("palette-input"), "pipe");
    expect(labels()[0]).toBe("Go to pipeline");
    key("Enter", $("palette-input"));
    await until(() => maybe("pipeline-board"));
    expect(maybe("palette")).toBeNull();
    // Esc closes it; typing a query is no change to confirm.
    key("k", document.body, { ctrlKey: true });
    await until(() => maybe("palette"));
    type($("palette-input"), "xyz");
    key("Escape", $("palette-input"));
    await until(() => maybe("palette") === null);
    expect(maybe("discard-confirm")).toBeNull();
  });

  it("finds records by name and opens them; on a contact page it offers that contact's actions (German)", async () => {
    await start((b) => {
      b.settings.language = "de";
      b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Müller AG" });
      b.add({ first_name: "Bernd", last_name: "Becker" });
    });
    await until(() => maybe("contact-row"));
    key("k", document.body, { ctrlKey: true });
    await until(() => maybe("palette"));
    type($("palette-input"), "becker");
    await until(() => labels().includes("Bernd Becker"));
    const at = labels().indexOf("Bernd Becker");
    expect($$("palette-item")[at].textContent).toContain("Kontakt");
    for (let i = 0; i < at; i++) key("ArrowDown", $("palette-input"));
    expect($$("palette-item")[at].getAttribute("aria-selected")).toBe("true");
    key("Enter", $("palette-input"));
    await until(() => maybe("contact-page"));
    expect($("contact-name").textContent).toBe("Bernd Becker");
    key("k", document.body, { ctrlKey: true });
    await until(() => maybe("palette"));
    type($("palette-input"), "anruf");
    expect(labels()).toEqual(["Anruf protokollieren"]);
    expect($$("palette-item")[0].textContent).toContain("Bernd Becker");
    key("Enter", $("palette-input"));
    await until(() => maybe("activity-dialog"));
    expect(($("activity-kind") as HTMLSelectElement).value).toBe("call");
  });

  it("says when nothing matches", async () => {
    await start((b) => { b.settings.language = "en"; });
    key("k", document.body, { ctrlKey: true });
    await until(() => maybe("palette"));
    type($("palette-input"), "qqqqzz");
    await until(() => maybe("palette-empty"));
    expect($("palette-empty").textContent).toBe("Nothing found.");
  });
});
