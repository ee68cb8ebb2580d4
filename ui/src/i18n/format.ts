// Locale-aware formatting with Intl: dates and times, relative days,
// numbers, percentages and money, in the active language.
import type { Money } from "../bindings/Money";
import { clock, dayDiff } from "../tasks";
import { dateFormatLocale, language } from "./state";

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Intl formatters cost much to make (each row of the list formats a date): one per locale and options. */
const formatters = new Map<string, unknown>();

function made<T>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (f === undefined) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return made(`date ${locale} ${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return made(`number ${locale} ${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  return made(`relative ${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
}

export function pluralRules(locale: string): Intl.PluralRules {
  return made(`plural ${locale}`, () => new Intl.PluralRules(locale));
}

/** "a, b and c" in the UI language. */
export function formatList(items: readonly string[]): string {
  return made(`list ${language()}`, () => new Intl.ListFormat(language(), { type: "conjunction" })).format(items);
}

export function formatDate(iso: string): string {
  const d = parse(iso);
  return d ? dateFormat(dateFormatLocale(), { dateStyle: "medium" }).format(d) : iso;
}

export function formatDateTime(iso: string): string {
  const d = parse(iso);
  return d ? dateFormat(dateFormatLocale(), { dateStyle: "medium", timeStyle: "short" }).format(d) : iso;
}

/** Points with one decimal at most and always a sign: "+15", "+7,5". */
export function formatPoints(points: number): string {
  return numberFormat(language(), { maximumFractionDigits: 1, signDisplay: "always" }).format(points);
}

/** Whole days ago → "today", "yesterday", "3 days ago" (Intl.RelativeTimeFormat). */
export function relativeDays(days: number | bigint): string {
  const n = Math.max(0, Math.floor(Number(days)));
  return relativeFormat(language()).format(n === 0 ? 0 : -n, "day");
}

export function formatTime(d: Date): string {
  return dateFormat(dateFormatLocale(), { timeStyle: "short" }).format(d);
}

/** "today", "tomorrow", "yesterday" (Intl), else "Mon, Mar 16" (with the year when not this year). */
export function dayWord(d: Date, now: Date = clock.now()): string {
  const diff = dayDiff(now, d);
  if (Math.abs(diff) <= 1) return relativeFormat(language()).format(diff, "day");
  const opts: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
  if (d.getFullYear() !== now.getFullYear()) opts.year = "numeric";
  return dateFormat(dateFormatLocale(), opts).format(d);
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

/**
 * Money for chart labels ("12.400 €", or with `compact` "1,2 Mio. €"). One
 * chart picks one notation for all its labels, so "CHF 31.402" never stands
 * beside "CHF 226K".
 */
export function formatMoneyShort(amount: number, currency: string, compact = amount >= 100_000): string {
  try {
    return numberFormat(language(), { style: "currency", currency, notation: compact ? "compact" : "standard", minimumFractionDigits: 0, maximumFractionDigits: compact ? 1 : 0 }).format(amount);
  } catch {
    return `${formatNumber(amount, 0)} ${currency}`;
  }
}

/** Several currencies' amounts for a chart label, the chart's currency first: "1,4 Mio. € + 226,0K CHF". */
export function formatMoneyShortList(list: readonly Money[], first: string, compact: boolean): string {
  const ordered = [...list.filter((m) => m.currency === first), ...list.filter((m) => m.currency !== first)];
  return ordered.length ? ordered.map((m) => formatMoneyShort(m.amount, m.currency, compact)).join(" + ") : formatMoneyShort(0, first, compact);
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
