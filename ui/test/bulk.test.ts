import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, select, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

function seed(b: LiveBackend, n: number, language: "de" | "en" = "en") {
  b.settings.language = language;
  for (let i = 0; i < n; i++) b.add({ first_name: `Lea${String(i).padStart(2, "0")}`, last_name: "Bulk", stage: "lead", tags: ["Messe"] });
}

const rows = () => $$("contact-row");
const selectedNames = () => rows().filter((r) => r.getAttribute("aria-selected") === "true").map((r) => $("row-name", r).textContent);
/** The toast's text (without its Undo button). */
const toast = () => maybe("toast")?.querySelector(".notice-text")?.textContent;
const click = (el: HTMLElement, init: MouseEventInit = {}) => el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, ...init }));

describe("bulk changes in the contacts list", () => {
  it("selects by box, Ctrl-click, Shift-click range, Space and Ctrl+A; Esc clears", async () => {
    await start((b) => seed(b, 6));
    await until(() => rows().length === 6);
    expect(maybe("bulk-bar")).toBeNull();
    click($("row-select", rows()[0]));
    await until(() => maybe("bulk-bar"));
    expect($("bulk-count").textContent).toBe("1 selected");
    click(rows()[3], { shiftKey: true });
    expect(selectedNames()).toEqual(["Lea00 Bulk", "Lea01 Bulk", "Lea02 Bulk", "Lea03 Bulk"]);
    click(rows()[1], { ctrlKey: true });
    expect(selectedNames()).toEqual(["Lea00 Bulk", "Lea02 Bulk", "Lea03 Bulk"]);
    expect(maybe("contact-page")).toBeNull(); // a modified click selects, it does not open
    rows()[5].focus();
    key(" ", rows()[5]);
    expect(selectedNames()).toContain("Lea05 Bulk");
    expect(document.activeElement).toBe(rows()[5]); // focus stays on the row
    key("a", rows()[5], { ctrlKey: true });
    expect(selectedNames()).toHaveLength(6);
    expect($("bulk-count").textContent).toBe("6 selected");
    key("Escape", rows()[5]);
    expect(maybe("bulk-bar")).toBeNull();
    expect(selectedNames()).toEqual([]);
  });

  it("moves the selection to a stage in one call, reports what it left, and Undo takes it back (German)", async () => {
    const { backend } = await start((b) => {
      seed(b, 5, "de");
      b.add({ first_name: "Kurt", last_name: "Kunde", stage: "customer" });
    });
    await until(() => rows().length === 6);
    key("a", rows()[0], { ctrlKey: true });
    select($("bulk-stage"), "prospect");
    $("bulk-stage-apply").click();
    await until(() => maybe("toast"));
    const call = backend.calls.filter((c) => c.cmd === "bulk_change");
    expect(call).toHaveLength(1);
    expect(call[0].args.ids).toHaveLength(6);
    expect($("toast").textContent).toContain("5 Kontakte sind jetzt Interessent (MQL).");
    expect($("toast").textContent).toContain("1 unverändert gelassen (z. B. Kurt Kunde: dieser Schritt ist nur als Korrektur auf der Kontaktseite möglich).");
    await until(() => rows().filter((r) => r.querySelector('[data-stage="prospect"]')).length === 5);
    expect(maybe("bulk-bar")).toBeNull();
    $("toast-action").click();
    await until(() => toast()?.startsWith("Rückgängig gemacht"));
    await until(() => rows().filter((r) => r.querySelector('[data-stage="lead"]')).length === 5);
    const counts = await backend.call("stage_counts", { search: null });
    expect([counts.lead, counts.prospect, counts.customer]).toEqual([5, 0, 1]);
  });

  it("adds and removes a tag, creates a task for each, and exports the selection", async () => {
    const { backend } = await start((b) => seed(b, 3));
    await until(() => rows().length === 3);
    click($("row-select", rows()[0]));
    click($("row-select", rows()[2]), { shiftKey: true });
    type($("bulk-tag"), "VIP");
    $("bulk-tag-add").click();
    await until(() => toast() === "Tag “VIP” added to 3 contacts.");
    const all = (await backend.call("list_contacts", { query: { search: null, stage: null, ready_to_qualify: false, organization_id: null, sort: "name", offset: 0, limit: 10 } })).items;
    expect(all.every((c: { tags: string[] }) => c.tags.includes("VIP"))).toBe(true);
    // The selection was cleared with the change; pick two again.
    click($("row-select", rows()[0]));
    click($("row-select", rows()[1]));
    $("bulk-task").click();
    await until(() => maybe("bulk-task-dialog"));
    type($("bulk-task-title"), "Nachfassen");
    type($("bulk-task-due"), "2030-05-06");
    $("bulk-task-save").click();
    await until(() => toast() === "Task “Nachfassen” created for 2 contacts.");
    const tasks = await backend.call("list_tasks", { view: "open" });
    expect(tasks.map((i: { task: { title: string; due: string } }) => i.task.title)).toEqual(["Nachfassen", "Nachfassen"]);
    click($("row-select", rows()[1]));
    $("bulk-export").click();
    await until(() => backend.calls.some((c) => c.cmd === "export_contacts"));
    const exported = backend.calls.find((c) => c.cmd === "export_contacts")!.args;
    expect(exported.format).toBe("csv");
    expect(exported.ids).toEqual([rows()[1].dataset.id]);
  });

  it("deletes the selection after asking, and Undo brings it back", async () => {
    const { backend } = await start((b) => seed(b, 4));
    await until(() => rows().length === 4);
    click($("row-select", rows()[0]));
    click($("row-select", rows()[1]));
    $("bulk-delete").click();
    await until(() => maybe("bulk-delete-dialog"));
    expect($("bulk-delete-dialog").textContent).toContain("Delete 2 contacts?");
    expect(document.activeElement).toBe($("cancel", $("bulk-delete-dialog")));
    $("cancel", $("bulk-delete-dialog")).click();
    expect(backend.calls.some((c) => c.cmd === "bulk_change")).toBe(false);
    $("bulk-delete").click();
    await until(() => maybe("bulk-delete-do"));
    $("bulk-delete-do").click();
    await until(() => rows().length === 2);
    expect(toast()).toBe("2 contacts deleted.");
    $("toast-action").click();
    await until(() => rows().length === 4);
    // One contact is one, in the question, the button and the toast.
    click($("row-select", rows()[0]));
    $("bulk-delete").click();
    await until(() => maybe("bulk-delete-do"));
    expect($("bulk-delete-dialog").textContent).toContain("Delete 1 contact?");
    expect($("bulk-delete-do").textContent).toBe("Delete 1 contact");
    $("bulk-delete-do").click();
    await until(() => rows().length === 3);
    expect(toast()).toBe("1 contact deleted.");
  });
});
