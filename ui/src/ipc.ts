// The UI's way into the backend: the generated command wrappers
// (`generated/commands.ts`, one per Rust command), the backend's events, and the two
// calls that need more than a wrapper (the import's progress, the report's
// type per kind). Views import this module, never `tauri.ts` directly.
import type { ActivitiesReport } from "./bindings/ActivitiesReport";
import type { AutomationOutcome } from "./bindings/AutomationOutcome";
import type { Conversion } from "./bindings/Conversion";
import type { Funnel } from "./bindings/Funnel";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReport } from "./bindings/ImportReport";
import type { OverdueReport } from "./bindings/OverdueReport";
import type { Period } from "./bindings/Period";
import type { PipelineReport } from "./bindings/PipelineReport";
import type { ReportKind } from "./bindings/ReportKind";
import type { SourcesReport } from "./bindings/SourcesReport";
import type { SyncView } from "./bindings/SyncView";
import * as commands from "./generated/commands";
import { subscribe } from "./tauri";

export * from "./generated/commands";
export { AppError } from "./tauri";

/** The backend's event when tasks changed outside the UI (tray "snooze all", reminders firing). */
export const TASKS_CHANGED = "tasks-changed";
/** The backend's event when a rebuilt search and list index is complete again. */
export const INDEX_REBUILT = "index-rebuilt";
/** The backend's event when the daily integrity check found problems (its payload: them). */
export const STORE_CHECKED = "store-checked";
/** The backend's event while import_run works: `ImportProgress` ({done, total}). */
export const IMPORT_PROGRESS = "import-progress";
/** The backend's event after a mutation fired automation rules: `AutomationOutcome[]`. */
export const AUTOMATION = "automation";
/** The backend's event when the rep clicked a reminder: the id of the contact to show. */
export const OPEN_CONTACT = "open-contact";

/** Calls `cb` on every `tasks-changed` event; resolves to the function that stops listening. */
export const onTasksChanged = (cb: () => void) => subscribe<unknown>(TASKS_CHANGED, () => cb());
/** Calls `cb` with the contact id of every `open-contact` event; resolves to the function that stops listening. */
export const onOpenContact = (cb: (id: string) => void) => subscribe<string>(OPEN_CONTACT, (id) => cb(id));
/** Calls `cb` on every `store-checked` event; resolves to the function that stops listening. */
export const onStoreChecked = (cb: () => void) => subscribe<unknown>(STORE_CHECKED, () => cb());
/** Calls `cb` on every `index-rebuilt` event; resolves to the function that stops listening. */
export const onIndexRebuilt = (cb: () => void) => subscribe<unknown>(INDEX_REBUILT, () => cb());
/** The backend's event when team sync's state changed: `SyncView`. */
export const SYNC_STATUS = "sync-status";
/** Calls `cb` with every `sync-status` event's state; resolves to the function that stops listening. */
export const onSyncStatus = (cb: (view: SyncView) => void) => subscribe<SyncView>(SYNC_STATUS, (view) => cb(view));
/** Calls `cb` with every `automation` event's outcomes; resolves to the function that stops listening. */
export const onAutomation = (cb: (outcomes: AutomationOutcome[]) => void) =>
  subscribe<unknown>(AUTOMATION, (payload) => cb(Array.isArray(payload) ? (payload as AutomationOutcome[]) : []));

/** Imports the chosen file, calling `onProgress` on every `import-progress` event until it returns. */
export async function importRun(options: ImportOptions, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
  let unlisten: (() => void) | null = null;
  try {
    unlisten = await subscribe<ImportProgress>(IMPORT_PROGRESS, onProgress);
  } catch {
    /* no event support: the import still runs, just without a moving bar */
  }
  try {
    return await commands.importRun(options);
  } finally {
    unlisten?.();
  }
}

/** What each report kind returns (the wire union is untagged; the kind asked for decides). */
export interface ReportOf {
  funnel: Funnel;
  conversion: Conversion;
  pipeline: PipelineReport;
  activities: ActivitiesReport;
  sources: SourcesReport;
  overdue: OverdueReport;
}
export const report = <K extends ReportKind>(kind: K, period: Period) =>
  commands.report(kind, period) as Promise<unknown> as Promise<ReportOf[K]>;
