import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, start, stop, type, until } from "./helpers";
import { DEFAULT_SETTINGS } from "../src/generated/core";

afterEach(stop);

const val = (id: string) => ($(id) as HTMLInputElement).value;

describe("qualification settings", () => {
  it("shows the current values with their defaults and saves the whole Settings object", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "en";
      b.settings.scoring.fit_points.budget = 12;
    });
    const loaded = await backend.call("get_settings");
    $("open-settings").click();
    const section = $("settings-scoring");
    expect(section.textContent).toContain("Qualification");
    expect(val("setting-fit-budget")).toBe("12");
    expect(val("setting-fit-target_group")).toBe("15");
    expect(val("setting-points-webinar_attended")).toBe("15");
    expect(val("setting-points-note")).toBe("0");
    expect(val("setting-half-life")).toBe("30");
    expect(val("setting-prospect-threshold")).toBe("40");
    expect(val("setting-opportunity-threshold")).toBe("70");
    expect(($("setting-auto-advance") as HTMLInputElement).checked).toBe(false);
    expect(section.textContent).toContain("default 10");
    expect(section.textContent).toContain("by rule");

    type($("setting-industries"), "Maschinenbau, Logistik ,");
    type($("setting-size-min"), "20");
    type($("setting-size-max"), "500");
    type($("setting-regions"), "7, 8, Bayern");
    type($("setting-points-visit"), "20");
    type($("setting-half-life"), "45");
    ($("setting-auto-advance") as HTMLInputElement).click();
    $("settings-save").click();
    await until(() => maybe("settings-dialog") === null);
    const sent = backend.calls.find((c) => c.cmd === "set_settings")!.args.settings;
    // what the backend had, with the form's changes (it hands out the shipped rules in the chosen language)
    const expected = structuredClone(loaded);
    expect(expected.language).toBe("en");
    expect(expected.scoring.fit_points.budget).toBe(12);
    expected.scoring.engagement_points.visit = 20;
    expected.scoring.half_life_days = 45;
    expected.scoring.auto_advance = true;
    expected.target_profile = { industries: ["Maschinenbau", "Logistik"], size_min: 20, size_max: 500, regions: ["7", "8", "Bayern"] };
    expect(sent).toEqual(expected);
    expect(await backend.call("get_settings")).toEqual(expected);
    // the save is confirmed
    await until(() => maybe("toast"));
    expect($("toast").textContent).toBe("Settings saved.");
  });

  it("refuses a prospect threshold above the opportunity threshold, in words, and the core refuses it too", async () => {
    const { backend } = await start((b) => { b.settings.language = "de"; });
    $("open-settings").click();
    type($("setting-prospect-threshold"), "80");
    type($("setting-opportunity-threshold"), "60");
    $("settings-save").click();
    expect(backend.calls.some((c) => c.cmd === "set_settings")).toBe(false);
    expect($("setting-opportunity-threshold").getAttribute("aria-invalid")).toBe("true");
    expect($$("field-error").map((e) => e.textContent)).toEqual([
      "Die Schwelle für Verkaufschancen darf nicht unter der für Interessenten liegen: ein Kontakt wird zuerst Interessent.",
    ]);
    const settings = await backend.call("get_settings");
    settings.scoring.prospect_threshold = 80;
    settings.scoring.opportunity_threshold = 60;
    await expect(backend.call("set_settings", { settings })).rejects.toMatchObject({
      code: "invalid_settings", field: "opportunity_threshold",
    });
  });

  for (const [lang, range, half] of [
    ["en", "Please enter a whole number from 0 to 50.", "Please enter a whole number from 1 to 365."],
    ["de", "Bitte eine ganze Zahl von 0 bis 50 eingeben.", "Bitte eine ganze Zahl von 1 bis 365 eingeben."],
  ] as const) {
    it(`validates ranges with translated messages and does not save (${lang})`, async () => {
      const { backend } = await start((b) => { b.settings.language = lang; });
      $("open-settings").click();
      type($("setting-fit-need"), "60");
      type($("setting-points-call"), "abc");
      type($("setting-half-life"), "0");
      type($("setting-opportunity-threshold"), "101");
      type($("setting-size-min"), "-3");
      $("settings-save").click();
      expect(backend.calls.some((c) => c.cmd === "set_settings")).toBe(false);
      expect($("setting-fit-need").getAttribute("aria-invalid")).toBe("true");
      expect($("setting-points-call").getAttribute("aria-invalid")).toBe("true");
      expect($("setting-half-life").getAttribute("aria-invalid")).toBe("true");
      expect($("setting-opportunity-threshold").getAttribute("aria-invalid")).toBe("true");
      expect($("setting-size-min").getAttribute("aria-invalid")).toBe("true");
      expect($("setting-fit-budget").getAttribute("aria-invalid")).toBeNull();
      const texts = $$("field-error").map((e) => e.textContent);
      expect(texts).toContain(range);
      expect(texts).toContain(half);
      expect(document.activeElement).toBe($("setting-size-min")); // the first problem in the form
      // entries survive a re-render
      expect(val("setting-points-call")).toBe("abc");
    });
  }

  it("resets the form to the defaults", async () => {
    const { backend } = await start((b) => {
      b.settings.scoring.prospect_threshold = 55;
      b.settings.scoring.auto_advance = true;
      b.settings.target_profile.industries = ["Energie"];
    });
    $("open-settings").click();
    expect(val("setting-prospect-threshold")).toBe("55");
    type($("setting-fit-need"), "60");
    $("settings-save").click();
    expect($$("field-error")).toHaveLength(1);
    $("settings-reset").click();
    expect($$("field-error")).toHaveLength(0);
    expect(val("setting-prospect-threshold")).toBe("40");
    expect(val("setting-fit-need")).toBe("10");
    expect(val("setting-industries")).toBe("");
    expect(($("setting-auto-advance") as HTMLInputElement).checked).toBe(false);
    $("settings-save").click();
    await until(() => backend.calls.some((c) => c.cmd === "set_settings"));
    const saved = await backend.call("get_settings");
    expect(saved.scoring).toEqual(DEFAULT_SETTINGS.scoring);
    expect(saved.target_profile).toEqual(DEFAULT_SETTINGS.target_profile);
  });

  it("shows the backend's invalid_settings at its field", async () => {
    await start((b) => { b.settings.language = "de"; }, (b) => async (cmd, args) => {
      if (cmd === "set_settings") {
        throw { code: "invalid_settings", message: "bad", field: "scoring.prospect_threshold", from: null, to: null };
      }
      return b.handle(cmd, args);
    });
    $("open-settings").click();
    $("settings-save").click();
    await until(() => maybe("error-message"));
    expect($("error-message").textContent).toBe("Ungültige Einstellung: Schwelle Interessent.");
    expect($("setting-prospect-threshold").getAttribute("aria-invalid")).toBe("true");
    expect(maybe("settings-dialog")).not.toBeNull();
  });

  it("keeps unsaved entries across a language switch", async () => {
    await start((b) => { b.settings.language = "en"; });
    $("open-settings").click();
    type($("setting-points-email"), "7");
    const sel = $("language-select") as HTMLSelectElement;
    sel.value = "de";
    sel.dispatchEvent(new Event("change", { bubbles: true }));
    expect($("settings-scoring").textContent).toContain("Qualifizierung");
    expect(val("setting-points-email")).toBe("7");
  });
});
