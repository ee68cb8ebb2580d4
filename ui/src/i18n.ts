// The one translation table (German and English) and locale-aware formatting.
// Every user-visible string goes through `t`; the active language is module
// state set by the app from Settings.language or the OS locale.
import type { ActivityKind } from "./bindings/ActivityKind";
import type { Answer } from "./bindings/Answer";
import type { ChangedBy } from "./bindings/ChangedBy";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Language } from "./bindings/Language";
import type { ScoreLine } from "./bindings/ScoreLine";
import type { Stage } from "./bindings/Stage";
import type { Task } from "./bindings/Task";
import { addDays, ALL_DAY_REMINDER_HOUR, clock, dayDiff, dueAt, isOverdue, parseRepeat } from "./tasks";

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
  "list.search_placeholder": "Search contacts, companies, deals, notes, city, phone …",
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
  "list.rebuilding": "Kontor is rebuilding its search index after an update: lists and search may be incomplete for a moment.",
  "list.org_filter": "Organisation: {name}",
  "list.org_filter_clear": "Show all contacts again",
  "search.group_organizations": "Organisations",
  "search.group_deals": "Deals",
  "search.more": "{n} more — type more to narrow the search",
  "search.narrow": "More found — type more to narrow the search",
  "list.at_least": "{n}+",
  "search.field.name": "Name",
  "search.field.title": "Title",
  "search.field.organization": "Organisation",
  "search.field.email": "Email",
  "search.field.phone": "Phone",
  "search.field.tags": "Tags",
  "search.field.job_title": "Job title",
  "search.field.city": "Address",
  "search.field.postcode": "Address",
  "search.field.street": "Address",
  "search.field.region": "Address",
  "search.field.source": "Source",
  "search.field.industry": "Industry",
  "search.field.next_step": "Next step",
  "search.field.products": "Products",
  "search.field.notes": "Notes",
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
  "settings.shortcut_list": "/ search · N new contact · T new task · G C / G T / G P / G R contacts/tasks/pipeline/reports · D new deal · M follow-up email · E edit · S change stage · C V O log call/visit/note · A log activity · Q accept proposal · , settings · ↑↓ Enter open · Esc back/close",

  "kind.call": "Call",
  "kind.meeting": "Meeting",
  "kind.visit": "Visit",
  "kind.email": "Email",
  "kind.note": "Note",
  "kind.newsletter_signup": "Newsletter signup",
  "kind.whitepaper_download": "Whitepaper download",
  "kind.webinar_attended": "Webinar attended",
  "kind.website_visit": "Website visit",
  "kind.email_opened": "Email opened",
  "kind.email_replied": "Email replied",
  "kind.form_submitted": "Form submitted",
  "answer.yes": "yes",
  "answer.no": "no",
  "answer.unknown": "unknown",
  "answer.auto": "Auto",
  "criterion.target_group": "Target group fit",
  "criterion.budget": "Budget/means",
  "criterion.authority": "Authority to decide",
  "criterion.need": "Need",
  "criterion.timeline": "Timeline",
  "line.target_group": "target group",
  "line.budget": "budget",
  "line.authority": "authority to decide",
  "line.need": "need",
  "line.timeline": "timeline",
  "line.fit": "{points} {criterion}: {answer}",
  "line.fit_unknown": "{points} {criterion} {answer}",
  "line.activity": "{points} {kind}, {age}",
  "line.activity_many": "{points} {count}× {kind}, latest {age}",
  "line.older": "{points} {count} older activities",
  "line.fit_cap": "{points} fit capped at {max}",
  "line.engagement_cap": "{points} engagement capped at {max}",

  "qual.title": "Qualification",
  "qual.tg_auto": "proposed from organisation data",
  "qual.tg_manual": "set by hand",
  "qual.tg_auto_title": "Use the proposal from the organisation data again",
  "score.title": "Score",
  "score.fit": "Fit",
  "score.engagement": "Engagement",
  "score.out_of": "of {max}",
  "score.no_lines": "No points yet.",
  "proposal.ready": "Ready for {stage}",
  "proposal.accept": "Accept",
  "proposal.accept_title": "Accept the proposal: change the stage by rule (Q)",
  "notice.ready": "{name} is ready for {stage}",
  "notice.now_ready_one": "{n} contact is now ready to qualify",
  "notice.now_ready_other": "{n} contacts are now ready to qualify",
  "notice.show_ready": "Show",

  "timeline.title": "Activities",
  "timeline.filter": "Filter activities by kind",
  "timeline.all": "All",
  "timeline.empty": "No activities yet. Log a call, visit or note.",
  "timeline.empty_filter": "No activities of this kind.",
  "timeline.load_more": "Load more",
  "timeline.showing": "{shown} of {total}",
  "timeline.delete": "Delete",
  "timeline.delete_title": "Delete this entry",
  "timeline.delete_confirm": "Really delete?",
  "action.log_call": "Log call",
  "action.log_call_title": "Log a call (C)",
  "action.log_visit": "Log visit",
  "action.log_visit_title": "Log a visit (V)",
  "action.log_note": "Log note",
  "action.log_note_title": "Log a note (O)",
  "action.log_activity": "Log activity",
  "action.log_activity_title": "Log any activity (A)",
  "activity.dialog_title": "Log activity",
  "activity.kind": "Kind",
  "activity.at": "When",
  "activity.summary": "Summary",
  "activity.text": "Text",
  "activity.outcome": "Outcome",
  "activity.concerns": "Questions/concerns",
  "activity.summary_placeholder": "e.g. Follow-up on the offer",

  "org.title": "Organisation",
  "org.industry": "Industry",
  "org.size": "Size (employees)",
  "org.postcode": "Postcode",
  "org.region": "Region",
  "org.edit": "Edit organisation",
  "org.dialog_title": "Edit organisation",
  "org.none": "No organisation linked. Add one with “Edit”.",
  "org.hint": "Target-group fit is proposed from these data and the target profile in the settings.",

  "list.ready": "Ready to qualify",
  "list.col_score": "Score",
  "list.score_title": "Show how the score is made up",
  "list.no_matches_ready": "No contacts are ready to qualify.",

  "settings.scoring": "Qualification",
  "settings.target_profile": "Target profile",
  "settings.industries": "Industries",
  "settings.size_min": "Company size from",
  "settings.size_max": "to (employees)",
  "settings.regions": "Regions / postcode prefixes",
  "settings.fit_points": "Fit points (when “yes”)",
  "settings.engagement_points": "Engagement points per activity",
  "settings.half_life": "Half-life (days)",
  "settings.half_life_hint": "engagement points halve after this many days",
  "settings.prospect_threshold": "Prospect threshold",
  "settings.opportunity_threshold": "Opportunity threshold",
  "settings.auto_advance": "Advance stages automatically",
  "settings.auto_advance_hint": "When on, proposals are applied at once and recorded in the history “by rule”. When off, they are shown for you to accept.",
  "settings.default": "default {value}",
  "settings.reset": "Reset to defaults",
  "settings.save": "Save",
  "settings.empty_any": "empty = any",

  "nav.main": "Main navigation",
  "nav.contacts": "Contacts",
  "nav.contacts_title": "Contacts (G then C)",
  "nav.tasks": "Tasks",
  "nav.tasks_title": "Tasks (G then T)",
  "nav.badge": "{n} due today or overdue",

  "tasks.title": "Tasks",
  "tasks.tabs": "Task views",
  "tasks.tab.overdue": "Overdue",
  "tasks.tab.today": "Today",
  "tasks.tab.upcoming": "Upcoming",
  "tasks.tab.open": "All open",
  "tasks.tab.done": "Done",
  "tasks.upcoming_hint": "next 7 days",
  "tasks.empty.overdue": "Nothing overdue — well done.",
  "tasks.empty.today": "Nothing due today.",
  "tasks.empty.upcoming": "Nothing due in the next 7 days.",
  "tasks.empty.open": "No open tasks.",
  "tasks.empty.done": "No tasks done yet.",
  "tasks.new": "New task",
  "tasks.new_title": "New task (T)",
  "tasks.mark_done": "Mark “{title}” done",
  "tasks.is_done": "“{title}” is done",
  "tasks.done_at": "done {when}",
  "tasks.high": "High priority",
  "tasks.low": "Low priority",
  "tasks.snooze": "Snooze",
  "tasks.snooze_title": "Remind me again later",
  "tasks.snoozed_until": "Snoozed until {when}",
  "tasks.edit": "Edit",
  "tasks.edit_title": "Edit this task",
  "tasks.delete": "Delete",
  "tasks.delete_title": "Delete this task",
  "tasks.delete_confirm": "Really delete?",
  "tasks.open_contact": "Open {name}",
  "tasks.open_deal": "Open the deal {title}",
  "tasks.repeats": "Repeats",
  "tasks.reminders": "Reminders",
  "tasks.completed": "“{title}” done.",
  "tasks.completed_next": "“{title}” done. Next: {when}",
  "snooze.ten_minutes": "In 10 minutes",
  "snooze.one_hour": "In 1 hour",
  "snooze.tomorrow_morning": "Tomorrow {time}",
  "snooze.next_week": "Next week",
  "priority.low": "Low",
  "priority.normal": "Normal",
  "priority.high": "High",
  "due.day_time": "{day} {time}",
  "due.now": "due now",
  "due.overdue_minutes_one": "overdue by {n} minute",
  "due.overdue_minutes_other": "overdue by {n} minutes",
  "due.overdue_hours_one": "overdue by {n} hour",
  "due.overdue_hours_other": "overdue by {n} hours",
  "due.overdue_days_one": "overdue by {n} day",
  "due.overdue_days_other": "overdue by {n} days",
  "repeat.daily": "daily",
  "repeat.weekly": "weekly",
  "repeat.monthly": "monthly",
  "repeat.every_one": "every day",
  "repeat.every_other": "every {n} days",
  "reminder.at_due": "at due",
  "reminder.minutes_one": "{n} min before",
  "reminder.minutes_other": "{n} min before",
  "reminder.hours_one": "{n} hour before",
  "reminder.hours_other": "{n} hours before",
  "reminder.days_one": "{n} day before",
  "reminder.days_other": "{n} days before",

  "task.dialog_new": "New task",
  "task.dialog_edit": "Edit task",
  "task.field.title": "Title",
  "task.title_placeholder": "e.g. Call back about the offer",
  "task.field.due_date": "Due date",
  "task.field.due_time": "Time",
  "task.time_hint": "optional; empty = all day",
  "task.field.priority": "Priority",
  "task.field.reminders": "Reminders",
  "task.reminder_opt_0": "At due",
  "task.reminder_opt_15": "15 minutes before",
  "task.reminder_opt_60": "1 hour before",
  "task.reminder_opt_1440": "1 day before",
  "task.field.reminder_custom": "Other (minutes before)",
  "task.reminder_hint": "All-day tasks: counted from 9:00 on the due day.",
  "task.field.repeat": "Repeat",
  "task.repeat_opt_none": "Does not repeat",
  "task.repeat_opt_daily": "Daily",
  "task.repeat_opt_weekly": "Weekly",
  "task.repeat_opt_monthly": "Monthly (same day of the month)",
  "task.repeat_opt_every": "Every N days",
  "task.field.repeat_days": "Every … days",
  "task.field.notes": "Notes",
  "task.field.contact": "Contact",
  "task.contact_placeholder": "Search contact by name …",
  "task.contact_clear": "Remove contact",
  "task.contact_none": "No matching contacts.",
  "task.contact_optional": "optional",
  "task.field.deal": "Deal",
  "task.deal_none": "No deal",
  "task.deal_needs_contact": "Pick a contact to link one of their deals.",
  "task.deal_linked": "Linked deal",
  "task.field.until": "Snooze",
  "task.invalid.title": "Please enter a title.",
  "task.invalid.due": "Please enter a valid due date.",
  "task.invalid.time": "Please enter a valid time (HH:MM) or leave it empty for an all-day task.",
  "task.invalid.repeat_days": "Please enter a whole number of days from 1 to 365.",
  "task.invalid.reminders": "Please enter whole minutes from 0 to 525600, separated by commas.",

  "contact.tasks": "Tasks",
  "contact.add_task": "Add task",
  "contact.add_task_title": "Add a task for this contact (T)",
  "contact.tasks_empty": "No tasks for this contact yet.",

  "settings.reminders": "Reminders",
  "settings.notifications": "Show notifications",
  "settings.notifications_hint": "A system notification at each reminder, also with the window closed (Kontor keeps running in the tray).",
  "settings.autostart": "Start at login",
  "settings.autostart_hint": "Starts Kontor in the tray when you log in, so no reminder is missed.",

  "invalid.range": "Please enter a whole number from {min} to {max}.",
  "invalid.integer": "Please enter a whole number of 0 or more.",
  "invalid.order": "The minimum must not be larger than the maximum.",
  "error.no_proposal": "There is no qualification proposal for this contact (any more).",
  "error.invalid_settings": "Invalid setting: {field}.",
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
  "field.salutation": "Salutation",
  "field.website": "Website",
  "field.address": "Address",
  "field.street": "Street and number",
  "field.postcode": "Postcode",
  "field.city": "City",
  "field.region": "State/region",
  "field.country": "Country",
  "form.salutation_hint": "e.g. Ms, Mr, Dr.",
  "error.unreadable_file": "The file could not be read: {message}",
  "error.invalid_backup": "This is not a valid Kontor backup (or it is damaged): {message}",
  "error.store_not_empty": "The data store already holds contacts. Restoring replaces them; please confirm.",
  "error.io": "The file could not be read or written: {message}",
  "import.open": "Import…",
  "import.open_title": "Import contacts from CSV, vCard or a Kontor JSON file",
  "import.title": "Import contacts",
  "import.steps": "Import steps",
  "import.step_choose": "File",
  "import.step_preview": "Preview",
  "import.step_run": "Import",
  "import.step_report": "Report",
  "import.intro": "Choose a file. You will see a preview first; nothing is saved before you start the import.",
  "import.formats_csv": "CSV – exports from Google Contacts, Outlook, HubSpot or any table (German or English headers)",
  "import.formats_vcard": "vCard 2.1, 3.0 and 4.0 (.vcf), also with many cards in one file",
  "import.formats_json": "Kontor JSON export",
  "import.choose": "Choose file…",
  "import.choose_other": "Choose another file…",
  "import.loading": "Reading the file …",
  "import.format": "Format",
  "import.format.auto": "recognised automatically",
  "import.format.csv": "CSV",
  "import.format.vcard": "vCard",
  "import.format.json": "Kontor JSON",
  "import.encoding": "Encoding",
  "import.delimiter": "Delimiter",
  "import.delim.semicolon": "semicolon (;)",
  "import.delim.comma": "comma (,)",
  "import.delim.tab": "tab",
  "import.preset": "Column layout",
  "import.preset.auto": "Recognise automatically",
  "import.preset.google": "Google Contacts",
  "import.preset.outlook": "Outlook",
  "import.preset.hubspot": "HubSpot",
  "import.preset.generic": "Generic (German/English headers)",
  "import.preset_detected": "Recognise automatically (found: {name})",
  "import.mapping": "Columns and where they go",
  "import.col_header": "Column",
  "import.col_sample": "Example",
  "import.col_field": "Field in Kontor",
  "import.no_header": "Column {n}",
  "import.field.ignore": "Ignore",
  "import.field.salutation": "Salutation",
  "import.field.first_name": "First name",
  "import.field.middle_name": "Middle name",
  "import.field.last_name": "Last name",
  "import.field.display_name": "Display name",
  "import.field.organization": "Company/Organisation",
  "import.field.title": "Job title",
  "import.field.email": "Email address",
  "import.field.phone": "Phone number",
  "import.field.street": "Street",
  "import.field.postcode": "Postcode",
  "import.field.city": "City",
  "import.field.region": "State/region",
  "import.field.country": "Country",
  "import.field.website": "Website",
  "import.field.tags": "Tags",
  "import.field.notes": "Notes",
  "import.field.note_line": "Add to notes",
  "import.field.source": "Source",
  "import.field.stage": "Stage",
  "import.source_hint": "recorded on every imported contact",
  "import.merge": "Merge duplicates",
  "import.merge_hint": "Records with the email or phone of an existing contact are merged into it instead of creating a second one.",
  "import.total_one": "{n} record",
  "import.total_other": "{n} records",
  "import.rejected_one": "{n} rejected",
  "import.rejected_other": "{n} rejected",
  "import.duplicates_one": "{n} duplicate",
  "import.duplicates_other": "{n} duplicates",
  "import.first_rows": "The first {n} records",
  "import.more_rows": "… and {n} more.",
  "import.no_records": "The file holds no records.",
  "import.col_line": "Line",
  "import.col_notes": "Notes",
  "import.will_merge": "will be merged with {name}",
  "import.maybe_duplicate": "looks like {name} (will be created anyway)",
  "import.at_line": "line {line}: {text}",
  "import.similar_to": "similar name at the same company as {name}: a possible duplicate",
  "import.similar_one": "{n} possible duplicate",
  "import.similar_other": "{n} possible duplicates",
  "import.report_possible_duplicates_one": "{n} new contact has a similar name at the same company as an existing one.",
  "import.report_possible_duplicates_other": "{n} new contacts have a similar name at the same company as existing ones.",
  "import.review_duplicates": "Review duplicates",
  "import.warn.invalid_email_kept": "invalid email address “{value}” kept in the notes",
  "import.warn.unknown_stage": "unknown stage “{value}” read as lead",
  "import.warn.too_long_kept": "the value of “{value}” is too long for that field and was kept in the notes",
  "import.err.name_required": "record without a name",
  "import.err.invalid_email": "invalid email address",
  "import.err.invalid_phone": "invalid phone number",
  "import.err.invalid_input": "invalid value",
  "import.err.unreadable_file": "could not be read",
  "import.run_one": "Import {n} record",
  "import.run_other": "Import {n} records",
  "import.running": "Importing {name} …",
  "import.progress": "{done} of {total}",
  "import.cancel": "Stop import",
  "import.cancelling": "Stopping …",
  "import.report_imported": "imported",
  "import.report_merged": "merged",
  "import.report_skipped": "skipped",
  "import.report_rejected": "rejected",
  "import.report_errors": "Rejected records",
  "import.report_warnings": "Imported with changes",
  "import.report_cancelled": "The import was stopped. The records before that point are saved.",
  "import.done": "Done",
  "dup.open": "Duplicates",
  "dup.open_title": "Find contacts that may be the same person and merge them",
  "dup.title": "Possible duplicates",
  "dup.intro_one": "{n} pair may be the same person.",
  "dup.intro_other": "{n} pairs may be the same person.",
  "dup.none": "No duplicates found.",
  "dup.kind.email": "Same email",
  "dup.kind.phone": "Same phone",
  "dup.kind.name": "Similar name",
  "dup.merge": "Merge…",
  "dup.merge_title": "Merge contacts",
  "dup.survivor": "Kept",
  "dup.other": "Merged into it and removed",
  "dup.swap": "⇄ Swap",
  "dup.swap_title": "Keep the other contact instead",
  "dup.choose_values": "Which value to keep",
  "dup.empty_value": "(empty)",
  "dup.no_conflicts": "All single fields agree.",
  "dup.merge_note": "Emails, phone numbers and tags of both are united; activities, tasks and deals move to the contact that is kept.",
  "dup.merge_confirm": "Merge",
  "settings.phone_region": "Phone numbers without country code are from",
  "settings.phone_region_hint": "used when reading and importing phone numbers, e.g. 030 123456",
  "data.title": "Data",
  "data.hint": "Your data stays on this computer. Export it at any time, or keep a full backup somewhere safe.",
  "data.export_csv": "Export CSV…",
  "data.export_vcard": "Export vCard…",
  "data.export_json": "Export JSON…",
  "data.backup": "Back up…",
  "data.backup_title": "Save everything (contacts, organisations, activities, tasks, deals, settings) in one file",
  "data.restore": "Restore…",
  "data.restore_title": "Replace the data with a backup",
  "data.saved_one": "{n} contact saved in {name}",
  "data.saved_other": "{n} contacts saved in {name}",
  "data.restore_from": "Restore from {name}",
  "data.created": "Created",
  "data.contains": "Contains",
  "data.counts": "{contacts} contacts, {organizations} organisations, {activities} activities, {tasks} tasks, {deals} deals",
  "data.app_version": "Written by",
  "data.replace_warning_one": "The 1 contact in Kontor now will be replaced by the backup. This cannot be undone.",
  "data.replace_warning_other": "The {n} contacts in Kontor now will be replaced by the backup. This cannot be undone.",
  "data.replace_warning_unknown": "The contacts in Kontor now will be replaced by the backup. This cannot be undone.",
  "data.restore_confirm": "Restore",
  "data.restore_replace": "Replace and restore",
  "data.restored": "Restored {contacts} contacts from {name}.",
  "privacy.title": "Data protection",
  "privacy.hint": "For requests under the GDPR: hand over everything stored about this person, or erase it.",
  "privacy.export": "Export data (GDPR)",
  "privacy.erase": "Erase for good",
  "privacy.exported": "Everything about {name} saved in {file}",
  "privacy.erase_title": "Erase {name} for good?",
  "privacy.erase_text": "{name} will be erased with every activity and task. This cannot be undone.",
  "privacy.erase_hint": "Tip: export the data first if the person asked for a copy.",
  "privacy.erased": "{name} was erased.",
  "import.org_only": "organisation only",
  "nav.pipeline": "Pipeline",
  "nav.pipeline_title": "Deal pipeline (G P)",
  "nav.reports": "Reports",
  "nav.reports_title": "Reports (G R)",
  "pipeline.title": "Pipeline",
  "pipeline.open_total": "Open pipeline",
  "pipeline.total": "Total",
  "pipeline.weighted": "Weighted",
  "pipeline.deals_one": "{n} deal",
  "pipeline.deals_other": "{n} deals",
  "pipeline.empty_column": "No deals",
  "pipeline.empty": "No deals yet. Create the first one with “New deal”.",
  "pipeline.new_deal": "New deal",
  "pipeline.new_deal_title": "New deal (D)",
  "pipeline.no_next_step": "No next step planned",
  "pipeline.idle_one": "{n} day without activity",
  "pipeline.idle_other": "{n} days without activity",
  "pipeline.moved": "“{title}” moved to {stage}.",
  "pipeline.keys_hint": "Drag cards between columns, or focus a card: Shift+← / Shift+→ moves it, Enter opens it.",
  "pipeline.close": "Close {date}",
  "pipeline.loading": "Loading pipeline …",
  "deal.new_title": "New deal",
  "deal.edit_title": "Deal",
  "deal.contact": "Contact",
  "deal.contact_placeholder": "Type a name …",
  "deal.contact_none": "No matching contact",
  "deal.contact_clear": "Choose another contact",
  "deal.title": "Title",
  "deal.title_placeholder": "What is sold, e.g. Maintenance contract",
  "deal.value": "Value",
  "deal.currency": "Currency",
  "deal.stage": "Stage",
  "deal.probability": "Probability (%)",
  "deal.probability_default": "stage default {p} %",
  "deal.probability_reset": "Use stage default",
  "deal.close": "Expected close date",
  "deal.next_step": "Next step",
  "deal.next_step_placeholder": "e.g. Send proposal on Friday",
  "deal.items": "Line items",
  "deal.item_product": "Product",
  "deal.item_quantity": "Quantity",
  "deal.item_price": "Unit price",
  "deal.item_discount": "Discount %",
  "deal.item_total": "Total",
  "deal.item_add": "Add line item",
  "deal.item_remove": "Remove line item {n}",
  "deal.items_none": "No line items.",
  "deal.items_sum": "Sum of line items",
  "deal.value_from_items": "Compute value from line items",
  "deal.delete": "Delete deal",
  "deal.delete_confirm": "Really delete “{title}”? This cannot be undone.",
  "deal.delete_yes": "Delete",
  "deal.deleted": "Deal “{title}” deleted.",
  "deal.saved": "Deal “{title}” saved.",
  "deal.history": "Stage history",
  "deal.history_created": "created",
  "deal.lost_reason": "Why was it lost?",
  "deal.lost_reason_label": "Reason",
  "deal.lost_title": "Mark “{title}” as lost",
  "deal.lost_confirm": "Mark as lost",
  "deal.lost_needed": "Please give a reason.",
  "deal.quotes": "Quotes",
  "deal.quote_language": "Quote language",
  "deal.quote_create": "Create quote",
  "deal.quote_open": "Open for printing",
  "deal.quote_save": "Save as file",
  "deal.quotes_none": "No quotes yet.",
  "deal.quotes_need_items": "Quotes are made from the line items: add some first.",
  "deal.quote_created": "Quote {number} created and logged.",
  "deal.quote_saved": "Quote saved as {file}.",
  "deal.follow_up": "Send follow-up",
  "deal.follow_up_title": "Draft a follow-up email from a template (M)",
  "deal.task": "Follow-up task",
  "deal.task_title": "Add a task for this deal and its contact",
  "deal.save_first": "Save the deal to make quotes and follow-ups.",
  "lang.de": "German",
  "lang.en": "English",
  "email.title": "Follow-up to {name}",
  "email.template": "Template",
  "email.to": "To",
  "email.no_email": "{name} has no email address: the mail client opens without a recipient.",
  "email.subject": "Subject",
  "email.body": "Message",
  "email.send": "Open in mail client",
  "email.sent": "Email to {name} handed to the mail client and logged.",
  "email.no_templates": "No email templates. Add one in the settings.",
  "email.loading": "Filling in the template …",
  "contact.deals": "Deals",
  "contact.deal_new": "New deal",
  "contact.deals_empty": "No deals yet.",
  "contact.repeat_customer": "Repeat customer",
  "contact.deals_summary": "{open} open · {won} won · {lost} lost",
  "automation.task": "Task created: {title} (due {date})",
  "automation.proposed": "{stage} proposed",
  "automation.open": "Open contact",
  "reports.title": "Reports",
  "reports.period": "Period",
  "reports.from": "From",
  "reports.to": "To",
  "reports.preset_month": "This month",
  "reports.preset_30": "Last 30 days",
  "reports.preset_quarter": "This quarter",
  "reports.preset_year": "This year",
  "reports.preset_all": "All time",
  "reports.export": "Export CSV",
  "reports.exported": "Saved {file} ({n} rows).",
  "reports.loading": "Loading …",
  "reports.empty": "Nothing in this period.",
  "reports.funnel": "Funnel",
  "reports.funnel_hint": "Contacts in each stage at the end of the period; in brackets: how many entered it during the period.",
  "reports.entered": "{n} entered",
  "reports.conversion": "Conversion",
  "reports.conversion_hint": "Of the contacts that entered a stage in the period, the share that reached the next one (or a later one) by the period's end.",
  "reports.converted": "{converted} of {entered}",
  "reports.avg_days": "Average time in stage",
  "reports.days": "{n} days",
  "reports.no_stays": "no stays ended",
  "reports.pipeline": "Pipeline value",
  "reports.pipeline_hint": "Open deals now, by stage: total and weighted by probability. Win rate and deal size over deals closed in the period.",
  "reports.win_rate": "Win rate",
  "reports.won_lost": "{won} won · {lost} lost",
  "reports.avg_won": "Average won deal",
  "reports.won_total": "Won in total",
  "reports.total": "Total",
  "reports.weighted": "Weighted",
  "reports.activities": "Activities per week",
  "reports.activities_hint": "Logged activities per week (Monday to Sunday), by kind.",
  "reports.week": "Week of {date}",
  "reports.sources": "Lead sources",
  "reports.sources_hint": "Contacts created in the period by source, and how many of them were customers by the period's end.",
  "reports.leads": "Leads",
  "reports.customers": "Customers",
  "reports.no_source": "(no source)",
  "reports.rate": "{rate} became customers",
  "reports.overdue": "Overdue tasks",
  "reports.overdue_hint": "Open tasks past their due date (due in the period when one is set).",
  "reports.overdue_none": "No overdue tasks.",
  "reports.overdue_count_one": "{n} overdue task",
  "reports.overdue_count_other": "{n} overdue tasks",
  "reports.no_contact": "no contact",
  "settings.pipeline": "Pipeline stages",
  "settings.pipeline_hint": "Open stages in board order; won and lost are fixed. Rotting: an open deal without activity for more days gets a marker.",
  "settings.stage_name_de": "Name (German)",
  "settings.stage_name_en": "Name (English)",
  "settings.stage_probability": "Probability %",
  "settings.stage_rotting": "Rotting after days",
  "settings.stage_add": "Add stage",
  "settings.stage_remove": "Remove stage {name}",
  "settings.stage_up": "Move {name} up",
  "settings.stage_down": "Move {name} down",
  "settings.stage_fixed": "fixed",
  "settings.rules": "Automation rules",
  "settings.rules_hint": "When something happens, Kontor does something. Rules run once per event; what they do never fires other rules.",
  "settings.rules_none": "No rules.",
  "settings.rule_enabled": "On",
  "settings.rule_when": "When",
  "settings.rule_then": "then",
  "settings.rule_add": "Add rule",
  "settings.rule_delete": "Delete rule",
  "rule.trigger.contact_stage_changed": "contact stage changes to",
  "rule.trigger.score_crossed": "score crosses",
  "rule.trigger.deal_stage_changed": "deal moves to",
  "rule.trigger.deal_won": "deal is won",
  "rule.trigger.task_completed": "task is completed",
  "rule.action.create_task": "create a task",
  "rule.action.notify": "show a notice",
  "rule.action.propose_stage": "propose the stage",
  "rule.title": "Task title",
  "rule.due_in_days": "due in days",
  "rule.message": "Notice text",
  "rule.threshold": "Threshold",
  "settings.templates": "Email templates",
  "settings.templates_none": "No templates.",
  "settings.template_name": "Name",
  "settings.template_language": "Language",
  "settings.template_subject": "Subject",
  "settings.template_body": "Text",
  "settings.template_add": "Add template",
  "settings.template_delete": "Delete template",
  "settings.placeholders": "Placeholders (in subject, text, task titles and notices):",
  "settings.company": "Company (quote header)",
  "company.name": "Company name",
  "company.address": "Address",
  "company.email": "Email",
  "company.phone": "Phone",
  "company.vat_id": "VAT id",
  "company.footer": "Footer (bank details, terms)",
  "settings.field.deal_stages": "Pipeline stages",
  "settings.field.automation": "Automation rules",
  "settings.field.email_templates": "Email templates",
  "settings.field.company": "Company",
  "deal.field.line_items": "Line items",
  "deal.field.contact_id": "Contact",
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
  "by.rule": "automatisch (Regel)",
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
  "list.search_placeholder": "Kontakte, Firmen, Verkaufschancen, Notizen, Ort, Telefon …",
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
  "list.rebuilding": "Kontor baut nach einem Update seinen Suchindex neu auf: Listen und Suche sind für einen Moment womöglich unvollständig.",
  "list.org_filter": "Organisation: {name}",
  "list.org_filter_clear": "Wieder alle Kontakte zeigen",
  "search.group_organizations": "Organisationen",
  "search.group_deals": "Verkaufschancen",
  "search.more": "{n} weitere — weitertippen, um die Suche einzugrenzen",
  "search.narrow": "Weitere gefunden — weitertippen, um die Suche einzugrenzen",
  "list.at_least": "{n}+",
  "search.field.name": "Name",
  "search.field.title": "Titel",
  "search.field.organization": "Organisation",
  "search.field.email": "E-Mail",
  "search.field.phone": "Telefon",
  "search.field.tags": "Schlagwörter",
  "search.field.job_title": "Position",
  "search.field.city": "Adresse",
  "search.field.postcode": "Adresse",
  "search.field.street": "Adresse",
  "search.field.region": "Adresse",
  "search.field.source": "Quelle",
  "search.field.industry": "Branche",
  "search.field.next_step": "Nächster Schritt",
  "search.field.products": "Produkte",
  "search.field.notes": "Notizen",
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
  "settings.shortcut_list": "/ Suchen · N Neuer Kontakt · T Neue Aufgabe · G C / G T / G P / G R Kontakte/Aufgaben/Pipeline/Berichte · D Neue Verkaufschance · M Follow-up-E-Mail · E Bearbeiten · S Phase ändern · C V O Anruf/Besuch/Notiz erfassen · A Aktivität erfassen · Q Vorschlag übernehmen · , Einstellungen · ↑↓ Enter Öffnen · Esc Zurück/Schließen",

  "kind.call": "Anruf",
  "kind.meeting": "Termin",
  "kind.visit": "Besuch",
  "kind.email": "E-Mail",
  "kind.note": "Notiz",
  "kind.newsletter_signup": "Newsletter-Anmeldung",
  "kind.whitepaper_download": "Whitepaper-Download",
  "kind.webinar_attended": "Webinar besucht",
  "kind.website_visit": "Website-Besuch",
  "kind.email_opened": "E-Mail geöffnet",
  "kind.email_replied": "E-Mail beantwortet",
  "kind.form_submitted": "Formular gesendet",
  "answer.yes": "ja",
  "answer.no": "nein",
  "answer.unknown": "unbekannt",
  "answer.auto": "Auto",
  "criterion.target_group": "Passt zur Zielgruppe",
  "criterion.budget": "Budget/Mittel",
  "criterion.authority": "Entscheidungsbefugnis",
  "criterion.need": "Bedarf",
  "criterion.timeline": "Zeitrahmen",
  "line.target_group": "Zielgruppe",
  "line.budget": "Budget",
  "line.authority": "Entscheidungsbefugnis",
  "line.need": "Bedarf",
  "line.timeline": "Zeitrahmen",
  "line.fit": "{points} {criterion}: {answer}",
  "line.fit_unknown": "{points} {criterion} {answer}",
  "line.activity": "{points} {kind}, {age}",
  "line.activity_many": "{points} {count}× {kind}, zuletzt {age}",
  "line.older": "{points} {count} ältere Aktivitäten",
  "line.fit_cap": "{points} Passung auf {max} begrenzt",
  "line.engagement_cap": "{points} Engagement auf {max} begrenzt",

  "qual.title": "Qualifizierung",
  "qual.tg_auto": "aus Organisationsdaten vorgeschlagen",
  "qual.tg_manual": "von Hand gesetzt",
  "qual.tg_auto_title": "Wieder den Vorschlag aus den Organisationsdaten verwenden",
  "score.title": "Score",
  "score.fit": "Passung",
  "score.engagement": "Engagement",
  "score.out_of": "von {max}",
  "score.no_lines": "Noch keine Punkte.",
  "proposal.ready": "Bereit für {stage}",
  "proposal.accept": "Übernehmen",
  "proposal.accept_title": "Vorschlag übernehmen: Phase automatisch (Regel) ändern (Q)",
  "notice.ready": "{name} ist bereit für {stage}",
  "notice.now_ready_one": "{n} Kontakt ist jetzt bereit zur Qualifizierung",
  "notice.now_ready_other": "{n} Kontakte sind jetzt bereit zur Qualifizierung",
  "notice.show_ready": "Anzeigen",

  "timeline.title": "Aktivitäten",
  "timeline.filter": "Aktivitäten nach Art filtern",
  "timeline.all": "Alle",
  "timeline.empty": "Noch keine Aktivitäten. Erfassen Sie einen Anruf, Besuch oder eine Notiz.",
  "timeline.empty_filter": "Keine Aktivitäten dieser Art.",
  "timeline.load_more": "Weitere laden",
  "timeline.showing": "{shown} von {total}",
  "timeline.delete": "Löschen",
  "timeline.delete_title": "Diesen Eintrag löschen",
  "timeline.delete_confirm": "Wirklich löschen?",
  "action.log_call": "Anruf erfassen",
  "action.log_call_title": "Anruf erfassen (C)",
  "action.log_visit": "Besuch erfassen",
  "action.log_visit_title": "Besuch erfassen (V)",
  "action.log_note": "Notiz erfassen",
  "action.log_note_title": "Notiz erfassen (O)",
  "action.log_activity": "Aktivität erfassen",
  "action.log_activity_title": "Beliebige Aktivität erfassen (A)",
  "activity.dialog_title": "Aktivität erfassen",
  "activity.kind": "Art",
  "activity.at": "Wann",
  "activity.summary": "Zusammenfassung",
  "activity.text": "Text",
  "activity.outcome": "Ergebnis",
  "activity.concerns": "Fragen/Bedenken",
  "activity.summary_placeholder": "z. B. Nachfassen zum Angebot",

  "org.title": "Organisation",
  "org.industry": "Branche",
  "org.size": "Größe (Mitarbeitende)",
  "org.postcode": "PLZ",
  "org.region": "Region",
  "org.edit": "Organisation bearbeiten",
  "org.dialog_title": "Organisation bearbeiten",
  "org.none": "Keine Organisation verknüpft. Über „Bearbeiten“ hinzufügen.",
  "org.hint": "Die Zielgruppen-Passung wird aus diesen Angaben und dem Zielprofil in den Einstellungen vorgeschlagen.",

  "list.ready": "Bereit zur Qualifizierung",
  "list.col_score": "Score",
  "list.score_title": "Zeigen, wie sich der Score zusammensetzt",
  "list.no_matches_ready": "Keine Kontakte sind bereit zur Qualifizierung.",

  "settings.scoring": "Qualifizierung",
  "settings.target_profile": "Zielprofil",
  "settings.industries": "Branchen",
  "settings.size_min": "Firmengröße von",
  "settings.size_max": "bis (Mitarbeitende)",
  "settings.regions": "Regionen / PLZ-Bereiche",
  "settings.fit_points": "Punkte für Passung (bei „ja“)",
  "settings.engagement_points": "Engagement-Punkte je Aktivität",
  "settings.half_life": "Halbwertszeit (Tage)",
  "settings.half_life_hint": "nach so vielen Tagen zählen Engagement-Punkte nur noch halb",
  "settings.prospect_threshold": "Schwelle Interessent",
  "settings.opportunity_threshold": "Schwelle Verkaufschance",
  "settings.auto_advance": "Phasen automatisch weiterschalten",
  "settings.auto_advance_hint": "Wenn an, werden Vorschläge sofort umgesetzt und im Verlauf als „automatisch (Regel)“ festgehalten. Wenn aus, werden sie Ihnen zum Übernehmen angezeigt.",
  "settings.default": "Standard {value}",
  "settings.reset": "Standardwerte",
  "settings.save": "Speichern",
  "settings.empty_any": "leer = alle",

  "nav.main": "Hauptnavigation",
  "nav.contacts": "Kontakte",
  "nav.contacts_title": "Kontakte (G, dann C)",
  "nav.tasks": "Aufgaben",
  "nav.tasks_title": "Aufgaben (G, dann T)",
  "nav.badge": "{n} heute fällig oder überfällig",

  "tasks.title": "Aufgaben",
  "tasks.tabs": "Aufgabenansichten",
  "tasks.tab.overdue": "Überfällig",
  "tasks.tab.today": "Heute",
  "tasks.tab.upcoming": "Demnächst",
  "tasks.tab.open": "Alle offenen",
  "tasks.tab.done": "Erledigt",
  "tasks.upcoming_hint": "nächste 7 Tage",
  "tasks.empty.overdue": "Nichts überfällig — gut gemacht.",
  "tasks.empty.today": "Heute ist nichts fällig.",
  "tasks.empty.upcoming": "In den nächsten 7 Tagen ist nichts fällig.",
  "tasks.empty.open": "Keine offenen Aufgaben.",
  "tasks.empty.done": "Noch keine Aufgaben erledigt.",
  "tasks.new": "Neue Aufgabe",
  "tasks.new_title": "Neue Aufgabe (T)",
  "tasks.mark_done": "„{title}“ als erledigt markieren",
  "tasks.is_done": "„{title}“ ist erledigt",
  "tasks.done_at": "erledigt {when}",
  "tasks.high": "Hohe Priorität",
  "tasks.low": "Niedrige Priorität",
  "tasks.snooze": "Später",
  "tasks.snooze_title": "Später noch einmal erinnern",
  "tasks.snoozed_until": "Zurückgestellt bis {when}",
  "tasks.edit": "Bearbeiten",
  "tasks.edit_title": "Diese Aufgabe bearbeiten",
  "tasks.delete": "Löschen",
  "tasks.delete_title": "Diese Aufgabe löschen",
  "tasks.delete_confirm": "Wirklich löschen?",
  "tasks.open_contact": "{name} öffnen",
  "tasks.open_deal": "Verkaufschance {title} öffnen",
  "tasks.repeats": "Wiederholung",
  "tasks.reminders": "Erinnerungen",
  "tasks.completed": "„{title}“ erledigt.",
  "tasks.completed_next": "„{title}“ erledigt. Nächste: {when}",
  "snooze.ten_minutes": "In 10 Minuten",
  "snooze.one_hour": "In 1 Stunde",
  "snooze.tomorrow_morning": "Morgen {time}",
  "snooze.next_week": "Nächste Woche",
  "priority.low": "Niedrig",
  "priority.normal": "Normal",
  "priority.high": "Hoch",
  "due.day_time": "{day} {time}",
  "due.now": "jetzt fällig",
  "due.overdue_minutes_one": "überfällig seit {n} Minute",
  "due.overdue_minutes_other": "überfällig seit {n} Minuten",
  "due.overdue_hours_one": "überfällig seit {n} Stunde",
  "due.overdue_hours_other": "überfällig seit {n} Stunden",
  "due.overdue_days_one": "überfällig seit {n} Tag",
  "due.overdue_days_other": "überfällig seit {n} Tagen",
  "repeat.daily": "täglich",
  "repeat.weekly": "wöchentlich",
  "repeat.monthly": "monatlich",
  "repeat.every_one": "jeden Tag",
  "repeat.every_other": "alle {n} Tage",
  "reminder.at_due": "bei Fälligkeit",
  "reminder.minutes_one": "{n} Min. vorher",
  "reminder.minutes_other": "{n} Min. vorher",
  "reminder.hours_one": "{n} Std. vorher",
  "reminder.hours_other": "{n} Std. vorher",
  "reminder.days_one": "{n} Tag vorher",
  "reminder.days_other": "{n} Tage vorher",

  "task.dialog_new": "Neue Aufgabe",
  "task.dialog_edit": "Aufgabe bearbeiten",
  "task.field.title": "Titel",
  "task.title_placeholder": "z. B. Wegen des Angebots zurückrufen",
  "task.field.due_date": "Fällig am",
  "task.field.due_time": "Uhrzeit",
  "task.time_hint": "optional; leer = ganztägig",
  "task.field.priority": "Priorität",
  "task.field.reminders": "Erinnerungen",
  "task.reminder_opt_0": "Bei Fälligkeit",
  "task.reminder_opt_15": "15 Minuten vorher",
  "task.reminder_opt_60": "1 Stunde vorher",
  "task.reminder_opt_1440": "1 Tag vorher",
  "task.field.reminder_custom": "Weitere (Minuten vorher)",
  "task.reminder_hint": "Ganztägige Aufgaben: ab 9:00 Uhr am Fälligkeitstag gerechnet.",
  "task.field.repeat": "Wiederholen",
  "task.repeat_opt_none": "Keine Wiederholung",
  "task.repeat_opt_daily": "Täglich",
  "task.repeat_opt_weekly": "Wöchentlich",
  "task.repeat_opt_monthly": "Monatlich (gleicher Tag im Monat)",
  "task.repeat_opt_every": "Alle N Tage",
  "task.field.repeat_days": "Alle … Tage",
  "task.field.notes": "Notizen",
  "task.field.contact": "Kontakt",
  "task.contact_placeholder": "Kontakt nach Namen suchen …",
  "task.contact_clear": "Kontakt entfernen",
  "task.contact_none": "Keine passenden Kontakte.",
  "task.contact_optional": "optional",
  "task.field.deal": "Verkaufschance",
  "task.deal_none": "Keine Verkaufschance",
  "task.deal_needs_contact": "Wählen Sie einen Kontakt, um eine seiner Verkaufschancen zu verknüpfen.",
  "task.deal_linked": "Verknüpfte Verkaufschance",
  "task.field.until": "Später erinnern",
  "task.invalid.title": "Bitte geben Sie einen Titel ein.",
  "task.invalid.due": "Bitte geben Sie ein gültiges Fälligkeitsdatum ein.",
  "task.invalid.time": "Bitte eine gültige Uhrzeit (HH:MM) eingeben oder das Feld für eine ganztägige Aufgabe leer lassen.",
  "task.invalid.repeat_days": "Bitte eine ganze Zahl von 1 bis 365 Tagen eingeben.",
  "task.invalid.reminders": "Bitte ganze Minuten von 0 bis 525600 eingeben, durch Komma getrennt.",

  "contact.tasks": "Aufgaben",
  "contact.add_task": "Aufgabe hinzufügen",
  "contact.add_task_title": "Aufgabe zu diesem Kontakt hinzufügen (T)",
  "contact.tasks_empty": "Noch keine Aufgaben zu diesem Kontakt.",

  "settings.reminders": "Erinnerungen",
  "settings.notifications": "Benachrichtigungen anzeigen",
  "settings.notifications_hint": "Eine Systembenachrichtigung zu jeder Erinnerung, auch bei geschlossenem Fenster (Kontor läuft im Infobereich weiter).",
  "settings.autostart": "Beim Anmelden starten",
  "settings.autostart_hint": "Startet Kontor beim Anmelden im Infobereich, damit keine Erinnerung verloren geht.",

  "invalid.range": "Bitte eine ganze Zahl von {min} bis {max} eingeben.",
  "invalid.integer": "Bitte eine ganze Zahl ab 0 eingeben.",
  "invalid.order": "Das Minimum darf nicht größer als das Maximum sein.",
  "error.no_proposal": "Für diesen Kontakt liegt (nicht mehr) kein Qualifizierungsvorschlag vor.",
  "error.invalid_settings": "Ungültige Einstellung: {field}.",
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
  "field.salutation": "Anrede",
  "field.website": "Website",
  "field.address": "Adresse",
  "field.street": "Straße und Hausnummer",
  "field.postcode": "PLZ",
  "field.city": "Ort",
  "field.region": "Region/Bundesland",
  "field.country": "Land",
  "form.salutation_hint": "z. B. Frau, Herr, Dr.",
  "error.unreadable_file": "Die Datei konnte nicht gelesen werden: {message}",
  "error.invalid_backup": "Das ist keine gültige Kontor-Sicherung (oder sie ist beschädigt): {message}",
  "error.store_not_empty": "Der Datenspeicher enthält bereits Kontakte. Wiederherstellen ersetzt sie; bitte bestätigen Sie das.",
  "error.io": "Die Datei konnte nicht gelesen oder geschrieben werden: {message}",
  "import.open": "Importieren…",
  "import.open_title": "Kontakte aus CSV, vCard oder einer Kontor-JSON-Datei importieren",
  "import.title": "Kontakte importieren",
  "import.steps": "Schritte des Imports",
  "import.step_choose": "Datei",
  "import.step_preview": "Vorschau",
  "import.step_run": "Import",
  "import.step_report": "Bericht",
  "import.intro": "Wählen Sie eine Datei. Sie sehen zuerst eine Vorschau; gespeichert wird erst, wenn Sie den Import starten.",
  "import.formats_csv": "CSV – Exporte aus Google Kontakte, Outlook, HubSpot oder jeder Tabelle (deutsche oder englische Spaltennamen)",
  "import.formats_vcard": "vCard 2.1, 3.0 und 4.0 (.vcf), auch mit vielen Karten in einer Datei",
  "import.formats_json": "Kontor-JSON-Export",
  "import.choose": "Datei auswählen…",
  "import.choose_other": "Andere Datei wählen…",
  "import.loading": "Datei wird gelesen …",
  "import.format": "Format",
  "import.format.auto": "automatisch erkannt",
  "import.format.csv": "CSV",
  "import.format.vcard": "vCard",
  "import.format.json": "Kontor-JSON",
  "import.encoding": "Zeichensatz",
  "import.delimiter": "Trennzeichen",
  "import.delim.semicolon": "Semikolon (;)",
  "import.delim.comma": "Komma (,)",
  "import.delim.tab": "Tabulator",
  "import.preset": "Spaltenaufbau",
  "import.preset.auto": "Automatisch erkennen",
  "import.preset.google": "Google Kontakte",
  "import.preset.outlook": "Outlook",
  "import.preset.hubspot": "HubSpot",
  "import.preset.generic": "Allgemein (deutsche/englische Spaltennamen)",
  "import.preset_detected": "Automatisch erkennen (erkannt: {name})",
  "import.mapping": "Spalten und wohin sie gehören",
  "import.col_header": "Spalte",
  "import.col_sample": "Beispiel",
  "import.col_field": "Feld in Kontor",
  "import.no_header": "Spalte {n}",
  "import.field.ignore": "Nicht übernehmen",
  "import.field.salutation": "Anrede",
  "import.field.first_name": "Vorname",
  "import.field.middle_name": "Zweiter Vorname",
  "import.field.last_name": "Nachname",
  "import.field.display_name": "Anzeigename",
  "import.field.organization": "Firma/Organisation",
  "import.field.title": "Position",
  "import.field.email": "E-Mail-Adresse",
  "import.field.phone": "Telefonnummer",
  "import.field.street": "Straße",
  "import.field.postcode": "PLZ",
  "import.field.city": "Ort",
  "import.field.region": "Region/Bundesland",
  "import.field.country": "Land",
  "import.field.website": "Website",
  "import.field.tags": "Tags",
  "import.field.notes": "Notizen",
  "import.field.note_line": "In Notizen übernehmen",
  "import.field.source": "Quelle",
  "import.field.stage": "Phase",
  "import.source_hint": "wird bei jedem importierten Kontakt vermerkt",
  "import.merge": "Duplikate zusammenführen",
  "import.merge_hint": "Datensätze mit der E-Mail-Adresse oder Telefonnummer eines vorhandenen Kontakts werden mit ihm zusammengeführt, statt einen zweiten anzulegen.",
  "import.total_one": "{n} Datensatz",
  "import.total_other": "{n} Datensätze",
  "import.rejected_one": "{n} abgelehnt",
  "import.rejected_other": "{n} abgelehnt",
  "import.duplicates_one": "{n} Duplikat",
  "import.duplicates_other": "{n} Duplikate",
  "import.first_rows": "Die ersten {n} Datensätze",
  "import.more_rows": "… und {n} weitere.",
  "import.no_records": "Die Datei enthält keine Datensätze.",
  "import.col_line": "Zeile",
  "import.col_notes": "Hinweise",
  "import.will_merge": "wird zusammengeführt mit {name}",
  "import.maybe_duplicate": "ähnelt {name} (wird trotzdem neu angelegt)",
  "import.at_line": "Zeile {line}: {text}",
  "import.similar_to": "ähnlicher Name in derselben Firma wie {name}: mögliches Duplikat",
  "import.similar_one": "{n} mögliches Duplikat",
  "import.similar_other": "{n} mögliche Duplikate",
  "import.report_possible_duplicates_one": "{n} neuer Kontakt hat einen ähnlichen Namen in derselben Firma wie ein vorhandener.",
  "import.report_possible_duplicates_other": "{n} neue Kontakte haben einen ähnlichen Namen in derselben Firma wie vorhandene.",
  "import.review_duplicates": "Duplikate prüfen",
  "import.warn.invalid_email_kept": "ungültige E-Mail-Adresse „{value}“ in die Notizen übernommen",
  "import.warn.unknown_stage": "unbekannte Phase „{value}“ als Lead übernommen",
  "import.warn.too_long_kept": "der Wert von „{value}“ ist für das Feld zu lang und steht in den Notizen",
  "import.err.name_required": "Datensatz ohne Namen",
  "import.err.invalid_email": "ungültige E-Mail-Adresse",
  "import.err.invalid_phone": "ungültige Telefonnummer",
  "import.err.invalid_input": "ungültiger Wert",
  "import.err.unreadable_file": "nicht lesbar",
  "import.run_one": "{n} Datensatz importieren",
  "import.run_other": "{n} Datensätze importieren",
  "import.running": "{name} wird importiert …",
  "import.progress": "{done} von {total}",
  "import.cancel": "Import abbrechen",
  "import.cancelling": "Wird abgebrochen …",
  "import.report_imported": "importiert",
  "import.report_merged": "zusammengeführt",
  "import.report_skipped": "übersprungen",
  "import.report_rejected": "abgelehnt",
  "import.report_errors": "Abgelehnte Datensätze",
  "import.report_warnings": "Mit Änderungen importiert",
  "import.report_cancelled": "Der Import wurde abgebrochen. Die Datensätze bis dahin sind gespeichert.",
  "import.done": "Fertig",
  "dup.open": "Duplikate",
  "dup.open_title": "Kontakte finden, die dieselbe Person sein könnten, und sie zusammenführen",
  "dup.title": "Mögliche Duplikate",
  "dup.intro_one": "{n} Paar könnte dieselbe Person sein.",
  "dup.intro_other": "{n} Paare könnten dieselbe Person sein.",
  "dup.none": "Keine Duplikate gefunden.",
  "dup.kind.email": "Gleiche E-Mail",
  "dup.kind.phone": "Gleiche Telefonnummer",
  "dup.kind.name": "Ähnlicher Name",
  "dup.merge": "Zusammenführen…",
  "dup.merge_title": "Kontakte zusammenführen",
  "dup.survivor": "Bleibt erhalten",
  "dup.other": "Wird übernommen und entfernt",
  "dup.swap": "⇄ Tauschen",
  "dup.swap_title": "Stattdessen den anderen Kontakt behalten",
  "dup.choose_values": "Welcher Wert bleibt",
  "dup.empty_value": "(leer)",
  "dup.no_conflicts": "Alle einzelnen Felder stimmen überein.",
  "dup.merge_note": "E-Mail-Adressen, Telefonnummern und Tags beider werden vereint; Aktivitäten, Aufgaben und Verkaufschancen wandern zum Kontakt, der erhalten bleibt.",
  "dup.merge_confirm": "Zusammenführen",
  "settings.phone_region": "Telefonnummern ohne Ländervorwahl stammen aus",
  "settings.phone_region_hint": "gilt beim Erfassen und Importieren, z. B. 030 123456",
  "data.title": "Daten",
  "data.hint": "Ihre Daten bleiben auf diesem Rechner. Exportieren Sie sie jederzeit oder legen Sie eine vollständige Sicherung an einem sicheren Ort ab.",
  "data.export_csv": "Als CSV exportieren…",
  "data.export_vcard": "Als vCard exportieren…",
  "data.export_json": "Als JSON exportieren…",
  "data.backup": "Sicherung erstellen…",
  "data.backup_title": "Alles (Kontakte, Organisationen, Aktivitäten, Aufgaben, Verkaufschancen, Einstellungen) in einer Datei sichern",
  "data.restore": "Wiederherstellen…",
  "data.restore_title": "Die Daten durch eine Sicherung ersetzen",
  "data.saved_one": "{n} Kontakt gespeichert in {name}",
  "data.saved_other": "{n} Kontakte gespeichert in {name}",
  "data.restore_from": "Wiederherstellen aus {name}",
  "data.created": "Erstellt",
  "data.contains": "Enthält",
  "data.counts": "{contacts} Kontakte, {organizations} Organisationen, {activities} Aktivitäten, {tasks} Aufgaben, {deals} Verkaufschancen",
  "data.app_version": "Erstellt mit",
  "data.replace_warning_one": "Der 1 Kontakt, der jetzt in Kontor ist, wird durch die Sicherung ersetzt. Das kann nicht rückgängig gemacht werden.",
  "data.replace_warning_other": "Die {n} Kontakte, die jetzt in Kontor sind, werden durch die Sicherung ersetzt. Das kann nicht rückgängig gemacht werden.",
  "data.replace_warning_unknown": "Die Kontakte, die jetzt in Kontor sind, werden durch die Sicherung ersetzt. Das kann nicht rückgängig gemacht werden.",
  "data.restore_confirm": "Wiederherstellen",
  "data.restore_replace": "Ersetzen und wiederherstellen",
  "data.restored": "{contacts} Kontakte aus {name} wiederhergestellt.",
  "privacy.title": "Datenschutz",
  "privacy.hint": "Für Anfragen nach der DSGVO: alles über diese Person Gespeicherte herausgeben oder löschen.",
  "privacy.export": "Daten exportieren (DSGVO)",
  "privacy.erase": "Endgültig löschen",
  "privacy.exported": "Alles über {name} gespeichert in {file}",
  "privacy.erase_title": "{name} endgültig löschen?",
  "privacy.erase_text": "{name} wird mit allen Aktivitäten und Aufgaben gelöscht. Das kann nicht rückgängig gemacht werden.",
  "privacy.erase_hint": "Tipp: Exportieren Sie die Daten vorher, wenn die Person eine Kopie verlangt hat.",
  "privacy.erased": "{name} wurde gelöscht.",
  "import.org_only": "nur Organisation",
  "nav.pipeline": "Pipeline",
  "nav.pipeline_title": "Verkaufschancen-Pipeline (G P)",
  "nav.reports": "Berichte",
  "nav.reports_title": "Berichte (G R)",
  "pipeline.title": "Pipeline",
  "pipeline.open_total": "Offene Pipeline",
  "pipeline.total": "Summe",
  "pipeline.weighted": "Gewichtet",
  "pipeline.deals_one": "{n} Verkaufschance",
  "pipeline.deals_other": "{n} Verkaufschancen",
  "pipeline.empty_column": "Keine Verkaufschancen",
  "pipeline.empty": "Noch keine Verkaufschancen. Legen Sie die erste mit „Neue Verkaufschance“ an.",
  "pipeline.new_deal": "Neue Verkaufschance",
  "pipeline.new_deal_title": "Neue Verkaufschance (D)",
  "pipeline.no_next_step": "Kein nächster Schritt geplant",
  "pipeline.idle_one": "{n} Tag ohne Aktivität",
  "pipeline.idle_other": "{n} Tage ohne Aktivität",
  "pipeline.moved": "„{title}“ in {stage} verschoben.",
  "pipeline.keys_hint": "Karten zwischen Spalten ziehen oder eine Karte fokussieren: Umschalt+← / Umschalt+→ verschiebt sie, Enter öffnet sie.",
  "pipeline.close": "Abschluss {date}",
  "pipeline.loading": "Pipeline wird geladen …",
  "deal.new_title": "Neue Verkaufschance",
  "deal.edit_title": "Verkaufschance",
  "deal.contact": "Kontakt",
  "deal.contact_placeholder": "Namen eingeben …",
  "deal.contact_none": "Kein passender Kontakt",
  "deal.contact_clear": "Anderen Kontakt wählen",
  "deal.title": "Titel",
  "deal.title_placeholder": "Was verkauft wird, z. B. Wartungsvertrag",
  "deal.value": "Wert",
  "deal.currency": "Währung",
  "deal.stage": "Phase",
  "deal.probability": "Wahrscheinlichkeit (%)",
  "deal.probability_default": "Standard der Phase {p} %",
  "deal.probability_reset": "Standard der Phase verwenden",
  "deal.close": "Abschlussdatum",
  "deal.next_step": "Nächster Schritt",
  "deal.next_step_placeholder": "z. B. Angebot am Freitag schicken",
  "deal.items": "Positionen",
  "deal.item_product": "Produkt",
  "deal.item_quantity": "Menge",
  "deal.item_price": "Einzelpreis",
  "deal.item_discount": "Rabatt %",
  "deal.item_total": "Gesamt",
  "deal.item_add": "Position hinzufügen",
  "deal.item_remove": "Position {n} entfernen",
  "deal.items_none": "Keine Positionen.",
  "deal.items_sum": "Summe der Positionen",
  "deal.value_from_items": "Wert aus Positionen berechnen",
  "deal.delete": "Verkaufschance löschen",
  "deal.delete_confirm": "„{title}“ wirklich löschen? Das kann nicht rückgängig gemacht werden.",
  "deal.delete_yes": "Löschen",
  "deal.deleted": "Verkaufschance „{title}“ gelöscht.",
  "deal.saved": "Verkaufschance „{title}“ gespeichert.",
  "deal.history": "Phasenverlauf",
  "deal.history_created": "angelegt",
  "deal.lost_reason": "Warum wurde sie verloren?",
  "deal.lost_reason_label": "Grund",
  "deal.lost_title": "„{title}“ als verloren markieren",
  "deal.lost_confirm": "Als verloren markieren",
  "deal.lost_needed": "Bitte einen Grund angeben.",
  "deal.quotes": "Angebote",
  "deal.quote_language": "Sprache des Angebots",
  "deal.quote_create": "Angebot erstellen",
  "deal.quote_open": "Zum Drucken öffnen",
  "deal.quote_save": "Als Datei speichern",
  "deal.quotes_none": "Noch keine Angebote.",
  "deal.quotes_need_items": "Angebote entstehen aus den Positionen: bitte zuerst Positionen erfassen.",
  "deal.quote_created": "Angebot {number} erstellt und protokolliert.",
  "deal.quote_saved": "Angebot gespeichert als {file}.",
  "deal.follow_up": "Follow-up senden",
  "deal.follow_up_title": "Follow-up-E-Mail aus einer Vorlage entwerfen (M)",
  "deal.task": "Folgeaufgabe",
  "deal.task_title": "Eine Aufgabe zu dieser Verkaufschance und ihrem Kontakt anlegen",
  "deal.save_first": "Speichern Sie die Verkaufschance, um Angebote und Follow-ups zu erstellen.",
  "lang.de": "Deutsch",
  "lang.en": "Englisch",
  "email.title": "Follow-up an {name}",
  "email.template": "Vorlage",
  "email.to": "An",
  "email.no_email": "{name} hat keine E-Mail-Adresse: das Mailprogramm öffnet sich ohne Empfänger.",
  "email.subject": "Betreff",
  "email.body": "Nachricht",
  "email.send": "Im Mailprogramm öffnen",
  "email.sent": "E-Mail an {name} an das Mailprogramm übergeben und protokolliert.",
  "email.no_templates": "Keine E-Mail-Vorlagen. Legen Sie eine in den Einstellungen an.",
  "email.loading": "Vorlage wird ausgefüllt …",
  "contact.deals": "Verkaufschancen",
  "contact.deal_new": "Neue Verkaufschance",
  "contact.deals_empty": "Noch keine Verkaufschancen.",
  "contact.repeat_customer": "Stammkunde",
  "contact.deals_summary": "{open} offen · {won} gewonnen · {lost} verloren",
  "automation.task": "Aufgabe angelegt: {title} (fällig {date})",
  "automation.proposed": "{stage} vorgeschlagen",
  "automation.open": "Kontakt öffnen",
  "reports.title": "Berichte",
  "reports.period": "Zeitraum",
  "reports.from": "Von",
  "reports.to": "Bis",
  "reports.preset_month": "Dieser Monat",
  "reports.preset_30": "Letzte 30 Tage",
  "reports.preset_quarter": "Dieses Quartal",
  "reports.preset_year": "Dieses Jahr",
  "reports.preset_all": "Gesamter Zeitraum",
  "reports.export": "CSV exportieren",
  "reports.exported": "{file} gespeichert ({n} Zeilen).",
  "reports.loading": "Wird geladen …",
  "reports.empty": "Nichts in diesem Zeitraum.",
  "reports.funnel": "Trichter",
  "reports.funnel_hint": "Kontakte je Phase am Ende des Zeitraums; in Klammern: wie viele im Zeitraum hineinkamen.",
  "reports.entered": "{n} neu",
  "reports.conversion": "Konversionsrate",
  "reports.conversion_hint": "Von den Kontakten, die im Zeitraum in eine Phase kamen, der Anteil, der bis zum Ende des Zeitraums die nächste (oder eine spätere) erreichte.",
  "reports.converted": "{converted} von {entered}",
  "reports.avg_days": "Durchschnittliche Zeit in der Phase",
  "reports.days": "{n} Tage",
  "reports.no_stays": "keine abgeschlossenen Aufenthalte",
  "reports.pipeline": "Pipeline-Wert",
  "reports.pipeline_hint": "Offene Verkaufschancen jetzt, je Phase: Summe und gewichtet mit der Wahrscheinlichkeit. Gewinnquote und Größe über die im Zeitraum abgeschlossenen.",
  "reports.win_rate": "Gewinnquote",
  "reports.won_lost": "{won} gewonnen · {lost} verloren",
  "reports.avg_won": "Durchschnittlich gewonnen",
  "reports.won_total": "Gewonnen insgesamt",
  "reports.total": "Summe",
  "reports.weighted": "Gewichtet",
  "reports.activities": "Aktivitäten pro Woche",
  "reports.activities_hint": "Erfasste Aktivitäten je Woche (Montag bis Sonntag), nach Art.",
  "reports.week": "Woche ab {date}",
  "reports.sources": "Lead-Quellen",
  "reports.sources_hint": "Im Zeitraum angelegte Kontakte je Quelle und wie viele davon bis zum Ende des Zeitraums Kunden wurden.",
  "reports.leads": "Leads",
  "reports.customers": "Kunden",
  "reports.no_source": "(ohne Quelle)",
  "reports.rate": "{rate} wurden Kunden",
  "reports.overdue": "Überfällige Aufgaben",
  "reports.overdue_hint": "Offene Aufgaben nach ihrer Fälligkeit (mit Zeitraum: die darin fälligen).",
  "reports.overdue_none": "Keine überfälligen Aufgaben.",
  "reports.overdue_count_one": "{n} überfällige Aufgabe",
  "reports.overdue_count_other": "{n} überfällige Aufgaben",
  "reports.no_contact": "ohne Kontakt",
  "settings.pipeline": "Pipeline-Phasen",
  "settings.pipeline_hint": "Offene Phasen in der Reihenfolge der Pipeline; gewonnen und verloren sind fest. Verrotten: eine offene Verkaufschance ohne Aktivität über mehr Tage bekommt eine Markierung.",
  "settings.stage_name_de": "Name (Deutsch)",
  "settings.stage_name_en": "Name (Englisch)",
  "settings.stage_probability": "Wahrscheinlichkeit %",
  "settings.stage_rotting": "Ohne Aktivität auffällig nach Tagen",
  "settings.stage_add": "Phase hinzufügen",
  "settings.stage_remove": "Phase {name} entfernen",
  "settings.stage_up": "{name} nach oben",
  "settings.stage_down": "{name} nach unten",
  "settings.stage_fixed": "fest",
  "settings.rules": "Automatisierung",
  "settings.rules_hint": "Wenn etwas passiert, tut Kontor etwas. Jede Regel läuft einmal pro Ereignis; was sie tut, löst keine weiteren Regeln aus.",
  "settings.rules_none": "Keine Regeln.",
  "settings.rule_enabled": "An",
  "settings.rule_when": "Wenn",
  "settings.rule_then": "dann",
  "settings.rule_add": "Regel hinzufügen",
  "settings.rule_delete": "Regel löschen",
  "rule.trigger.contact_stage_changed": "Kontaktphase wechselt zu",
  "rule.trigger.score_crossed": "Score überschreitet",
  "rule.trigger.deal_stage_changed": "Verkaufschance kommt in",
  "rule.trigger.deal_won": "Verkaufschance gewonnen",
  "rule.trigger.task_completed": "Aufgabe erledigt",
  "rule.action.create_task": "Aufgabe anlegen",
  "rule.action.notify": "Hinweis zeigen",
  "rule.action.propose_stage": "Phase vorschlagen",
  "rule.title": "Titel der Aufgabe",
  "rule.due_in_days": "fällig in Tagen",
  "rule.message": "Hinweistext",
  "rule.threshold": "Schwelle",
  "settings.templates": "E-Mail-Vorlagen",
  "settings.templates_none": "Keine Vorlagen.",
  "settings.template_name": "Name",
  "settings.template_language": "Sprache",
  "settings.template_subject": "Betreff",
  "settings.template_body": "Text",
  "settings.template_add": "Vorlage hinzufügen",
  "settings.template_delete": "Vorlage löschen",
  "settings.placeholders": "Platzhalter (in Betreff, Text, Aufgabentiteln und Hinweisen):",
  "settings.company": "Firma (Kopf der Angebote)",
  "company.name": "Firmenname",
  "company.address": "Anschrift",
  "company.email": "E-Mail",
  "company.phone": "Telefon",
  "company.vat_id": "USt-IdNr.",
  "company.footer": "Fußzeile (Bankverbindung, Bedingungen)",
  "settings.field.deal_stages": "Pipeline-Phasen",
  "settings.field.automation": "Automatisierungsregeln",
  "settings.field.email_templates": "E-Mail-Vorlagen",
  "settings.field.company": "Firma",
  "deal.field.line_items": "Positionen",
  "deal.field.contact_id": "Kontakt",
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
    field: err.code === "invalid_settings" ? settingsFieldName(err.field) : fieldName(err.field),
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

/** Intl formatters cost much to make (each row of the list formats a date): one per locale and options. */
const formatters = new Map<string, unknown>();

function made<T>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (f === undefined) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return made(`date ${locale} ${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return made(`number ${locale} ${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  return made(`relative ${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
}

function pluralRules(locale: string): Intl.PluralRules {
  return made(`plural ${locale}`, () => new Intl.PluralRules(locale));
}

export function formatDate(iso: string): string {
  const d = parse(iso);
  return d ? dateFormat(dates, { dateStyle: "medium" }).format(d) : iso;
}

export function formatDateTime(iso: string): string {
  const d = parse(iso);
  return d ? dateFormat(dates, { dateStyle: "medium", timeStyle: "short" }).format(d) : iso;
}

export function kindName(kind: ActivityKind): string {
  return t(`kind.${kind}`);
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
  if (`kind.${last}` in en) return t(`kind.${last}` as MessageKey);
  const head = field.split(/[.[]/)[0];
  if (`settings.field.${head}` in en) return t(`settings.field.${head}` as MessageKey);
  const known: Record<string, MessageKey> = {
    half_life_days: "settings.half_life", prospect_threshold: "settings.prospect_threshold",
    opportunity_threshold: "settings.opportunity_threshold", industries: "settings.industries",
    size_min: "settings.size_min", size_max: "settings.size_max", regions: "settings.regions",
  };
  return known[last] ? t(known[last]) : field;
}

/** A count with the language's digit grouping: "12,345", "12.345". */
export function formatCount(n: number): string {
  return numberFormat(active).format(n);
}

/** Points with one decimal at most and always a sign: "+15", "+7,5". */
export function formatPoints(points: number): string {
  return numberFormat(active, { maximumFractionDigits: 1, signDisplay: "always" }).format(points);
}

/** Whole days ago → "today", "yesterday", "3 days ago" (Intl.RelativeTimeFormat). */
export function relativeDays(days: number | bigint): string {
  const n = Math.max(0, Math.floor(Number(days)));
  return relativeFormat(active).format(n === 0 ? 0 : -n, "day");
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
  if (line.part === "engagement" && `kind.${line.key}` in en && line.age_days !== null) {
    const name = kindName(line.key as ActivityKind);
    // English reads "+15 webinar attended"; German nouns keep their capital.
    const kind = active === "en" ? name.charAt(0).toLowerCase() + name.slice(1) : name;
    const params = { points, kind, age: relativeDays(line.age_days), count: line.count };
    return t(line.count > 1 ? "line.activity_many" : "line.activity", params);
  }
  return `${points} ${line.reason}`;
}

// ---- tasks ------------------------------------------------------------------

/** Picks `${base}_one` or `${base}_other` for `n` by the language's plural rules. */
export function plural(base: string, n: number): string {
  const form = pluralRules(active).select(n) === "one" ? "one" : "other";
  return t(`${base}_${form}` as MessageKey, { n: numberFormat(active).format(n) });
}

export function formatTime(d: Date): string {
  return dateFormat(dates, { timeStyle: "short" }).format(d);
}

/** "today", "tomorrow", "yesterday" (Intl), else "Mon, Mar 16" (with the year when not this year). */
export function dayWord(d: Date, now: Date = clock.now()): string {
  const diff = dayDiff(now, d);
  if (Math.abs(diff) <= 1) return relativeFormat(active).format(diff, "day");
  const opts: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
  if (d.getFullYear() !== now.getFullYear()) opts.year = "numeric";
  return dateFormat(dates, opts).format(d);
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
