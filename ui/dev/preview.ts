// Dev-only entry: runs the real UI against the in-memory fake backend.
// URL parameters: lang=de|en (OS locale), empty=1 (no contacts), open=<n>
// (open the n-th contact), form=invalid (open the form with errors),
// ready=1 (the "ready to qualify" chip), expand=<n> (the n-th row's score
// lines), activity=1 / org=1 (their dialogs on the open contact),
// notice=1 (the "ready for …" notice for the open contact), settings=scoring|reminders,
// tasks=overdue|today|upcoming|done (the tasks view on that tab; notasks=1 for
// none), task=new|edit (the task dialog; on an open contact it is preselected),
// snooze=1 (the first row's snooze menu), tasksevent=<s> (emit tasks-changed
// after s seconds, as the tray would), import=1 (the import wizard; the file
// dialog picks a sample CSV with a bad row and a duplicate; import=preview|report
// goes on to that step), dups=1 (the
// duplicates dialog; dups=merge opens the first pair's merge), erase=1 (the erase confirmation on the open contact),
// pipeline=1 (the board; pipeline=lost opens the lost-reason dialog for the first card), deal=new|<n> (the deal
// dialog, new or the n-th demo deal), email=1 (the follow-up dialog on the open contact), reports=1|month|30|quarter|all,
// settings=pipeline|rules|templates|company, auto=1 (three automation toasts).
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { FakeBackend, seedDemo, seedTasks } from "./fakeBackend";
import { seedDeals } from "./fakeDeals";
import { clock } from "../src/tasks";
import "../src/styles.css";
import { App } from "../src/app";

const params = new URLSearchParams(location.search);
const backend = new FakeBackend();
backend.info.locale = params.get("lang") === "de" ? "de-DE" : "en-US";
if (!params.has("empty")) seedDemo(backend, 260);
const xss = backend.contacts[3];
if (xss) xss.display_name = "<img src=x onerror=alert(1)>";
if (!params.has("notasks")) seedTasks(backend);
if (!params.has("empty")) seedDeals(backend);
backend.settings.company = { name: "Kontor Vertrieb GmbH", address: "Hauptstr. 5\n10115 Berlin", email: "vertrieb@kontor.example", phone: "+49 30 1234567", vat_id: "DE123456789", footer: "Berliner Bank · IBAN DE00 1001 0010 0123 4567 89" };
clock.now = () => new Date(backend.now);
backend.importFile = {
  name: "messe-hannover.csv",
  encoding: "Windows-1252",
  text: [
    "Anrede;Vorname;Nachname;Firma;E-Mail;Telefon;Straße;PLZ;Ort;Branche;Phase",
    ...Array.from({ length: 240 }, (_, i) => `Herr;Max${i};Muster;Musterbau GmbH;max${i}@musterbau.de;030 55${i};Ring ${i};10115;Berlin;Bau;Lead`),
    ";;;Leer AG;;;;;;;",
    `Frau;Anna;Doppelt;;${backend.contacts[0]?.emails[0] ?? "anna@example.com"};;;;;;Kunde`,
    "Frau;Eva;Komisch;;kein-at-zeichen;;;;;;Irgendwas",
  ].join("\n"),
};
backend.importBatch = 20;
backend.importPause = () => new Promise((r) => setTimeout(r, 150));
backend.addBackup("kontor-backup-2025-02-01.json", (b) => seedDemo(b, 12));
backend.backupChoice = "kontor-backup-2025-02-01.json";
if (backend.contacts[1] && backend.contacts[2]) backend.contacts[2].emails.push(backend.contacts[1].emails[0]);
mockIPC(backend.handle, { shouldMockEvents: true });

const app = new App(document.getElementById("app")!);
await app.start();
const open = params.get("open");
if (open) await app.openContact(backend.contacts[Number(open)].id);
const stage = params.get("stage");
if (stage) {
  app.openStageControl();
  if (stage !== "1") {
    const sel = document.querySelector<HTMLSelectElement>('[data-testid="stage-select"]')!;
    sel.value = stage;
    sel.dispatchEvent(new Event("change"));
    if (params.get("submit")) document.querySelector<HTMLButtonElement>('[data-testid="stage-submit"]')!.click();
  }
}
const search = params.get("search");
if (search) {
  const input = document.querySelector<HTMLInputElement>('[data-testid="search"]')!;
  input.value = search;
  input.dispatchEvent(new Event("input"));
}
const form = params.get("form");
if (form) {
  app.openForm(null);
  const set = (id: string, v: string) => {
    const el = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${id}"]`)!;
    el.value = v;
  };
  if (form === "invalid") {
    set("field-emails", "anna@example.com\nnot-an-email");
    set("field-phones", "+49 (30) 123 456\n12");
    set("field-organization", "Neue Firma KG");
    document.querySelector<HTMLButtonElement>('[data-testid="save-contact"]')!.click();
  }
}
if (params.get("settings")) {
  app.openSettings();
  const section = params.get("settings");
  if (section && section !== "1") document.querySelector(`[data-testid="settings-${section}"]`)?.scrollIntoView();
}
const tasksTab = params.get("tasks");
if (tasksTab) {
  await app.showTasks();
  if (tasksTab !== "1") {
    app.setTaskTab(tasksTab as "overdue" | "today" | "upcoming" | "done");
    await new Promise((r) => setTimeout(r, 50));
  }
}
const task = params.get("task");
if (task === "new") app.openTaskDialog(null);
if (task === "edit") {
  const first = backend.tasks.find((x) => !x.done && x.notes) ?? backend.tasks[0];
  if (first) app.openTaskDialog(backend.item(first));
}
if (params.get("snooze")) document.querySelector<HTMLElement>('[data-testid="task-snooze"]')?.click();
const later = params.get("tasksevent");
if (later) {
  setTimeout(() => {
    backend.tasks.filter((x) => !x.done).forEach((x) => { x.snoozed_until = new Date(backend.now + 3_600_000).toISOString(); });
    void emit("tasks-changed");
  }, Number(later) * 1000);
}
if (params.get("ready")) {
  document.querySelector<HTMLElement>('[data-testid="stage-chip-ready"]')!.click();
  await new Promise((r) => setTimeout(r, 50));
}
const expand = params.get("expand");
if (expand) document.querySelectorAll<HTMLElement>('[data-testid="row-score"]')[Number(expand)]?.click();
if (params.get("activity")) app.openActivityDialog(null);
if (params.get("org")) app.openOrgDialog();
if (params.get("notice") && app.view.name === "contact") app.showNotice(app.view.detail.contact);
const imp = params.get("import");
if (imp) {
  app.openImport();
  if (imp === "preview" || imp === "report") {
    document.querySelector<HTMLElement>('[data-testid="import-choose"]')!.click();
    await new Promise((r) => setTimeout(r, 100));
  }
  if (imp === "report") {
    backend.importPause = () => Promise.resolve();
    document.querySelector<HTMLElement>('[data-testid="import-run"]')!.click();
  }
}
if (params.get("dups")) {
  app.openDuplicates();
  await new Promise((r) => setTimeout(r, 50));
  if (params.get("dups") === "merge") document.querySelector<HTMLElement>('[data-testid="merge-open"]')?.click();
}
if (params.get("erase") && app.view.name === "contact") document.querySelector<HTMLElement>('[data-testid="person-erase"]')?.click();
const board = params.get("pipeline");
if (board) {
  await app.showPipeline();
  if (board === "lost") {
    const first = backend.dealStore.deals.find((d) => backend.dealStore.outcome(d.stage) === "open");
    if (first) void app.moveDeal(first.id, "lost");
  }
}
const deal = params.get("deal");
if (deal === "new") app.openDealDialog(null);
else if (deal) await app.openDeal(backend.dealStore.deals[Number(deal)]?.id ?? "");
if (params.get("email") && app.view.name === "contact") app.openEmailDialog(app.view.detail.contact.id, null);
const reports = params.get("reports");
if (reports) {
  await app.showReports();
  if (reports !== "1") app.setReportPreset(reports as "month" | "30" | "quarter" | "all");
}
if (params.get("auto")) {
  const c = backend.contacts[0];
  const task = backend.addTask({ title: `Nach Empfehlung fragen: ${c.display_name}`, due: "2025-03-28", contact_id: c.id });
  void emit("automation", [
    { type: "task_created", task },
    { type: "notice", message: `${c.display_name} hat 70 Punkte erreicht` },
    { type: "proposed", contact_id: c.id, stage: "opportunity" },
  ]);
}
