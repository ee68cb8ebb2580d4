import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, select, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

// The backend's clock: 2025-03-14 09:30 UTC = Friday 10:30 in Berlin (the tests' time zone, UTC+1 in March).

const lastCall = (b: LiveBackend, cmd: string) => b.calls.filter((c) => c.cmd === cmd).at(-1)?.args;
const count = (b: LiveBackend, cmd: string) => b.calls.filter((c) => c.cmd === cmd).length;
const titles = (root: ParentNode = document) => $$("task-title", root).map((e) => e.textContent);
const tabCount = (tab: string) => $("tab-count", $(`tasks-tab-${tab}`)).textContent;
const row = (title: string) => $$("task-row").find((r) => $("task-title", r).textContent === title)!;

/** Anna with tasks in every view, and one done task. */
function seed(b: LiveBackend, language: "de" | "en" = "en") {
  b.settings.language = language;
  const anna = b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Müller AG" });
  b.add({ first_name: "Bernd", last_name: "Becker" });
  b.addTask({ title: "Angebot nachfassen", due: "2025-03-12T10:00:00+01:00", priority: "high", contact_id: anna.id, reminders: [15], notes: "Laufzeit 24 Monate?\nRabatt" });
  b.addTask({ title: "Unterlagen schicken", due: "2025-03-13" });
  b.addTask({ title: "Rückruf", due: "2025-03-14T15:00:00+01:00", contact_id: anna.id, reminders: [15, 60] });
  b.addTask({ title: "Monatsbericht", due: "2025-03-14", repeat: "monthly", reminders: [0] });
  b.addTask({ title: "Messe-Kontakte", due: "2025-03-16T09:30:00+01:00", repeat: "every:3", reminders: [1440] });
  b.addTask({ title: "Später im Jahr", due: "2025-04-30" });
  const done = b.addTask({ title: "Visitenkarten", due: "2025-03-10", contact_id: anna.id });
  b.complete(done, "2025-03-13T08:00:00Z");
  return anna;
}

async function openTasks() {
  $("nav-tasks").click();
  await until(() => maybe("tasks-view") && (maybe("task-row") || maybe("tasks-empty")));
}

async function tab(name: string) {
  $(`tasks-tab-${name}`).click();
  await until(() => $(`tasks-tab-${name}`).getAttribute("aria-selected") === "true" && (maybe("task-row") || maybe("tasks-empty")));
}

async function openContact(name = "Anna Schmidt") {
  $("nav-contacts").click();
  await until(() => $$("row-name").find((e) => e.textContent === name));
  $$("contact-row").find((r) => r.textContent?.includes(name))!.click();
  await until(() => maybe("contact-page") && maybe("contact-tasks")?.querySelector('[data-testid="task-row"], [data-testid="contact-tasks-empty"]') && !$("contact-tasks").getAttribute("aria-busy")?.includes("true"));
}

describe("tasks view", () => {
  it("has Contacts | Tasks navigation with a badge of overdue + today", async () => {
    await start((b) => seed(b));
    expect($("nav-contacts").textContent).toBe("Contacts");
    expect($("nav-contacts").getAttribute("aria-current")).toBe("page");
    await until(() => $("nav-tasks-badge").textContent === "4");
    expect($("nav-tasks-badge").hidden).toBe(false);
    expect($("nav-tasks-badge").classList.contains("has-overdue")).toBe(true);
    await openTasks();
    expect($("nav-tasks").getAttribute("aria-current")).toBe("page");
    $("nav-contacts").click();
    await until(() => maybe("contact-row"));
    expect(maybe("tasks-view")).toBeNull();
  });

  it("shows the tabs with counts, Overdue first when anything is overdue, and each tab's tasks", async () => {
    const { backend } = await start((b) => seed(b));
    await openTasks();
    expect($("tasks-tab-overdue").getAttribute("aria-selected")).toBe("true");
    expect(lastCall(backend, "list_tasks")).toEqual({ view: "overdue" });
    expect([tabCount("overdue"), tabCount("today"), tabCount("upcoming")]).toEqual(["2", "2", "1"]);
    expect(titles()).toEqual(["Angebot nachfassen", "Unterlagen schicken"]);

    const overdue = row("Angebot nachfassen");
    const due = $("task-due", overdue);
    expect(due.classList.contains("overdue")).toBe(true);
    expect(due.textContent).toBe("Wed, Mar 12 10:00 AM · overdue by 2 days");
    expect($("task-due", row("Unterlagen schicken")).textContent).toBe("yesterday · overdue by 1 day");
    expect($("task-contact", overdue).textContent).toBe("Anna Schmidt");
    expect($("task-priority-mark", overdue).getAttribute("title")).toBe("High priority");
    expect(overdue.querySelector(".task-reminders")!.textContent).toContain("15 min before");
    expect(overdue.querySelector(".task-notes")!.textContent).toBe("Laufzeit 24 Monate?");

    await tab("today");
    expect(lastCall(backend, "list_tasks")).toEqual({ view: "today" });
    expect(titles()).toEqual(["Monatsbericht", "Rückruf"]);
    expect($("task-due", row("Rückruf")).textContent).toBe("today 3:00 PM");
    expect($("task-due", row("Rückruf")).classList.contains("overdue")).toBe(false);
    expect($("task-due", row("Monatsbericht")).textContent).toBe("today");
    expect(row("Monatsbericht").querySelector(".task-repeat")!.textContent).toContain("monthly");
    expect(row("Monatsbericht").querySelector(".task-reminders")!.textContent).toContain("at due");
    expect(row("Rückruf").querySelector(".task-reminders")!.textContent).toContain("15 min before, 1 hour before");

    await tab("upcoming");
    expect(titles()).toEqual(["Messe-Kontakte"]);
    const messe = row("Messe-Kontakte");
    expect($("task-due", messe).textContent).toBe("Sun, Mar 16 9:30 AM");
    expect(messe.querySelector(".task-repeat")!.textContent).toContain("every 3 days");
    expect(messe.querySelector(".task-reminders")!.textContent).toContain("1 day before");
    expect(maybe("task-contact")).toBeNull();

    // Tasks further ahead than a week are under "All open".
    await tab("open");
    expect(lastCall(backend, "list_tasks")).toEqual({ view: "open" });
    expect(tabCount("open")).toBe("6");
    expect(titles()).toContain("Später im Jahr");
    expect(titles()).toHaveLength(6);

    await tab("done");
    expect(titles()).toEqual(["Visitenkarten"]);
    expect(tabCount("done")).toBe("1");
    expect(($("task-done") as HTMLInputElement).checked).toBe(true);
    expect(maybe("task-snooze")).toBeNull();
  });

  it("shows an empty state per tab", async () => {
    await start((b) => { b.settings.language = "en"; });
    await openTasks();
    expect($("tasks-tab-today").getAttribute("aria-selected")).toBe("true");
    expect($("tasks-empty").textContent).toContain("Nothing due today.");
    expect($("nav-tasks-badge").hidden).toBe(true);
    await tab("overdue");
    expect($("tasks-empty").textContent).toContain("Nothing overdue — well done.");
    await tab("upcoming");
    expect($("tasks-empty").textContent).toContain("Nothing due in the next 7 days.");
    await tab("done");
    expect($("tasks-empty").textContent).toContain("No tasks done yet.");
  });

  it("speaks German: tabs, relative dues, recurrence, reminders, empty states", async () => {
    await start((b) => seed(b, "de"));
    expect($("nav-contacts").textContent).toBe("Kontakte");
    await openTasks();
    expect($("nav-tasks").textContent).toContain("Aufgaben");
    expect($$("tab-label").length).toBe(0);
    expect(["overdue", "today", "upcoming", "done"].map((x) => $(`tasks-tab-${x}`).querySelector(".tab-label")!.textContent))
      .toEqual(["Überfällig", "Heute", "Demnächst", "Erledigt"]);
    expect($("task-due", row("Angebot nachfassen")).textContent).toBe("Mi., 12. März 10:00 · überfällig seit 2 Tagen");
    expect($("task-due", row("Unterlagen schicken")).textContent).toBe("gestern · überfällig seit 1 Tag");
    expect(row("Angebot nachfassen").querySelector(".task-reminders")!.textContent).toContain("15 Min. vorher");
    await tab("today");
    expect($("task-due", row("Rückruf")).textContent).toBe("heute 15:00");
    expect(row("Monatsbericht").querySelector(".task-repeat")!.textContent).toContain("monatlich");
    expect(row("Rückruf").querySelector(".task-reminders")!.textContent).toContain("15 Min. vorher, 1 Std. vorher");
    await tab("upcoming");
    expect($("task-due", row("Messe-Kontakte")).textContent).toBe("So., 16. März 09:30");
    expect(row("Messe-Kontakte").querySelector(".task-repeat")!.textContent).toContain("alle 3 Tage");
    expect(row("Messe-Kontakte").querySelector(".task-reminders")!.textContent).toContain("1 Tag vorher");
    await tab("done");
    expect($("task-row").textContent).toContain("erledigt gestern");
    $("task-delete").click();
    expect($("task-delete").textContent).toBe("Wirklich löschen?");
    $("task-delete").click();
    await until(() => maybe("tasks-empty"));
    expect($("tasks-empty").textContent).toContain("Noch keine Aufgaben erledigt.");
    await tab("overdue");
    $("task-snooze", row("Angebot nachfassen")).click();
    expect($("snooze-tomorrow_morning").textContent).toBe("Morgen 09:00");
    expect($("snooze-next_week").textContent).toBe("Nächste Woche");
  });

  it("opens the contact page from a row and goes back to the tasks view", async () => {
    await start((b) => seed(b));
    await openTasks();
    $("task-contact", row("Angebot nachfassen")).click();
    await until(() => maybe("contact-page"));
    expect($("contact-name").textContent).toBe("Anna Schmidt");
    expect($("nav-tasks").getAttribute("aria-current")).toBe("page");
    key("Escape");
    await until(() => maybe("tasks-view"));
  });

  it("completes a task with the checkbox; a repeating one gets its next occurrence", async () => {
    const { backend } = await start((b) => {
      seed(b);
      b.addTask({ title: "Täglich anrufen", due: "2025-03-14T16:00:00+01:00", repeat: "daily", reminders: [15] });
    });
    await openTasks();
    await tab("today");
    expect(titles()).toContain("Täglich anrufen");
    expect(tabCount("upcoming")).toBe("1");
    const id = row("Täglich anrufen").dataset.id!;
    $("task-done", row("Täglich anrufen")).click();
    await until(() => !titles().includes("Täglich anrufen"));
    expect(lastCall(backend, "complete_task")).toEqual({ id });
    expect($("toast").textContent).toBe("“Täglich anrufen” done. Next: tomorrow 4:00 PM");
    await until(() => tabCount("upcoming") === "2");
    expect(tabCount("today")).toBe("2");
    await tab("upcoming");
    expect(titles()).toEqual(["Täglich anrufen", "Messe-Kontakte"]);
    expect($("task-due", row("Täglich anrufen")).textContent).toBe("tomorrow 4:00 PM");
    expect(row("Täglich anrufen").querySelector(".task-reminders")!.textContent).toContain("15 min before");
    await tab("done");
    expect(titles()).toEqual(["Täglich anrufen", "Visitenkarten"]);
  });

  it("snoozing an overdue task to a picked date and time takes it out of overdue and the badge", async () => {
    const { backend } = await start((b) => seed(b));
    await openTasks();
    await tab("overdue");
    expect(titles()).toEqual(["Angebot nachfassen", "Unterlagen schicken"]);
    await until(() => $("nav-tasks-badge").textContent === "4");
    const id = row("Angebot nachfassen").dataset.id!;
    $("task-snooze", row("Angebot nachfassen")).click();
    $("snooze-pick").click();
    const at = $("snooze-pick-at") as HTMLInputElement;
    expect(at.value).toBe("2025-03-15T09:00"); // tomorrow 09:00 to start with
    expect(document.activeElement).toBe(at);
    type(at, "2025-03-17T08:30");
    $("snooze-pick-ok").click();
    await until(() => lastCall(backend, "snooze_task_until"));
    expect(lastCall(backend, "snooze_task_until")).toEqual({ id, until: "2025-03-17T07:30:00Z" });
    await until(() => !titles().includes("Angebot nachfassen"));
    expect(titles()).toEqual(["Unterlagen schicken"]);
    await until(() => $("nav-tasks-badge").textContent === "3");
    const [task] = (await backend.tasks()).filter((t) => t.id === id);
    expect(task.due).toBe("2025-03-17T07:30:00Z"); // postponed, not only reminded later
    // the same for a preset past the due time: tomorrow morning
    $("task-snooze", row("Unterlagen schicken")).click();
    $("snooze-tomorrow_morning").click();
    await until(() => maybe("tasks-empty"));
  });

  it("snoozes with each preset from the menu", async () => {
    const { backend } = await start((b) => seed(b));
    await openTasks();
    // A task due later: a snooze before its due time only moves the reminder.
    await tab("upcoming");
    const r = row("Messe-Kontakte");
    const id = r.dataset.id!;
    const btn = $("task-snooze", r);
    expect(btn.getAttribute("aria-expanded")).toBe("false");
    btn.click();
    expect(btn.getAttribute("aria-expanded")).toBe("true");
    expect(["ten_minutes", "one_hour", "tomorrow_morning", "next_week"].map((p) => $(`snooze-${p}`).textContent))
      .toEqual(["In 10 minutes", "In 1 hour", "Tomorrow 9:00 AM", "Next week"]);
    $("snooze-one_hour").click();
    await until(() => lastCall(backend, "snooze_task"));
    expect(lastCall(backend, "snooze_task")).toEqual({ id, preset: "one_hour" });
    await until(() => maybe("task-snoozed"));
    // one hour after the backend's clock
    expect($("task-snoozed", row("Messe-Kontakte")).textContent).toMatch(/^Snoozed until today 11:\d\d AM$/);
    for (const preset of ["ten_minutes", "tomorrow_morning", "next_week"]) {
      $("task-snooze", row("Messe-Kontakte")).click();
      $(`snooze-${preset}`).click();
      await until(() => lastCall(backend, "snooze_task")?.preset === preset);
    }
    // next week = Monday 09:00
    await until(() => $("task-snoozed", row("Messe-Kontakte")).textContent === "Snoozed until Mon, Mar 17 9:00 AM");
    expect((await backend.tasks()).find((x) => x.id === id)!.snoozed_until).toBe("2025-03-17T08:00:00Z");
  });

  it("closes the snooze menu with Escape without leaving the view", async () => {
    await start((b) => seed(b));
    await openTasks();
    $("task-snooze").click();
    const menu = $("snooze-ten_minutes").parentElement!;
    expect(menu.hidden).toBe(false);
    key("Escape", document.activeElement!);
    expect(menu.hidden).toBe(true);
    expect(maybe("tasks-view")).not.toBeNull();
  });

  it("deletes only after a confirming second click", async () => {
    const { backend } = await start((b) => seed(b));
    await openTasks();
    const del = $("task-delete", row("Unterlagen schicken"));
    del.click();
    expect(del.textContent).toBe("Really delete?");
    expect(count(backend, "delete_task")).toBe(0);
    del.dispatchEvent(new FocusEvent("blur"));
    expect(del.textContent).toBe("Delete");
    del.click();
    del.click();
    await until(() => !titles().includes("Unterlagen schicken"));
    expect(count(backend, "delete_task")).toBe(1);
    expect(tabCount("overdue")).toBe("1");
    await until(() => $("nav-tasks-badge").textContent === "3");
  });

  it("edits a task in the dialog, prefilled", async () => {
    const { backend } = await start((b) => seed(b));
    await openTasks();
    const id = row("Angebot nachfassen").dataset.id!;
    $("task-edit", row("Angebot nachfassen")).click();
    expect($("task-dialog").textContent).toContain("Edit task");
    expect(($("task-title-input") as HTMLInputElement).value).toBe("Angebot nachfassen");
    expect(($("task-due-date") as HTMLInputElement).value).toBe("2025-03-12");
    expect(($("task-due-time") as HTMLInputElement).value).toBe("10:00");
    expect(($("task-priority") as HTMLSelectElement).value).toBe("high");
    expect(($("task-reminder-15") as HTMLInputElement).checked).toBe(true);
    expect(($("task-reminder-0") as HTMLInputElement).checked).toBe(false);
    expect(($("task-notes") as HTMLTextAreaElement).value).toBe("Laufzeit 24 Monate?\nRabatt");
    expect($("task-contact-name").textContent).toBe("Anna Schmidt");
    type($("task-title-input"), "Angebot nachfassen (Rabatt)");
    type($("task-due-date"), "2025-03-17");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "update_task")).toEqual({
      id,
      input: {
        title: "Angebot nachfassen (Rabatt)", contact_id: backend.contacts[0].id, deal_id: null, due: "2025-03-17T10:00:00+01:00",
        priority: "high", notes: "Laufzeit 24 Monate?\nRabatt", reminders: [15], repeat: null,
      },
    });
    await until(() => !titles().includes("Angebot nachfassen"));
    expect(tabCount("upcoming")).toBe("2");
  });
});

describe("task dialog", () => {
  it("opens with t (not while typing, not in a dialog) and sends a timed due with the local offset", async () => {
    const { backend } = await start((b) => seed(b));
    $("search").focus();
    expect(key("t", $("search")).defaultPrevented).toBe(false);
    expect(maybe("task-dialog")).toBeNull();
    $("search").blur();
    key("t");
    expect(maybe("task-dialog")).not.toBeNull();
    expect($("task-dialog").textContent).toContain("New task");
    expect(document.activeElement).toBe($("task-title-input"));
    // defaults: today, all day, normal, reminder at due, no repeat, no contact
    expect(($("task-due-date") as HTMLInputElement).value).toBe("2025-03-14");
    expect(($("task-due-time") as HTMLInputElement).value).toBe("");
    expect(($("task-priority") as HTMLSelectElement).value).toBe("normal");
    expect(($("task-repeat") as HTMLSelectElement).value).toBe("none");
    expect($("task-repeat-days").closest<HTMLElement>(".field")!.hidden).toBe(true);
    expect($("task-contact-input").hidden).toBe(false);
    key("n", $("task-title-input"));
    expect(maybe("contact-form")).toBeNull();

    type($("task-title-input"), "  Anna zurückrufen ");
    type($("task-due-date"), "2025-03-20");
    type($("task-due-time"), "09:30");
    select($("task-priority"), "high");
    $("task-reminder-0").click();
    $("task-reminder-15").click();
    $("task-reminder-1440").click();
    type($("task-reminder-custom"), "30");
    select($("task-repeat"), "every");
    expect($("task-repeat-days").closest<HTMLElement>(".field")!.hidden).toBe(false);
    type($("task-repeat-days"), "3");
    type($("task-notes"), "Wegen Rabatt");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task")).toEqual({
      input: {
        title: "Anna zurückrufen", contact_id: null, deal_id: null, due: "2025-03-20T09:30:00+01:00", priority: "high",
        notes: "Wegen Rabatt", reminders: [15, 30, 1440], repeat: "every:3",
      },
    });
  });

  it("sends summer-time offsets, all-day days, and each repeat kind", async () => {
    const { backend } = await start((b) => seed(b));
    const add = async (date: string, time: string, repeat: string) => {
      key("t");
      type($("task-title-input"), "X");
      type($("task-due-date"), date);
      type($("task-due-time"), time);
      select($("task-repeat"), repeat);
      $("task-save").click();
      await until(() => maybe("task-dialog") === null);
      return lastCall(backend, "create_task").input;
    };
    expect(await add("2025-07-01", "14:05", "monthly")).toMatchObject({ due: "2025-07-01T14:05:00+02:00", repeat: "monthly", reminders: [0] });
    expect(await add("2025-03-20", "", "weekly")).toMatchObject({ due: "2025-03-20", repeat: "weekly" });
    expect(await add("2025-12-31", "23:59", "daily")).toMatchObject({ due: "2025-12-31T23:59:00+01:00", repeat: "daily" });
    expect(await add("2025-10-26", "", "none")).toMatchObject({ due: "2025-10-26", repeat: null });
    // the all-day task is stored as its day
    expect((await backend.tasks()).find((x) => x.title === "X" && x.all_day && x.due.startsWith("2025-10-26"))).toMatchObject({ all_day: true, due: "2025-10-26T00:00:00Z" });
  });

  it("validates with translated messages before sending", async () => {
    const { backend } = await start((b) => seed(b, "de"));
    key("t");
    type($("task-due-date"), "");
    select($("task-repeat"), "every");
    type($("task-repeat-days"), "0");
    type($("task-reminder-custom"), "15, abc");
    $("task-save").click();
    const errors = $$("field-error").map((e) => e.textContent);
    expect(errors).toEqual([
      "Bitte geben Sie einen Titel ein.",
      "Bitte geben Sie ein gültiges Fälligkeitsdatum ein.",
      "Bitte ganze Minuten von 0 bis 525600 eingeben, durch Komma getrennt.",
      "Bitte eine ganze Zahl von 1 bis 365 Tagen eingeben.",
    ]);
    expect($("task-title-input").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe($("task-title-input"));
    expect(count(backend, "create_task")).toBe(0);
    type($("task-title-input"), "Titel");
    type($("task-due-date"), "2025-03-20");
    type($("task-due-time"), "25:00");
    type($("task-repeat-days"), "2");
    type($("task-reminder-custom"), "");
    $("task-save").click();
    // jsdom sanitises the invalid time to "", which means all day
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task").input).toMatchObject({ due: "2025-03-20", repeat: "every:2", reminders: [0] });
  });

  it("shows a backend error at the field it names", async () => {
    await start((b) => seed(b), (b) => (cmd, args) => {
      if (cmd === "create_task") throw { code: "invalid_input", message: "bad due", field: "due", from: null, to: null };
      return b.handle(cmd, args);
    });
    key("t");
    type($("task-title-input"), "X");
    $("task-save").click();
    await until(() => maybe("error-message"));
    expect($("error-message").textContent).toBe("Invalid input in “Due date”.");
    expect($("field-error").textContent).toBe("Invalid input in “Due date”.");
    expect($("task-due-date").getAttribute("aria-invalid")).toBe("true");
    expect(maybe("task-dialog")).not.toBeNull();
  });

  it("picks a contact by name search", async () => {
    const { backend } = await start((b) => seed(b));
    await openTasks();
    $("new-task").click();
    type($("task-contact-input"), "Beck");
    await until(() => maybe("task-contact-option"));
    expect(lastCall(backend, "list_contacts").query).toMatchObject({ search: "Beck", limit: 8 });
    expect($$("task-contact-option").map((e) => e.textContent)).toEqual(["Bernd Becker"]);
    $("task-contact-option").click();
    expect($("task-contact-name").textContent).toBe("Bernd Becker");
    expect($("task-contact-input").hidden).toBe(true);
    type($("task-title-input"), "Bernd anrufen");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task").input.contact_id).toBe(backend.contacts[1].id);
    await tab("today");
    await until(() => titles().includes("Bernd anrufen"));
    expect($("task-contact", row("Bernd anrufen")).textContent).toBe("Bernd Becker");
  });
});

describe("contact page tasks", () => {
  it("lists the contact's tasks, open first then done, with the same row actions", async () => {
    const { backend } = await start((b) => seed(b));
    const anna = backend.contacts[0];
    await openContact();
    expect(lastCall(backend, "contact_tasks")).toEqual({ id: anna.id });
    const card = $("contact-tasks");
    expect(card.textContent).toContain("Tasks");
    expect(titles(card)).toEqual(["Angebot nachfassen", "Rückruf", "Visitenkarten"]);
    expect($$("task-contact", card)).toHaveLength(0);
    expect($$("task-done", card).map((c) => (c as HTMLInputElement).checked)).toEqual([false, false, true]);
    $("task-done", row("Rückruf")).click();
    await until(() => titles($("contact-tasks")).join() === "Angebot nachfassen,Visitenkarten,Rückruf"
      || titles($("contact-tasks")).join() === "Angebot nachfassen,Rückruf,Visitenkarten" && ($$("task-done", $("contact-tasks"))[1] as HTMLInputElement).checked);
    expect((await backend.tasks()).find((x) => x.title === "Rückruf")!.done).toBe(true);
    await until(() => $("nav-tasks-badge").textContent === "3");
  });

  it("adds a task with the contact preselected (button and t), removable", async () => {
    const { backend } = await start((b) => seed(b));
    const anna = backend.contacts[0];
    await openContact();
    $("contact-add-task").click();
    expect($("task-contact-name").textContent).toBe("Anna Schmidt");
    expect($("task-contact-input").hidden).toBe(true);
    type($("task-title-input"), "Vertrag schicken");
    type($("task-due-date"), "2025-03-18");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task").input).toMatchObject({ contact_id: anna.id, due: "2025-03-18" });
    await until(() => titles($("contact-tasks")).includes("Vertrag schicken"));
    expect(titles($("contact-tasks"))).toEqual(["Angebot nachfassen", "Rückruf", "Vertrag schicken", "Visitenkarten"]);

    key("t");
    expect($("task-contact-name").textContent).toBe("Anna Schmidt");
    $("task-contact-clear").click();
    expect(maybe("task-contact-name")).toBeNull();
    expect($("task-contact-input").hidden).toBe(false);
    expect(document.activeElement).toBe($("task-contact-input"));
    type($("task-title-input"), "Ohne Kontakt");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task").input.contact_id).toBeNull();
  });

  it("shows an empty card for a contact without tasks", async () => {
    await start((b) => seed(b, "de"));
    await openContact("Bernd Becker");
    expect($("contact-tasks").textContent).toContain("Noch keine Aufgaben zu diesem Kontakt.");
    expect($("contact-add-task").textContent).toBe("Aufgabe hinzufügen");
  });
});

describe("live updates and navigation", () => {
  it("refreshes the tasks view and the badge on tasks-changed", async () => {
    const { backend } = await start((b) => seed(b));
    await openTasks();
    await tab("today");
    expect(titles()).toEqual(["Monatsbericht", "Rückruf"]);
    // as the tray does it: a task made and one snoozed outside the window
    await backend.call("create_task", { input: { title: "Vom Tray", due: "2025-03-14T18:00:00+01:00", contact_id: null, deal_id: null, priority: "normal", notes: null, reminders: [], repeat: null } });
    const rueckruf = (await backend.tasks()).find((x) => x.title === "Rückruf")!;
    await backend.call("snooze_task", { id: rueckruf.id, preset: "one_hour" });
    await emit("tasks-changed");
    await until(() => titles().includes("Vom Tray"));
    expect(tabCount("today")).toBe("3");
    await until(() => $("nav-tasks-badge").textContent === "5");
    expect($("task-snoozed", row("Rückruf")).textContent).toBe("Snoozed until today 11:30 AM"); // an hour after 10:30
  });

  it("refreshes the badge on the list and the open contact's tasks on tasks-changed", async () => {
    const { backend } = await start((b) => seed(b));
    await until(() => $("nav-tasks-badge").textContent === "4");
    const unterlagen = (await backend.tasks()).find((x) => x.title === "Unterlagen schicken")!;
    await backend.call("delete_task", { id: unterlagen.id });
    await emit("tasks-changed");
    await until(() => $("nav-tasks-badge").textContent === "3");
    await openContact();
    await backend.call("create_task", { input: { title: "Neu von außen", due: "2025-03-15", contact_id: backend.contacts[0].id, deal_id: null, priority: "normal", notes: null, reminders: [], repeat: null } });
    await emit("tasks-changed");
    await until(() => titles($("contact-tasks")).includes("Neu von außen"));
  });

  it("navigates with g t and g c", async () => {
    await start((b) => seed(b));
    key("g");
    key("t");
    await until(() => maybe("tasks-view"));
    key("g");
    key("c");
    await until(() => maybe("contact-row"));
    expect(maybe("tasks-view")).toBeNull();
  });
});

describe("reminder settings", () => {
  it("shows notifications on and autostart off by default, and saves them in the whole Settings object", async () => {
    const { backend } = await start((b) => { b.settings.language = "de"; });
    $("open-settings").click();
    expect($("settings-reminders").textContent).toContain("Erinnerungen");
    expect($("settings-reminders").textContent).toContain("Benachrichtigungen anzeigen");
    expect($("settings-reminders").textContent).toContain("Beim Anmelden starten");
    const notify = $("setting-notifications") as HTMLInputElement;
    const autostart = $("setting-autostart") as HTMLInputElement;
    expect(notify.checked).toBe(true);
    expect(autostart.checked).toBe(false);
    notify.click();
    autostart.click();
    $("settings-save").click();
    await until(() => maybe("settings-dialog") === null);
    const sent = lastCall(backend, "set_settings").settings;
    expect(sent).toMatchObject({ notifications: false, autostart: true, language: "de" });
    expect(sent.scoring.half_life_days).toBe(30);
    expect((await backend.call("get_settings")).autostart).toBe(true);
    $("open-settings").click();
    expect(($("setting-notifications") as HTMLInputElement).checked).toBe(false);
    expect(($("setting-autostart") as HTMLInputElement).checked).toBe(true);
  });

  it("labels the section in English and fills missing fields of an older backend", async () => {
    await start((b) => {
      b.settings.language = "en";
      delete (b.settings as any).notifications;
      delete (b.settings as any).autostart;
    });
    $("open-settings").click();
    expect($("settings-reminders").textContent).toContain("Show notifications");
    expect($("settings-reminders").textContent).toContain("Start at login");
    expect(($("setting-notifications") as HTMLInputElement).checked).toBe(true);
  });
});

describe("task deal link", () => {
  /** Anna with two deals, Bernd with one; ids in creation order. */
  function seedDeals(b: LiveBackend) {
    const anna = seed(b);
    const bernd = b.contacts[1];
    const deal = (contact_id: string, title: string) => b.addDeal({ contact_id, title, value: 1000 });
    const wartung = deal(anna.id, "Wartungsvertrag");
    b.later();
    const lizenz = deal(anna.id, "Lizenzen");
    b.later();
    const schulung = deal(bernd.id, "Schulung");
    return { anna, bernd, wartung, lizenz, schulung };
  }
  const dealSelect = () => $("task-deal") as HTMLSelectElement;
  const dealOptions = () => Array.from(dealSelect().options).map((o) => o.textContent);
  const dealsLoaded = () => until(() => !dealSelect().disabled && dealSelect().getAttribute("aria-busy") === "false");

  it("offers the chosen contact's deals and sends the picked one in create_task; an edit keeps it", async () => {
    let ids!: ReturnType<typeof seedDeals>;
    const { backend } = await start((b) => { ids = seedDeals(b); });
    await openTasks();
    $("new-task").click();
    expect(dealSelect().disabled).toBe(true);
    expect(dealOptions()).toEqual(["No deal"]);
    expect($("task-deal-hint").hidden).toBe(false);
    type($("task-contact-input"), "Schmidt");
    await until(() => maybe("task-contact-option"));
    $("task-contact-option").click();
    await dealsLoaded();
    expect(lastCall(backend, "contact_deals")).toEqual({ id: ids.anna.id });
    expect($("task-deal-hint").hidden).toBe(true);
    expect(dealOptions()).toEqual(["No deal", "Lizenzen · Qualification", "Wartungsvertrag · Qualification"]);
    expect(dealSelect().value).toBe("");
    select(dealSelect(), ids.wartung.id);
    type($("task-title-input"), "Wartung besprechen");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task").input).toMatchObject({ contact_id: ids.anna.id, deal_id: ids.wartung.id });

    await tab("today");
    await until(() => titles().includes("Wartung besprechen"));
    $("task-edit", row("Wartung besprechen")).click();
    await dealsLoaded();
    expect(dealSelect().value).toBe(ids.wartung.id);
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "update_task").input.deal_id).toBe(ids.wartung.id);
  });

  it("unlinks the deal when the contact changes", async () => {
    let ids!: ReturnType<typeof seedDeals>;
    const { backend } = await start((b) => { ids = seedDeals(b); });
    await openContact();
    $("contact-add-task").click();
    await dealsLoaded();
    select(dealSelect(), ids.lizenz.id);
    $("task-contact-clear").click();
    expect(dealSelect().value).toBe("");
    expect(dealSelect().disabled).toBe(true);
    expect(dealOptions()).toEqual(["No deal"]);
    type($("task-contact-input"), "Beck");
    await until(() => maybe("task-contact-option"));
    $("task-contact-option").click();
    await dealsLoaded();
    expect(dealOptions()).toEqual(["No deal", "Schulung · Qualification"]);
    expect(dealSelect().value).toBe("");
    type($("task-title-input"), "Bernd anrufen");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task").input).toMatchObject({ contact_id: ids.bernd.id, deal_id: null });
  });

  it("opens from a deal with its contact and the deal preselected", async () => {
    let ids!: ReturnType<typeof seedDeals>;
    const { backend } = await start((b) => { ids = seedDeals(b); });
    await openContact();
    await until(() => $$("contact-deal").length === 2);
    $$("contact-deal").find((d) => d.dataset.id === ids.lizenz.id)!.click();
    await until(() => maybe("deal-dialog"));
    expect($("deal-task").textContent).toBe("Follow-up task");
    $("deal-task").click();
    await until(() => maybe("task-dialog"));
    expect(maybe("deal-dialog")).toBeNull();
    expect($("task-contact-name").textContent).toBe("Anna Schmidt");
    // preselected at once, before the contact's deals have loaded
    expect(dealSelect().value).toBe(ids.lizenz.id);
    await dealsLoaded();
    expect(dealSelect().value).toBe(ids.lizenz.id);
    type($("task-title-input"), "Lizenzen nachfassen");
    $("task-save").click();
    await until(() => maybe("task-dialog") === null);
    expect(lastCall(backend, "create_task").input).toMatchObject({ contact_id: ids.anna.id, deal_id: ids.lizenz.id });
  });

  it("shows the linked deal in the task row and opens it from there", async () => {
    let ids!: ReturnType<typeof seedDeals>;
    const { backend } = await start((b) => {
      ids = seedDeals(b);
      b.addTask({ title: "Lizenzen nachfassen", due: "2025-03-14T16:00:00+01:00", contact_id: ids.anna.id, deal_id: ids.lizenz.id });
    });
    await openTasks();
    await tab("open");
    const link = $("task-deal-link", row("Lizenzen nachfassen"));
    expect(link.textContent).toBe("Lizenzen");
    expect(link.getAttribute("title")).toBe("Open the deal Lizenzen");
    expect(row("Angebot nachfassen").querySelector('[data-testid="task-deal-link"]')).toBeNull();
    link.click();
    await until(() => maybe("deal-dialog"));
    expect(($("deal-title") as HTMLInputElement).value).toBe("Lizenzen");
    expect((await backend.call("get_deal", { id: ids.lizenz.id })).title).toBe("Lizenzen");
  });

  it("names the deal field in German", async () => {
    await start((b) => { seed(b, "de"); });
    await openTasks();
    $("new-task").click();
    expect($("task-dialog").textContent).toContain("Verkaufschance");
    expect(dealOptions()).toEqual(["Keine Verkaufschance"]);
  });
});
