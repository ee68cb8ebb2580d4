import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

function seed(b: LiveBackend, language: "de" | "en" = "en") {
  b.settings.language = language;
  const anna = b.add({ first_name: "Anna", last_name: "Adler", tags: ["Messe"], source: "Messe Hannover", address: { street: null, postcode: "20457", city: "Hamburg", region: null, country: null, pin: null } });
  b.add({ first_name: "Ben", last_name: "Berg", tags: ["messe", "VIP"], source: "Website", address: { street: null, postcode: "80331", city: "München", region: null, country: null, pin: null } });
  b.add({ first_name: "Cleo", last_name: "Cramer", source: "Messe Köln", address: { street: null, postcode: "22767", city: "Hamburg", region: null, country: null, pin: null } });
  b.addTask({ title: "Nachfassen", due: "2030-01-10", contact_id: anna.id });
}

const names = () => $$("row-name").map((e) => e.textContent);
const click = (el: HTMLElement) => el.click();

describe("filters and saved views", () => {
  it("filters by tag, place and missing next task, saves it as a view with a live count, and deletes it", async () => {
    const { backend } = await start((b) => seed(b));
    await until(() => names().length === 3);
    expect($("view-all").getAttribute("aria-pressed")).toBe("true");
    click($("filter-open"));
    await until(() => maybe("filter-panel"));
    type($("filter-tag"), "messe");
    $("filter-apply").click();
    await until(() => names().length === 2);
    expect(names()).toEqual(["Anna Adler", "Ben Berg"]);
    expect(maybe("view-unsaved")?.textContent).toContain("Filter (not saved)");
    expect($("filter-open").textContent).toBe("Filter ●");
    type($("filter-tag"), "");
    type($("filter-place"), "Hamburg");
    ($("filter-no-task") as HTMLInputElement).checked = true;
    $("filter-apply").click();
    await until(() => names().length === 1);
    expect(names()).toEqual(["Cleo Cramer"]);
    const query = backend.calls.filter((c) => c.cmd === "list_contacts").at(-1)!.args.query;
    expect(query.filter).toMatchObject({ place: "Hamburg", no_next_task: true, tag: null });
    type($("filter-name"), "Hamburg ohne Aufgabe");
    $("filter-save").click();
    await until(() => maybe("saved-view"));
    expect($("saved-view").textContent).toContain("Hamburg ohne Aufgabe");
    await until(() => $("saved-view-count").textContent === "1");
    expect($("saved-view").getAttribute("aria-pressed")).toBe("true");
    expect(maybe("filter-panel")).toBeNull();
    // All contacts, then the view again from the sidebar.
    $("view-all").click();
    await until(() => names().length === 3);
    $("saved-view").click();
    await until(() => names().length === 1);
    // A write moves the count: Anna's task done leaves her without a next task.
    const [item] = await backend.call("list_tasks", { view: "open" });
    await backend.call("complete_task", { id: item.task.id });
    $("view-all").click();
    await until(() => $("saved-view-count").textContent === "2");
    // Deleting it.
    $("saved-view-delete").click();
    await until(() => maybe("saved-view") === null);
    expect((await backend.call("get_settings")).saved_views).toEqual([]);
  });

  it("says when the score range is upside down (German)", async () => {
    await start((b) => seed(b, "de"));
    await until(() => names().length === 3);
    click($("filter-open"));
    type($("filter-score-min"), "60");
    type($("filter-score-max"), "10");
    $("filter-apply").click();
    expect($("filter-error").textContent).toBe("Der kleinste Score liegt über dem größten.");
    expect(names()).toHaveLength(3);
  });
});
