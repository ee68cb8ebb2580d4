// The settings form's side of the rep's settings: the defaults and the
// ranges the backend accepts (both generated from the core), what an older
// or failed load left out, and the checks a form runs before it saves.
import type { Criteria } from "./bindings/Criteria";
import type { ScoringSettings } from "./bindings/ScoringSettings";
import type { Settings } from "./bindings/Settings";
import { ACTIVITY_KINDS, CRITERIA, DEFAULT_SETTINGS, LIMITS } from "./generated/core";

export type Criterion = keyof Criteria;

export { ACTIVITY_KINDS, ANSWERS, CRITERIA } from "./generated/core";

/** The settings a new store starts with (the core's, generated). */
export function defaultSettings(): Settings {
  return structuredClone(DEFAULT_SETTINGS);
}

/** Fills what an older backend (or a failed load) left out with the defaults. */
export function withDefaults(raw: Partial<Settings> | null | undefined): Settings {
  const d = defaultSettings();
  const s = (raw ?? {}) as Partial<Settings>;
  const sc = (s.scoring ?? {}) as Partial<ScoringSettings>;
  return {
    language: s.language ?? null,
    scoring: {
      ...d.scoring,
      ...sc,
      fit_points: { ...d.scoring.fit_points, ...(sc.fit_points ?? {}) },
      engagement_points: { ...d.scoring.engagement_points, ...(sc.engagement_points ?? {}) },
    },
    target_profile: { ...d.target_profile, ...(s.target_profile ?? {}) },
    notifications: s.notifications ?? d.notifications,
    autostart: s.autostart ?? d.autostart,
    check_updates: s.check_updates ?? d.check_updates,
    phone_region: s.phone_region || d.phone_region,
    deal_stages: s.deal_stages ?? d.deal_stages,
    automation: s.automation ?? d.automation,
    email_templates: s.email_templates ?? d.email_templates,
    company: { ...d.company, ...(s.company ?? {}) },
    working_days: s.working_days?.length ? s.working_days : d.working_days,
    saved_views: s.saved_views ?? d.saved_views,
    field: { ...d.field, ...(s.field ?? {}) },
  };
}

/** A settings field that failed a check; `field` is the contract's path ("scoring.fit_points.budget"). */
export interface SettingsProblem {
  field: string;
  kind: "range" | "integer" | "order" | "thresholds";
  min?: number;
  max?: number;
}

/** Checks points, half-life and thresholds against the core's ranges (whole numbers), and the size range. */
export function validateSettings(s: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const range = (field: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) problems.push({ field, kind: "range", min, max });
  };
  const { points, half_life_days: days, threshold } = LIMITS;
  for (const c of CRITERIA) range(`scoring.fit_points.${c}`, s.scoring.fit_points[c], points.min, points.max);
  for (const k of ACTIVITY_KINDS) range(`scoring.engagement_points.${k}`, s.scoring.engagement_points[k], points.min, points.max);
  range("scoring.half_life_days", s.scoring.half_life_days, days.min, days.max);
  range("scoring.prospect_threshold", s.scoring.prospect_threshold, threshold.min, threshold.max);
  range("scoring.opportunity_threshold", s.scoring.opportunity_threshold, threshold.min, threshold.max);
  if (!problems.length && s.scoring.prospect_threshold > s.scoring.opportunity_threshold) {
    problems.push({ field: "scoring.opportunity_threshold", kind: "thresholds" });
  }
  const size = (field: string, v: number | null) => {
    if (v !== null && (!Number.isInteger(v) || v < 0)) problems.push({ field, kind: "integer" });
  };
  size("target_profile.size_min", s.target_profile.size_min);
  size("target_profile.size_max", s.target_profile.size_max);
  const { size_min, size_max } = s.target_profile;
  if (size_min !== null && size_max !== null && size_min > size_max && !problems.some((p) => p.field.startsWith("target_profile.size"))) {
    problems.push({ field: "target_profile.size_max", kind: "order" });
  }
  return problems;
}

