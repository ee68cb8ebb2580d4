import { afterEach, describe, expect, it } from "vitest";
import { $, chipCount, maybe, select, start, stop, until } from "./helpers";
import { dateFormatLocale } from "../src/i18n";

afterEach(stop);

describe("settings and language", () => {
  it("keeps the working days the rep ticks (Monday to Friday at first), named in the UI language", async () => {
    const { backend } = await start((b) => { b.settings.language = "de"; });
    $("open-settings").click();
    const days = $("setting-working-days");
    expect(days.textContent).toContain("Arbeitstage");
    expect(days.textContent).toContain("Mo");
    const ticked = () => [1, 2, 3, 4, 5, 6, 7].filter((n) => ($(`setting-workday-${n}`) as HTMLInputElement).checked);
    expect(ticked()).toEqual([1, 2, 3, 4, 5]);
    $("setting-workday-6").click();
    $("setting-workday-1").click();
    $("settings-save").click();
    await until(() => maybe("settings-dialog") === null);
    expect((await backend.call("get_settings")).working_days).toEqual([2, 3, 4, 5, 6]);
  });

  it("has a section navigation that takes the rep to each section", async () => {
    await start((b) => { b.settings.language = "de"; });
    $("open-settings").click();
    const nav = document.querySelectorAll<HTMLElement>('[data-testid^="settings-nav-"]');
    expect(Array.from(nav).map((b) => b.textContent)).toEqual([
      "Erinnerungen", "Updates", "Team", "Daten", "Qualifizierung", "Pipeline-Phasen", "Automatisierung", "E-Mail-Vorlagen", "Firma (Kopf der Angebote)",
      "Außendienst und Kalender",
    ]);
    $("settings-nav-company").click();
    expect($("settings-company").contains(document.activeElement)).toBe(true);
    $("settings-nav-field").click();
    expect($("settings-field").contains(document.activeElement)).toBe(true);
  });

  it("asks the update server only when told to, and says so in the rep's language when it cannot", async () => {
    const { backend } = await start((b) => { b.settings.language = "de"; });
    expect((await backend.call("get_settings")).check_updates).toBe(false);
    $("open-settings").click();
    $("settings-nav-updates").click();
    const atStart = $("setting-check-updates") as HTMLInputElement;
    expect(atStart.checked).toBe(false);
    expect($("settings-updates").textContent).toContain("Beim Start nach Updates suchen");
    // The test backend has no updater (as a build without the plugin): the
    // check fails, translated, and nothing else changes.
    $("update-check").click();
    await until(() => ($("settings-updates").querySelector('[data-slot="updates"]')?.textContent ?? "") !== "");
    expect($("settings-updates").textContent).toContain("Das Update konnte nicht geprüft oder installiert werden (offline");
    expect(maybe("update-install")).toBeNull();
    $("setting-check-updates").click();
    $("settings-save").click();
    await until(() => maybe("settings-dialog") === null);
    expect((await backend.call("get_settings")).check_updates).toBe(true);
  });

  it("follows the OS locale's language from app_info", async () => {
    await start((b) => { b.info.locale = "de-DE"; b.info.os_language = "de"; });
    expect(document.documentElement.lang).toBe("de");
    expect($("empty-state").textContent).toContain("Noch keine Kontakte");
    expect($("load-demo").textContent).toBe("Demodaten laden");
  });

  it("switches language at once, re-renders everything and persists", async () => {
    const { backend } = await start((b) => {
      b.info.locale = "en-US";
      b.info.os_language = "en";
      b.info.data_dir = "/home/rep/.local/share/kontor";
      b.add({ first_name: "Anna", last_name: "Becker", stage: "opportunity" });
    });
    expect($("stage-chip-all").textContent).toContain("All");
    const loaded = await backend.call("get_settings");
    $("open-settings").click();
    expect($("data-dir").textContent).toBe("/home/rep/.local/share/kontor");
    expect($("settings-dialog").textContent).toContain("0.2.0");
    expect(($("language-select") as HTMLSelectElement).value).toBe("auto");
    select($("language-select"), "de");
    expect(document.documentElement.lang).toBe("de");
    expect($("stage-chip-all").textContent).toContain("Alle");
    expect($("stage-chip-opportunity").textContent).toContain("Verkaufschance (SQL)");
    expect($("contact-row").querySelector(".badge")!.textContent).toBe("Verkaufschance (SQL)");
    expect($("new-contact").textContent).toBe("Neuer Kontakt");
    expect($("settings-dialog").textContent).toContain("Sprache");
    expect(chipCount("all")).toBe("1");
    await until(() => backend.calls.some((c) => c.cmd === "set_settings"));
    expect((await backend.call("get_settings")).language).toBe("de");
    // the whole Settings object goes back, scoring and target profile untouched
    expect(backend.calls.find((c) => c.cmd === "set_settings")!.args).toEqual({ settings: { ...loaded, language: "de" } });
    select($("language-select"), "auto");
    expect(document.documentElement.lang).toBe("en");
    await until(() => backend.calls.filter((c) => c.cmd === "set_settings").length === 2);
    expect((await backend.call("get_settings")).language).toBeNull();
    $("settings-close").click();
    expect(maybe("settings-dialog")).toBeNull();
  });

  it("writes dates in the OS locale while it speaks the UI language", async () => {
    await start((b) => { b.info.locale = "en-GB"; });
    expect(dateFormatLocale()).toBe("en-GB");
    $("open-settings").click();
    select($("language-select"), "de");
    expect(dateFormatLocale()).toBe("de");
    select($("language-select"), "auto");
    expect(dateFormatLocale()).toBe("en-GB");
  });

  it("uses the stored language over the OS locale", async () => {
    await start((b) => {
      b.info.locale = "de-DE";
      b.info.os_language = "de";
      b.settings.language = "en";
    });
    expect(document.documentElement.lang).toBe("en");
    expect($("empty-state").textContent).toContain("No contacts yet");
  });
});
