// Deal helpers shared by the board, the deal dialog, the contact page and the
// reports: stage names in the UI language, money/percent/number formatting
// with Intl, line-item arithmetic (as the core's: rounded to cents), and the
// report period presets as local dates.
import type { DealStageSetting } from "./bindings/DealStageSetting";
import type { LineItem } from "./bindings/LineItem";
import type { Money } from "./bindings/Money";
import type { Period } from "./bindings/Period";
import { dateFormat, dateFormatLocale, language, numberFormat } from "./i18n";
import { addDays, localDay } from "./tasks";

/** A deal stage's name in the UI language (the key when the stage is unknown). */
export function dealStageName(stages: readonly DealStageSetting[], key: string): string {
  const s = stages.find((x) => x.key === key);
  if (!s) return key;
  return language() === "de" ? s.name_de : s.name_en;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

/** quantity × unit price − discount, rounded to cents. */
export function lineTotal(i: LineItem): number {
  return round2(i.quantity * i.unit_price * (1 - i.discount_percent / 100));
}

export function itemsTotal(items: readonly LineItem[]): number {
  return round2(items.reduce((s, i) => s + lineTotal(i), 0));
}

/** "12.345,00 €" / "€12,345.00"; an unknown code falls back to "12.345,00 XYZ". */
export function formatMoney(amount: number, currency: string): string {
  try {
    return numberFormat(language(), { style: "currency", currency }).format(amount);
  } catch {
    return `${formatNumber(amount, 2)} ${currency}`;
  }
}

/** Totals per currency, one after the other ("12.000,00 € · 3.000,00 CHF"); a zero in EUR when empty. */
export function formatMoneyList(list: readonly Money[]): string {
  if (!list.length) return formatMoney(0, "EUR");
  return list.map((m) => formatMoney(m.amount, m.currency)).join(" · ");
}

/** Compact money for chart labels ("12.400 €", "1,2 Mio. €"). */
export function formatMoneyShort(amount: number, currency: string): string {
  try {
    return numberFormat(language(), { style: "currency", currency, notation: amount >= 100_000 ? "compact" : "standard", maximumFractionDigits: amount >= 100_000 ? 1 : 0 }).format(amount);
  } catch {
    return `${formatNumber(amount, 0)} ${currency}`;
  }
}

export function formatNumber(n: number, digits = 0): string {
  return numberFormat(language(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A share 0–1 as "42 %" / "42%". */
export function formatPercent(rate: number, digits = 0): string {
  return numberFormat(language(), { style: "percent", maximumFractionDigits: digits }).format(rate);
}

/** A local date "YYYY-MM-DD" shown as "14.03.2025" / "Mar 14, 2025". */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dateFormat(dateFormatLocale(), { dateStyle: "medium" }).format(d);
}

/** A number typed in either locale ("1.234,5", "1234.5", "12,5"); NaN when it is not one. */
export function parseNumber(text: string): number {
  let v = text.trim().replace(/\s|\u00a0/g, "");
  if (!v) return NaN;
  if (v.includes(",") && v.includes(".")) {
    v = v.lastIndexOf(",") > v.lastIndexOf(".") ? v.replace(/\./g, "").replace(",", ".") : v.replace(/,/g, "");
  } else if (/^-?\d{1,3}([.,]\d{3})+$/.test(v) && (v.includes(".") ? language() === "de" : language() === "en")) {
    v = v.replace(/[.,]/g, ""); // "1.200" in German, "1,200" in English: thousands
  } else if (v.includes(",")) {
    v = v.replace(",", ".");
  }
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
}

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
