// The calendar: a week (working days) or one day in an hour grid with the
// appointments placed by time (overlapping ones side by side) and, above
// it, all-day appointments and the tasks due that day. A drag on free time
// creates an appointment for that range, a drag on one moves it; with the
// keyboard N creates one, Enter opens the focused one, Alt+↑/↓ moves it by
// 15 minutes and Alt+←/→ by a day. The day view lists the day's visits with
// check-in and the visit report. The header switches to the day plan and
// the mileage log.
import type { AppointmentItem } from "../bindings/AppointmentItem";
import {
  appointmentDays, CALENDAR_MODES, FIRST_HOUR, HOUR_PX, LAST_HOUR, layoutDay, onDay, shifted, STEP_MINUTES, timeAt,
  viewDays,
} from "../calendar";
import { h, replace } from "../dom";
import { dateFormat } from "../i18n/format";
import { dateFormatLocale } from "../i18n/state";
import { dueText, formatTime, t, type MessageKey } from "../i18n";
import type { Shell } from "../shell";
import { clock, dueAt, localDay, parseDay } from "../tasks";
import type { CalendarActions } from "./calendarTypes";
import { button } from "./common";
import { DayPlanView } from "./dayPlan";
import { MileageView } from "./mileage";

/** Sets inline styles through the CSSOM (the app's CSP allows no style attributes). */
function styled<T extends HTMLElement>(el: T, props: Record<string, string>): T {
  for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v);
  return el;
}

/** Tasks a day of the week view lists before "+N more". */
const TASKS_SHOWN = 4;

const hours = Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => FIRST_HOUR + i);

function dayLabel(day: Date): string {
  return dateFormat(dateFormatLocale(), { weekday: "short", day: "numeric", month: "numeric" }).format(day);
}

function periodLabel(days: Date[]): string {
  const f = dateFormat(dateFormatLocale(), { day: "numeric", month: "long", year: "numeric" });
  if (days.length === 1) return dateFormat(dateFormatLocale(), { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(days[0]);
  return `${f.format(days[0])} – ${f.format(days[days.length - 1])}`;
}

function timeRange(item: AppointmentItem): string {
  const a = item.appointment;
  if (a.all_day) return t("appt.all_day");
  return `${formatTime(new Date(a.start))}–${formatTime(new Date(a.end))}`;
}

export class CalendarView {
  readonly el: HTMLElement;
  private readonly plan: DayPlanView;
  private readonly mileage: MileageView;

  constructor(private readonly app: Shell, private readonly actions: CalendarActions) {
    this.el = h("section", { class: "calendar-view", "data-testid": "calendar-view", "aria-labelledby": "calendar-heading" });
    this.plan = new DayPlanView(app, actions);
    this.mileage = new MileageView(actions);
  }

  update(): void {
    const s = this.actions.state;
    const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": t("cal.modes") },
      CALENDAR_MODES.map((m) => h("button", {
        type: "button", role: "tab", class: `tab${s.mode === m ? " active" : ""}`, "data-testid": `cal-mode-${m}`,
        "aria-selected": s.mode === m ? "true" : "false", onclick: () => this.actions.setMode(m),
      }, t(`cal.mode.${m}` as MessageKey))));
    const head = h("div", { class: "page-head cal-head" },
      h("h1", { id: "calendar-heading", "data-testid": "calendar-heading", tabindex: -1 }, t("cal.title")),
      h("div", { class: "spacer" }),
      s.mode === "week" || s.mode === "day"
        ? h("div", { class: "cal-actions" },
            button(t("appt.new"), { testid: "cal-new", kind: "primary", keys: "n", onclick: () => this.actions.openAppointment(null) }),
            button(t("cal.export"), { testid: "cal-export", kind: "ghost", title: t("cal.export_title"), onclick: () => void this.actions.exportCalendar() }),
            button(t("cal.import"), { testid: "cal-import", kind: "ghost", title: t("cal.import_title"), onclick: () => void this.actions.importCalendar() }))
        : null);
    let body: HTMLElement;
    if (s.mode === "plan") {
      this.plan.update();
      body = this.plan.el;
    } else if (s.mode === "mileage") {
      this.mileage.update();
      body = this.mileage.el;
    } else {
      body = this.grid();
    }
    replace(this.el, head, tabs, body);
  }

  /** The week or day in the hour grid. */
  private grid(): HTMLElement {
    const s = this.actions.state;
    const mode = s.mode === "day" ? "day" : "week";
    const anchor = parseDay(s.anchor) ?? clock.now();
    const days = viewDays(anchor, mode, this.app.settings.working_days, s.allDays);
    const today = localDay(clock.now());
    const items = s.days?.appointments ?? [];
    const tasks = s.days?.tasks ?? [];
    const nav = h("div", { class: "cal-nav" },
      button("‹", { testid: "cal-prev", kind: "ghost", title: t(mode === "day" ? "cal.prev_day" : "cal.prev_week"), onclick: () => this.actions.go(-1) }),
      button(t("cal.today"), { testid: "cal-today", onclick: () => this.actions.go(0) }),
      button("›", { testid: "cal-next", kind: "ghost", title: t(mode === "day" ? "cal.next_day" : "cal.next_week"), onclick: () => this.actions.go(1) }),
      h("h2", { class: "cal-period", "data-testid": "cal-period", "aria-live": "polite" }, periodLabel(days)),
      mode === "week"
        ? h("label", { class: "check inline" },
            h("input", { type: "checkbox", "data-testid": "cal-all-days", checked: s.allDays, onchange: () => this.actions.toggleAllDays() }),
            h("span", null, t("cal.weekend")))
        : null,
      s.loading ? h("span", { class: "muted", role: "status" }, t("status.loading")) : null);
    const cols = { "grid-template-columns": `52px repeat(${days.length}, minmax(0, 1fr))` };
    const dayHeads = styled(h("div", { class: "cal-row cal-days" },
      h("div", null),
      days.map((d) => {
        const key = localDay(d);
        return h("button", {
          type: "button", class: `cal-day-head${key === today ? " today" : ""}`, "data-testid": "cal-day-head", "data-day": key,
          title: t("cal.open_day"), onclick: () => this.actions.openDay(key),
        }, dayLabel(d));
      })), cols);
    // All-day appointments and the tasks due that day (overdue ones on today).
    const strip = styled(h("div", { class: "cal-row cal-strip" },
      h("div", { class: "cal-strip-label muted" }, t("cal.all_day_short")),
      days.map((d) => {
        const key = localDay(d);
        const allDay = items.filter((x) => x.appointment.all_day && onDay(x.appointment, key));
        const due = tasks.filter((x) => localDay(dueAt(x.task)) === key);
        // The core sends a busy day's first tasks and its count.
        const total = Math.max(due.length, s.days?.task_days.find((c) => c.day === key)?.total ?? 0);
        const shown = mode === "week" && total > TASKS_SHOWN ? due.slice(0, TASKS_SHOWN - 1) : due;
        const overdue = key === today ? s.days?.overdue ?? 0 : 0;
        return h("div", { class: "cal-strip-day", "data-day": key },
          overdue > 0
            ? h("button", { type: "button", class: "cal-chip task overdue", "data-testid": "cal-overdue", onclick: () => void this.app.showTasks() },
                t("cal.overdue", { n: overdue }))
            : null,
          allDay.map((x) => h("button", {
            type: "button", class: "cal-chip appt", "data-testid": "cal-allday", "data-id": x.appointment.id,
            onclick: () => this.actions.openAppointment(x),
          }, x.appointment.title)),
          // A busy day shows its first tasks and how many more (in the day view, or in Tasks).
          shown.map((x) => h("button", {
            type: "button", class: "cal-chip task", "data-testid": "cal-task",
            title: `${x.task.title} · ${dueText(x.task)}${x.contact_name ? ` · ${x.contact_name}` : ""}`,
            onclick: () => this.app.openTaskDialog(x),
          }, h("span", { "aria-hidden": "true" }, "☐ "), x.task.title)),
          total > shown.length
            ? h("button", {
                type: "button", class: "cal-chip more", "data-testid": "cal-more-tasks",
                onclick: () => (mode === "week" ? this.actions.openDay(key) : void this.app.showTasks()),
              }, t("cal.more_tasks", { n: total - shown.length }))
            : null);
      })), cols);
    const hourLabels = h("div", { class: "cal-hours", "aria-hidden": "true" },
      hours.map((hr) => styled(h("div", { class: "cal-hour" }, `${String(hr).padStart(2, "0")}:00`), { height: `${HOUR_PX}px` })));
    const columns = days.map((d) => this.column(localDay(d), items));
    const body = styled(h("div", { class: "cal-row cal-body" }, hourLabels, ...columns), cols);
    const grid = h("div", { class: `cal-grid cal-${mode}`, "data-testid": `cal-${mode}` }, dayHeads, strip, body);
    const parts: HTMLElement[] = [nav, grid];
    if (mode === "day") parts.push(this.visits(s.anchor, items));
    return h("div", { class: `cal-main${mode === "day" ? " with-side" : ""}` }, ...parts);
  }

  /** One day's column: free time takes a drag (a new appointment), appointments a drag (a move) or keys. */
  private column(day: string, items: AppointmentItem[]): HTMLElement {
    const col = styled(h("div", { class: "cal-col", "data-testid": "cal-col", "data-day": day, "aria-label": day }),
      { height: `${(LAST_HOUR - FIRST_HOUR) * HOUR_PX}px` });
    const now = clock.now();
    if (localDay(now) === day && now.getHours() >= FIRST_HOUR && now.getHours() < LAST_HOUR) {
      col.append(styled(h("div", { class: "cal-now", "aria-hidden": "true" }), { top: `${((now.getHours() - FIRST_HOUR) * 60 + now.getMinutes()) / 60 * HOUR_PX}px` }));
    }
    for (const p of layoutDay(items, day)) {
      const x = p.item;
      const a = x.appointment;
      const visit = a.visit.checked_out_at ? " reported" : a.visit.checked_in_at ? " checked-in" : "";
      const block = h("div", {
        class: `cal-appt${visit}`, "data-testid": "cal-appt", "data-id": a.id, tabindex: 0, role: "button",
        "aria-label": `${a.title}, ${timeRange(x)}${x.contact_name ? `, ${x.contact_name}` : ""}`,
        "aria-keyshortcuts": "Enter Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight",
        onkeydown: (ev: KeyboardEvent) => this.blockKeys(ev, x),
      },
      h("span", { class: "cal-appt-time" }, timeRange(x)),
      h("span", { class: "cal-appt-title" }, a.title),
      x.contact_name ? h("span", { class: "cal-appt-who" }, x.organization_name ? `${x.contact_name} · ${x.organization_name}` : x.contact_name) : null);
      styled(block, {
        top: `${p.top}px`, height: `${Math.max(18, p.height - 2)}px`,
        left: `calc(${(p.lane / p.lanes) * 100}% + 2px)`, width: `calc(${100 / p.lanes}% - 4px)`,
      });
      this.dragToMove(block, x);
      col.append(block);
    }
    this.dragToCreate(col, day);
    return col;
  }

  private blockKeys(ev: KeyboardEvent, x: AppointmentItem): void {
    if (ev.key === "Enter") {
      ev.preventDefault();
      this.actions.openAppointment(x);
      return;
    }
    if (!ev.altKey || x.appointment.all_day) return;
    const start = new Date(x.appointment.start);
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-STEP_MINUTES, 0], ArrowDown: [STEP_MINUTES, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
    };
    const m = moves[ev.key];
    if (!m) return;
    ev.preventDefault();
    ev.stopPropagation();
    const id = x.appointment.id;
    void this.actions.moveAppointment(x, shifted(start, m[0], m[1])).then(() => {
      this.el.querySelector<HTMLElement>(`[data-testid="cal-appt"][data-id="${id}"]`)?.focus();
    });
  }

  /** Drags an appointment to another time (15-minute steps) or day column. */
  private dragToMove(block: HTMLElement, x: AppointmentItem): void {
    block.addEventListener("pointerdown", (down: PointerEvent) => {
      if (down.button !== 0) return;
      down.stopPropagation();
      const startY = down.clientY;
      const startX = down.clientX;
      const from = new Date(x.appointment.start);
      let moved = false;
      let target: { minutes: number; days: number } = { minutes: 0, days: 0 };
      const cols = Array.from(this.el.querySelectorAll<HTMLElement>('[data-testid="cal-col"]'));
      const homeDay = block.parentElement?.dataset.day ?? "";
      const onMove = (ev: PointerEvent) => {
        const dy = ev.clientY - startY;
        if (!moved && Math.abs(dy) < 4 && Math.abs(ev.clientX - startX) < 4) return;
        moved = true;
        const minutes = Math.round(((dy / HOUR_PX) * 60) / STEP_MINUTES) * STEP_MINUTES;
        const over = cols.find((c) => { const r = c.getBoundingClientRect(); return ev.clientX >= r.left && ev.clientX < r.right; });
        const days = over ? Math.round(((parseDay(over.dataset.day ?? "")?.getTime() ?? 0) - (parseDay(homeDay)?.getTime() ?? 0)) / 86_400_000) : target.days;
        target = { minutes, days };
        block.classList.add("dragging");
        block.style.transform = `translate(${over && over !== block.parentElement ? over.getBoundingClientRect().left - block.parentElement!.getBoundingClientRect().left : 0}px, ${(minutes / 60) * HOUR_PX}px)`;
      };
      const onUp = () => {
        document.removeEventListener("pointermove", onMove);
        document.removeEventListener("pointerup", onUp);
        if (!moved) {
          this.actions.openAppointment(x);
          return;
        }
        block.classList.remove("dragging");
        if (target.minutes === 0 && target.days === 0) {
          block.style.transform = "";
          return;
        }
        void this.actions.moveAppointment(x, shifted(from, target.minutes, target.days));
      };
      document.addEventListener("pointermove", onMove);
      document.addEventListener("pointerup", onUp);
    });
  }

  /** Drags over free time to create an appointment for that range. */
  private dragToCreate(col: HTMLElement, day: string): void {
    col.addEventListener("pointerdown", (down: PointerEvent) => {
      if (down.button !== 0 || down.target !== col) return;
      const top = col.getBoundingClientRect().top;
      const y0 = down.clientY - top;
      const ghost = h("div", { class: "cal-ghost", "aria-hidden": "true" });
      col.append(ghost);
      const draw = (y1: number) => {
        const a = Math.min(y0, y1);
        const b = Math.max(y0, y1);
        ghost.style.top = `${a}px`;
        ghost.style.height = `${Math.max(b - a, HOUR_PX / 4)}px`;
      };
      draw(y0);
      const onMove = (ev: PointerEvent) => draw(ev.clientY - top);
      const onUp = (ev: PointerEvent) => {
        document.removeEventListener("pointermove", onMove);
        document.removeEventListener("pointerup", onUp);
        ghost.remove();
        const y1 = ev.clientY - top;
        let start = timeAt(day, Math.min(y0, y1));
        let end = timeAt(day, Math.max(y0, y1));
        // A click (no range): an hour from the quarter clicked.
        if (end.getTime() - start.getTime() < STEP_MINUTES * 60_000) {
          start = timeAt(day, y0 - (HOUR_PX / 8));
          end = shifted(start, 60);
        }
        this.actions.openAppointment(null, { start, end });
      };
      document.addEventListener("pointermove", onMove);
      document.addEventListener("pointerup", onUp);
    });
  }

  /** The day view's side: the day's visits in order, with check-in and the report. */
  private visits(day: string, items: AppointmentItem[]): HTMLElement {
    const visits = items
      .filter((x) => x.appointment.contact_id && !x.appointment.all_day && appointmentDays(x.appointment)[0] === day)
      .sort((a, b) => a.appointment.start.localeCompare(b.appointment.start));
    const isToday = day === localDay(clock.now());
    return h("section", { class: "card cal-visits", "data-testid": "cal-visits", "aria-labelledby": "cal-visits-title" },
      h("h2", { id: "cal-visits-title" }, t("cal.visits")),
      visits.length
        ? h("ol", { class: "plain-list visit-list" }, visits.map((x) => {
            const a = x.appointment;
            const state = a.visit.checked_out_at ? "reported" : a.visit.checked_in_at ? "in" : "open";
            const action = state === "reported"
              ? h("span", { class: "badge done", "data-testid": "visit-reported" }, t("visit.reported"))
              : state === "in"
                ? button(t("visit.check_out"), { testid: "visit-check-out", kind: "primary", onclick: () => this.actions.report(x) })
                : button(t("visit.check_in"), {
                    testid: "visit-check-in", kind: isToday ? "primary" : "ghost", title: isToday ? undefined : t("visit.check_in_other_day"),
                    onclick: () => void this.actions.checkIn(x),
                  });
            return h("li", { class: "visit-row", "data-testid": "visit-row", "data-id": a.id },
              h("div", { class: "visit-when num" }, timeRange(x)),
              h("div", { class: "visit-who" },
                h("button", { type: "button", class: "link strong", onclick: () => void this.app.openContact(a.contact_id!, "calendar") }, x.organization_name ?? x.contact_name ?? a.title),
                h("div", { class: "muted" }, [x.organization_name ? x.contact_name : null, a.place].filter(Boolean).join(" · ")),
                a.visit.checked_in_at && !a.visit.checked_out_at
                  ? h("div", { class: "muted", "data-testid": "visit-since" }, t("visit.since", { time: formatTime(new Date(a.visit.checked_in_at)) }))
                  : null),
              action);
          }))
        : h("p", { class: "muted" }, t("cal.no_visits")));
  }
}
