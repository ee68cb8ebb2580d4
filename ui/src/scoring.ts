// Qualification vocabulary shared by the views and the dev fake backend: the
// activity kinds and criteria in display order, default settings (the backend
// ships the same), and the client-side checks of the scoring settings.
import type { ActivityKind } from "./bindings/ActivityKind";
import type { Answer } from "./bindings/Answer";
import type { Criteria } from "./bindings/Criteria";
import type { ScoringSettings } from "./bindings/ScoringSettings";
import type { Settings } from "./bindings/Settings";
import type { TargetProfile } from "./bindings/TargetProfile";

export type Criterion = keyof Criteria;

export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  "call", "meeting", "visit", "email", "note", "newsletter_signup", "whitepaper_download",
  "webinar_attended", "website_visit", "email_opened", "email_replied", "form_submitted",
];
export const CRITERIA: readonly Criterion[] = ["target_group", "budget", "authority", "need", "timeline"];
export const ANSWERS: readonly Answer[] = ["yes", "no", "unknown"];

/** A glyph per activity kind (decorative; the label is always shown next to it). */
export const KIND_ICONS: Record<ActivityKind, string> = {
  call: "☎", meeting: "◷", visit: "⌂", email: "✉", note: "✎", newsletter_signup: "✚",
  whitepaper_download: "⤓", webinar_attended: "▶", website_visit: "◎", email_opened: "✉",
  email_replied: "↩", form_submitted: "✓",
};

export function defaultScoring(): ScoringSettings {
  return {
    fit_points: { target_group: 15, budget: 10, authority: 10, need: 10, timeline: 5 },
    engagement_points: {
      call: 8, meeting: 12, visit: 15, email: 4, note: 0, newsletter_signup: 5, whitepaper_download: 10,
      webinar_attended: 15, website_visit: 2, email_opened: 2, email_replied: 8, form_submitted: 10,
    },
    half_life_days: 30,
    prospect_threshold: 40,
    opportunity_threshold: 70,
    auto_advance: false,
  };
}

export function defaultTargetProfile(): TargetProfile {
  return { industries: [], size_min: null, size_max: null, regions: [] };
}

export function defaultSettings(): Settings {
  return {
    language: null, scoring: defaultScoring(), target_profile: defaultTargetProfile(), notifications: true, autostart: false, phone_region: "DE",
    // The backend owns the pipeline, rules, templates and company; these are
    // only the fallback when settings could not be loaded at all.
    deal_stages: [], automation: [], email_templates: [],
    company: { name: "", address: "", email: "", phone: "", vat_id: "", footer: "" },
  };
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
    phone_region: s.phone_region || d.phone_region,
    deal_stages: s.deal_stages ?? d.deal_stages,
    automation: s.automation ?? d.automation,
    email_templates: s.email_templates ?? d.email_templates,
    company: { ...d.company, ...(s.company ?? {}) },
  };
}

/** A settings field that failed a check; `field` is the contract's path ("scoring.fit_points.budget"). */
export interface SettingsProblem {
  field: string;
  kind: "range" | "integer" | "order";
  min?: number;
  max?: number;
}

/** Checks points (0–50), half-life (1–365), thresholds (0–100), all whole numbers, and the size range. */
export function validateSettings(s: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const range = (field: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) problems.push({ field, kind: "range", min, max });
  };
  for (const c of CRITERIA) range(`scoring.fit_points.${c}`, s.scoring.fit_points[c], 0, 50);
  for (const k of ACTIVITY_KINDS) range(`scoring.engagement_points.${k}`, s.scoring.engagement_points[k], 0, 50);
  range("scoring.half_life_days", s.scoring.half_life_days, 1, 365);
  range("scoring.prospect_threshold", s.scoring.prospect_threshold, 0, 100);
  range("scoring.opportunity_threshold", s.scoring.opportunity_threshold, 0, 100);
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

/** "2025-03-14T10:30" (a datetime-local value, local time) → "2025-03-14T09:30:00Z"; "" → null. */
export function localToRfc3339(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A Date → the datetime-local value for it in local time ("2025-03-14T10:30"). */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
