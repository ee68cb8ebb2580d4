// The one translation table (German and English) and locale-aware formatting.
// Every user-visible string goes through `t`; the active language is module
// state set by the app from Settings.language or the OS locale.
import type { ChangedBy } from "./bindings/ChangedBy";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Language } from "./bindings/Language";
import type { Stage } from "./bindings/Stage";

export type Lang = Language;
export const LANGS: readonly Lang[] = ["de", "en"];

const en = {
  "app.name": "Kontor",
  "stage.all": "All",
  "stage.lead": "Lead",
  "stage.prospect": "Prospect (MQL)",
  "stage.opportunity": "Opportunity (SQL)",
  "stage.customer": "Customer",
  "stage.disqualified": "Disqualified",
  "by.hand": "by hand",
  "by.rule": "by rule",
  "by.import": "by import",

  "field.first_name": "First name",
  "field.last_name": "Last name",
  "field.display_name": "Display name",
  "field.organization": "Company/Organisation",
  "field.title": "Job title",
  "field.emails": "Email addresses",
  "field.phones": "Phone numbers",
  "field.tags": "Tags",
  "field.source": "Source",
  "field.notes": "Notes",
  "field.stage": "Stage",
  "field.score": "Score",
  "field.created_at": "Created",
  "field.updated_at": "Last change",
  "field.reason": "Reason",
  "field.reason_optional": "Reason (optional)",
  "field.name": "Name",
  "field.contact": "Email / phone",
  "list.col_changed": "Changed",

  "list.search": "Search contacts",
  "list.search_placeholder": "Search name, company, email, phone, tags …",
  "list.search_title": "Search (/)",
  "list.filter": "Filter by stage",
  "list.sort_name": "Sorted by name",
  "list.sort_last_change": "Sorted by last change",
  "list.sort_title": "Toggle sort order between name and last change",
  "list.contacts": "Contacts",
  "list.load_more": "Load more",
  "list.showing": "{shown} of {total}",
  "list.loading": "Loading …",
  "list.no_matches": "No contacts match “{query}”.",
  "list.no_matches_stage": "No contacts in stage {stage}.",
  "list.clear_search": "Clear search",
  "empty.title": "No contacts yet",
  "empty.text": "Create your first contact, or load a set of demo contacts to look around. Everything stays on this computer.",
  "empty.create": "Create contact",
  "empty.demo": "Load demo data",

  "action.new_contact": "New contact",
  "action.new_contact_title": "New contact (N)",
  "action.settings": "Settings",
  "action.settings_title": "Settings (,)",
  "action.back": "Back",
  "action.back_title": "Back to list (Esc)",
  "action.edit": "Edit",
  "action.edit_title": "Edit contact (E)",
  "action.change_stage": "Change stage",
  "action.change_stage_title": "Change stage (S)",
  "action.save": "Save",
  "action.cancel": "Cancel",
  "action.close": "Close",
  "action.dismiss": "Dismiss",

  "contact.details": "Details",
  "contact.history": "History",
  "contact.history_empty": "No stage changes yet.",
  "contact.history_new": "new",
  "contact.none": "—",

  "stage.dialog_title": "Change stage",
  "stage.current": "Current stage",
  "stage.to": "New stage",
  "stage.next": "Next steps",
  "stage.correct": "Correct stage (skip/back)",
  "stage.needs_reason": "needs a reason",
  "stage.force_confirm": "Yes, I want to correct the stage on purpose (skip or go back).",
  "stage.force_hint": "Corrections are recorded in the history with your reason.",
  "stage.reason_placeholder": "Why? (e.g. budget confirmed, no need)",
  "stage.submit": "Change stage",
  "stage.no_transitions": "No stage changes are possible from here.",

  "form.new_title": "New contact",
  "form.edit_title": "Edit contact",
  "form.one_per_line": "one per line",
  "form.comma_separated": "comma separated",
  "form.display_name_hint": "optional, built from the name if empty",
  "form.org_new": "New organisation “{name}” will be created",
  "form.bad_entry": "“{value}”: {message}",
  "form.org_suggestions": "Matching organisations",

  "settings.title": "Settings",
  "settings.language": "Language",
  "settings.language_auto": "Auto (follow system)",
  "settings.data_dir": "Data directory",
  "settings.version": "Version",
  "settings.shortcuts": "Keyboard shortcuts",
  "settings.shortcut_list": "/ search · N new contact · E edit · S change stage · , settings · ↑↓ Enter open · Esc back/close",

  "error.not_found": "This record no longer exists – it may have been deleted.",
  "error.invalid_transition": "Moving from {from} to {to} is not allowed. Skipping a stage or going back needs a correction with a reason.",
  "error.same_stage": "The contact is already in stage {to}.",
  "error.reason_required": "Please give a reason for this stage change.",
  "error.name_required": "Please enter a first or a last name.",
  "error.invalid_email": "This does not look like an email address.",
  "error.invalid_phone": "A phone number needs at least 3 digits and may only contain + ( ) - / . and spaces.",
  "error.invalid_input": "Invalid input.",
  "error.invalid_input_field": "Invalid input in “{field}”.",
  "error.store_locked": "The data store is in use by another Kontor process (e.g. the command line). Please try again in a moment.",
  "error.store_corrupt": "The data store is damaged. Kontor can restore it from an automatic backup.",
  "error.store_newer": "The data was written by a newer version of Kontor. Please update Kontor.",
  "error.storage": "Could not read or write the data store: {message}",
  "error.internal": "Something went wrong: {message}",
};

export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = {
  "app.name": "Kontor",
  "stage.all": "Alle",
  "stage.lead": "Lead",
  "stage.prospect": "Interessent (MQL)",
  "stage.opportunity": "Verkaufschance (SQL)",
  "stage.customer": "Kunde",
  "stage.disqualified": "Disqualifiziert",
  "by.hand": "von Hand",
  "by.rule": "durch Regel",
  "by.import": "durch Import",

  "field.first_name": "Vorname",
  "field.last_name": "Nachname",
  "field.display_name": "Anzeigename",
  "field.organization": "Firma/Organisation",
  "field.title": "Position",
  "field.emails": "E-Mail-Adressen",
  "field.phones": "Telefonnummern",
  "field.tags": "Schlagwörter",
  "field.source": "Quelle",
  "field.notes": "Notizen",
  "field.stage": "Phase",
  "field.score": "Score",
  "field.created_at": "Angelegt",
  "field.updated_at": "Letzte Änderung",
  "field.reason": "Grund",
  "field.reason_optional": "Grund (optional)",
  "field.name": "Name",
  "field.contact": "E-Mail / Telefon",
  "list.col_changed": "Geändert",

  "list.search": "Kontakte durchsuchen",
  "list.search_placeholder": "Name, Firma, E-Mail, Telefon, Schlagwörter …",
  "list.search_title": "Suchen (/)",
  "list.filter": "Nach Phase filtern",
  "list.sort_name": "Sortiert nach Name",
  "list.sort_last_change": "Sortiert nach letzter Änderung",
  "list.sort_title": "Sortierung zwischen Name und letzter Änderung wechseln",
  "list.contacts": "Kontakte",
  "list.load_more": "Weitere laden",
  "list.showing": "{shown} von {total}",
  "list.loading": "Wird geladen …",
  "list.no_matches": "Keine Kontakte passen zu „{query}“.",
  "list.no_matches_stage": "Keine Kontakte in der Phase {stage}.",
  "list.clear_search": "Suche leeren",
  "empty.title": "Noch keine Kontakte",
  "empty.text": "Legen Sie Ihren ersten Kontakt an oder laden Sie Demodaten, um sich umzusehen. Alle Daten bleiben auf diesem Rechner.",
  "empty.create": "Kontakt anlegen",
  "empty.demo": "Demodaten laden",

  "action.new_contact": "Neuer Kontakt",
  "action.new_contact_title": "Neuer Kontakt (N)",
  "action.settings": "Einstellungen",
  "action.settings_title": "Einstellungen (,)",
  "action.back": "Zurück",
  "action.back_title": "Zurück zur Liste (Esc)",
  "action.edit": "Bearbeiten",
  "action.edit_title": "Kontakt bearbeiten (E)",
  "action.change_stage": "Phase ändern",
  "action.change_stage_title": "Phase ändern (S)",
  "action.save": "Speichern",
  "action.cancel": "Abbrechen",
  "action.close": "Schließen",
  "action.dismiss": "Ausblenden",

  "contact.details": "Angaben",
  "contact.history": "Verlauf",
  "contact.history_empty": "Noch keine Phasenwechsel.",
  "contact.history_new": "neu",
  "contact.none": "—",

  "stage.dialog_title": "Phase ändern",
  "stage.current": "Aktuelle Phase",
  "stage.to": "Neue Phase",
  "stage.next": "Nächste Schritte",
  "stage.correct": "Phase korrigieren (überspringen/zurück)",
  "stage.needs_reason": "Grund nötig",
  "stage.force_confirm": "Ja, ich möchte die Phase bewusst korrigieren (überspringen oder zurückgehen).",
  "stage.force_hint": "Korrekturen werden mit Ihrem Grund im Verlauf festgehalten.",
  "stage.reason_placeholder": "Warum? (z. B. Budget bestätigt, kein Bedarf)",
  "stage.submit": "Phase ändern",
  "stage.no_transitions": "Von hier aus ist kein Phasenwechsel möglich.",

  "form.new_title": "Neuer Kontakt",
  "form.edit_title": "Kontakt bearbeiten",
  "form.one_per_line": "eine pro Zeile",
  "form.comma_separated": "durch Komma getrennt",
  "form.display_name_hint": "optional, sonst aus dem Namen gebildet",
  "form.org_new": "Neue Organisation „{name}“ wird angelegt",
  "form.bad_entry": "„{value}“: {message}",
  "form.org_suggestions": "Passende Organisationen",

  "settings.title": "Einstellungen",
  "settings.language": "Sprache",
  "settings.language_auto": "Automatisch (wie das System)",
  "settings.data_dir": "Datenverzeichnis",
  "settings.version": "Version",
  "settings.shortcuts": "Tastenkürzel",
  "settings.shortcut_list": "/ Suchen · N Neuer Kontakt · E Bearbeiten · S Phase ändern · , Einstellungen · ↑↓ Enter Öffnen · Esc Zurück/Schließen",

  "error.not_found": "Dieser Eintrag existiert nicht mehr – vielleicht wurde er gelöscht.",
  "error.invalid_transition": "Von {from} nach {to} ist kein erlaubter Schritt. Eine Phase überspringen oder zurückgehen geht nur als Korrektur mit Grund.",
  "error.same_stage": "Der Kontakt ist bereits in der Phase {to}.",
  "error.reason_required": "Bitte geben Sie einen Grund für diesen Phasenwechsel an.",
  "error.name_required": "Bitte geben Sie einen Vor- oder Nachnamen an.",
  "error.invalid_email": "Das sieht nicht nach einer E-Mail-Adresse aus.",
  "error.invalid_phone": "Eine Telefonnummer braucht mindestens 3 Ziffern und darf nur + ( ) - / . und Leerzeichen enthalten.",
  "error.invalid_input": "Ungültige Eingabe.",
  "error.invalid_input_field": "Ungültige Eingabe im Feld „{field}“.",
  "error.store_locked": "Der Datenspeicher wird gerade von einem anderen Kontor-Prozess benutzt (z. B. der Kommandozeile). Bitte gleich noch einmal versuchen.",
  "error.store_corrupt": "Der Datenspeicher ist beschädigt. Kontor kann ihn aus einer automatischen Sicherung wiederherstellen.",
  "error.store_newer": "Die Daten stammen von einer neueren Kontor-Version. Bitte aktualisieren Sie Kontor.",
  "error.storage": "Der Datenspeicher konnte nicht gelesen oder geschrieben werden: {message}",
  "error.internal": "Etwas ist schiefgegangen: {message}",
};

const TABLE: Record<Lang, Record<MessageKey, string>> = { de, en };

let active: Lang = "en";

/** Picks the UI language: the user's choice, else the OS locale, else English. */
export function resolveLanguage(choice: Lang | null, locale: string | null | undefined): Lang {
  if (choice) return choice;
  const tag = (locale ?? "").toLowerCase();
  return tag.startsWith("de") ? "de" : "en";
}

export function setLanguage(lang: Lang): void {
  active = lang;
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export function language(): Lang {
  return active;
}

/** Translates `key` into the active language, filling `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = TABLE[active][key] ?? key;
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
    field: fieldName(err.field),
    message: err.message,
  };
  if (err.code === "invalid_input" && err.field) return t("error.invalid_input_field", params);
  const key = `error.${err.code}` as MessageKey;
  return key in en ? t(key, params) : t("error.internal", params);
}

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(iso: string): string {
  const d = parse(iso);
  return d ? new Intl.DateTimeFormat(active, { dateStyle: "medium" }).format(d) : iso;
}

export function formatDateTime(iso: string): string {
  const d = parse(iso);
  return d ? new Intl.DateTimeFormat(active, { dateStyle: "medium", timeStyle: "short" }).format(d) : iso;
}
