// The UI's language and the locale its dates are written in: module state
// set by the app from Settings.language, else the language the backend read
// from the OS locale.
import type { Language } from "../bindings/Language";

export type Lang = Language;

let active: Lang = "en";

/** Picks the UI language: the user's choice, else the one the backend read from the OS locale. */
export function resolveLanguage(choice: Lang | null, osLanguage: Lang | null | undefined): Lang {
  return choice ?? osLanguage ?? "en";
}

/** The locale dates and times are written in (see `dateLocale`). */
let dates = "en";

/**
 * The locale for dates and times: the OS locale when it speaks the UI language
 * (en-GB writes 10/03/2026, de-AT "10. März 2026"), else the bare UI language, so
 * an English UI on a German system does not mix German month names into English text.
 */
export function dateLocale(lang: Lang, osLocale: string | null | undefined): string {
  try {
    const [tag] = Intl.getCanonicalLocales(osLocale?.replace(/_/g, "-").replace(/[.@].*$/, "") || []);
    if (tag && new Intl.Locale(tag).language === lang) return tag;
  } catch {
    // Not a BCP 47 tag ("C", "POSIX"): the language alone.
  }
  return lang;
}

/** Sets the UI language; `osLocale` refines how dates are written (`dateLocale`). */
export function setLanguage(lang: Lang, osLocale?: string | null): void {
  active = lang;
  dates = dateLocale(lang, osLocale);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export function language(): Lang {
  return active;
}

/** The locale for `Intl.DateTimeFormat`; numbers keep the language (typed numbers are parsed by it). */
export function dateFormatLocale(): string {
  return dates;
}
