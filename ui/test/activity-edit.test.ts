import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, select, start, stop, type, until } from "./helpers";

afterEach(stop);

async function openAnna() {
  await until(() => maybe("contact-row"));
  $("contact-row").click();
  await until(() => maybe("contact-page") && maybe("timeline"));
}

describe("the next step after a conversation", () => {
  it("plans a task from the outcome, two working days on, after a visit is logged (German)", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "de";
      b.add({ first_name: "Anna", last_name: "Schmidt", stage: "prospect" });
    });
    await openAnna();
    $("log-visit").click();
    await until(() => maybe("activity-dialog"));
    type($("activity-summary"), "Besuch in der Filiale");
    type($("activity-outcome"), "Angebot für 3 Kassen schicken");
    $("activity-save").click();
    await until(() => maybe("next-step"));
    expect($("next-step").textContent).toContain("Protokolliert: Besuch.");
    expect(($("next-step-title") as HTMLInputElement).value).toBe("Nachfassen: Angebot für 3 Kassen schicken");
    // The backend's clock is a Monday or later; two working days on skips the weekend.
    const due = ($("next-step-due") as HTMLInputElement).value;
    expect(new Date(`${due}T12:00:00`).getDay()).not.toBe(0);
    expect(new Date(`${due}T12:00:00`).getDay()).not.toBe(6);
    type($("next-step-title"), "Angebot schicken");
    $("next-step-create").click();
    await until(() => maybe("activity-dialog") === null);
    const made = backend.calls.find((c) => c.cmd === "create_task")!.args.input;
    expect(made).toMatchObject({ title: "Angebot schicken", due, deal_id: null });
    expect(made.contact_id).toBeTruthy();
    await until(() => maybe("toast")?.textContent === "Aufgabe „Angebot schicken“ angelegt.");
  });

  it("does not ask after a note", async () => {
    await start((b) => {
      b.settings.language = "en";
      b.add({ first_name: "Anna", last_name: "Schmidt" });
    });
    await openAnna();
    $("log-note").click();
    await until(() => maybe("activity-dialog"));
    type($("activity-summary"), "Likes espresso");
    $("activity-save").click();
    await until(() => maybe("activity-dialog") === null);
    expect(maybe("next-step")).toBeNull();
  });
});

describe("editing an activity", () => {
  it("changes it in place and keeps the earlier version in its history", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "en";
      const anna = b.add({ first_name: "Anna", last_name: "Schmidt" });
      b.log(anna, "call", 2, { summary: "First call" });
    });
    await openAnna();
    await until(() => $$("timeline-entry").length === 1);
    $("activity-edit").click();
    await until(() => maybe("activity-dialog"));
    expect($("activity-dialog").textContent).toContain("Edit activity");
    expect(($("activity-summary") as HTMLInputElement).value).toBe("First call");
    select($("activity-kind"), "meeting");
    type($("activity-summary"), "Meeting at their office");
    $("activity-save").click();
    await until(() => maybe("activity-dialog") === null);
    expect(maybe("next-step")).toBeNull(); // an edit plans nothing
    await until(() => $("timeline-entry").textContent?.includes("Meeting at their office"));
    expect($$("timeline-entry")).toHaveLength(1);
    expect($("timeline-entry").dataset.kind).toBe("meeting");
    expect($("activity-edited").textContent).toBe("edited");
    expect($("activity-history").textContent).toContain("Earlier versions (1)");
    expect($("activity-version").textContent).toContain("Call");
    expect($("activity-version").textContent).toContain("First call");
    expect(backend.calls.filter((c) => c.cmd === "update_activity")).toHaveLength(1);
  });
});
