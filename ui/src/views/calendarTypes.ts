// The calendar's state as its area keeps it, and what its views (week and
// day, day plan, mileage log) ask of the area.
import type { AppointmentItem } from "../bindings/AppointmentItem";
import type { CalendarDays } from "../bindings/CalendarDays";
import type { DayPlanning } from "../bindings/DayPlanning";
import type { Nearby } from "../bindings/Nearby";
import type { PlanRequest } from "../bindings/PlanRequest";
import type { Trip } from "../bindings/Trip";
import type { TripInput } from "../bindings/TripInput";
import type { CalendarMode } from "../calendar";
import type { AppointmentPreset } from "./appointmentDialog";

/** The calendar's state, as its area keeps it. */
export interface CalendarState {
  mode: CalendarMode;
  /** The day shown (day view) or in the week shown, "YYYY-MM-DD". */
  anchor: string;
  /** Show the weekend too. */
  allDays: boolean;
  days: CalendarDays | null;
  loading: boolean;
  /** The day plan: what was asked and what came back. */
  plan: { request: PlanRequest; data: DayPlanning | null; chosen: Set<string>; loading: boolean; nearby: Nearby[] | null };
  /** The mileage log: the month shown ("YYYY-MM") and its entries. */
  mileage: { month: string; trips: Trip[] | null; loading: boolean };
}

/** What the calendar's views ask of their area. */
export interface CalendarActions {
  readonly state: CalendarState;
  setMode(mode: CalendarMode): void;
  /** Goes `step` weeks (days in the day view) on; 0: today. */
  go(step: number): void;
  openDay(day: string): void;
  toggleAllDays(): void;
  openAppointment(item: AppointmentItem | null, preset?: AppointmentPreset): void;
  moveAppointment(item: AppointmentItem, start: Date): Promise<void>;
  checkIn(item: AppointmentItem): Promise<void>;
  report(item: AppointmentItem): void;
  exportCalendar(): Promise<void>;
  importCalendar(): Promise<void>;
  plan(request: PlanRequest, chosen: string[] | null): Promise<void>;
  /** Customers within `km` of an address. */
  nearbyAddress(address: string, km: number): Promise<void>;
  savePlan(): Promise<void>;
  openMap(url: string): void;
  setMonth(month: string): void;
  addTrip(base: TripInput | null, corrects: Trip | null): void;
  exportMileage(html: boolean): Promise<void>;
}

