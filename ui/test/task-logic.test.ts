import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it } from "vitest";
import { LiveBackend } from "./live";
import { overdueText, reminderText, repeatText, setLanguage } from "../src/i18n";
import { completeTask, createTask, listTasks, onTasksChanged, snoozeTask, updateTask } from "../src/ipc";
import { dueAt, dueString, isOverdue, localDay, parseRepeat, repeatString, rfc3339Local } from "../src/tasks";

afterEach(() => {
  clearMocks();
  setLanguage("en");
});

describe("due strings (tests run in Europe/Berlin)", () => {
  it("sends a day for all-day tasks and RFC 3339 with the local offset otherwise", () => {
    expect(dueString("2026-03-10", "")).toBe("2026-03-10");
    expect(dueString("2026-03-10", "09:30")).toBe("2026-03-10T09:30:00+01:00");
    expect(dueString("2026-08-01", "18:00")).toBe("2026-08-01T18:00:00+02:00");
    // a time skipped by the spring DST switch moves on, as the clock does
    expect(dueString("2026-03-29", "02:30")).toBe("2026-03-29T03:30:00+02:00");
    expect(dueString("2026-02-30", "")).toBeNull();
    expect(dueString("", "10:00")).toBeNull();
    expect(dueString("2026-03-10", "24:00")).toBeNull();
    expect(rfc3339Local(new Date("2026-01-05T23:15:00Z"))).toBe("2026-01-06T00:15:00+01:00");
  });

  it("places an all-day task on its day, whatever the zone its UTC midnight falls in", () => {
    const task = { due: "2026-11-24T00:00:00Z", due_date: "2026-11-24", all_day: true, done: false } as any;
    expect(localDay(dueAt(task))).toBe("2026-11-24");
    // The day decides, not the instant (west of Greenwich midnight UTC is the evening before).
    expect(localDay(dueAt({ ...task, due: "2026-11-23T12:00:00Z" }))).toBe("2026-11-24");
    expect(isOverdue(task, new Date(2026, 10, 24, 23, 0))).toBe(false);
    expect(isOverdue(task, new Date(2026, 10, 25, 0, 30))).toBe(true);
    // A timed task is due at its instant.
    expect(dueAt({ ...task, all_day: false, due_date: null }).toISOString()).toBe("2026-11-24T00:00:00.000Z");
  });

  it("reads and writes recurrence strings", () => {
    expect(parseRepeat("every:14")).toEqual({ kind: "every", days: 14 });
    expect(parseRepeat("monthly")).toEqual({ kind: "monthly", days: 0 });
    expect(parseRepeat(null)).toEqual({ kind: "none", days: 0 });
    expect(repeatString("every", 3)).toBe("every:3");
    expect(repeatString("none", 3)).toBeNull();
  });

  it("words recurrence, reminders and overdue spans in both languages", () => {
    const task = { due: "2025-03-14T08:00:00Z", all_day: false, done: false } as any;
    const now = new Date("2025-03-14T09:30:00Z");
    setLanguage("en");
    expect([repeatText("monthly"), repeatText("every:3"), repeatText("every:1")]).toEqual(["monthly", "every 3 days", "every day"]);
    expect([0, 15, 60, 120, 1440, 2880, 90].map(reminderText)).toEqual([
      "at due", "15 min before", "1 hour before", "2 hours before", "1 day before", "2 days before", "90 min before",
    ]);
    expect(overdueText(task, now)).toBe("overdue by 1 hour");
    expect(overdueText({ ...task, due: "2025-03-14T09:10:00Z" }, now)).toBe("overdue by 20 minutes");
    expect(overdueText({ ...task, due: "2025-03-14T12:00:00Z" }, now)).toBeNull();
    setLanguage("de");
    expect([repeatText("monthly"), repeatText("every:3")]).toEqual(["monatlich", "alle 3 Tage"]);
    expect([0, 15, 60, 1440].map(reminderText)).toEqual(["bei Fälligkeit", "15 Min. vorher", "1 Std. vorher", "1 Tag vorher"]);
    expect(overdueText(task, now)).toBe("überfällig seit 1 Stunde");
    expect(overdueText({ ...task, due: "2025-03-11", all_day: true }, now)).toBe("überfällig seit 3 Tagen");
  });
});

describe("the core's tasks, as the commands hand them to the UI", () => {
  const input = { title: "x", contact_id: null, deal_id: null, due: "2025-03-20", priority: "normal", notes: null, reminders: [], repeat: null };
  let b: LiveBackend | null = null;
  afterEach(() => { b?.stop(); b = null; });

  it("keeps the day of month in monthly recurrence (Jan 31 → Feb 28 → Mar 31) and the wall clock over DST", async () => {
    b = new LiveBackend();
    await b.prepare();
    const t = (await b.call("create_task", { input: { ...input, title: "Bericht", due: "2025-01-31T09:00:00+01:00", repeat: "monthly" } })).task;
    const next1 = (await b.call("complete_task", { id: t.id })).next.task;
    expect(next1.due).toBe("2025-02-28T08:00:00Z");
    const next2 = (await b.call("complete_task", { id: next1.id })).next.task;
    // 09:00 Berlin in summer time
    expect(next2.due).toBe("2025-03-31T07:00:00Z");
    expect(next2.anchor_day).toBe(31);
  });

  it("rejects bad input with the contract's fields", async () => {
    b = new LiveBackend();
    await b.prepare();
    const err = async (patch: object) => {
      try {
        await b!.call("create_task", { input: { ...input, ...patch } });
      } catch (e: any) {
        // the core's field, or, for a value of the wrong type, the IPC layer's message naming it
        return typeof e === "object" ? e.field : String(e);
      }
      return null;
    };
    expect(await err({ title: " " })).toBe("title");
    expect(await err({ due: "tomorrow" })).toBe("due");
    expect(await err({ reminders: [-5] })).toContain("`-5`");
    expect(await err({ repeat: "yearly" })).toContain("invalid repeat: \"yearly\"");
    expect(await err({})).toBeNull();
  });
});

describe("task ipc", () => {
  it("passes the contract's command and argument names", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "list_tasks" ? [] : null;
    });
    const input = { title: "x", contact_id: null, deal_id: null, due: "2026-03-10", priority: "low" as const, notes: null, reminders: [0], repeat: null };
    await listTasks("upcoming");
    await createTask(input);
    await updateTask("t1", input);
    await completeTask("t1");
    await snoozeTask("t1", "next_week");
    expect(seen).toEqual([
      ["list_tasks", { view: "upcoming" }],
      ["create_task", { input }],
      ["update_task", { id: "t1", input }],
      ["complete_task", { id: "t1" }],
      ["snooze_task", { id: "t1", preset: "next_week" }],
    ]);
  });

  it("listens to tasks-changed until unlistened", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    let n = 0;
    const unlisten = await onTasksChanged(() => n++);
    await emit("tasks-changed");
    expect(n).toBe(1);
    unlisten();
    await emit("tasks-changed");
    expect(n).toBe(1);
  });
});
