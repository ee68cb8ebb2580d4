// The report periods the reports view offers, as local dates.
import type { Period } from "./bindings/Period";
import { addDays, localDay } from "./tasks";

export type PeriodPreset = "month" | "30" | "quarter" | "year" | "all";
export const PERIOD_PRESETS: readonly PeriodPreset[] = ["month", "30", "quarter", "year", "all"];

/** The preset's period ending today (local days). */
export function presetPeriod(p: PeriodPreset, now: Date): Period {
  const y = now.getFullYear();
  const m = now.getMonth();
  const today = localDay(now);
  switch (p) {
    case "month":
      return { from: localDay(new Date(y, m, 1)), to: today };
    case "30":
      return { from: localDay(addDays(now, -29)), to: today };
    case "quarter":
      return { from: localDay(new Date(y, m - (m % 3), 1)), to: today };
    case "year":
      return { from: localDay(new Date(y, 0, 1)), to: today };
    default:
      return { from: null, to: null };
  }
}
