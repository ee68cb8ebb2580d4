// Generated from the core by `the_ui_gets_the_core_constants`
// (src-tauri/core/src/api/mod.rs); do not edit.
import type { ActivityKind } from "../bindings/ActivityKind";
import type { Answer } from "../bindings/Answer";
import type { Criteria } from "../bindings/Criteria";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { Settings } from "../bindings/Settings";

/** Every error code the backend sends. */
export const ERROR_CODES: readonly ErrorCode[] = ["not_found", "invalid_transition", "same_stage", "reason_required", "name_required", "invalid_email", "invalid_phone", "invalid_website", "invalid_postcode", "invalid_input", "store_locked", "store_corrupt", "store_newer", "storage", "no_proposal", "invalid_settings", "unreadable_file", "invalid_backup", "company_incomplete", "store_not_empty", "io", "geocoding", "update", "update_refused", "sync_offline", "sync_refused", "sync_schema_newer", "sync_not_set_up", "internal"];
/** The activity kinds, in the order they are offered. */
export const ACTIVITY_KINDS: readonly ActivityKind[] = ["call", "meeting", "visit", "email", "note", "newsletter_signup", "whitepaper_download", "webinar_attended", "website_visit", "email_opened", "email_replied", "form_submitted"];
/** The qualification criteria, in the order they are shown. */
export const CRITERIA: readonly (keyof Criteria)[] = ["target_group", "budget", "authority", "need", "timeline"];
/** The answers a criterion takes. */
export const ANSWERS: readonly Answer[] = ["yes", "no", "unknown"];
/** The settings a new store starts with. */
export const DEFAULT_SETTINGS: Settings = {
  "language": null,
  "scoring": {
    "fit_points": {
      "target_group": 15,
      "budget": 10,
      "authority": 10,
      "need": 10,
      "timeline": 5
    },
    "engagement_points": {
      "call": 8,
      "meeting": 12,
      "visit": 15,
      "email": 4,
      "note": 0,
      "newsletter_signup": 5,
      "whitepaper_download": 10,
      "webinar_attended": 15,
      "website_visit": 2,
      "email_opened": 2,
      "email_replied": 8,
      "form_submitted": 10
    },
    "half_life_days": 30.0,
    "prospect_threshold": 40,
    "opportunity_threshold": 70,
    "auto_advance": false
  },
  "target_profile": {
    "industries": [],
    "size_min": null,
    "size_max": null,
    "regions": []
  },
  "notifications": true,
  "autostart": false,
  "check_updates": false,
  "phone_region": "DE",
  "deal_stages": [
    {
      "key": "qualification",
      "name_de": "Qualifizierung",
      "name_en": "Qualification",
      "probability": 10,
      "rotting_days": 14,
      "outcome": "open"
    },
    {
      "key": "needs_analysis",
      "name_de": "Bedarfsanalyse",
      "name_en": "Needs analysis",
      "probability": 25,
      "rotting_days": 14,
      "outcome": "open"
    },
    {
      "key": "proposal",
      "name_de": "Angebot",
      "name_en": "Proposal",
      "probability": 50,
      "rotting_days": 21,
      "outcome": "open"
    },
    {
      "key": "negotiation",
      "name_de": "Verhandlung",
      "name_en": "Negotiation",
      "probability": 75,
      "rotting_days": 14,
      "outcome": "open"
    },
    {
      "key": "won",
      "name_de": "Gewonnen",
      "name_en": "Won",
      "probability": 100,
      "rotting_days": null,
      "outcome": "won"
    },
    {
      "key": "lost",
      "name_de": "Verloren",
      "name_en": "Lost",
      "probability": 0,
      "rotting_days": null,
      "outcome": "lost"
    }
  ],
  "automation": [
    {
      "id": "default_first_call",
      "enabled": true,
      "trigger": {
        "type": "contact_stage_changed",
        "to": "prospect"
      },
      "action": {
        "type": "create_task",
        "title": "Erstgespräch führen: {display_name}",
        "due_in_days": 2
      }
    },
    {
      "id": "default_referral",
      "enabled": true,
      "trigger": {
        "type": "deal_won"
      },
      "action": {
        "type": "create_task",
        "title": "Nach Empfehlung fragen: {display_name}",
        "due_in_days": 14
      }
    }
  ],
  "email_templates": [
    {
      "id": "follow_up_de",
      "name": "Nachfassen",
      "language": "de",
      "subject": "Unser Gespräch: {deal_title}",
      "body": "Hallo {first_name} {last_name},\n\nvielen Dank für das angenehme Gespräch. Wie besprochen melde ich mich wegen {deal_title} ({deal_value}) für {organization}.\n\nWann passt Ihnen ein kurzer Termin für die nächsten Schritte?\n\nViele Grüße"
    },
    {
      "id": "follow_up_en",
      "name": "Follow-up",
      "language": "en",
      "subject": "Following up: {deal_title}",
      "body": "Hello {first_name},\n\nthank you for your time. As promised I am following up on {deal_title} ({deal_value}) for {organization}.\n\nWhen would suit you for a short call about the next steps?\n\nBest regards"
    }
  ],
  "company": {
    "name": "",
    "address": "",
    "email": "",
    "phone": "",
    "vat_id": "",
    "bank_name": "",
    "iban": "",
    "bic": "",
    "quote_valid_days": 30,
    "footer": ""
  },
  "working_days": [
    1,
    2,
    3,
    4,
    5
  ],
  "saved_views": [],
  "field": {
    "home_address": "",
    "day_start": "08:00",
    "day_end": "18:00",
    "visit_minutes": 60,
    "revisit_prospect_days": 60,
    "revisit_opportunity_days": 30,
    "revisit_customer_days": 90,
    "geocoding": true,
    "geocoding_endpoint": "https://nominatim.openstreetmap.org",
    "map_app": "open_street_map",
    "calendar_file": "",
    "driver": "",
    "vehicle": ""
  }
};
/** The reminders a new task starts with, in minutes before due (0: at due; all day: 09:00). */
export const DEFAULT_REMINDERS: readonly number[] = [0];
/** The local hour an all-day task reminds at. */
export const ALL_DAY_REMINDER_HOUR = 9;
/** The ranges the backend accepts in the scoring settings. */
export const LIMITS = {
  points: { min: 0, max: 50 },
  half_life_days: { min: 1, max: 365 },
  threshold: { min: 0, max: 100 },
} as const;
