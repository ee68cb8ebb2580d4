import { afterEach, describe, expect, it } from "vitest";
import { $, key, maybe, start, stop, type, until } from "./helpers";

afterEach(stop);

const seed = (b: any) => b.add({ first_name: "Anna", last_name: "Becker" });

describe("keyboard shortcuts", () => {
  it("/ focuses search, n opens the form, , opens settings, Esc closes", async () => {
    await start(seed);
    expect(key("/").defaultPrevented).toBe(true);
    expect(document.activeElement).toBe($("search"));
    (document.activeElement as HTMLElement).blur();
    key("n");
    expect(maybe("contact-form")).not.toBeNull();
    key("Escape");
    expect(maybe("contact-form")).toBeNull();
    key(",");
    expect(maybe("settings-dialog")).not.toBeNull();
    key("Escape");
    expect(maybe("settings-dialog")).toBeNull();
  });

  it("does not fire while typing in an input", async () => {
    await start(seed);
    const search = $("search");
    search.focus();
    expect(key("n", search).defaultPrevented).toBe(false);
    key(",", search);
    key("/", search);
    expect(maybe("contact-form")).toBeNull();
    expect(maybe("settings-dialog")).toBeNull();
  });

  it("does not fire other shortcuts while a dialog is open", async () => {
    await start(seed);
    key("n");
    key(",", document.body);
    expect(maybe("settings-dialog")).toBeNull();
    expect(maybe("contact-form")).not.toBeNull();
  });

  it("e edits and s opens the stage control on the contact page; Esc goes back", async () => {
    await start(seed);
    $("contact-row").click();
    await until(() => maybe("contact-page"));
    key("e");
    expect(maybe("contact-form")).not.toBeNull();
    expect(($("field-first_name") as HTMLInputElement).value).toBe("Anna");
    key("Escape");
    key("s");
    expect(maybe("stage-select")).not.toBeNull();
    key("Escape");
    expect(maybe("stage-select")).toBeNull();
    expect(maybe("contact-page")).not.toBeNull();
    key("Escape");
    await until(() => maybe("contact-row"));
  });

  it("Esc asks before it throws away a half-typed visit report; unchanged dialogs close at once", async () => {
    const { backend } = await start(seed);
    $("contact-row").click();
    await until(() => maybe("contact-page"));
    key("v");
    expect(maybe("activity-dialog")).not.toBeNull();
    key("Escape");
    expect(maybe("activity-dialog")).toBeNull(); // nothing typed: closes
    key("v");
    type($("activity-summary"), "Besuch in der Zentrale");
    type($("activity-text"), "Neue Linie ab Mai, will ein Angebot");
    key("Escape");
    expect(maybe("activity-dialog")).not.toBeNull();
    expect($("discard-confirm").textContent).toContain("Discard your changes?");
    expect(document.activeElement).toBe($("discard-keep"));
    key("Escape"); // again: still kept
    expect(($("activity-text") as HTMLTextAreaElement).value).toBe("Neue Linie ab Mai, will ein Angebot");
    $("discard-keep").click();
    expect(maybe("discard-confirm")).toBeNull();
    $("cancel").click(); // Cancel asks as well
    $("discard-yes").click();
    expect(maybe("activity-dialog")).toBeNull();
    expect(backend.calls.some((c) => c.cmd === "log_activity")).toBe(false);
  });

  it("e and s do nothing on the list", async () => {
    await start(seed);
    key("e");
    key("s");
    expect(maybe("contact-form")).toBeNull();
    expect(maybe("stage-select")).toBeNull();
  });

  it("buttons name their shortcut", async () => {
    await start(seed);
    expect($("new-contact").getAttribute("title")).toContain("(N)");
    expect($("new-contact").getAttribute("aria-keyshortcuts")).toBe("n");
    expect($("open-settings").getAttribute("title")).toContain("(,)");
    $("contact-row").click();
    await until(() => maybe("contact-page"));
    expect($("edit-contact").getAttribute("title")).toContain("(E)");
    expect($("stage-control").getAttribute("title")).toContain("(S)");
    expect($("back").getAttribute("title")).toContain("Esc");
  });
});
