import { afterEach, describe, expect, it } from "vitest";
import type { ScoreLine } from "../src/bindings/ScoreLine";
import { dateLocale, errorText, formatDate, formatDateTime, resolveLanguage, scoreLineText, setLanguage, stageName, t } from "../src/i18n";

afterEach(() => setLanguage("en"));

describe("i18n", () => {
  it("uses the agreed stage vocabulary", () => {
    setLanguage("de");
    expect(["lead", "prospect", "opportunity", "customer", "disqualified"].map((s) => stageName(s as any))).toEqual([
      "Lead", "Interessent (MQL)", "Verkaufschance (SQL)", "Kunde", "Disqualifiziert",
    ]);
    expect(t("field.stage")).toBe("Phase");
    expect(t("field.reason")).toBe("Grund");
    expect(t("contact.history")).toBe("Verlauf");
    expect(t("settings.title")).toBe("Einstellungen");
    expect(t("settings.language")).toBe("Sprache");
    expect(t("field.organization")).toBe("Firma/Organisation");
    setLanguage("en");
    expect(["lead", "prospect", "opportunity", "customer", "disqualified"].map((s) => stageName(s as any))).toEqual([
      "Lead", "Prospect (MQL)", "Opportunity (SQL)", "Customer", "Disqualified",
    ]);
  });

  it("follows the user's choice, else the OS locale", () => {
    // Which language a locale asks for is the core's rule (`Language::from_locale`, tested there).
    expect(resolveLanguage(null, "de")).toBe("de");
    expect(resolveLanguage(null, "en")).toBe("en");
    expect(resolveLanguage(null, null)).toBe("en");
    expect(resolveLanguage("de", "en")).toBe("de");
    expect(resolveLanguage("en", "de")).toBe("en");
  });

  it("explains the caps of fit and engagement in both languages", () => {
    const cap = (part: "fit" | "engagement", points: number): ScoreLine => ({
      points, reason: `${points} ${part} capped at 50`, part, key: `${part}_cap`, answer: null, at: null, age_days: null, count: 0,
    });
    expect(scoreLineText(cap("engagement", -76))).toBe("-76 engagement capped at 50");
    expect(scoreLineText(cap("fit", -25))).toBe("-25 fit capped at 50");
    setLanguage("de");
    expect(scoreLineText(cap("engagement", -76.5))).toBe("-76,5 Engagement auf 50 begrenzt");
    expect(scoreLineText(cap("fit", -25))).toBe("-25 Passung auf 50 begrenzt");
  });

  it("sets <html lang>", () => {
    setLanguage("de");
    expect(document.documentElement.lang).toBe("de");
  });

  it("translates invalid_transition with stage names in both languages", () => {
    const err = { code: "invalid_transition" as const, message: "raw", field: null, from: "lead" as const, to: "customer" as const };
    setLanguage("de");
    expect(errorText(err)).toMatch(/^Von Lead nach Kunde ist kein erlaubter Schritt.*Korrektur mit Grund/);
    setLanguage("en");
    expect(errorText(err)).toMatch(/^Moving from Lead to Customer is not allowed.*correction with a reason/);
  });

  it("names the field for invalid_input and shows the message for internal", () => {
    setLanguage("de");
    expect(errorText({ code: "invalid_input", message: "x", field: "emails[1]", from: null, to: null })).toContain("E-Mail-Adressen");
    expect(errorText({ code: "internal", message: "boom", field: null, from: null, to: null })).toContain("boom");
  });

  it("formats dates in the active language", () => {
    setLanguage("de");
    expect(formatDate("2025-03-14T09:30:00Z")).toMatch(/14\.\s?03\.\s?2025|14\. März 2025|14\.03\.2025/);
    setLanguage("en");
    expect(formatDate("2025-03-14T09:30:00Z")).toMatch(/Mar 14, 2025/);
  });

  it("writes dates as the OS locale does when it speaks the UI language", () => {
    setLanguage("en", "en-GB");
    expect(formatDate("2025-03-14T09:30:00Z")).toBe("14 Mar 2025");
    expect(formatDateTime("2025-03-14T14:30:00Z")).toMatch(/^14 Mar 2025,? 15:30$/);
    setLanguage("de", "de-AT");
    expect(formatDate("2025-03-14T09:30:00Z")).toBe("14.03.2025");
    expect(dateLocale("de", "de-AT")).toBe("de-AT");
    // an English UI on a German system: English dates, not German ones
    setLanguage("en", "de-DE");
    expect(formatDate("2025-03-14T09:30:00Z")).toBe("Mar 14, 2025");
    expect(dateLocale("en", "de-DE")).toBe("en");
    // POSIX spellings and non-tags
    expect(dateLocale("en", "en_GB.UTF-8")).toBe("en-GB");
    expect(dateLocale("en", "C")).toBe("en");
    expect(dateLocale("de", "")).toBe("de");
    expect(dateLocale("de", null)).toBe("de");
  });
});
