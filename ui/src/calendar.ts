// The calendar's arithmetic: which days a week or day view shows, where an
// appointment sits in the hour grid (overlapping ones side by side), and
// the 15-minute steps a drag or a key moves by. Pure: no DOM.
import type { Appointment } from "./bindings/Appointment";
import { addDays, localDay, parseDay } from "./tasks";

/** The calendar's modes: the week, one day, the day plan, the mileage log. */
export type CalendarMode = "week" | "day" | "plan" | "mileage";
export const CALENDAR_MODES: readonly CalendarMode[] = ["week", "day", "plan", "mileage"];

/** The hours the grid shows (local time): 07:00 to 20:00. */
export const FIRST_HOUR = 7;
export const LAST_HOUR = 20;
/** Pixels per hour. */
export const HOUR_PX = 48;
/** A drag and a key move by this many minutes. */
export const STEP_MINUTES = 15;

/** Monday of `day`'s week. */
export function weekStart(day: Date): Date {
  const back = (day.getDay() + 6) % 7;
  return addDays(day, -back);
}

/**
 * The days a view shows: the week's working days (ISO 1 Monday … 7 Sunday;
 * all seven with `all`), or the one day.
 */
export function viewDays(anchor: Date, mode: "week" | "day", workingDays: readonly number[], all = false): Date[] {
  if (mode === "day") return [addDays(anchor, 0)];
  const monday = weekStart(anchor);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  if (all || workingDays.length === 0) return days;
  return days.filter((d) => workingDays.includes(((d.getDay() + 6) % 7) + 1));
}

/** An appointment's local days, first to last ("YYYY-MM-DD"); all-day ones are kept at UTC midnight. */
export function appointmentDays(a: Appointment): [string, string] {
  if (a.all_day) {
    const first = a.start.slice(0, 10);
    const endDay = parseDay(a.end.slice(0, 10));
    const last = endDay ? localDay(addDays(endDay, -1)) : first;
    return [first, last < first ? first : last];
  }
  const start = new Date(a.start);
  const end = new Date(new Date(a.end).getTime() - 1000);
  const first = localDay(start);
  const last = localDay(end);
  return [first, last < first ? first : last];
}

/** Whether an appointment takes place (partly) on `day`. */
export function onDay(a: Appointment, day: string): boolean {
  const [first, last] = appointmentDays(a);
  return first <= day && day <= last;
}

/** Minutes after the grid's first hour that `d` is on its day (clamped to the grid). */
export function gridMinutes(d: Date): number {
  const m = (d.getHours() - FIRST_HOUR) * 60 + d.getMinutes();
  return Math.max(0, Math.min((LAST_HOUR - FIRST_HOUR) * 60, m));
}

/** A block in the grid: top and height in pixels, its lane and how many lanes share its time. */
export interface Placed<T> {
  item: T;
  top: number;
  height: number;
  lane: number;
  lanes: number;
}

/**
 * Where each timed appointment of `day` sits: its top and height (parts
 * outside the grid's hours or the day are cut off, at least 20 minutes
 * high), overlapping ones in lanes side by side.
 */
export function layoutDay<T extends { appointment: Appointment }>(items: readonly T[], day: string): Placed<T>[] {
  const dayStart = parseDay(day);
  if (!dayStart) return [];
  const next = addDays(dayStart, 1);
  const timed = items
    .filter((x) => !x.appointment.all_day && onDay(x.appointment, day))
    .map((x) => {
      const s = new Date(Math.max(new Date(x.appointment.start).getTime(), dayStart.getTime()));
      const e = new Date(Math.min(new Date(x.appointment.end).getTime(), next.getTime() - 60_000));
      const from = gridMinutes(s);
      const to = Math.max(from + 20, gridMinutes(e));
      return { item: x, from, to };
    })
    .sort((a, b) => a.from - b.from || b.to - a.to);
  const placed: Placed<T>[] = [];
  // Clusters of overlapping appointments share their lanes' width.
  let cluster: { item: T; from: number; to: number; lane: number }[] = [];
  let clusterEnd = -1;
  const flush = () => {
    const lanes = Math.max(1, ...cluster.map((c) => c.lane + 1));
    for (const c of cluster) {
      placed.push({ item: c.item, top: (c.from / 60) * HOUR_PX, height: ((c.to - c.from) / 60) * HOUR_PX, lane: c.lane, lanes });
    }
    cluster = [];
  };
  for (const x of timed) {
    if (x.from >= clusterEnd) flush();
    const taken = new Set(cluster.filter((c) => c.to > x.from).map((c) => c.lane));
    let lane = 0;
    while (taken.has(lane)) lane++;
    cluster.push({ ...x, lane });
    clusterEnd = Math.max(clusterEnd, x.to);
  }
  flush();
  return placed;
}

/** A pixel offset in the grid → local time on `day`, rounded to the step. */
export function timeAt(day: string, px: number): Date {
  const d = parseDay(day) ?? new Date();
  const minutes = Math.round(((px / HOUR_PX) * 60) / STEP_MINUTES) * STEP_MINUTES;
  const clamped = Math.max(0, Math.min((LAST_HOUR - FIRST_HOUR) * 60, minutes));
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), FIRST_HOUR, clamped);
}

/** `d` moved by `minutes` and `days` (local wall clock, DST-safe). */
export function shifted(d: Date, minutes: number, days = 0): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days, d.getHours(), d.getMinutes() + minutes);
}
