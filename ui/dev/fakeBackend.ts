// An in-memory stand-in for the Rust backend, following the IPC contract.
// Used by the unit tests and by the dev preview page (dev/index.html); it is
// never part of the production bundle.
import type { ActivityKind } from "../src/bindings/ActivityKind";
import type { Activity } from "../src/bindings/Activity";
import type { ActivityInput } from "../src/bindings/ActivityInput";
import type { ActivityQuery } from "../src/bindings/ActivityQuery";
import type { Address } from "../src/bindings/Address";
import type { Answer } from "../src/bindings/Answer";
import type { AppInfo } from "../src/bindings/AppInfo";
import type { Contact } from "../src/bindings/Contact";
import type { ContactDetail } from "../src/bindings/ContactDetail";
import type { ContactInput } from "../src/bindings/ContactInput";
import type { Criteria } from "../src/bindings/Criteria";
import type { CriteriaUpdate } from "../src/bindings/CriteriaUpdate";
import type { ErrorPayload } from "../src/bindings/ErrorPayload";
import type { ListQuery } from "../src/bindings/ListQuery";
import type { ContactMatch } from "../src/bindings/ContactMatch";
import type { Mark } from "../src/bindings/Mark";
import type { SearchHit } from "../src/bindings/SearchHit";
import type { SearchQuery } from "../src/bindings/SearchQuery";
import type { SearchResults } from "../src/bindings/SearchResults";
import type { Organization } from "../src/bindings/Organization";
import type { OrganizationInput } from "../src/bindings/OrganizationInput";
import type { Score } from "../src/bindings/Score";
import type { ScoreLine } from "../src/bindings/ScoreLine";
import type { Settings } from "../src/bindings/Settings";
import type { Stage } from "../src/bindings/Stage";
import type { StageChangeRequest } from "../src/bindings/StageChangeRequest";
import type { StageCounts } from "../src/bindings/StageCounts";
import type { Transition } from "../src/bindings/Transition";
import type { CompletedTask } from "../src/bindings/CompletedTask";
import type { Reminder } from "../src/bindings/Reminder";
import type { SnoozePreset } from "../src/bindings/SnoozePreset";
import type { Task } from "../src/bindings/Task";
import type { TaskCounts } from "../src/bindings/TaskCounts";
import type { TaskInput } from "../src/bindings/TaskInput";
import type { TaskItem } from "../src/bindings/TaskItem";
import type { TaskView } from "../src/bindings/TaskView";
import type { BackupEntry } from "../src/bindings/BackupEntry";
import type { BackupInfo } from "../src/bindings/BackupInfo";
import type { DuplicatePair } from "../src/bindings/DuplicatePair";
import type { DuplicateReason } from "../src/bindings/DuplicateReason";
import type { ExistingMatch } from "../src/bindings/ExistingMatch";
import type { ImportOptions } from "../src/bindings/ImportOptions";
import type { ImportPreview } from "../src/bindings/ImportPreview";
import type { ImportReport } from "../src/bindings/ImportReport";
import type { MergeField } from "../src/bindings/MergeField";
import type { MergePicks } from "../src/bindings/MergePicks";
import type { PersonExport } from "../src/bindings/PersonExport";
import type { RecordCounts } from "../src/bindings/RecordCounts";
import type { SavedFile } from "../src/bindings/SavedFile";
import { emit } from "@tauri-apps/api/event";
import { readFile, type FakeFile, type ReadRecord } from "./fakeImport";
import { backendDefaultSettings, dealSettingsProblem, FakeDeals } from "./fakeDeals";
import { ACTIVITY_KINDS, CRITERIA, validateSettings, type Criterion } from "../src/settings";
import {
  addDays, ALL_DAY_REMINDER_HOUR, dayDiff, localDay, MAX_EVERY_DAYS, MAX_REMINDER_MINUTES, parseDay, parseRepeat, PRIORITIES, SNOOZE_PRESETS,
} from "../src/tasks";

const DAY = 86_400_000;
/** Engagement activities shown one by one; older ones are summed up in one "older" line. */
const SHOWN_ACTIVITIES = 8;

/** The criteria as the user set them; `target_group: null` means "auto" (from organisation data). */
type ManualCriteria = { target_group: Answer | null } & Omit<Criteria, "target_group">;

const ORDER: Stage[] = ["lead", "prospect", "opportunity", "customer"];

export function transitionsFrom(from: Stage): Transition[] {
  const all: Stage[] = ["lead", "prospect", "opportunity", "customer", "disqualified"];
  return all
    .filter((to) => to !== from)
    .map((to): Transition => {
      if (from === "disqualified") return { to, requirement: to === "lead" ? "reason" : "forced" };
      if (to === "disqualified") return { to, requirement: from === "customer" ? "forced" : "reason" };
      const step = ORDER.indexOf(to) - ORDER.indexOf(from);
      return { to, requirement: step === 1 ? "none" : "forced" };
    });
}

export function emptyAddress(): Address {
  return { street: null, postcode: null, city: null, region: null, country: null };
}

/** Everything a backup holds. */
export interface Snapshot {
  contacts: Contact[];
  orgs: Organization[];
  activities: Activity[];
  tasks: Task[];
  manual: [string, ManualCriteria][];
}

export function fail(code: ErrorPayload["code"], extra: Partial<ErrorPayload> = {}): never {
  const payload: ErrorPayload = { code, message: `${code} (from fake backend)`, field: null, from: null, to: null, ...extra };
  throw payload;
}

/** Whether a search is of one or two letters (the store stops counting those early). */
function short(text: string | null): boolean {
  const t = (text ?? "").trim();
  return t.length > 0 && t.length <= 2 && !/\s/.test(t);
}

export class FakeBackend {
  contacts: Contact[] = [];
  orgs: Organization[] = [];
  settings: Settings = backendDefaultSettings();
  /** Deals, the board, reports, emails, quotes and the automation rules. */
  readonly dealStore: FakeDeals = new FakeDeals(this);
  activities: Activity[] = [];
  manual = new Map<string, ManualCriteria>();
  /** An erase finds the store busy: its compaction waits for the next start. */
  storeBusy = false;
  info: AppInfo = {
    version: "0.1.0", locale: "en-US", os_language: "en", data_dir: "/home/rep/.local/share/kontor", rebuilding: false,
    store_error: null, latest_backup: null, exposed: false,
  };
  /** The automatic backups list_backups reports (restore_backup puts back `autoData`). */
  autoBackups: BackupEntry[] = [];
  calls: { cmd: string; args: any }[] = [];
  /** Tasks; "days" are local days of this JS runtime's time zone (the rep's). */
  tasks: Task[] = [];
  now = Date.parse("2025-03-14T09:30:00Z");
  private nextId = 1;

  // ---- files: what the native dialogs would do ----
  /** The file the native open dialog picks for an import; null = the user cancels. */
  importFile: FakeFile | null = null;
  /** The import file last chosen (import_preview and import_run read it). */
  chosen: FakeFile | null = null;
  /** Records per batch of a running import (a progress event after each). */
  importBatch = 50;
  /** Awaited after each batch of a running import; tests replace it to step through. */
  importPause: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0));
  private cancelRequested = false;
  /** The name the native save dialog returns; null = the user cancels; undefined = a default name. */
  saveAs: string | null | undefined = undefined;
  /** Files written by export_*, backup_store and export_person, by name. */
  saved = new Map<string, string>();
  /** Backups written, by name: what restore_store puts back. */
  backups = new Map<string, { manifest: BackupInfo["manifest"]; data: Snapshot }>();
  /** The backup the native open dialog picks for a restore (a name in `backups`); null = cancel. */
  backupChoice: string | null = null;
  /** The backup last chosen (restore_store restores it). */
  private chosenBackup: string | null = null;

  tick(): string {
    this.now += 60_000;
    return new Date(this.now).toISOString();
  }

  org(name: string | null): Organization | null {
    if (!name) return null;
    let o = this.orgs.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!o) {
      const at = this.tick();
      o = { id: `org-${this.orgs.length + 1}`, name, industry: null, size: null, postcode: null, region: null, created_at: at, updated_at: at };
      this.orgs.push(o);
    }
    return o;
  }

  add(input: Partial<ContactInput> & { stage?: Stage; history?: Contact["stage_history"] }): Contact {
    const at = this.tick();
    const o = this.org(input.organization ?? null);
    const first = input.first_name ?? "";
    const last = input.last_name ?? "";
    const c: Contact = {
      id: `c-${this.nextId++}`,
      first_name: first,
      last_name: last,
      display_name: input.display_name || `${first} ${last}`.trim(),
      organization: o?.name ?? null,
      organization_id: o?.id ?? null,
      title: input.title ?? null,
      emails: input.emails ?? [],
      phones: input.phones ?? [],
      tags: input.tags ?? [],
      source: input.source ?? null,
      notes: input.notes ?? null,
      salutation: input.salutation ?? null,
      address: input.address ?? emptyAddress(),
      website: input.website ?? null,
      stage: input.stage ?? "lead",
      score: 0,
      criteria: { target_group: "unknown", budget: "unknown", authority: "unknown", need: "unknown", timeline: "unknown" },
      target_group_manual: false,
      proposal: null,
      last_activity_at: null,
      created_at: at,
      updated_at: at,
      stage_history: input.history ?? [{ from: null, to: input.stage ?? "lead", at, reason: null, by: "hand" }],
    };
    this.contacts.push(c);
    return c;
  }

  detail(c: Contact): ContactDetail {
    const score = this.refresh(c);
    const org = this.orgs.find((o) => o.id === c.organization_id) ?? null;
    return { contact: structuredClone(c), transitions: transitionsFrom(c.stage), score, organization: structuredClone(org) };
  }

  /** Sets the criteria of a contact by hand (tests and demo data). */
  setCriteria(c: Contact, update: Partial<ManualCriteria>): void {
    const m = this.manual.get(c.id) ?? { target_group: null, budget: "unknown", authority: "unknown", need: "unknown", timeline: "unknown" };
    this.manual.set(c.id, { ...m, ...update });
    this.refresh(c);
  }

  /** Logs an activity (tests and demo data); `daysAgo` counts back from `now`. */
  log(c: Contact, kind: Activity["kind"], daysAgo = 0, extra: Partial<Activity> = {}): Activity {
    const at = new Date(this.now - daysAgo * DAY).toISOString();
    const a: Activity = {
      id: `a-${this.nextId++}`, contact_id: c.id, at, kind, summary: null, text: null, outcome: null, concerns: null,
      created_at: new Date(this.now).toISOString(), ...extra,
    };
    this.activities.push(a);
    this.refresh(c);
    return a;
  }

  /** Target-group fit from the organisation's data and the target profile. */
  autoTargetGroup(c: Contact): Answer {
    const p = this.settings.target_profile;
    const o = this.orgs.find((x) => x.id === c.organization_id);
    const checks: (boolean | null)[] = [];
    if (p.industries.length) {
      checks.push(o?.industry ? p.industries.some((i) => i.toLowerCase() === o.industry!.toLowerCase()) : null);
    }
    if (p.size_min !== null || p.size_max !== null) {
      checks.push(o?.size != null ? (p.size_min === null || o.size >= p.size_min) && (p.size_max === null || o.size <= p.size_max) : null);
    }
    if (p.regions.length) {
      const known = [o?.region, o?.postcode].filter((x): x is string => !!x);
      checks.push(known.length ? p.regions.some((r) => known.some((k) => k.toLowerCase().startsWith(r.toLowerCase()))) : null);
    }
    if (!checks.length) return "unknown";
    if (checks.includes(false)) return "no";
    return checks.includes(null) ? "unknown" : "yes";
  }

  /** Recomputes criteria, score (with decay at read time) and proposal of a contact. */
  refresh(c: Contact): Score {
    const m = this.manual.get(c.id);
    c.criteria = {
      target_group: m?.target_group ?? this.autoTargetGroup(c),
      budget: m?.budget ?? "unknown", authority: m?.authority ?? "unknown", need: m?.need ?? "unknown", timeline: m?.timeline ?? "unknown",
    };
    c.target_group_manual = m?.target_group != null;
    const sc = this.settings.scoring;
    const round1 = (x: number) => Math.round(x * 10) / 10;
    const lines: ScoreLine[] = CRITERIA.map((k: Criterion) => {
      const answer = c.criteria[k];
      const points = answer === "yes" ? sc.fit_points[k] : 0;
      return { points, reason: `${k.replace("_", " ")} ${answer}`, part: "fit", key: k, answer, at: null, age_days: null, count: 1 };
    });
    const fit = Math.min(50, lines.reduce((sum, l) => sum + l.points, 0));
    const acts = this.activities.filter((a) => a.contact_id === c.id).sort((a, b) => b.at.localeCompare(a.at));
    c.last_activity_at = acts[0]?.at ?? null;
    let engagement = 0;
    let older = null as ScoreLine | null;
    let shown = 0;
    for (const a of acts) {
      const base = sc.engagement_points[a.kind];
      if (!base) continue;
      const age = Math.max(0, Math.floor((this.now - Date.parse(a.at)) / DAY));
      const points = round1(base * 2 ** (-age / sc.half_life_days));
      engagement += points;
      // ts-rs types an i64 as bigint; over JSON it is a plain number, as here.
      const ageDays = age as unknown as ScoreLine["age_days"];
      if (shown < SHOWN_ACTIVITIES) {
        shown++;
        lines.push({ points, reason: `${a.kind.replace(/_/g, " ")}, ${age} days ago`, part: "engagement", key: a.kind, answer: null, at: a.at, age_days: ageDays, count: 1 });
      } else {
        const o: ScoreLine = older ?? { points: 0, reason: "", part: "engagement", key: "older", answer: null, at: a.at, age_days: ageDays, count: 0 };
        o.points = round1(o.points + points);
        o.count++;
        o.reason = `${o.count} older activities`;
        older = o;
      }
    }
    if (older) lines.push(older);
    engagement = round1(Math.min(50, engagement));
    const score = Math.round(fit + engagement);
    c.score = score;
    const yes = (k: Criterion) => c.criteria[k] === "yes";
    let proposal: Stage | null = null;
    if (c.stage === "lead" && ((yes("target_group") && yes("budget") && yes("authority")) || score >= sc.prospect_threshold)) {
      proposal = "prospect";
    } else if (c.stage === "prospect" && score >= sc.opportunity_threshold && yes("need") && yes("timeline")) {
      proposal = "opportunity";
    }
    c.proposal = proposal;
    return { score, fit, engagement, lines, proposal };
  }

  /** Applies the proposal as a stage change "by rule". */
  accept(c: Contact): void {
    this.refresh(c);
    if (!c.proposal) fail("no_proposal");
    const at = this.tick();
    c.stage_history.push({ from: c.stage, to: c.proposal, at, reason: "qualification rule", by: "rule" });
    c.stage = c.proposal;
    c.updated_at = at;
    this.refresh(c);
  }

  /** After a change: refresh, and with auto-advance on, apply proposals at once. */
  changed(c: Contact): void {
    this.refresh(c);
    while (this.settings.scoring.auto_advance && c.proposal) this.accept(c);
  }

  matches(c: Contact, search: string | null): boolean {
    if (!search) return true;
    const hay = [c.display_name, c.organization, c.title, ...c.emails, ...c.phones, ...c.tags, c.notes]
      .filter(Boolean).join(" ").toLowerCase();
    return search.toLowerCase().split(/\s+/).every((w) => hay.includes(w));
  }

  /** Where `words` occur in `text` (case-insensitive substrings; the fake knows no typos). */
  marks(text: string, search: string): Mark[] {
    const lower = text.toLowerCase();
    const out: Mark[] = [];
    for (const w of search.toLowerCase().split(/\s+/).filter(Boolean)) {
      const at = lower.indexOf(w);
      if (at >= 0) out.push({ start: Array.from(text.slice(0, at)).length, end: Array.from(text.slice(0, at + w.length)).length });
    }
    return out.sort((a, b) => a.start - b.start);
  }

  contactMatch(c: Contact, search: string): ContactMatch {
    const fields: [string, string | null][] = [
      ["name", c.display_name], ["organization", c.organization], ["email", c.emails.join(" ")],
      ["phone", c.phones.join(" ")], ["tags", c.tags.join(", ")], ["job_title", c.title], ["notes", c.notes],
    ];
    const matched = fields.filter(([, v]) => v && this.marks(v, search).length > 0).map(([f]) => f);
    const shown = ["name", "organization", "job_title"];
    const hidden = fields.find(([f, v]) => !shown.includes(f) && v && this.marks(v, search).length > 0);
    return {
      id: c.id, matched,
      name_marks: this.marks(c.display_name, search),
      organization_marks: this.marks(c.organization ?? "", search),
      context: hidden ? { field: hidden[0], text: hidden[1]!, marks: this.marks(hidden[1]!, search) } : null,
    };
  }

  search(q: SearchQuery): SearchResults {
    const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
    const has = (text: string) => words.every((w) => text.toLowerCase().includes(w));
    const contacts = this.contacts.filter((c) => this.matches(c, q.text));
    const orgs = this.orgs.filter((o) => has([o.name, o.industry, o.postcode, o.region].filter(Boolean).join(" ")));
    const deals = this.dealStore.deals.filter((d) => has([d.title, d.next_step].filter(Boolean).join(" ")));
    const hit = (kind: SearchHit["kind"], id: string, title: string, subtitle: string): SearchHit => ({
      kind, id, title, subtitle, matched: [kind === "deal" ? "title" : "name"],
      title_marks: this.marks(title, q.text), subtitle_marks: this.marks(subtitle, q.text), context: null, stage: null,
    });
    const groups: SearchHit[][] = [
      q.kind && q.kind !== "contact" ? [] : contacts.map((c) => hit("contact", c.id, c.display_name, c.organization ?? "")),
      q.kind && q.kind !== "organization" ? [] : orgs.map((o) => hit("organization", o.id, o.name, o.industry ?? "")),
      q.kind && q.kind !== "deal" ? [] : deals.map((d) => {
        const who = this.contacts.find((c) => c.id === d.contact_id)?.display_name ?? "";
        return hit("deal", d.id, d.title, `${who} · ${d.value} ${d.currency}`);
      }),
    ];
    const hits = q.per_kind ? groups.flatMap((g) => g.slice(0, q.limit)) : groups.flat().slice(0, q.limit);
    // Like the store: a query of one or two letters stops counting after the page.
    const cut = (n: number) => (short(q.text) ? Math.min(n, q.limit) : n);
    const counts = [contacts.length, orgs.length, deals.length];
    const more = counts.some((n) => cut(n) < n);
    return {
      hits, contacts: cut(counts[0]!), organizations: cut(counts[1]!), deals: cut(counts[2]!), more, rebuilding: false,
    };
  }

  counts(search: string | null): StageCounts {
    const hits = this.contacts.filter((c) => this.matches(c, search));
    hits.forEach((c) => this.refresh(c));
    const n = (s: Stage) => hits.filter((c) => c.stage === s).length;
    return {
      all: hits.length, lead: n("lead"), prospect: n("prospect"), opportunity: n("opportunity"), customer: n("customer"),
      disqualified: n("disqualified"), ready_to_qualify: hits.filter((c) => c.proposal !== null).length,
    };
  }

  find(id: string): Contact {
    return this.contacts.find((c) => c.id === id) ?? fail("not_found");
  }

  validate(input: ContactInput): void {
    if (!input.first_name.trim() && !input.last_name.trim()) fail("name_required", { field: "first_name" });
    input.emails.forEach((e, i) => { if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) fail("invalid_email", { field: `emails[${i}]` }); });
  }

  // ---- tasks -----------------------------------------------------------------

  /** Adds a task (tests and demo data), validated like create_task. */
  addTask(input: Partial<TaskInput> & { title: string; due: string }): Task {
    const full: TaskInput = {
      contact_id: null, deal_id: null, priority: "normal", notes: null, reminders: [], repeat: null, ...input,
    };
    const task = this.taskFrom(full, `t-${this.nextId++}`, this.tick());
    this.tasks.push(task);
    return task;
  }

  /** create_task's checks and the task they make (all-day: local midnight; reminders from 09:00). */
  taskFrom(input: TaskInput, id: string, at: string): Task {
    const title = input.title.trim();
    if (!title || title.length > 500) fail("invalid_input", { field: "title" });
    const day = parseDay(input.due.trim());
    const rfc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(input.due.trim());
    if (!day && !rfc) fail("invalid_input", { field: "due" });
    const due = day ?? new Date(input.due.trim());
    if (Number.isNaN(due.getTime())) fail("invalid_input", { field: "due" });
    if (!PRIORITIES.includes(input.priority)) fail("invalid_input", { field: "priority" });
    if (input.reminders.some((m) => !Number.isInteger(m) || m < 0 || m > MAX_REMINDER_MINUTES)) fail("invalid_input", { field: "reminders" });
    const r = parseRepeat(input.repeat);
    if (input.repeat !== null && (r.kind === "none" || (r.kind === "every" && (r.days < 1 || r.days > MAX_EVERY_DAYS)))) {
      fail("invalid_input", { field: "repeat" });
    }
    if (input.contact_id !== null) this.find(input.contact_id);
    const notes = input.notes?.trim() || null;
    const allDay = day !== null;
    return {
      id, title, contact_id: input.contact_id, deal_id: input.deal_id, due: due.toISOString(), all_day: allDay,
      due_date: allDay ? input.due.trim() : null,
      priority: input.priority, notes, reminders: this.reminders(input.reminders, due, allDay), done: false, done_at: null,
      snoozed_until: null, snooze_fired: false, repeat: input.repeat, anchor_day: due.getDate(), created_at: at, updated_at: at,
    };
  }

  reminders(offsets: number[], due: Date, allDay: boolean): Reminder[] {
    const base = allDay ? new Date(due.getFullYear(), due.getMonth(), due.getDate(), ALL_DAY_REMINDER_HOUR) : due;
    return [...new Set(offsets)].sort((a, b) => a - b).map((m) => {
      const fire = new Date(base.getTime() - m * 60_000);
      return { before_minutes: m, fire_at: fire.toISOString(), fired: fire.getTime() <= this.now };
    });
  }

  item(task: Task): TaskItem {
    const c = task.contact_id ? this.contacts.find((x) => x.id === task.contact_id) : undefined;
    const deal = task.deal_id ? this.dealStore.deals.find((d) => d.id === task.deal_id) : undefined;
    return { task: structuredClone(task), contact_name: c?.display_name ?? null, deal_title: deal?.title ?? null };
  }

  findTask(id: string): Task {
    return this.tasks.find((x) => x.id === id) ?? fail("not_found");
  }

  /** Open, past due (all-day: before today) — as the core's views. */
  overdue(task: Task): boolean {
    const now = new Date(this.now);
    const due = new Date(task.due);
    return task.all_day ? dayDiff(now, due) < 0 : due.getTime() < this.now;
  }

  view(view: TaskView): Task[] {
    const now = new Date(this.now);
    const byDue = (a: Task, b: Task) => Date.parse(a.due) - Date.parse(b.due) || a.id.localeCompare(b.id);
    const open = this.tasks.filter((x) => !x.done).sort(byDue);
    switch (view) {
      case "open":
        return open;
      case "overdue":
        return open.filter((x) => this.overdue(x));
      case "today":
        return open.filter((x) => !this.overdue(x) && dayDiff(now, new Date(x.due)) === 0);
      case "upcoming":
        return open.filter((x) => { const d = dayDiff(now, new Date(x.due)); return d >= 1 && d <= 7; });
      case "done":
        return this.tasks.filter((x) => x.done).sort((a, b) => Date.parse(b.done_at!) - Date.parse(a.done_at!));
      default:
        return fail("invalid_input", { field: "view" });
    }
  }

  taskCounts(): TaskCounts {
    return {
      overdue: this.view("overdue").length, today: this.view("today").length,
      upcoming: this.view("upcoming").length, open: this.view("open").length,
    };
  }

  /** The next due of a repeating task, on the local wall clock; monthly keeps the anchor day (clamped). */
  nextDue(task: Task): Date {
    const d = new Date(task.due);
    const r = parseRepeat(task.repeat);
    if (r.kind === "monthly") {
      const first = new Date(d.getFullYear(), d.getMonth() + 1, 1, d.getHours(), d.getMinutes(), d.getSeconds());
      const last = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
      first.setDate(Math.min(task.anchor_day, last));
      return first;
    }
    const days = r.kind === "daily" ? 1 : r.kind === "weekly" ? 7 : r.days;
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days, d.getHours(), d.getMinutes(), d.getSeconds());
  }

  snoozeUntil(preset: SnoozePreset): Date {
    const now = new Date(this.now);
    switch (preset) {
      case "ten_minutes":
        return new Date(this.now + 10 * 60_000);
      case "one_hour":
        return new Date(this.now + 60 * 60_000);
      case "tomorrow_morning": {
        const d = addDays(now, 1);
        d.setHours(ALL_DAY_REMINDER_HOUR);
        return d;
      }
      case "next_week": {
        // Monday of next week, 09:00.
        const d = addDays(now, 7 - ((now.getDay() + 6) % 7));
        d.setHours(ALL_DAY_REMINDER_HOUR);
        return d;
      }
      default:
        return fail("invalid_input", { field: "until" });
    }
  }

  // ---- import ---------------------------------------------------------------

  /** The chosen file read with the options, each record with what an import would do. */
  private readChosen(o: ImportOptions): { file: FakeFile; read: ReturnType<typeof readFile>; matches: (ExistingMatch | null)[] } {
    const file = this.chosen ?? fail("invalid_input", { message: "no file chosen" });
    const read = readFile(file, o.format, o.preset, o.mapping);
    const matches = read.records.map((r) => this.matchFor(r));
    return { file, read, matches };
  }

  private matchFor(r: ReadRecord): ExistingMatch | null {
    if (!r.input) return null;
    for (const e of r.input.emails) {
      const c = this.contacts.find((x) => x.emails.includes(e));
      if (c) return { id: c.id, display_name: c.display_name, reason: `same email ${e}` };
    }
    for (const p of r.input.phones) {
      const c = this.contacts.find((x) => x.phones.some((q) => digits(q) === digits(p)));
      if (c) return { id: c.id, display_name: c.display_name, reason: `same phone ${p}` };
    }
    return null;
  }

  /** As the core: another contact at the same organisation with a similar
   * name (here simply: the same last name, another display name). */
  private similarFor(r: ReadRecord): ExistingMatch | null {
    const org = r.input?.organization?.toLowerCase();
    if (!r.input || !org) return null;
    const c = this.contacts.find((x) => x.organization?.toLowerCase() === org
      && x.last_name === r.input!.last_name && x.first_name !== r.input!.first_name);
    return c ? { id: c.id, display_name: c.display_name, reason: `similar name at ${r.input.organization}` } : null;
  }

  importPreview(o: ImportOptions): ImportPreview {
    const { file, read, matches } = this.readChosen(o);
    const source = o.source?.trim() || file.name;
    return {
      file_name: file.name, format: read.format, preset: read.preset, encoding: file.encoding ?? "UTF-8",
      delimiter: read.delimiter, columns: read.columns,
      rows: read.records.slice(0, 20).map((r, i) => ({
        line: r.line, contact: r.input ? { ...r.input, source } : null, stage: r.stage, organization_only: !!r.orgOnly,
        error: r.error, warnings: r.warnings, duplicate_of: matches[i],
        similar_to: matches[i] ? null : this.similarFor(r),
      })),
      total: read.records.length, rejected: read.records.filter((r) => r.error).length,
      duplicates: matches.filter(Boolean).length,
      similar: read.records.filter((r, i) => !matches[i] && this.similarFor(r)).length, source,
    };
  }

  async importRun(o: ImportOptions): Promise<ImportReport> {
    const { file, read } = this.readChosen(o);
    const source = o.source?.trim() || file.name;
    const report: ImportReport = {
      imported: 0, merged: 0, skipped: 0, errors: [], warnings: [], cancelled: false, possible_duplicates: 0,
    };
    this.cancelRequested = false;
    const total = read.records.length;
    for (let i = 0; i < total; i++) {
      const r = read.records[i];
      if (r.error) report.errors.push(r.error);
      else if (r.input) {
        const match = o.merge_duplicates ? this.matchFor(r) : null;
        report.warnings.push(...r.warnings);
        if (r.orgOnly) {
          this.org(r.input.organization);
          report.imported++;
        } else if (match) {
          const c = this.find(match.id);
          const before = JSON.stringify(c);
          c.emails = [...new Set([...c.emails, ...r.input.emails])];
          c.phones = [...new Set([...c.phones, ...r.input.phones])];
          c.tags = [...new Set([...c.tags, ...r.input.tags])];
          if (!c.title) c.title = r.input.title;
          if (JSON.stringify(c) === before) report.skipped++;
          else { c.updated_at = this.tick(); report.merged++; }
        } else {
          if (this.similarFor(r)) report.possible_duplicates++;
          const at = new Date(this.now).toISOString();
          this.add({ ...r.input, source, stage: r.stage, history: [{ from: null, to: r.stage, at, reason: null, by: "import" }] });
          report.imported++;
        }
      }
      const done = i + 1;
      if (done % this.importBatch === 0 || done === total) {
        await emit("import-progress", { done, total });
        await this.importPause();
        if (this.cancelRequested && done < total) {
          report.cancelled = true;
          break;
        }
      }
    }
    this.cancelRequested = false;
    return report;
  }

  // ---- duplicates and merge ---------------------------------------------------

  duplicates(): DuplicatePair[] {
    const pairs: DuplicatePair[] = [];
    const norm = (x: string) => x.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
    for (let i = 0; i < this.contacts.length; i++) {
      for (let j = i + 1; j < this.contacts.length; j++) {
        const [a, b] = [this.contacts[i], this.contacts[j]];
        const reasons: DuplicateReason[] = [];
        a.emails.filter((e) => b.emails.includes(e)).forEach((value) => reasons.push({ kind: "email", value }));
        a.phones.filter((p) => b.phones.some((q) => digits(q) === digits(p))).forEach((value) => reasons.push({ kind: "phone", value }));
        const sameOrg = (a.organization ?? "").toLowerCase() === (b.organization ?? "").toLowerCase();
        if (sameOrg && distance(norm(a.display_name), norm(b.display_name)) <= 2) {
          reasons.push({ kind: "name", value: `${a.display_name} ~ ${b.display_name}` });
        }
        if (reasons.length) pairs.push({ a: structuredClone(a), b: structuredClone(b), reasons });
      }
    }
    return pairs;
  }

  merge(survivorId: string, otherId: string, picks: MergePicks): ContactDetail {
    if (survivorId === otherId) fail("invalid_input", { field: "other" });
    const s = this.find(survivorId);
    const o = this.find(otherId);
    const single: MergeField[] = ["salutation", "first_name", "last_name", "display_name", "organization", "title", "address", "website", "source", "notes", "stage"];
    const empty = (c: Contact, f: MergeField) =>
      f === "address" ? Object.values(c.address).every((v) => !v) : f === "stage" ? false : !c[f];
    for (const f of single) {
      if (!picks.from_other.includes(f) && !empty(s, f)) continue;
      if (picks.from_other.includes(f) || !empty(o, f)) {
        if (f === "organization") Object.assign(s, { organization: o.organization, organization_id: o.organization_id });
        else if (f === "stage") {
          if (s.stage !== o.stage) s.stage_history.push({ from: s.stage, to: o.stage, at: this.tick(), reason: "merge", by: "hand" });
          s.stage = o.stage;
        } else (s as any)[f] = structuredClone(o[f]);
      }
    }
    s.emails = [...new Set([...s.emails, ...o.emails])];
    s.phones = [...new Set([...s.phones, ...o.phones])];
    s.tags = [...new Set([...s.tags, ...o.tags])];
    this.activities.filter((a) => a.contact_id === o.id).forEach((a) => { a.contact_id = s.id; });
    this.tasks.filter((x) => x.contact_id === o.id).forEach((x) => { x.contact_id = s.id; });
    this.contacts = this.contacts.filter((c) => c.id !== o.id);
    this.manual.delete(o.id);
    s.updated_at = this.tick();
    this.changed(s);
    return this.detail(s);
  }

  // ---- export, backup, restore ------------------------------------------------

  /** What the save dialog does with a file: its name and count, or null when cancelled. */
  private save(defaultName: string, count: number, content: string): SavedFile | null {
    if (this.saveAs === null) return null;
    const name = this.saveAs ?? defaultName;
    this.saved.set(name, content);
    return { name, count };
  }

  recordCounts(): RecordCounts {
    return { contacts: this.contacts.length, organizations: this.orgs.length, activities: this.activities.length, tasks: this.tasks.length, deals: this.dealStore.deals.length };
  }

  manifest(): BackupInfo["manifest"] {
    return {
      format: "kontor-backup", format_version: 1, schema_version: 1, app_version: this.info.version,
      created_at: new Date(this.now).toISOString(), counts: this.recordCounts(), checksum: "sha256:fake",
    };
  }

  snapshot(): Snapshot {
    return structuredClone({ contacts: this.contacts, orgs: this.orgs, activities: this.activities, tasks: this.tasks, manual: [...this.manual] });
  }

  restore(s: Snapshot): void {
    const copy = structuredClone(s);
    this.contacts = copy.contacts;
    this.orgs = copy.orgs;
    this.activities = copy.activities;
    this.tasks = copy.tasks;
    this.manual = new Map(copy.manual);
  }

  /** Puts a backup of the given contacts where the restore dialog will find it (tests and preview). */
  addBackup(name: string, fill: (b: FakeBackend) => void, createdAt = "2025-02-01T17:45:00Z"): void {
    const other = new FakeBackend();
    other.now = this.now;
    fill(other);
    this.backups.set(name, { manifest: { ...other.manifest(), created_at: createdAt }, data: other.snapshot() });
    this.backupChoice = name;
  }

  /** The mockIPC handler. */
  handle = (cmd: string, args: any): unknown => {
    this.calls.push({ cmd, args: structuredClone(args) });
    switch (cmd) {
      case "list_contacts": {
        const q = args.query as ListQuery;
        this.contacts.forEach((c) => this.refresh(c));
        const hits = this.contacts.filter((c) => this.matches(c, q.search) && (!q.stage || c.stage === q.stage)
          && (!q.ready_to_qualify || c.proposal !== null) && (!q.organization_id || c.organization_id === q.organization_id));
        hits.sort(q.sort === "name"
          ? (a, b) => a.display_name.localeCompare(b.display_name)
          : (a, b) => b.updated_at.localeCompare(a.updated_at));
        const items = structuredClone(hits.slice(q.offset, q.offset + q.limit));
        const matches = q.search ? items.map((c) => this.contactMatch(c, q.search!)) : [];
        // Like the store: a query of one or two letters stops counting after the page.
        const more = short(q.search) && hits.length > q.offset + q.limit;
        return { items, total: more ? q.offset + q.limit : hits.length, matches, more };
      }
      case "search":
        return this.search(args.query as SearchQuery);
      case "stage_counts":
        return this.counts(args.search);
      case "get_contact":
        return this.detail(this.find(args.id));
      case "create_contact": {
        const input = args.input as ContactInput;
        this.validate(input);
        return this.detail(this.add(input));
      }
      case "update_contact": {
        const c = this.find(args.id);
        const input = args.input as ContactInput;
        this.validate(input);
        const o = this.org(input.organization);
        Object.assign(c, input, {
          display_name: input.display_name || `${input.first_name} ${input.last_name}`.trim(),
          organization: o?.name ?? null, organization_id: o?.id ?? null, updated_at: this.tick(),
        });
        this.changed(c);
        return this.detail(c);
      }
      case "change_stage": {
        const c = this.find(args.id);
        const ch = args.change as StageChangeRequest;
        if (ch.to === c.stage) fail("same_stage", { from: c.stage, to: ch.to });
        const tr = transitionsFrom(c.stage).find((x) => x.to === ch.to);
        if (!tr || (tr.requirement === "forced" && !ch.force)) fail("invalid_transition", { from: c.stage, to: ch.to });
        if (tr.requirement !== "none" && !ch.reason) fail("reason_required", { field: "reason", from: c.stage, to: ch.to });
        const at = this.tick();
        c.stage_history.push({ from: c.stage, to: ch.to, at, reason: ch.reason, by: "hand" });
        c.stage = ch.to;
        c.updated_at = at;
        void this.dealStore.deliver(this.dealStore.run([{ type: "contact_stage_changed", contact: c, to: ch.to }]));
        return this.detail(c);
      }
      case "list_organizations": {
        const s = (args.search ?? "").toLowerCase();
        return this.orgs.filter((o) => o.name.toLowerCase().includes(s));
      }
      case "get_settings":
        this.dealStore.localizeRules();
        return this.settings;
      case "set_settings": {
        const problem = validateSettings(args.settings)[0];
        if (problem) fail("invalid_settings", { field: problem.field });
        const dealProblem = dealSettingsProblem(args.settings);
        if (dealProblem) fail("invalid_settings", { field: dealProblem });
        const before = new Set(this.contacts.filter((c) => c.proposal !== null).map((c) => c.id));
        this.settings = structuredClone(args.settings);
        this.dealStore.localizeRules();
        this.contacts.forEach((c) => this.changed(c));
        const fresh = this.contacts.filter((c) => c.proposal !== null && !before.has(c.id));
        return { settings: this.settings, newly_ready: fresh.length, ready_contact: fresh.length === 1 ? fresh[0] : null };
      }
      case "log_activity": {
        const c = this.find(args.id);
        const input = args.input as ActivityInput;
        if (!ACTIVITY_KINDS.includes(input.kind)) fail("invalid_input", { field: "kind" });
        if (input.at !== null && Number.isNaN(Date.parse(input.at))) fail("invalid_input", { field: "at" });
        const a: Activity = {
          id: `a-${this.nextId++}`, contact_id: c.id, at: input.at ?? new Date(this.now).toISOString(), kind: input.kind,
          summary: input.summary, text: input.text, outcome: input.outcome, concerns: input.concerns,
          created_at: this.tick(),
        };
        const before = c.score;
        this.activities.push(a);
        c.updated_at = a.created_at;
        this.changed(c);
        void this.dealStore.deliver(this.dealStore.run([{ type: "score_crossed", contact: c, before, after: c.score }]));
        return this.detail(c);
      }
      case "list_activities": {
        const c = this.find(args.id);
        const q = args.query as ActivityQuery;
        const hits = this.activities
          .filter((a) => a.contact_id === c.id && (!q.kinds || q.kinds.includes(a.kind)))
          .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
        const kind_counts: Partial<Record<ActivityKind, number>> = {};
        for (const a of this.activities) {
          if (a.contact_id === c.id) kind_counts[a.kind] = (kind_counts[a.kind] ?? 0) + 1;
        }
        return { items: structuredClone(hits.slice(q.offset, q.offset + q.limit)), total: hits.length, kind_counts };
      }
      case "delete_activity": {
        const i = this.activities.findIndex((a) => a.id === args.id);
        if (i < 0) fail("not_found");
        const [a] = this.activities.splice(i, 1);
        const c = this.find(a.contact_id);
        this.changed(c);
        return this.detail(c);
      }
      case "set_criteria": {
        const c = this.find(args.id);
        const u = args.criteria as CriteriaUpdate;
        const m = this.manual.get(c.id) ?? { target_group: null, budget: "unknown", authority: "unknown", need: "unknown", timeline: "unknown" };
        if (u.target_group !== null) m.target_group = u.target_group === "auto" ? null : u.target_group;
        for (const k of ["budget", "authority", "need", "timeline"] as const) if (u[k] !== null) m[k] = u[k]!;
        this.manual.set(c.id, m);
        c.updated_at = this.tick();
        this.changed(c);
        return this.detail(c);
      }
      case "get_score":
        return this.refresh(this.find(args.id));
      case "accept_proposal": {
        const c = this.find(args.id);
        this.accept(c);
        return this.detail(c);
      }
      case "update_organization": {
        const o = this.orgs.find((x) => x.id === args.id) ?? fail("not_found");
        const input = args.input as OrganizationInput;
        if (!input.name.trim()) fail("name_required", { field: "name" });
        if (input.size !== null && (!Number.isInteger(input.size) || input.size < 0)) fail("invalid_input", { field: "size" });
        Object.assign(o, input, { updated_at: this.tick() });
        this.contacts.filter((c) => c.organization_id === o.id).forEach((c) => {
          c.organization = o.name;
          this.changed(c);
        });
        return structuredClone(o);
      }
      case "list_tasks":
        return this.view(args.view as TaskView).map((x) => this.item(x));
      case "task_counts":
        return this.taskCounts();
      case "contact_tasks": {
        const c = this.find(args.id);
        return this.tasks.filter((x) => x.contact_id === c.id)
          .sort((a, b) => Date.parse(a.due) - Date.parse(b.due)).map((x) => this.item(x));
      }
      case "create_task": {
        const task = this.taskFrom(args.input as TaskInput, `t-${this.nextId++}`, this.tick());
        this.tasks.push(task);
        return this.item(task);
      }
      case "update_task": {
        const old = this.findTask(args.id);
        const task = this.taskFrom(args.input as TaskInput, old.id, old.created_at);
        Object.assign(old, task, { done: old.done, done_at: old.done_at, updated_at: this.tick() });
        return this.item(old);
      }
      case "complete_task": {
        const task = this.findTask(args.id);
        if (task.done) return { done: this.item(task), next: null } satisfies CompletedTask;
        const at = this.tick();
        Object.assign(task, { done: true, done_at: at, updated_at: at, snoozed_until: null });
        let next: Task | null = null;
        if (task.repeat) {
          const due = this.nextDue(task);
          next = {
            ...structuredClone(task), id: `t-${this.nextId++}`, due: due.toISOString(), done: false, done_at: null,
            due_date: task.all_day ? localDay(due) : null,
            snoozed_until: null, snooze_fired: false, created_at: at, updated_at: at,
            reminders: this.reminders(task.reminders.map((r) => r.before_minutes), due, task.all_day),
          };
          this.tasks.push(next);
        }
        const done = { done: this.item(task), next: next ? this.item(next) : null } satisfies CompletedTask;
        const who = task.contact_id ? this.contacts.find((c) => c.id === task.contact_id) ?? null : null;
        void this.dealStore.deliver(this.dealStore.run([{ type: "task_completed", contact: who, task }]));
        return done;
      }
      case "snooze_task": {
        const task = this.findTask(args.id);
        if (!SNOOZE_PRESETS.includes(args.preset)) fail("invalid_input", { field: "until" });
        if (task.done) fail("invalid_input", { field: "until" });
        Object.assign(task, { snoozed_until: this.snoozeUntil(args.preset).toISOString(), snooze_fired: false, updated_at: this.tick() });
        return this.item(task);
      }
      case "delete_task": {
        const i = this.tasks.findIndex((x) => x.id === args.id);
        if (i < 0) fail("not_found");
        this.tasks.splice(i, 1);
        return null;
      }
      case "load_demo_data":
        seedDemo(this);
        seedTasks(this);
        return this.counts(null);
      case "app_info":
        return this.info;
      case "choose_import_file":
        this.chosen = this.importFile;
        return this.chosen ? { name: this.chosen.name } : null;
      case "import_preview":
        return this.importPreview(args.options as ImportOptions);
      case "import_run":
        return this.importRun(args.options as ImportOptions);
      case "cancel_import":
        this.cancelRequested = true;
        return null;
      case "find_duplicates":
        return this.duplicates();
      case "merge_contacts":
        return this.merge(args.survivor, args.other, args.picks as MergePicks);
      case "export_contacts": {
        const format = args.format as "csv" | "vcard" | "json";
        if (!["csv", "vcard", "json"].includes(format)) fail("invalid_input", { field: "format" });
        const ext = format === "vcard" ? "vcf" : format;
        return this.save(`kontor-contacts.${ext}`, this.contacts.length, JSON.stringify(this.contacts));
      }
      case "backup_store": {
        const file = this.save("kontor-backup-2025-03-14.json", this.contacts.length, "backup");
        if (file) this.backups.set(file.name, { manifest: this.manifest(), data: this.snapshot() });
        return file;
      }
      case "choose_backup_file": {
        this.chosenBackup = this.backupChoice;
        const b = this.chosenBackup ? this.backups.get(this.chosenBackup) : null;
        if (this.chosenBackup && !b) fail("invalid_backup", { message: "not a Kontor backup" });
        return b ? ({ name: this.chosenBackup!, manifest: structuredClone(b.manifest), current_contacts: this.contacts.length } satisfies BackupInfo) : null;
      }
      case "restore_store": {
        const b = this.chosenBackup ? this.backups.get(this.chosenBackup) : null;
        if (!b) fail("invalid_input", { message: "no backup chosen" });
        if (this.contacts.length > 0 && !args.force) fail("store_not_empty");
        this.restore(b.data);
        return this.recordCounts();
      }
      case "list_backups":
        return structuredClone(this.autoBackups);
      case "restore_backup": {
        const b = this.autoBackups.find((x) => x.file === args.file);
        if (!b) fail("invalid_input", { field: "file" });
        const counts = this.recordCounts();
        this.autoBackups.unshift({ ...b, file: `kontor-before-restore-${this.autoBackups.length}.json.gz`, reason: "restore", counts });
        return this.recordCounts();
      }
      case "check_store":
        return { records: { contacts: this.contacts.length, activities: this.activities.length, tasks: this.tasks.length, deals: this.dealStore.deals.length }, problems: [] };
      case "repair_store":
        return { before: [], after: [] };
      case "recover_latest":
        if (!this.info.latest_backup) fail("invalid_backup", { message: "there is no verified backup" });
        this.info = { ...this.info, store_error: null };
        return this.recordCounts();
      case "export_person": {
        const c = this.find(args.id);
        const data: PersonExport = {
          exported_at: new Date(this.now).toISOString(), contact: structuredClone(c),
          organization: this.orgs.find((o) => o.id === c.organization_id) ?? null, score: this.refresh(c),
          activities: this.activities.filter((a) => a.contact_id === c.id), tasks: this.tasks.filter((x) => x.contact_id === c.id), deals: this.dealStore.deals.filter((d) => d.contact_id === c.id),
        };
        const slug = c.display_name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
        return this.save(`kontor-${slug || c.id}.json`, 1, JSON.stringify(data));
      }
      case "erase_person": {
        const c = this.find(args.id);
        this.contacts = this.contacts.filter((x) => x.id !== c.id);
        this.activities = this.activities.filter((a) => a.contact_id !== c.id);
        this.tasks = this.tasks.filter((x) => x.contact_id !== c.id);
        this.dealStore.deals = this.dealStore.deals.filter((d) => d.contact_id !== c.id);
        this.manual.delete(c.id);
        return this.storeBusy === false;
      }
      case "list_deals":
        return structuredClone(this.dealStore.deals.filter((d) => !args.stage || d.stage === args.stage));
      case "get_deal":
        return structuredClone(this.dealStore.find(args.id));
      case "contact_deals": {
        const c = this.find(args.id);
        const deals = this.dealStore.deals.filter((d) => d.contact_id === c.id).sort((a, b) => b.created_at.localeCompare(a.created_at));
        return { deals: structuredClone(deals), summary: this.dealStore.summary(c.id) };
      }
      case "create_deal":
        return this.dealStore.create(args.input);
      case "update_deal":
        return this.dealStore.update(args.id, args.input);
      case "move_deal":
        return this.dealStore.move(args.id, args.stage, args.reason);
      case "delete_deal":
        return this.dealStore.remove(args.id);
      case "pipeline":
        return this.dealStore.pipeline();
      case "report":
        return this.dealStore.report(args.kind, args.period);
      case "export_report": {
        const { text, rows } = this.dealStore.csv(args.kind, args.period);
        return this.save(`kontor-${args.kind}.csv`, rows, text);
      }
      case "render_email":
        return this.dealStore.render(args.templateId, args.contactId, args.dealId);
      case "send_email":
        return this.dealStore.send(args.contactId, args.email);
      case "create_quote":
        return this.dealStore.quote(args.dealId, args.language);
      case "open_quote":
        this.dealStore.opened.push(this.dealStore.findQuote(args.dealId, args.quoteId).id);
        return null;
      case "save_quote": {
        const q = this.dealStore.findQuote(args.dealId, args.quoteId);
        return this.save(`${q.number}.html`, 1, q.html);
      }
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  };
}

/** A phone number's digits with the country code (national numbers read as German: 030 … = +49 30 …). */
function digits(phone: string): string {
  const d = phone.replace(/\D/g, "");
  return d.startsWith("00") ? d.slice(2) : d.startsWith("0") ? `49${d.slice(1)}` : d;
}

/** Levenshtein distance, for fuzzy names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length];
}

const FIRST = ["Anna", "Bernd", "Claudia", "Dieter", "Elif", "Frank", "Gabriele", "Hakan", "Ines", "Jörg", "Katrin", "Lukas", "Marta", "Nils", "Olga", "Paul", "Rita", "Stefan", "Tanja", "Uwe"];
const LAST = ["Albrecht", "Becker", "Çelik", "Dietrich", "Engel", "Fischer", "Graf", "Hoffmann", "Ivanova", "Jung", "Krüger", "Lang", "Meyer", "Neumann", "Otto", "Peters"];
const ORGS = ["Bäckerei Sonnenschein GmbH", "Müller Maschinenbau AG", "Nordlicht Logistik", "Stadtwerke Talheim", "Praxis Dr. Weber", "Kaffeerösterei Bohne & Co.", null];
const TITLES = ["Einkaufsleiterin", "Geschäftsführer", "Head of Operations", "Inhaberin", "IT-Leiter", null];
const STAGES: Stage[] = ["lead", "lead", "prospect", "opportunity", "customer", "disqualified", "prospect", "lead"];

/** Deterministic demo data, roughly like the real backend's. */
export function seedDemo(b: FakeBackend, n = 48): void {
  for (let i = 0; i < n; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length];
    const stage = STAGES[i % STAGES.length];
    const path: Stage[] = stage === "disqualified" ? ["lead", "disqualified"] : ORDER.slice(0, ORDER.indexOf(stage) + 1);
    const c = b.add({
      first_name: first, last_name: last, organization: ORGS[i % ORGS.length], title: TITLES[i % TITLES.length],
      emails: [`${first}.${last}@example.com`.toLowerCase().replace(/[^a-z.@]/g, "")],
      phones: i % 3 ? [`+49 30 ${1000000 + i * 7919}`] : [],
      tags: i % 4 === 0 ? ["messe-2025", "newsletter"] : ["newsletter"],
      source: i % 2 ? "Messe Hannover" : "Website",
      notes: i % 5 === 0 ? "Rückruf nach der Messe vereinbart.\nInteressiert an Wartungsvertrag." : null,
      stage,
    });
    c.stage_history = path.map((to, k) => ({
      from: k === 0 ? null : path[k - 1], to,
      at: new Date(b.now - ((path.length - k) * 9 + (i * 37) % 200) * 86_400_000 - i * 3_600_000).toISOString(),
      reason: to === "disqualified" ? "Kein Budget in diesem Jahr" : to === "opportunity" ? "Angebot angefragt" : null,
      by: k === 0 ? "import" : to === "prospect" ? "rule" : "hand",
    }));
    c.created_at = c.stage_history[0].at;
    c.updated_at = c.stage_history[c.stage_history.length - 1].at;
    seedQualification(b, c, i);
  }
  const orgData: Partial<Organization>[] = [
    { industry: "Lebensmittel", size: 35, postcode: "80331", region: "Bayern" },
    { industry: "Maschinenbau", size: 420, postcode: "70173", region: "Baden-Württemberg" },
    { industry: "Logistik", size: 120, postcode: "20095", region: "Hamburg" },
    { industry: "Energie", size: 260, postcode: "74388", region: "Baden-Württemberg" },
    { industry: "Gesundheit", size: 12, postcode: "10115", region: "Berlin" },
    { industry: "Lebensmittel", size: 18, postcode: "50667", region: "Nordrhein-Westfalen" },
  ];
  b.orgs.forEach((o, k) => Object.assign(o, orgData[k % orgData.length]));
  b.contacts.forEach((c) => b.refresh(c));
}

const DEMO_ACTIVITIES: { kind: Activity["kind"]; summary: string | null; outcome?: string; concerns?: string; text?: string }[] = [
  { kind: "newsletter_signup", summary: null },
  { kind: "whitepaper_download", summary: "Whitepaper „Wartung 4.0“" },
  { kind: "webinar_attended", summary: "Webinar Predictive Maintenance" },
  { kind: "call", summary: "Erstgespräch", outcome: "Termin vereinbart", concerns: "Wie lange dauert die Einführung?", text: "Hat drei Standorte, Wartung läuft bisher über Excel." },
  { kind: "email_opened", summary: "Angebot Wartungsvertrag" },
  { kind: "visit", summary: "Vor-Ort-Termin im Werk", outcome: "Bedarf bestätigt", concerns: "Budget erst ab Q3 frei; Datenschutz bei Fernwartung?" },
  { kind: "website_visit", summary: "Preisseite" },
  { kind: "email_replied", summary: "Rückfrage zu Laufzeiten" },
  { kind: "meeting", summary: "Präsentation beim Einkauf", outcome: "Angebot angefragt" },
  { kind: "note", summary: "Ansprechpartner wechselt im Mai", text: "Nachfolger: Herr Krause." },
  { kind: "form_submitted", summary: "Kontaktformular" },
  { kind: "email", summary: "Unterlagen geschickt" },
];

/** Deterministic activities and criteria, so demo contacts have varied scores and some proposals. */
function seedQualification(b: FakeBackend, c: Contact, i: number): void {
  const n = (i * 5) % 13;
  for (let k = 0; k < n; k++) {
    const d = DEMO_ACTIVITIES[(i + k) % DEMO_ACTIVITIES.length];
    b.log(c, d.kind, ((i * 11 + k * 17) % 90), {
      summary: d.summary, outcome: d.outcome ?? null, concerns: d.concerns ?? null, text: d.text ?? null,
    });
  }
  const pick = (x: number): Answer => (x % 3 === 0 ? "yes" : x % 3 === 1 ? "unknown" : "no");
  b.setCriteria(c, {
    target_group: i % 4 === 0 ? "yes" : null, budget: pick(i), authority: pick(i + (i % 2)), need: pick(i + 2), timeline: pick(i * 2),
  });
}

const DEMO_TASKS: { title: string; day: number; time: string | null; priority?: Task["priority"]; repeat?: string; reminders?: number[]; notes?: string }[] = [
  { title: "Angebot Wartungsvertrag nachfassen", day: -2, time: "10:00", priority: "high", reminders: [15], notes: "Fragt nach Laufzeit 24 vs. 36 Monate.\nRabatt ab 3 Standorten?" },
  { title: "Unterlagen zur Fernwartung schicken", day: -1, time: null, reminders: [0] },
  { title: "Rückruf wegen Termin im Werk", day: 0, time: "15:00", priority: "high", reminders: [15, 60] },
  { title: "Monatsbericht an den Einkauf", day: 0, time: null, repeat: "monthly", reminders: [0] },
  { title: "Messe-Kontakte anrufen", day: 1, time: "09:30", repeat: "every:3", reminders: [15] },
  { title: "Präsentation vorbereiten", day: 3, time: "14:00", priority: "low", reminders: [1440], notes: "Folien von der Messe wiederverwenden." },
  { title: "Wöchentliche Pipeline-Durchsicht", day: 5, time: "08:00", repeat: "weekly", reminders: [0] },
];

/** Deterministic demo tasks around `now`, for the first few contacts. */
export function seedTasks(b: FakeBackend): void {
  const today = new Date(b.now);
  DEMO_TASKS.forEach((d, i) => {
    const day = addDays(today, d.day);
    const p = (n: number) => String(n).padStart(2, "0");
    const date = `${day.getFullYear()}-${p(day.getMonth() + 1)}-${p(day.getDate())}`;
    const due = d.time ? new Date(`${date}T${d.time}:00`).toISOString() : date;
    b.addTask({
      title: d.title, due, priority: d.priority ?? "normal", repeat: d.repeat ?? null, reminders: d.reminders ?? [],
      notes: d.notes ?? null, contact_id: b.contacts[i % Math.max(1, Math.min(4, b.contacts.length))]?.id ?? null,
    });
  });
  const done = b.addTask({ title: "Visitenkarten nachbestellen", due: new Date(b.now - 86_400_000).toISOString() });
  Object.assign(done, { done: true, done_at: new Date(b.now - 3_600_000).toISOString() });
}
