// What the views may ask of the application: its state (read to render)
// and the use cases they trigger. Views depend on this interface, never on
// `app.ts`, which implements it and imports the views; so no view and the
// app ever import each other.
import type { Activity } from "./bindings/Activity";
import type { ActivityKind } from "./bindings/ActivityKind";
import type { AppInfo } from "./bindings/AppInfo";
import type { ContactFilter } from "./bindings/ContactFilter";
import type { ViewCount } from "./bindings/ViewCount";
import type { SavedView } from "./bindings/SavedView";
import type { Contact } from "./bindings/Contact";
import type { ContactDeals } from "./bindings/ContactDeals";
import type { ContactDetail } from "./bindings/ContactDetail";
import type { ContactMatch } from "./bindings/ContactMatch";
import type { Deal } from "./bindings/Deal";
import type { Period } from "./bindings/Period";
import type { Pipeline } from "./bindings/Pipeline";
import type { SearchHit } from "./bindings/SearchHit";
import type { SearchResults } from "./bindings/SearchResults";
import type { OrganizationDetail } from "./bindings/OrganizationDetail";
import type { OrganizationSummary } from "./bindings/OrganizationSummary";
import type { Settings } from "./bindings/Settings";
import type { SnoozePreset } from "./bindings/SnoozePreset";
import type { SortOrder } from "./bindings/SortOrder";
import type { Stage } from "./bindings/Stage";
import type { StageCounts } from "./bindings/StageCounts";
import type { TaskCounts } from "./bindings/TaskCounts";
import type { TaskItem } from "./bindings/TaskItem";
import type { CalendarMode } from "./calendar";
import type { PeriodPreset } from "./periods";
import type { Lang } from "./i18n";
import type { AppError, ReportOf } from "./ipc";
import type { TaskTab } from "./tasks";
import type { PickedContact } from "./views/contactPicker";

/** The contact a new deal starts with. */
export type DealContact = PickedContact;
/** The contact a new task starts with. */
export type PresetContact = PickedContact;
/** The deal a new task starts with (opened from that deal). */
export interface PresetDeal {
  id: string;
  title: string;
}

export const PAGE_SIZE = 100;
export const SEARCH_DEBOUNCE_MS = 120;
/** Organisations and deals a search shows beside the contacts. */
export const OTHER_HITS = 5;
export const TIMELINE_PAGE = 50;
/** How long the "ready for …" notice stays. */
export const NOTICE_MS = 8000;

/** A toast's button (Undo). */
export interface ToastAction {
  label: string;
  run: () => void;
}
/** How often task counts and relative due texts refresh by themselves. */
export const TASKS_REFRESH_MS = 60_000;
/** How long after "g" a second key navigates (g c, g t). */
export const GOTO_MS = 1500;

export type View =
  | { name: "list" } | { name: "tasks" } | { name: "pipeline" } | { name: "reports" } | { name: "contact"; detail: ContactDetail }
  | { name: "organizations" } | { name: "organization"; detail: OrganizationDetail } | { name: "calendar" };
/** The top-level place a contact page was opened from (Back and Esc return there). */
export type Place = "list" | "tasks" | "pipeline" | "reports" | "organizations" | "calendar";

/** How the organisations list is ordered. */
export type OrgSort = "name" | "contacts" | "open_deals";

/** The organisations view: its search, order and the organisations found. */
export interface OrganizationsState {
  search: string;
  sort: OrgSort;
  /** `null` until loaded. */
  items: OrganizationSummary[] | null;
  loading: boolean;
}

/** The pipeline board's data. */
export interface PipelineState {
  data: Pipeline | null;
  loading: boolean;
}

/** The reports view: the period (and the preset it came from), each report as loaded. */
export interface ReportsState {
  period: Period;
  preset: PeriodPreset | null;
  data: Partial<ReportOf>;
  /** Contact names for the overdue report, by id. */
  names: Record<string, string>;
  loading: boolean;
}

/** The open contact's deals. */
export interface ContactDealsState {
  contactId: string;
  data: ContactDeals | null;
}

/** The tasks view: the active tab, its tasks, the counts per tab. */
export interface TasksState {
  tab: TaskTab;
  items: TaskItem[];
  counts: TaskCounts | null;
  /** Done tasks as last loaded (task_counts has no done count); null until the Done tab was shown. */
  doneCount: number | null;
  loading: boolean;
  /** Whether `items` belong to `tab` (else "loading" instead of the empty state). */
  loaded: boolean;
}

/** The open contact's tasks. */
export interface ContactTasksState {
  contactId: string;
  items: TaskItem[];
  loading: boolean;
}

export interface ListState {
  /** The filter panel's or a saved view's filter (null: none). */
  filter: ContactFilter | null;
  /** The saved view shown (its id), if any. */
  view: string | null;
  /** Whether the filter panel is open. */
  filterOpen: boolean;
  /** Each saved view's count (null until loaded). */
  viewCounts: ViewCount[] | null;
  search: string;
  stage: Stage | null;
  /** Only contacts with a qualification proposal. */
  ready: boolean;
  sort: SortOrder;
  items: Contact[];
  total: number;
  /** Whether more than `total` may match (a search of one or two letters stops counting early). */
  more: boolean;
  /** With search text: why each listed contact matched (same order as `items`). */
  matches: ContactMatch[];
  /** Each listed contact's phone numbers as the rep reads them (same order as `items`). */
  phones: string[][];
  /** With search text: the organisations and deals it finds (up to a few of each). */
  others: SearchResults | null;
  /** Only this organisation's contacts. */
  organization: { id: string; name: string } | null;
  counts: StageCounts | null;
  loading: boolean;
  /** Whether data must be fetched again before the list is shown. */
  stale: boolean;
  /** Whether the store is rebuilding its search and list index (lists may be incomplete). */
  rebuilding: boolean;
}

/** The open contact's timeline: loaded entries, the kind filter, counts per kind. */
export interface TimelineState {
  contactId: string;
  kind: ActivityKind | null;
  items: Activity[];
  total: number;
  /** Entries per kind (unfiltered); kinds with 0 get no filter chip. */
  counts: Partial<Record<ActivityKind, number>>;
  loading: boolean;
}

/** An open modal dialog; `rerender` rebuilds its texts after a language switch. */
export interface OpenDialog {
  el: HTMLDialogElement;
  rerender?: () => void;
  /** Focused element before the dialog opened, to give focus back. */
  returnFocus: Element | null;
  /** Whether the rep changed a field in it (then dismissing asks first). */
  changed: boolean;
  /** Called once when the dialog closes (however it closes). */
  onClose?: () => void;
}

/** The application as the views see it (implemented by `App` in app.ts). */
export interface Shell {
  acceptProposal(id: string): Promise<void>;
  activitiesChanged(contactId: string, detail?: ContactDetail): Promise<void>;
  back(): Promise<void>;
  backToList(): Promise<void>;
  clearError(): void;
  clearOrganization(): void;
  closeModal(): void;
  /**
   * The rep dismisses the dialog (Esc, Cancel, Close): asks first when they
   * changed something in it; `then` runs once it is closed.
   */
  dismissModal(then?: () => void): void;
  completeTask(item: TaskItem): Promise<void>;
  contactChanged(detail: ContactDetail, opts?: { focus?: string; activities?: boolean; stay?: boolean }): void;
  contactDeals: ContactDealsState | null;
  contactTasks: ContactTasksState | null;
  dataChanged(): Promise<void>;
  dealsChanged(contact: ContactDetail | null): Promise<void>;
  deleteActivity(activityId: string): Promise<void>;
  deleteTask(id: string): Promise<void>;
  info: AppInfo | null;
  list: ListState;
  loadDemo(): Promise<void>;
  loadMore(): Promise<void>;
  loadTimeline(more: boolean): Promise<void>;
  moveDeal(id: string, stage: string, reason?: string | null): Promise<void>;
  openActivityDialog(kind: ActivityKind | null): void;
  /** Edits a logged activity of the contact shown. */
  editActivity(activity: Activity): void;
  openContact(id: string, from?: Place): Promise<void>;
  openDeal(id: string): Promise<void>;
  openDealDialog(deal: Deal | null, contact?: DealContact | null): void;
  openDuplicates(): void;
  /** The conflicts of team sync. */
  openConflicts(): void;
  /** Team sync's state changed here (connected, synced, a conflict resolved): the header reads it anew. */
  syncChanged(): Promise<void>;
  openEmailDialog(contactId: string, dealId: string | null): void;
  openForm(detail: ContactDetail | null): void;
  openHit(hit: SearchHit): void;
  openImport(): void;
  openModal(el: HTMLDialogElement, rerender?: () => void, onClose?: () => void): void;
  openOrgDialog(): void;
  /** The top-level places. */
  showList(): Promise<void>;
  showTasks(): Promise<void>;
  showPipeline(): Promise<void>;
  showReports(): Promise<void>;
  /** The calendar (week, day, day plan, mileage log), in `mode` when given. */
  showCalendar(mode?: CalendarMode): Promise<void>;
  showReadyList(): Promise<void>;
  focusSearch(): void;
  /** A contact as a deal dialog names it. */
  contactRef(detail: ContactDetail): DealContact;
  /** The organisations list. */
  organizations: OrganizationsState;
  showOrganizations(): Promise<void>;
  /** An organisation's page. */
  openOrganization(id: string): Promise<void>;
  setOrgSearch(text: string): void;
  setOrgSort(sort: OrgSort): void;
  /** The contacts list showing one organisation's contacts. */
  showOrganization(id: string, name: string): void;
  /** Reloads the organisations list, or the page shown. */
  organizationsChanged(): Promise<void>;
  /** Opens the settings, at `section` (a `settings-nav-*` key) when given. */
  openSettings(section?: string): void;
  openStageControl(): void;
  openTaskDialog(item: TaskItem | null, deal?: { deal: PresetDeal; contact: PresetContact } | null): void;
  origin: Place;
  pipeline: PipelineState;
  refreshTasks(): Promise<void>;
  reloadAll(): Promise<void>;
  reports: ReportsState;
  saveSettings(settings: Settings): Promise<void>;
  setLanguageChoice(language: Lang | null): Promise<void>;
  setReportPeriod(period: Period): void;
  setReportPreset(preset: PeriodPreset, reload?: boolean): void;
  setSearch(text: string): void;
  setStageFilter(stage: Stage | null): void;
  /** Filters the list (the filter panel), or shows a saved view. */
  setListFilter(filter: ContactFilter | null): void;
  showSavedView(view: SavedView | null): void;
  setTaskTab(tab: TaskTab): void;
  setTimelineFilter(kind: ActivityKind | null): void;
  settings: Settings;
  showError(e: unknown, slot?: HTMLElement, text?: string): AppError;
  showToast(text: string, action?: ToastAction): void;
  snoozeTask(id: string, preset: SnoozePreset): Promise<void>;
  /** Snoozes a task until a time the rep picked (RFC 3339). */
  snoozeTaskUntil(id: string, until: string): Promise<void>;
  taskSaved(item: TaskItem): void;
  tasks: TasksState;
  timeline: TimelineState | null;
  toggleReadyFilter(): void;
  setSort(sort: SortOrder): void;
  view: View;
}
