// The UI's tests against the product: the app's real commands run in a
// child process (`cargo build --example ui_backend`, see
// src-tauri/examples/ui_backend.rs) on a store of its own, at a fixed time.
// No rule of the core exists here: what a test seeds goes through the same
// commands the window calls, and what the UI shows is what the core answers.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { emit } from "@tauri-apps/api/event";
import { BackendProcess } from "../dev/backendProcess";
import type { AppointmentInput } from "../src/bindings/AppointmentInput";
import type { ActivityInput } from "../src/bindings/ActivityInput";
import type { ActivityKind } from "../src/bindings/ActivityKind";
import type { AppInfo } from "../src/bindings/AppInfo";
import type { Answer } from "../src/bindings/Answer";
import type { ContactInput } from "../src/bindings/ContactInput";
import type { CriteriaUpdate } from "../src/bindings/CriteriaUpdate";
import type { DealInput } from "../src/bindings/DealInput";
import type { OrganizationInput } from "../src/bindings/OrganizationInput";
import type { Settings } from "../src/bindings/Settings";
import type { Stage } from "../src/bindings/Stage";
import type { TargetGroupSetting } from "../src/bindings/TargetGroupSetting";
import type { Task } from "../src/bindings/Task";
import type { TaskInput } from "../src/bindings/TaskInput";
import { DEFAULT_SETTINGS } from "../src/generated/core";

/** The backend binary (the UI tests run in `ui/`, the workspace builds into `target/`). */
const BINARY = process.env.KONTOR_UI_BACKEND ?? resolve(process.cwd(), "../target/debug/examples/ui_backend");
const DAY = 86_400_000;

/** A contact a test seeds; `id` is the core's once the backend has it. */
export interface Seeded {
  id: string;
  input: Partial<ContactInput>;
}

/** One backend process for one test. */
export class LiveBackend {
  /** The time every command sees (ms since the epoch). */
  now = Date.parse("2025-03-14T09:30:00Z");
  /** The settings the test starts with (the backend's): changed here, saved once before the app starts. */
  settings: Settings = structuredClone(DEFAULT_SETTINGS);
  private settingsLoaded = false;
  /** Facts of the running app that a test stands in for (the OS locale, a rebuild going on). */
  info: Partial<AppInfo> = {};
  /** What the UI called, in order (seeding not included). */
  readonly calls: { cmd: string; args: any }[] = [];
  private readonly process: BackendProcess;
  /** Whether the UI runs (events no request caused reach it then, as the reminder timer's do). */
  private mounted = false;
  private readonly seeds: (() => Promise<void>)[] = [];
  /** Stand-ins handed out while seeding (a test reads `anna.id` before Anna exists) → the core's ids. */
  private readonly ids = new Map<string, string>();
  private nextSeed = 0;

  constructor() {
    const toUi = (event: string, payload: unknown) => void (this.mounted && emit(event, payload));
    this.process = new BackendProcess(BINARY, toUi, { TZ: process.env.TZ ?? "Europe/Berlin" });
  }

  /** A command as the window calls it: recorded, its events delivered to the UI. */
  readonly handle = async (cmd: string, args: any): Promise<unknown> => {
    this.mounted = true;
    this.calls.push({ cmd, args });
    const answer = await this.process.send(cmd, args ?? {}, (event, payload) => void emit(event, payload));
    return cmd === "app_info" ? { ...(answer as AppInfo), ...this.info } : answer;
  };

  /** Resolves once every command sent so far has been answered. */
  async idle(): Promise<void> {
    while (this.process.waiting) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 0));
  }

  /** A command for the test itself (not recorded, events dropped). */
  call(cmd: string, args: unknown = {}): Promise<any> {
    return this.process.send(cmd, args);
  }

  /** From now on a running import waits after each batch until `stepImport`. */
  holdImport(): void {
    this.seeds.push(async () => void (await this.call("__hold_import")));
  }

  /** Lets a held import write its next batch. */
  stepImport(): Promise<unknown> {
    return this.call("__step_import");
  }

  /** The value with every stand-in id replaced by the core's. */
  private resolve<T>(value: T): T {
    if (typeof value === "string") return (this.ids.get(value) ?? value) as T;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)) as T;
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)])) as T;
    }
    return value;
  }

  /** Queues `make` (its args resolved when it runs); the stand-in becomes the id it returns. */
  private seed(make: () => Promise<string>): Seeded {
    const seeded: Seeded = { id: `seed-${this.nextSeed++}`, input: {} };
    const token = seeded.id;
    this.seeds.push(async () => {
      const id = await make();
      this.ids.set(token, id);
      seeded.id = id;
    });
    return seeded;
  }

  /** Runs a seeding command with its stand-in ids resolved. */
  private seedCall(cmd: string, args: unknown): Promise<any> {
    return this.call(cmd, this.resolve(args));
  }

  /** The contacts the test seeded, in the order it added them. */
  readonly contacts: Seeded[] = [];

  /** Every task (open and done) as the core has it now. */
  async tasks(): Promise<Task[]> {
    const items = [...(await this.call("list_tasks", { view: "open" })), ...(await this.call("list_tasks", { view: "done" }))];
    return items.map((i: { task: Task }) => i.task);
  }

  /** Adds a contact (forced into `stage` when given). */
  add(input: Partial<ContactInput> & { stage?: Stage }): Seeded {
    const { stage, ...rest } = input;
    const seeded = this.seed(async () => {
      const full = {
        first_name: "", last_name: "", display_name: null, organization: null, title: null, emails: [], phones: [],
        tags: [], source: null, notes: null, ...rest,
      };
      const detail = await this.seedCall("create_contact", { input: full });
      if (stage && stage !== "lead") await this.call("__forced_stage", { id: detail.contact.id, stage });
      return detail.contact.id;
    });
    seeded.input = rest;
    this.contacts.push(seeded);
    return seeded;
  }

  /** Adds a task (`contact_id` / `deal_id` may be seeded stand-ins). */
  addTask(input: Partial<TaskInput> & { title: string; due: string }): Seeded {
    return this.seed(async () => {
      const full = { contact_id: null, deal_id: null, priority: "normal", notes: null, reminders: [], repeat: null, ...input };
      return (await this.seedCall("create_task", { input: full })).task.id;
    });
  }

  /** Adds an appointment (`contact_id` may be a seeded stand-in). */
  addAppointment(input: Partial<AppointmentInput> & { title: string; start: string }): Seeded {
    return this.seed(async () => {
      const full = { end: null, contact_id: null, organization_id: null, deal_id: null, place: null, notes: null, reminders: null, ...input };
      return (await this.seedCall("create_appointment", { input: full })).appointment.id;
    });
  }

  /** Sets a seeded contact's pin. */
  pin(c: Seeded, lat: number, lon: number): void {
    this.seeds.push(async () => void (await this.seedCall("pin_contact", { id: c.id, pin: { lat, lon } })));
  }

  /** Marks a seeded task done, at `at` (RFC 3339) or the clock's time. */
  complete(task: Seeded, at?: string): void {
    this.seeds.push(async () => {
      if (at) await this.call("__clock", { at });
      await this.seedCall("complete_task", { id: task.id });
      if (at) await this.call("__clock", { at: new Date(this.now).toISOString() });
    });
  }

  /** Adds a deal (`contact_id` may be a seeded stand-in). */
  addDeal(input: Partial<DealInput> & { contact_id: string; title: string }): Seeded {
    return this.seed(async () => {
      const full = {
        value: 0, currency: "EUR", stage: null, probability: null, close_date: null, next_step: null, line_items: [],
        lost_reason: null, value_from_items: false, ...input,
      };
      return (await this.seedCall("create_deal", { input: full })).deal.id;
    });
  }

  /** Logs an activity `daysAgo` days before now. */
  log(c: Seeded, kind: ActivityKind, daysAgo = 0, extra: Partial<ActivityInput> = {}): void {
    this.seeds.push(async () => {
      const at = new Date(this.now - daysAgo * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");
      const input: ActivityInput = { kind, at, summary: null, text: null, outcome: null, concerns: null, ...extra };
      await this.seedCall("log_activity", { id: c.id, input });
    });
  }

  /** The file the import wizard's open dialog will pick (`null`: the rep cancels it). */
  stageImport(file: { name: string; text: string } | null): void {
    this.seeds.push(async () => void (await this.answerDialog(file)));
  }

  /** Answers the next native file dialog: a file (written first when `text` is given), or `null` to cancel. */
  answerDialog(file: { name: string; text?: string } | null): Promise<unknown> {
    return this.call("__dialog", file === null ? { cancel: true } : { file: file.name, text: file.text ?? null });
  }

  /** A backup made by another backend (seeded by `fill`, dated `at`) that the next open dialog picks as `name`. */
  addBackup(name: string, fill: (other: LiveBackend) => void, at = "2025-02-01T10:00:00Z"): void {
    this.seeds.push(async () => {
      const other = new LiveBackend();
      other.now = Date.parse(at);
      try {
        await other.loadSettings();
        fill(other);
        await other.prepare();
        await other.answerDialog({ name });
        await other.call("backup_store");
        await this.answerDialog({ name, text: await other.savedFile(name) });
      } finally {
        other.stop();
      }
    });
  }

  /** The text of a file saved into the backend's directory. */
  async savedFile(name: string): Promise<string> {
    const dir: string = await this.call("__dir");
    return readFileSync(resolve(dir, name), "utf8");
  }

  /** Moves a seeded contact to `stage` (a forced correction, by hand). */
  stage(c: Seeded, stage: Stage): void {
    this.seeds.push(async () => void (await this.seedCall("__forced_stage", { id: c.id, stage })));
  }

  /** Erases a seeded person for good (after the automatic backup the command writes). */
  erase(c: Seeded): void {
    this.seeds.push(async () => void (await this.seedCall("erase_person", { id: c.id })));
  }

  /** Accepts a seeded contact's qualification proposal (a stage change by rule). */
  accept(c: Seeded): void {
    this.seeds.push(async () => void (await this.seedCall("accept_proposal", { id: c.id })));
  }

  /** Sets criteria by hand. */
  setCriteria(c: Seeded, update: Partial<Record<keyof CriteriaUpdate, Answer | TargetGroupSetting>>): void {
    this.seeds.push(async () => {
      const criteria = { target_group: null, budget: null, authority: null, need: null, timeline: null, ...update };
      await this.seedCall("set_criteria", { id: c.id, criteria });
    });
  }

  /** Edits the organisation named `name` (after the contacts are added). */
  organization(name: string, input: Partial<OrganizationInput>): void {
    this.seeds.push(async () => {
      const [org] = await this.call("list_organizations", { search: name });
      await this.call("update_organization", { id: org.id, input: { ...org, ...input } });
    });
  }

  /** Seeds what `fill` adds as of the time `iso` (the clock goes there, then returns). */
  at(iso: string, fill: () => void): void {
    this.seeds.push(async () => void (await this.call("__clock", { at: iso })));
    fill();
    this.seeds.push(async () => void (await this.call("__clock", { at: new Date(this.now).toISOString() })));
  }

  /** Imports a file as if the rep had picked it; the seeded contact is the one `search` then finds. */
  imported(name: string, text: string, search: string): Seeded {
    return this.seed(async () => {
      const options = { format: "auto", preset: "auto", mapping: null, source: null, merge_duplicates: true };
      await this.call("__import", { name, text, options });
      const page = await this.call("list_contacts", { query: { stage: null, search, sort: "name", offset: 0, limit: 1, ready_to_qualify: false, organization_id: null } });
      return page.items[0].id;
    });
  }

  /** Seeds what `fill` adds as of `days` days before now (the clock goes back, then returns). */
  back(days: number, fill: () => void): void {
    const iso = (ms: number) => new Date(ms).toISOString();
    this.seeds.push(async () => void (await this.call("__clock", { at: iso(this.now - days * DAY) })));
    fill();
    this.seeds.push(async () => void (await this.call("__clock", { at: iso(this.now) })));
  }

  /** Moves the clock on by `minutes` between two seeds (so "last changed" has an order). */
  later(minutes = 1): void {
    this.seeds.push(async () => {
      this.now += minutes * 60_000;
      await this.call("__clock", { at: new Date(this.now).toISOString() });
    });
  }

  /** Adds `n` contacts as demo data looks (names, organisations, stages, emails, phones, tags). */
  many(n: number): Seeded[] {
    const first = ["Anna", "Bernd", "Carla", "Dieter", "Eva", "Frank", "Greta", "Hans", "Ilse", "Jörg", "Karin", "Lutz"];
    const last = ["Becker", "Otto", "Zorn", "Müller", "Schmidt", "Wagner", "Krüger", "Hoffmann", "Schulz", "Braun", "Wolf"];
    const stages: Stage[] = ["lead", "prospect", "opportunity", "customer", "disqualified"];
    return Array.from({ length: n }, (_, i) => {
      const [f, l] = [first[i % first.length], last[(i * 7 + Math.floor(i / first.length)) % last.length]];
      return this.add({
        first_name: f, last_name: l, organization: `Firma ${i % 17}`, stage: stages[i % stages.length],
        emails: [`${f}.${l}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, "")],
        phones: i % 3 ? [`+49 30 ${1000000 + i * 7919}`] : [], tags: i % 4 === 0 ? ["messe-2025"] : [],
      });
    });
  }

  /** Fixes the clock, saves the settings and runs the seeds, in that order. */
  async prepare(): Promise<void> {
    await this.call("__clock", { at: new Date(this.now).toISOString() });
    if (this.settingsLoaded) await this.call("set_settings", { settings: this.settings });
    for (const seed of this.seeds.splice(0)) await seed();
  }

  /** The settings as the backend has them now (for a test to change before `prepare`). */
  async loadSettings(): Promise<Settings> {
    this.settings = await this.call("get_settings");
    this.settingsLoaded = true;
    return this.settings;
  }

  stop(): void {
    this.process.stop();
  }
}
