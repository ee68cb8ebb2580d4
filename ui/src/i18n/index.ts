// The one translation table of the UI (German and English, with the
// backend's texts generated from the core) and the texts built from it.
// Every user-visible string goes through `t`.
import type { ActivityKind } from "../bindings/ActivityKind";
import type { Answer } from "../bindings/Answer";
import type { ChangedBy } from "../bindings/ChangedBy";
import type { DealStageSetting } from "../bindings/DealStageSetting";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ScoreLine } from "../bindings/ScoreLine";
import type { Stage } from "../bindings/Stage";
import type { Task } from "../bindings/Task";
import { BACKEND_DE, BACKEND_EN } from "../generated/texts";
import { addDays, ALL_DAY_REMINDER_HOUR, clock, dayDiff, dueAt, isOverdue, parseRepeat } from "../tasks";
import { de } from "./de";
import { en, type MessageKey as UiKey } from "./en";
import { dayWord, formatPoints, formatTime, numberFormat, pluralRules, relativeDays } from "./format";
import { language, type Lang } from "./state";

export * from "./format";
export * from "./state";

/** A text's key: the UI's own, or one of the backend's (`backend.…`). */
export type MessageKey = UiKey | keyof typeof BACKEND_EN;

const TABLE: Record<Lang, Record<MessageKey, string>> = {
  de: { ...de, ...BACKEND_DE },
  en: { ...en, ...BACKEND_EN },
};

/** Translates `key` into the active language, filling `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = TABLE[language()][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function stageName(stage: Stage): string {
  return t(`stage.${stage}`);
}

export function changedByName(by: ChangedBy): string {
  return t(`by.${by}`);
}

const FIELD_KEYS: Record<string, MessageKey> = {
  first_name: "field.first_name",
  last_name: "field.last_name",
  display_name: "field.display_name",
  organization: "field.organization",
  title: "field.title",
  emails: "field.emails",
  phones: "field.phones",
  tags: "field.tags",
  source: "field.source",
  notes: "field.notes",
  reason: "field.reason",
  stage: "field.stage",
};

/** "emails[2]" or "emails.2" → "emails": the form field an error belongs to. */
export function baseField(field: string | null): string | null {
  if (!field) return null;
  return field.split(/[.[]/)[0] || null;
}

export function fieldName(field: string | null): string {
  const base = baseField(field);
  if (!base) return "";
  const key = FIELD_KEYS[base];
  return key ? t(key) : base;
}

/** What the UI needs from an error to explain it (AppError satisfies this). */
export interface Explainable {
  code: ErrorCode;
  message: string;
  field: string | null;
  from: Stage | null;
  to: Stage | null;
}

/** The translated, user-facing text for a backend or validation error. */
export function errorText(err: Explainable): string {
  const params = {
    from: err.from ? stageName(err.from) : "?",
    to: err.to ? stageName(err.to) : "?",
    field: err.code === "invalid_settings" || err.code === "company_incomplete" ? settingsFieldName(err.field) : fieldName(err.field),
    message: err.message,
  };
  if (err.code === "invalid_input" && err.field) return t("error.invalid_input_field", params);
  const key = `error.${err.code}` as MessageKey;
  return key in en ? t(key, params) : t("error.internal", params);
}

export function kindName(kind: ActivityKind): string {
  return t(`backend.kind.${kind}`);
}

export function answerName(answer: Answer): string {
  return t(`answer.${answer}`);
}

const CRITERION_NAMES = ["target_group", "budget", "authority", "need", "timeline"];

/** "scoring.fit_points.budget" → "Budget/Mittel"; unknown paths are shown as they are. */
export function settingsFieldName(field: string | null): string {
  if (!field) return "";
  const last = field.split(".").pop() ?? field;
  if (CRITERION_NAMES.includes(last)) return t(`criterion.${last}` as MessageKey);
  if (`backend.kind.${last}` in BACKEND_EN) return t(`backend.kind.${last}` as MessageKey);
  const head = field.split(/[.[]/)[0];
  if (head === "company" && `company.${last}` in en) return t(`company.${last}` as MessageKey);
  if (head === "field") {
    const names: Record<string, MessageKey> = {
      day_start: "field.day_start", day_end: "field.day_end", visit_minutes: "field.visit_minutes",
      revisit_prospect_days: "field.revisit_prospect", revisit_opportunity_days: "field.revisit_opportunity",
      revisit_customer_days: "field.revisit_customer", geocoding_endpoint: "field.geocoding_endpoint",
    };
    if (names[last]) return `${t("settings.field")}: ${t(names[last])}`;
  }
  if (`settings.field.${head}` in en) return t(`settings.field.${head}` as MessageKey);
  const known: Record<string, MessageKey> = {
    half_life_days: "settings.half_life", prospect_threshold: "settings.prospect_threshold",
    opportunity_threshold: "settings.opportunity_threshold", industries: "settings.industries",
    size_min: "settings.size_min", size_max: "settings.size_max", regions: "settings.regions",
  };
  return known[last] ? t(known[last]) : field;
}

/**
 * One score line item in the UI language, built from its structured fields
 * ("+15 Webinar besucht, vor 3 Tagen"); the backend's English `reason` is the
 * fallback for keys this UI does not know.
 */
export function scoreLineText(line: ScoreLine): string {
  const points = formatPoints(line.points);
  if (line.part === "fit" && CRITERION_NAMES.includes(line.key) && line.answer) {
    const params = { points, criterion: t(`line.${line.key}` as MessageKey), answer: answerName(line.answer) };
    return t(line.answer === "unknown" ? "line.fit_unknown" : "line.fit", params);
  }
  if (line.key === "fit_cap" || line.key === "engagement_cap") {
    return t(`line.${line.key}`, { points, max: 50 });
  }
  if (line.part === "engagement" && line.key === "older") {
    return t("line.older", { points, count: line.count });
  }
  if (line.part === "engagement" && `backend.kind.${line.key}` in BACKEND_EN && line.age_days !== null) {
    const name = kindName(line.key as ActivityKind);
    // English reads "+15 webinar attended"; German nouns keep their capital.
    const kind = language() === "en" ? name.charAt(0).toLowerCase() + name.slice(1) : name;
    const params = { points, kind, age: relativeDays(line.age_days), count: line.count };
    return t(line.count > 1 ? "line.activity_many" : "line.activity", params);
  }
  return `${points} ${line.reason}`;
}

// ---- tasks ------------------------------------------------------------------

/** Picks `${base}_one` or `${base}_other` for `n` by the language's plural rules. */
export function plural(base: string, n: number, params: Record<string, string | number> = {}): string {
  const form = pluralRules(language()).select(n) === "one" ? "one" : "other";
  return t(`${base}_${form}` as MessageKey, { ...params, n: numberFormat(language()).format(n) });
}

/** A moment relative to now: "today 3:00 PM", "tomorrow 9:00 AM", "Mon, Mar 16 9:00 AM". */
export function whenText(iso: string, now: Date = clock.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return t("due.day_time", { day: dayWord(d, now), time: formatTime(d) });
}

/** The due of a task: the day for all-day tasks, day and time otherwise ("heute 15:00", "morgen"). */
export function dueText(task: Task, now: Date = clock.now()): string {
  const d = dueAt(task);
  if (Number.isNaN(d.getTime())) return task.due;
  return task.all_day ? dayWord(d, now) : whenText(task.due, now);
}

/** How long an open task is overdue ("overdue by 2 days"), or null when it is not. */
export function overdueText(task: Task, now: Date = clock.now()): string | null {
  if (!isOverdue(task, now)) return null;
  const due = dueAt(task);
  const days = dayDiff(due, now);
  if (task.all_day || days >= 1) return plural("due.overdue_days", Math.max(1, days));
  const minutes = Math.floor((now.getTime() - due.getTime()) / 60_000);
  if (minutes < 1) return t("due.now");
  return minutes < 60 ? plural("due.overdue_minutes", minutes) : plural("due.overdue_hours", Math.floor(minutes / 60));
}

/** "monthly", "every 3 days" / "monatlich", "alle 3 Tage"; null for no recurrence. */
export function repeatText(repeat: string | null): string | null {
  const r = parseRepeat(repeat);
  if (r.kind === "none") return repeat ? repeat : null;
  if (r.kind === "every") return plural("repeat.every", r.days);
  return t(`repeat.${r.kind}`);
}

/** Minutes before due → "at due", "15 min before", "1 hour before", "1 day before". */
export function reminderText(minutes: number): string {
  if (minutes === 0) return t("reminder.at_due");
  if (minutes % 1440 === 0) return plural("reminder.days", minutes / 1440);
  if (minutes % 60 === 0) return plural("reminder.hours", minutes / 60);
  return plural("reminder.minutes", minutes);
}

/** The time the "tomorrow morning" snooze preset names (9:00 local). */
export function morningTime(now: Date = clock.now()): string {
  const d = addDays(now, 1);
  d.setHours(ALL_DAY_REMINDER_HOUR, 0, 0, 0);
  return formatTime(d);
}

const TASK_FIELDS: Record<string, MessageKey> = {
  title: "task.field.title", due: "task.field.due_date", reminders: "task.field.reminders",
  repeat: "task.field.repeat", until: "task.field.until", notes: "task.field.notes", priority: "task.field.priority",
  contact_id: "task.field.contact", deal_id: "task.field.deal",
};

/** An error from a task command, naming the task dialog's field (not the contact form's). */
export function taskErrorText(err: Explainable): string {
  const base = baseField(err.field);
  if (err.code === "invalid_input" && base && TASK_FIELDS[base]) {
    return t("error.invalid_input_field", { field: t(TASK_FIELDS[base]) });
  }
  return errorText(err);
}

// ---- deals ------------------------------------------------------------------

const DEAL_FIELDS: Record<string, MessageKey> = {
  title: "deal.title", value: "deal.value", currency: "deal.currency", stage: "deal.stage", probability: "deal.probability",
  close_date: "deal.close", next_step: "deal.next_step", line_items: "deal.field.line_items", contact_id: "deal.field.contact_id",
  lost_reason: "deal.lost_reason_label", reason: "deal.lost_reason_label",
};

/** The deal dialog field an error belongs to ("line_items[2]" → "line_items"), or null. */
export function dealField(field: string | null): string | null {
  const base = baseField(field);
  return base && DEAL_FIELDS[base] ? base : null;
}

/** An error from a deal command, naming the deal dialog's field. */
export function dealErrorText(err: Explainable): string {
  const base = dealField(err.field);
  if (err.code === "invalid_input" && base) {
    const m = /\[(\d+)\]/.exec(err.field ?? "");
    const name = t(DEAL_FIELDS[base]);
    return t("error.invalid_input_field", { field: m ? `${name} ${Number(m[1]) + 1}` : name });
  }
  if (err.code === "reason_required") return t("deal.lost_needed");
  return errorText(err);
}

/** A deal stage's name in the UI language (the key when the stage is unknown). */
export function dealStageName(stages: readonly DealStageSetting[], key: string): string {
  const s = stages.find((x) => x.key === key);
  if (!s) return key;
  return language() === "de" ? s.name_de : s.name_en;
}
