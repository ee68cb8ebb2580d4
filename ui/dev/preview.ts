// Dev-only entry: the real UI on the app's real commands, served by the Vite
// dev server (dev/previewServer.ts runs them in ui_backend; build it first
// with `cargo build --example ui_backend`). Each page load starts an empty
// store; unless `empty=1` it holds the demo data plus a few tasks.
// URL parameters: lang=de|en (the OS locale), empty=1 (no contacts),
// many=<n> (n more contacts), notasks=1, open=<n> (the n-th contact by name),
// search=<text>, stage=1|<stage> (the stage control on the open contact),
// form=1|invalid (the contact form, with errors), ready=1 (the "ready to
// qualify" chip), expand=<n> (the n-th row's score lines), activity=1 / org=1 /
// notice=1 / email=1 / erase=1 (on the open contact), settings=1|<section>,
// tasks=1|overdue|today|upcoming|done, task=new|edit, snooze=1,
// import=1|preview|report (the file dialog picks a sample CSV with a bad row
// and a duplicate), dups=1|merge, pipeline=1|lost, deal=new|<n>,
// reports=1|month|30|quarter|all.
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { Contact } from "../src/bindings/Contact";
import type { Deal } from "../src/bindings/Deal";
import type { TaskItem } from "../src/bindings/TaskItem";
import "../src/styles.css";
import { App } from "../src/app";

const params = new URLSearchParams(location.search);
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);
const pause = (ms = 100) => new Promise((r) => setTimeout(r, ms));

async function post(path: string, value?: unknown): Promise<any> {
  const res = await fetch(path, { method: "POST", body: JSON.stringify(value ?? {}) });
  const answer = await res.json();
  if (!res.ok) throw new Error(answer.message);
  return answer;
}

/** One command on the backend; the events it caused reach the UI when `deliver`. */
async function call(cmd: string, args: unknown = {}, deliver = false): Promise<any> {
  const answer = await post("/__kontor/invoke", { cmd, args });
  if (deliver) for (const e of answer.events) await emit(e.event, e.payload);
  if ("err" in answer) throw answer.err;
  return answer.ok;
}

const locale = params.get("lang") === "de" ? "de-DE" : "en-US";
try {
  await post("/__kontor/fresh");
} catch (e) {
  document.body.textContent = `The preview needs the backend: ${e instanceof Error ? e.message : e}`;
  throw e;
}
mockIPC(async (cmd, args) => {
  const answer = await call(cmd, args, true);
  return cmd === "app_info" ? { ...answer, locale, os_language: locale.slice(0, 2) } : answer;
}, { shouldMockEvents: true });
new EventSource("/__kontor/events").onmessage = (m) => {
  const { event, payload } = JSON.parse(m.data);
  void emit(event, payload);
};

// ---- the store -----------------------------------------------------------------

const query = { stage: null, search: "", sort: "name", offset: 0, limit: 500, ready_to_qualify: false, organization_id: null };
if (!params.has("empty")) await call("load_demo_data");
const extra = Number(params.get("many") ?? 0);
for (let i = 0; i < extra; i++) {
  const input = {
    first_name: `Max${i}`, last_name: "Muster", display_name: null, organization: `Musterbau ${i % 40} GmbH`, title: null,
    emails: [`max${i}@musterbau${i % 40}.de`], phones: [], tags: [], source: "preview", notes: null,
  };
  await call("create_contact", { input });
}
const contacts: Contact[] = (await call("list_contacts", { query })).items;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
if (!params.has("notasks") && contacts.length) {
  const tasks: [string, number, string | null][] = [
    ["Angebot nachfassen", -2, "Kunde wartet auf Rückruf"], ["Erstgespräch führen", 0, null],
    ["Muster schicken", 0, null], ["Besuch vorbereiten", 3, "Preisliste mitnehmen"], ["Vertrag prüfen", 9, null],
  ];
  for (const [i, [title, offset, notes]] of tasks.entries()) {
    const input = { title, contact_id: contacts[i % contacts.length].id, deal_id: null, due: day(offset), priority: "normal", notes, reminders: [], repeat: null };
    await call("create_task", { input });
  }
}
const sample = [
  "Anrede;Vorname;Nachname;Firma;E-Mail;Telefon;Straße;PLZ;Ort;Branche;Phase",
  ...Array.from({ length: 240 }, (_, i) => `Herr;Max${i};Muster;Musterbau GmbH;max${i}@musterbau.de;030 55${i};Ring ${i};10115;Berlin;Bau;Lead`),
  ";;;Leer AG;;;;;;;",
  `Frau;Anna;Doppelt;;${contacts[0]?.emails[0] ?? "anna@example.com"};;;;;;Kunde`,
  "Frau;Eva;Komisch;;kein-at-zeichen;;;;;;Irgendwas",
].join("\n");

// ---- the app, and where it starts ----------------------------------------------

const app = new App(document.getElementById("app")!);
await app.start();
const open = params.get("open");
if (open && contacts[Number(open)]) await app.openContact(contacts[Number(open)].id);
const stage = params.get("stage");
if (stage) {
  app.openStageControl();
  const select = $<HTMLSelectElement>("stage-select");
  if (stage !== "1" && select) {
    select.value = stage;
    select.dispatchEvent(new Event("change"));
  }
}
const search = params.get("search");
if (search) {
  const input = $<HTMLInputElement>("search")!;
  input.value = search;
  input.dispatchEvent(new Event("input"));
}
const form = params.get("form");
if (form) {
  app.openForm(null);
  if (form === "invalid") {
    const set = (id: string, v: string) => void ($<HTMLInputElement>(id)!.value = v);
    set("field-emails", "anna@example.com\nnot-an-email");
    set("field-phones", "+49 (30) 123 456\n12");
    set("field-organization", "Neue Firma KG");
    $("save-contact")!.click();
  }
}
const settings = params.get("settings");
if (settings) {
  app.openSettings();
  if (settings !== "1") $(`settings-${settings}`)?.scrollIntoView();
}
const tasksTab = params.get("tasks");
if (tasksTab) {
  await app.showTasks();
  if (tasksTab !== "1") app.setTaskTab(tasksTab as "overdue" | "today" | "upcoming" | "done");
  await pause();
}
const task = params.get("task");
if (task === "new") app.openTaskDialog(null);
if (task === "edit") {
  const [first]: TaskItem[] = await call("list_tasks", { view: "open" });
  if (first) app.openTaskDialog(first);
}
if (params.get("snooze")) $("task-snooze")?.click();
if (params.get("ready")) {
  $("stage-chip-ready")!.click();
  await pause();
}
const expand = params.get("expand");
if (expand) document.querySelectorAll<HTMLElement>('[data-testid="row-score"]')[Number(expand)]?.click();
if (params.get("activity")) app.openActivityDialog(null);
if (params.get("org")) app.openOrgDialog();
if (params.get("notice") && app.view.name === "contact") app.showNotice(app.view.detail.contact);
const imp = params.get("import");
if (imp) {
  await call("__dialog", { file: "messe-hannover.csv", text: sample });
  app.openImport();
  if (imp === "preview" || imp === "report") {
    $("import-choose")!.click();
    await pause(300);
  }
  if (imp === "report") $("import-run")!.click();
}
if (params.get("dups")) {
  app.openDuplicates();
  await pause();
  if (params.get("dups") === "merge") $("merge-open")?.click();
}
if (params.get("erase") && app.view.name === "contact") $("person-erase")?.click();
const deals = (): Promise<Deal[]> => call("list_deals", { stage: null });
const board = params.get("pipeline");
if (board) {
  await app.showPipeline();
  if (board === "lost") {
    const first = (await deals()).find((d) => d.stage !== "won" && d.stage !== "lost");
    if (first) void app.moveDeal(first.id, "lost");
  }
}
const deal = params.get("deal");
if (deal === "new") app.openDealDialog(null);
else if (deal) {
  const found = (await deals())[Number(deal)];
  if (found) await app.openDeal(found.id);
}
if (params.get("email") && app.view.name === "contact") app.openEmailDialog(app.view.detail.contact.id, null);
const reports = params.get("reports");
if (reports) {
  await app.showReports();
  if (reports !== "1") app.setReportPreset(reports as "month" | "30" | "quarter" | "all");
}
