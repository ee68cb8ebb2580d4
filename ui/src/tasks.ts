// Task vocabulary shared by the views: the tabs, the
// reminder and snooze presets, recurrence strings, local-day arithmetic, and
// the due string the dialog sends (RFC 3339 with the local offset, or a day).
import type { Priority } from "./bindings/Priority";
import type { SnoozePreset } from "./bindings/SnoozePreset";
import type { Task } from "./bindings/Task";
import type { TaskItem } from "./bindings/TaskItem";

/** The tabs of the tasks view, in display order ("open" is a backend view without a tab). */
export type TaskTab = "overdue" | "today" | "upcoming" | "open" | "done";
export const TASK_TABS: readonly TaskTab[] = ["overdue", "today", "upcoming", "open", "done"];
export const PRIORITIES: readonly Priority[] = ["low", "normal", "high"];
/** Reminder checkboxes: minutes before due (all-day tasks: before 09:00 on the due day). */
export const REMINDER_PRESETS: readonly number[] = [0, 15, 60, 1440];
export const SNOOZE_PRESETS: readonly SnoozePreset[] = ["ten_minutes", "one_hour", "tomorrow_morning", "next_week"];
/** Reminders of all-day tasks count from this local hour (as in the backend). */
export { ALL_DAY_REMINDER_HOUR } from "./generated/core";
/** Most days "every N days" and a custom reminder may span. */
export const MAX_EVERY_DAYS = 365;
export const MAX_REMINDER_MINUTES = 60 * 24 * 365;

/**
 * The UI's clock. Views measure "today", "overdue" and "in 2 days" against it;
 * the tests point it at their backend's fixed clock.
 */
export const clock = { now: (): Date => new Date() };

export type RepeatKind = "none" | "daily" | "weekly" | "monthly" | "every";

/** "every:3" → { kind: "every", days: 3 }; null → none; unknown strings are kept as none. */
export function parseRepeat(repeat: string | null): { kind: RepeatKind; days: number } {
  if (!repeat) return { kind: "none", days: 0 };
  if (repeat === "daily" || repeat === "weekly" || repeat === "monthly") return { kind: repeat, days: 0 };
  const m = /^every:(\d+)$/.exec(repeat);
  return m ? { kind: "every", days: Number(m[1]) } : { kind: "none", days: 0 };
}

export function repeatString(kind: RepeatKind, days: number): string | null {
  if (kind === "none") return null;
  return kind === "every" ? `every:${days}` : kind;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

/** A Date → its local calendar day "YYYY-MM-DD". */
export function localDay(d: Date): string {
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A Date → its local time "HH:MM". */
export function localTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-03-10" → local midnight of that day, or null when it is no real date. */
export function parseDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d : null;
}

/** A Date → RFC 3339 in local time with the local UTC offset: "2026-03-10T09:30:00+01:00". */
export function rfc3339Local(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${localDay(d)}T${localTime(d)}:${pad(d.getSeconds())}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/**
 * The `due` of a TaskInput from the dialog's date and time fields: with a time,
 * RFC 3339 with the local offset (a time skipped by a DST switch moves on, as
 * the browser does); without, the day "YYYY-MM-DD" (an all-day task). Null
 * when the date (or time) is not valid.
 */
export function dueString(date: string, time: string): string | null {
  const day = parseDay(date.trim());
  if (!day) return null;
  const tm = time.trim();
  if (!tm) return localDay(day);
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(tm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  const at = new Date(day.getFullYear(), day.getMonth(), day.getDate(), Number(m[1]), Number(m[2]), Number(m[3] ?? 0));
  return rfc3339Local(at);
}

/** Whole local calendar days from `from`'s day to `to`'s day (DST-safe). */
export function dayDiff(from: Date, to: Date): number {
  const a = Date.UTC(from.getFullYear(), from.getMonth(), from.getDate());
  const b = Date.UTC(to.getFullYear(), to.getMonth(), to.getDate());
  return Math.round((b - a) / 86_400_000);
}

/** Local midnight `days` after `d`'s day. */
export function addDays(d: Date, days: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);
}

/**
 * When a task is due as the rep's clock shows it: the instant of a timed task;
 * local midnight of an all-day task's day (its `due_date`; the backend keeps
 * the day at midnight UTC, which is another day west of Greenwich).
 */
export function dueAt(task: Task): Date {
  const day = task.all_day && task.due_date ? parseDay(task.due_date) : null;
  return day ?? new Date(task.due);
}

/** Open and past due (all-day tasks: before today), against `now`. */
export function isOverdue(task: Task, now: Date = clock.now()): boolean {
  if (task.done) return false;
  const due = dueAt(task);
  return task.all_day ? dayDiff(now, due) < 0 : due.getTime() < now.getTime();
}

/** A contact's tasks: open ones by due, then done ones, newest done first. */
export function contactOrder(items: TaskItem[]): TaskItem[] {
  const at = (s: string | null) => (s ? Date.parse(s) : 0);
  const due = (x: TaskItem) => dueAt(x.task).getTime();
  const open = items.filter((x) => !x.task.done).sort((a, b) => due(a) - due(b));
  const done = items.filter((x) => x.task.done).sort((a, b) => at(b.task.done_at) - at(a.task.done_at));
  return open.concat(done);
}
