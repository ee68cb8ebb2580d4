// The calendar area: its state (mode, the day or week shown, the day plan,
// the mileage month), the loads behind each mode, and what the rep does
// there: appointments (new, edit, move), check-in and the visit report,
// the day plan, the mileage log, the calendar file.
import type { AppointmentItem } from "../bindings/AppointmentItem";
import type { PlanRequest } from "../bindings/PlanRequest";
import type { Trip } from "../bindings/Trip";
import type { TripInput } from "../bindings/TripInput";
import { viewDays, type CalendarMode } from "../calendar";
import { byTestId } from "../dom";
import { t } from "../i18n";
import * as ipc from "../ipc";
import { Latest } from "../latest";
import { addDays, clock, localDay, parseDay, rfc3339Local } from "../tasks";
import { appointmentDialog, type AppointmentPreset } from "../views/appointmentDialog";
import { CalendarView } from "../views/calendar";
import type { CalendarActions, CalendarState } from "../views/calendarTypes";
import { tripDialog } from "../views/mileage";
import { visitReportDialog } from "../views/visitReport";
import type { Hub } from "./hub";

export class CalendarArea implements CalendarActions {
  state: CalendarState;
  view: CalendarView | null = null;
  private readonly latest = { days: new Latest(), plan: new Latest(), trips: new Latest() };

  constructor(private readonly app: Hub) {
    const today = localDay(clock.now());
    this.state = {
      mode: "week", anchor: today, allDays: false, days: null, loading: false,
      plan: { request: { date: today, start: null, max: 6, contact_ids: null }, data: null, chosen: new Set(), loading: false, nearby: null },
      mileage: { month: today.slice(0, 7), trips: null, loading: false },
    };
  }

  mount(): CalendarView {
    this.view = new CalendarView(this.app, this);
    return this.view;
  }

  /** The "Calendar" nav item (and g k). */
  async show(mode?: CalendarMode): Promise<void> {
    const app = this.app;
    app.clearError();
    if (mode) this.state.mode = mode;
    app.view = { name: "calendar" };
    app.origin = "calendar";
    app.render();
    byTestId<HTMLElement>(app.main, "calendar-heading")?.focus();
    await this.reload();
  }

  setMode(mode: CalendarMode): void {
    this.state.mode = mode;
    this.view?.update();
    void this.reload();
  }

  go(step: number): void {
    const s = this.state;
    const anchor = parseDay(s.anchor) ?? clock.now();
    s.anchor = step === 0 ? localDay(clock.now()) : localDay(addDays(anchor, step * (s.mode === "day" ? 1 : 7)));
    void this.reload();
  }

  openDay(day: string): void {
    this.state.anchor = day;
    this.state.mode = "day";
    void this.reload();
  }

  toggleAllDays(): void {
    this.state.allDays = !this.state.allDays;
    void this.reload();
  }

  /** Reloads what the mode shows. */
  async reload(): Promise<void> {
    const s = this.state;
    if (s.mode === "plan") {
      this.view?.update();
      if (!s.plan.data && (s.plan.request.start || this.app.settings.field.home_address)) await this.plan(s.plan.request, null);
      return;
    }
    if (s.mode === "mileage") return this.loadTrips();
    const current = this.latest.days.start();
    const anchor = parseDay(s.anchor) ?? clock.now();
    const days = viewDays(anchor, s.mode === "day" ? "day" : "week", this.app.settings.working_days, s.allDays);
    s.loading = true;
    this.view?.update();
    try {
      const data = await ipc.calendarDays(localDay(days[0]), localDay(days[days.length - 1]));
      if (!current()) return;
      s.days = data;
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        s.loading = false;
        this.view?.update();
      }
    }
  }

  openAppointment(item: AppointmentItem | null, preset: AppointmentPreset = {}): void {
    appointmentDialog(this.app, item, preset, async () => {
      this.app.showToast(t(item ? "appt.saved" : "appt.created"));
      await this.reload();
    });
  }

  async moveAppointment(item: AppointmentItem, start: Date): Promise<void> {
    try {
      await ipc.moveAppointment(item.appointment.id, rfc3339Local(start));
    } catch (e) {
      this.app.showError(e);
    }
    await this.reload();
  }

  async checkIn(item: AppointmentItem): Promise<void> {
    try {
      await ipc.checkIn(item.appointment.id, await position());
      this.app.showToast(t("visit.checked_in", { name: item.organization_name ?? item.contact_name ?? item.appointment.title }));
    } catch (e) {
      this.app.showError(e);
    }
    await this.reload();
  }

  report(item: AppointmentItem): void {
    visitReportDialog(this.app, item, async (done) => {
      const follow = done.task_id ? t("visit.reported_task") : done.appointment_id ? t("visit.reported_appointment") : "";
      this.app.showToast(`${t("visit.reported_toast")}${follow ? ` ${follow}` : ""}`);
      await this.reload();
      void this.app.refreshTasks();
    });
  }

  async exportCalendar(): Promise<void> {
    try {
      const name = await ipc.exportCalendar();
      if (name) this.app.showToast(t("cal.exported", { name }));
    } catch (e) {
      this.app.showError(e);
    }
  }

  async importCalendar(): Promise<void> {
    try {
      const report = await ipc.importCalendar();
      if (!report) return;
      this.app.showToast(t("cal.imported", { added: report.added, updated: report.updated, unchanged: report.unchanged, removed: report.removed, rejected: report.rejected.length }));
      if (report.rejected.length) {
        this.app.showError(new Error(report.rejected.map(([line, why]) => t("cal.rejected_line", { line, why })).join("\n")));
      }
    } catch (e) {
      this.app.showError(e);
    }
    await this.reload();
  }

  async plan(request: PlanRequest, chosen: string[] | null): Promise<void> {
    const p = this.state.plan;
    const current = this.latest.plan.start();
    p.request = request;
    p.loading = true;
    this.view?.update();
    try {
      const data = await ipc.planVisits({ ...request, contact_ids: chosen });
      if (!current()) return;
      p.data = data;
      p.chosen = new Set(data.plan.stops.map((s) => s.contact_id));
    } catch (e) {
      if (current()) {
        p.data = null;
        this.app.showError(e);
      }
    } finally {
      if (current()) {
        p.loading = false;
        this.view?.update();
      }
    }
  }

  async nearbyAddress(address: string, km: number): Promise<void> {
    try {
      this.state.plan.nearby = await ipc.nearbyAddress(address, km);
    } catch (e) {
      this.state.plan.nearby = null;
      this.app.showError(e);
    }
    this.view?.update();
  }

  async savePlan(): Promise<void> {
    const p = this.state.plan;
    if (!p.data) return;
    try {
      const saved = await ipc.saveDayPlan({ ...p.request, contact_ids: p.data.plan.stops.map((s) => s.contact_id) });
      this.app.showToast(t("plan.saved", { n: saved.length }));
      this.state.anchor = p.request.date;
      this.state.mode = "day";
      p.data = null;
      await this.reload();
    } catch (e) {
      this.app.showError(e);
    }
  }

  openMap(url: string): void {
    void ipc.openMap(url).catch((e) => this.app.showError(e));
  }

  setMonth(month: string): void {
    if (!/^\d{4}-\d{2}$/.test(month)) return;
    this.state.mileage.month = month;
    void this.loadTrips();
  }

  private async loadTrips(): Promise<void> {
    const m = this.state.mileage;
    const current = this.latest.trips.start();
    const first = parseDay(`${m.month}-01`) ?? clock.now();
    const last = addDays(new Date(first.getFullYear(), first.getMonth() + 1, 1), -1);
    m.loading = true;
    this.view?.update();
    try {
      const trips = await ipc.listTrips(localDay(first), localDay(last));
      if (!current()) return;
      m.trips = trips;
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        m.loading = false;
        this.view?.update();
      }
    }
  }

  addTrip(base: TripInput | null, corrects: Trip | null): void {
    const open = (proposal: TripInput | null) =>
      tripDialog(this.app, proposal, corrects, async () => {
        this.app.showToast(t(corrects ? "mileage.corrected" : "mileage.added"));
        await this.loadTrips();
      });
    if (base || corrects) return open(base);
    // A new trip starts from today's visits (or the month's last day shown).
    void ipc.proposeTrip(localDay(clock.now())).then(open, (e) => {
      this.app.showError(e);
      open(null);
    });
  }

  async exportMileage(html: boolean): Promise<void> {
    try {
      const name = await ipc.exportMileage(this.state.mileage.month, html);
      if (name) this.app.showToast(t("mileage.exported", { name }));
    } catch (e) {
      this.app.showError(e);
    }
  }
}

/** Where the OS says the rep is (a second at most); none when it cannot or may not say. */
function position(): Promise<{ lat: number; lon: number } | null> {
  const geo = typeof navigator !== "undefined" ? navigator.geolocation : undefined;
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 1500);
    try {
      geo.getCurrentPosition(
        (p) => { clearTimeout(timer); resolve({ lat: p.coords.latitude, lon: p.coords.longitude }); },
        () => { clearTimeout(timer); resolve(null); },
        { timeout: 1000, maximumAge: 300_000 },
      );
    } catch {
      clearTimeout(timer);
      resolve(null);
    }
  });
}
