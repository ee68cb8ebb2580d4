// The one seam between the UI and the Tauri backend: the only module that
// imports @tauri-apps/*. Views call these typed functions; every rejection
// becomes an `AppError` carrying the backend's stable error code.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { ActivityInput } from "./bindings/ActivityInput";
import type { ActivityPage } from "./bindings/ActivityPage";
import type { ActivityQuery } from "./bindings/ActivityQuery";
import type { AppInfo } from "./bindings/AppInfo";
import type { BackupEntry } from "./bindings/BackupEntry";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { Checkup } from "./bindings/Checkup";
import type { Repair } from "./bindings/Repair";
import type { ChosenFile } from "./bindings/ChosenFile";
import type { AutomationOutcome } from "./bindings/AutomationOutcome";
import type { ContactDeals } from "./bindings/ContactDeals";
import type { ContactDetail } from "./bindings/ContactDetail";
import type { Deal } from "./bindings/Deal";
import type { DealInput } from "./bindings/DealInput";
import type { DealSaved } from "./bindings/DealSaved";
import type { Pipeline } from "./bindings/Pipeline";
import type { Period } from "./bindings/Period";
import type { Quote } from "./bindings/Quote";
import type { RenderedEmail } from "./bindings/RenderedEmail";
import type { ReportKind } from "./bindings/ReportKind";
import type { Funnel } from "./bindings/Funnel";
import type { Conversion } from "./bindings/Conversion";
import type { PipelineReport } from "./bindings/PipelineReport";
import type { ActivitiesReport } from "./bindings/ActivitiesReport";
import type { SourcesReport } from "./bindings/SourcesReport";
import type { OverdueReport } from "./bindings/OverdueReport";
import type { Language } from "./bindings/Language";
import type { ContactInput } from "./bindings/ContactInput";
import type { ContactPage } from "./bindings/ContactPage";
import type { CriteriaUpdate } from "./bindings/CriteriaUpdate";
import type { CompletedTask } from "./bindings/CompletedTask";
import type { DuplicatePair } from "./bindings/DuplicatePair";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReport } from "./bindings/ImportReport";
import type { ListQuery } from "./bindings/ListQuery";
import type { MergePicks } from "./bindings/MergePicks";
import type { Organization } from "./bindings/Organization";
import type { OrganizationInput } from "./bindings/OrganizationInput";
import type { RecordCounts } from "./bindings/RecordCounts";
import type { SavedFile } from "./bindings/SavedFile";
import type { Score } from "./bindings/Score";
import type { SearchQuery } from "./bindings/SearchQuery";
import type { SearchResults } from "./bindings/SearchResults";
import type { Settings } from "./bindings/Settings";
import type { SnoozePreset } from "./bindings/SnoozePreset";
import type { Stage } from "./bindings/Stage";
import type { StageChangeRequest } from "./bindings/StageChangeRequest";
import type { StageCounts } from "./bindings/StageCounts";
import type { TaskCounts } from "./bindings/TaskCounts";
import type { TaskInput } from "./bindings/TaskInput";
import type { TaskItem } from "./bindings/TaskItem";
import type { TaskView } from "./bindings/TaskView";

const ERROR_CODES: readonly ErrorCode[] = [
  "not_found", "invalid_transition", "same_stage", "reason_required", "name_required",
  "invalid_email", "invalid_phone", "invalid_input", "store_locked", "store_corrupt",
  "store_newer", "storage", "internal", "no_proposal", "invalid_settings", "unreadable_file", "invalid_backup",
  "store_not_empty", "io",
];

/** A failed backend call, with the backend's translatable error code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | null;
  readonly from: Stage | null;
  readonly to: Stage | null;

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = "AppError";
    this.code = payload.code;
    this.field = payload.field;
    this.from = payload.from;
    this.to = payload.to;
  }

  /** Turns whatever `invoke` rejected with into an AppError (unknown shapes become `internal`). */
  static from(raw: unknown): AppError {
    if (raw instanceof AppError) return raw;
    if (raw && typeof raw === "object" && "code" in raw) {
      const p = raw as Partial<ErrorPayload>;
      const code = ERROR_CODES.includes(p.code as ErrorCode) ? (p.code as ErrorCode) : "internal";
      return new AppError({
        code,
        message: typeof p.message === "string" ? p.message : String(p.code),
        field: p.field ?? null,
        from: p.from ?? null,
        to: p.to ?? null,
      });
    }
    const message = raw instanceof Error ? raw.message : String(raw);
    return new AppError({ code: "internal", message, field: null, from: null, to: null });
  }
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw AppError.from(raw);
  }
}

export const listContacts = (query: ListQuery) => call<ContactPage>("list_contacts", { query });
export const stageCounts = (search: string | null) => call<StageCounts>("stage_counts", { search });
export const search = (query: SearchQuery) => call<SearchResults>("search", { query });
export const getContact = (id: string) => call<ContactDetail>("get_contact", { id });
export const createContact = (input: ContactInput) => call<ContactDetail>("create_contact", { input });
export const updateContact = (id: string, input: ContactInput) =>
  call<ContactDetail>("update_contact", { id, input });
export const changeStage = (id: string, change: StageChangeRequest) =>
  call<ContactDetail>("change_stage", { id, change });
export const listOrganizations = (search: string | null) =>
  call<Organization[]>("list_organizations", { search });
export const getSettings = () => call<Settings>("get_settings");
export const setSettings = (settings: Settings) => call<Settings>("set_settings", { settings });
export const loadDemoData = () => call<StageCounts>("load_demo_data");
export const appInfo = () => call<AppInfo>("app_info");
export const logActivity = (id: string, input: ActivityInput) => call<ContactDetail>("log_activity", { id, input });
export const listActivities = (id: string, query: ActivityQuery) =>
  call<ActivityPage>("list_activities", { id, query });
/** `id` is the activity's id; returns the contact it belonged to. */
export const deleteActivity = (id: string) => call<ContactDetail>("delete_activity", { id });
export const setCriteria = (id: string, criteria: CriteriaUpdate) =>
  call<ContactDetail>("set_criteria", { id, criteria });
export const getScore = (id: string) => call<Score>("get_score", { id });
export const acceptProposal = (id: string) => call<ContactDetail>("accept_proposal", { id });
export const updateOrganization = (id: string, input: OrganizationInput) =>
  call<Organization>("update_organization", { id, input });

export const listTasks = (view: TaskView) => call<TaskItem[]>("list_tasks", { view });
export const taskCounts = () => call<TaskCounts>("task_counts");
/** `id` is the contact's id. */
export const contactTasks = (id: string) => call<TaskItem[]>("contact_tasks", { id });
export const createTask = (input: TaskInput) => call<TaskItem>("create_task", { input });
export const updateTask = (id: string, input: TaskInput) => call<TaskItem>("update_task", { id, input });
export const completeTask = (id: string) => call<CompletedTask>("complete_task", { id });
export const snoozeTask = (id: string, preset: SnoozePreset) => call<TaskItem>("snooze_task", { id, preset });
export const deleteTask = (id: string) => call<null>("delete_task", { id });

/** The backend's event when tasks changed outside the UI (tray "snooze all", reminders firing). */
export const TASKS_CHANGED = "tasks-changed";

/** Calls `cb` on every `tasks-changed` event; resolves to the function that stops listening. */
export async function onTasksChanged(cb: () => void): Promise<() => void> {
  try {
    return await listen<unknown>(TASKS_CHANGED, () => cb());
  } catch (raw) {
    throw AppError.from(raw);
  }
}

/** The backend's event when a rebuilt search and list index is complete again. */
export const INDEX_REBUILT = "index-rebuilt";

/** The backend's event when the daily integrity check found problems (its payload: them). */
export const STORE_CHECKED = "store-checked";

/** Calls `cb` on every `store-checked` event; resolves to the function that stops listening. */
export async function onStoreChecked(cb: () => void): Promise<() => void> {
  try {
    return await listen<unknown>(STORE_CHECKED, () => cb());
  } catch (raw) {
    throw AppError.from(raw);
  }
}

/** Calls `cb` on every `index-rebuilt` event; resolves to the function that stops listening. */
export async function onIndexRebuilt(cb: () => void): Promise<() => void> {
  try {
    return await listen<unknown>(INDEX_REBUILT, () => cb());
  } catch (raw) {
    throw AppError.from(raw);
  }
}

// ---- import, export, backup, GDPR ----------------------------------------------
// The native open/save dialogs are opened by the backend inside these commands;
// the UI never sees a path. `null` means the user cancelled the dialog.

/** The backend's event while import_run works: `ImportProgress` ({done, total}). */
export const IMPORT_PROGRESS = "import-progress";

export const chooseImportFile = () => call<ChosenFile | null>("choose_import_file");
/** What importing the chosen file would do; nothing is written. */
export const importPreview = (options: ImportOptions) => call<ImportPreview>("import_preview", { options });

/** Imports the chosen file, calling `onProgress` on every `import-progress` event until it returns. */
export async function importRun(options: ImportOptions, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
  let unlisten: (() => void) | null = null;
  try {
    unlisten = await listen<ImportProgress>(IMPORT_PROGRESS, (ev) => onProgress(ev.payload));
  } catch {
    /* no event support: the import still runs, just without a moving bar */
  }
  try {
    return await call<ImportReport>("import_run", { options });
  } finally {
    unlisten?.();
  }
}

/** Stops a running import after its current batch (its report says `cancelled`). */
export const cancelImport = () => call<null>("cancel_import");
export const findDuplicates = () => call<DuplicatePair[]>("find_duplicates");
/** Merges `other` into `survivor`; returns the survivor. */
export const mergeContacts = (survivor: string, other: string, picks: MergePicks) =>
  call<ContactDetail>("merge_contacts", { survivor, other, picks });
export const exportContacts = (format: ExportFormat) => call<SavedFile | null>("export_contacts", { format });
export const backupStore = () => call<SavedFile | null>("backup_store");
export const chooseBackupFile = () => call<BackupInfo | null>("choose_backup_file");
/** Replaces the store with the chosen backup; rejects with `store_not_empty` unless `force` when contacts exist. */
export const restoreStore = (force: boolean) => call<RecordCounts>("restore_store", { force });
/** The automatic backups in the data folder, newest first. */
export const listBackups = () => call<BackupEntry[]>("list_backups");
/** Restores one automatic backup by its file name (the present state is backed up first). */
export const restoreBackup = (file: string) => call<RecordCounts>("restore_backup", { file });
/** Recovery when the store could not be opened: the newest checked backup. */
export const recoverLatest = () => call<RecordCounts>("recover_latest");
/** The integrity check. */
export const checkStore = () => call<Checkup>("check_store");
/** Rebuilds everything derived from the records (deletes none). */
export const repairStore = () => call<Repair>("repair_store");
/** GDPR: everything about one person as a JSON file. */
export const exportPerson = (id: string) => call<SavedFile | null>("export_person", { id });
/** GDPR: erases the person with their activities and tasks for good. */
/** Erases a person; `false` when the store's files keep traces until the next start. */
export const erasePerson = (id: string) => call<boolean>("erase_person", { id });

// ---- deals, pipeline, reports, email follow-ups, quotes -------------------------

export const listDeals = (stage: string | null) => call<Deal[]>("list_deals", { stage });
export const getDeal = (id: string) => call<Deal>("get_deal", { id });
/** `id` is the contact's id. */
export const contactDeals = (id: string) => call<ContactDeals>("contact_deals", { id });
export const createDeal = (input: DealInput) => call<DealSaved>("create_deal", { input });
/** A different `input.stage` moves the deal (the lost stage needs `input.lost_reason`). */
export const updateDeal = (id: string, input: DealInput) => call<DealSaved>("update_deal", { id, input });
/** Moving to the lost stage without a reason rejects with `reason_required` (field `reason`). */
export const moveDeal = (id: string, stage: string, reason: string | null) =>
  call<DealSaved>("move_deal", { id, stage, reason });
/** Returns the deal's contact after coupling. */
export const deleteDeal = (id: string) => call<ContactDetail>("delete_deal", { id });
export const pipeline = () => call<Pipeline>("pipeline");

/** What each report kind returns (the wire union is untagged; the kind asked for decides). */
export interface ReportOf {
  funnel: Funnel;
  conversion: Conversion;
  pipeline: PipelineReport;
  activities: ActivitiesReport;
  sources: SourcesReport;
  overdue: OverdueReport;
}
export const report = <K extends ReportKind>(kind: K, period: Period) => call<ReportOf[K]>("report", { kind, period });
/** Writes the report as CSV (in the UI language) where the native save dialog says; null = cancelled. */
export const exportReport = (kind: ReportKind, period: Period) => call<SavedFile | null>("export_report", { kind, period });

export const renderEmail = (templateId: string, contactId: string, dealId: string | null) =>
  call<RenderedEmail>("render_email", { templateId, contactId, dealId });
/** Opens the mail client with the (possibly edited) email and logs an email activity. */
export const sendEmail = (contactId: string, email: RenderedEmail) => call<ContactDetail>("send_email", { contactId, email });

export const createQuote = (dealId: string, language: Language) => call<Quote>("create_quote", { dealId, language });
/** Opens the quote in the browser, for print-to-PDF. */
export const openQuote = (dealId: string, quoteId: string) => call<null>("open_quote", { dealId, quoteId });
export const saveQuote = (dealId: string, quoteId: string) => call<SavedFile | null>("save_quote", { dealId, quoteId });

/** The backend's event after a mutation fired automation rules: `AutomationOutcome[]`. */
export const AUTOMATION = "automation";

/** Calls `cb` with every `automation` event's outcomes; resolves to the function that stops listening. */
export async function onAutomation(cb: (outcomes: AutomationOutcome[]) => void): Promise<() => void> {
  try {
    return await listen<AutomationOutcome[]>(AUTOMATION, (ev) => cb(Array.isArray(ev.payload) ? ev.payload : []));
  } catch (raw) {
    throw AppError.from(raw);
  }
}
