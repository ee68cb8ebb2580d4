// The settings form's draft: what the rep typed, per field (so a language
// switch or a re-render keeps half-typed entries), and the way back to a
// Settings object; the field a core error names and a problem's text.
import type { Settings } from "../../bindings/Settings";
import { t } from "../../i18n";
import { commaList } from "../../inputText";
import { ACTIVITY_KINDS, CRITERIA, type SettingsProblem } from "../../settings";

/** The form's text per test id ("setting-fit-budget" → "10"), plus the auto-advance checkbox. */
export interface Draft {
  text: Record<string, string>;
  autoAdvance: boolean;
  notifications: boolean;
  autostart: boolean;
  /** Ask the update server at each start. */
  checkUpdates: boolean;
  phoneRegion: string;
  /** ISO weekdays the rep works (1 Monday … 7 Sunday). */
  workingDays: number[];
}

export function draftFrom(s: Settings): Draft {
  const text: Record<string, string> = {};
  for (const c of CRITERIA) text[`setting-fit-${c}`] = String(s.scoring.fit_points[c]);
  for (const k of ACTIVITY_KINDS) text[`setting-points-${k}`] = String(s.scoring.engagement_points[k]);
  text["setting-half-life"] = String(s.scoring.half_life_days);
  text["setting-prospect-threshold"] = String(s.scoring.prospect_threshold);
  text["setting-opportunity-threshold"] = String(s.scoring.opportunity_threshold);
  text["setting-industries"] = s.target_profile.industries.join(", ");
  text["setting-size-min"] = s.target_profile.size_min === null ? "" : String(s.target_profile.size_min);
  text["setting-size-max"] = s.target_profile.size_max === null ? "" : String(s.target_profile.size_max);
  text["setting-regions"] = s.target_profile.regions.join(", ");
  return {
    text, autoAdvance: s.scoring.auto_advance, notifications: s.notifications, autostart: s.autostart, checkUpdates: s.check_updates, phoneRegion: s.phone_region,
    workingDays: [...s.working_days],
  };
}

/** Number from a field; "" and junk become NaN so the range check catches them. */
const num = (v: string) => (v.trim() === "" ? NaN : Number(v.trim().replace(",", ".")));
const optNum = (v: string) => (v.trim() === "" ? null : num(v));

export function settingsFrom(base: Settings, d: Draft): Settings {
  const x = d.text;
  const fit = Object.fromEntries(CRITERIA.map((c) => [c, num(x[`setting-fit-${c}`])]));
  const points = Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, num(x[`setting-points-${k}`])]));
  return {
    ...base, // what this dialog does not edit (pipeline, rules, templates, company) goes back unchanged
    language: base.language,
    scoring: {
      fit_points: fit as Settings["scoring"]["fit_points"],
      engagement_points: points as Settings["scoring"]["engagement_points"],
      half_life_days: num(x["setting-half-life"]),
      prospect_threshold: num(x["setting-prospect-threshold"]),
      opportunity_threshold: num(x["setting-opportunity-threshold"]),
      auto_advance: d.autoAdvance,
    },
    target_profile: {
      industries: commaList(x["setting-industries"]),
      size_min: optNum(x["setting-size-min"]),
      size_max: optNum(x["setting-size-max"]),
      regions: commaList(x["setting-regions"]),
    },
    notifications: d.notifications,
    autostart: d.autostart,
    check_updates: d.checkUpdates,
    phone_region: d.phoneRegion,
    working_days: [...d.workingDays].sort((a, b) => a - b),
  };
}

/** The form control for a settings path ("scoring.fit_points.budget", or just "budget"). */
export function testidFor(field: string): string {
  const last = field.split(".").pop() ?? field;
  if ((CRITERIA as readonly string[]).includes(last)) return `setting-fit-${last}`;
  if ((ACTIVITY_KINDS as readonly string[]).includes(last)) return `setting-points-${last}`;
  const map: Record<string, string> = {
    half_life_days: "setting-half-life", prospect_threshold: "setting-prospect-threshold",
    opportunity_threshold: "setting-opportunity-threshold", industries: "setting-industries",
    size_min: "setting-size-min", size_max: "setting-size-max", regions: "setting-regions", auto_advance: "setting-auto-advance",
  };
  return map[last] ?? "";
}

export function problemText(p: SettingsProblem): string {
  if (p.kind === "range") return t("invalid.range", { min: p.min ?? 0, max: p.max ?? 0 });
  if (p.kind === "thresholds") return t("invalid.thresholds");
  return t(p.kind === "integer" ? "invalid.integer" : "invalid.order");
}
