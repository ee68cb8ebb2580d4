import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, select, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

function seed(b: LiveBackend, language: "de" | "en" = "en") {
  b.settings.language = language;
  const anna = b.add({ first_name: "Anna", last_name: "Schmidt" });
  for (const [title, due] of [["Call Anna", "2020-01-06"], ["Send quote", "2020-01-07"], ["Visit", "2020-01-08"]]) {
    b.addTask({ title, due, contact_id: anna.id });
  }
}

const titles = () => $$("task-title").map((e) => e.textContent);
const click = (el: HTMLElement, init: MouseEventInit = {}) => el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, ...init }));

describe("task triage", () => {
  it("selects overdue tasks (Shift-click, select all) and completes, snoozes or moves them at once", async () => {
    const { backend } = await start((b) => seed(b));
    $("nav-tasks").click();
    $("tasks-tab-overdue").click();
    await until(() => titles().length === 3);
    click($$("task-select")[0]);
    await until(() => maybe("triage-bar"));
    click($$("task-select")[1], { shiftKey: true });
    expect($("triage-count").textContent).toBe("2 selected");
    // Moved to a day in the future: they leave the overdue tab.
    type($("triage-day"), "2030-02-04");
    $("triage-move").click();
    await until(() => titles().length === 1);
    const move = backend.calls.find((c) => c.cmd === "triage_tasks")!.args;
    expect(move.action).toEqual({ kind: "reschedule", day: "2030-02-04" });
    expect(move.ids).toHaveLength(2);
    expect(maybe("toast")?.textContent).toContain("2 tasks moved to");
    // The one left: snoozed until tomorrow morning.
    ($("tasks-select-all") as HTMLInputElement).click();
    await until(() => maybe("triage-bar"));
    select($("triage-snooze"), "tomorrow_morning");
    await until(() => titles().length === 0);
    expect(maybe("toast")?.textContent).toContain("1 task snoozed: ");
    expect(maybe("toast")?.textContent).not.toContain("1 tasks");
    // All open ones: the three, completed at once.
    $("tasks-tab-open").click();
    await until(() => titles().length === 3);
    ($("tasks-select-all") as HTMLInputElement).click();
    $("triage-done").click();
    await until(() => titles().length === 0);
    expect(maybe("toast")?.textContent).toBe("3 tasks done.");
    const counts = await backend.call("task_counts");
    expect(counts.overdue).toBe(0);
  });
});
