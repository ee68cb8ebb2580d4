// The fake backend's deals: stages, lifecycle coupling, the board, reports,
// email follow-ups, quotes and the automation rules, following the Rust core
// (src-tauri/core/src/store/deals.rs, report.rs, automation.rs) closely enough
// that the UI can be exercised in tests and the dev preview.
import { emit } from "@tauri-apps/api/event";
import type { Action } from "../src/bindings/Action";
import type { ActivityKind } from "../src/bindings/ActivityKind";
import type { AutomationOutcome } from "../src/bindings/AutomationOutcome";
import type { Contact } from "../src/bindings/Contact";
import type { ContactDealsSummary } from "../src/bindings/ContactDealsSummary";
import type { Deal } from "../src/bindings/Deal";
import type { DealCard } from "../src/bindings/DealCard";
import type { DealInput } from "../src/bindings/DealInput";
import type { DealSaved } from "../src/bindings/DealSaved";
import type { DealStageSetting } from "../src/bindings/DealStageSetting";
import type { EmailTemplate } from "../src/bindings/EmailTemplate";
import type { Language } from "../src/bindings/Language";
import type { Money } from "../src/bindings/Money";
import type { Period } from "../src/bindings/Period";
import type { Pipeline } from "../src/bindings/Pipeline";
import type { RenderedEmail } from "../src/bindings/RenderedEmail";
import type { ReportKind } from "../src/bindings/ReportKind";
import type { Rule } from "../src/bindings/Rule";
import type { Settings } from "../src/bindings/Settings";
import type { Stage } from "../src/bindings/Stage";
import type { Task } from "../src/bindings/Task";
import type { ReportOf } from "../src/ipc";
import { defaultSettings } from "../src/settings";
import type { FakeBackend } from "./fakeBackend";
import { fail } from "./fakeBackend";

const DAY = 86_400_000;
const MAIN: Stage[] = ["lead", "prospect", "opportunity", "customer"];

/** The pipeline shipped: qualification 10 %, needs analysis 25 %, proposal 50 %, negotiation 75 %, won, lost. */
export function defaultDealStages(): DealStageSetting[] {
  const s = (key: string, name_de: string, name_en: string, probability: number, rotting_days: number | null, outcome: DealStageSetting["outcome"]) =>
    ({ key, name_de, name_en, probability, rotting_days, outcome });
  return [
    s("qualification", "Qualifizierung", "Qualification", 10, 14, "open"),
    s("needs_analysis", "Bedarfsanalyse", "Needs analysis", 25, 14, "open"),
    s("proposal", "Angebot", "Proposal", 50, 21, "open"),
    s("negotiation", "Verhandlung", "Negotiation", 75, 14, "open"),
    s("won", "Gewonnen", "Won", 100, null, "won"),
    s("lost", "Verloren", "Lost", 0, null, "lost"),
  ];
}

/** The rules shipped: → prospect ⇒ first call in 2 days; deal won ⇒ ask for a referral in 14 days. */
export function defaultRules(language: Language): Rule[] {
  const de = language === "de";
  return [
    {
      id: "default_first_call", enabled: true, trigger: { type: "contact_stage_changed", to: "prospect" },
      action: { type: "create_task", title: de ? "Erstgespräch führen: {display_name}" : "First call: {display_name}", due_in_days: 2 },
    },
    {
      id: "default_referral", enabled: true, trigger: { type: "deal_won" },
      action: { type: "create_task", title: de ? "Nach Empfehlung fragen: {display_name}" : "Ask for a referral: {display_name}", due_in_days: 14 },
    },
  ];
}

export function defaultTemplates(): EmailTemplate[] {
  return [
    {
      id: "follow_up_de", name: "Nachfassen", language: "de", subject: "Unser Gespräch: {deal_title}",
      body: "Hallo {first_name} {last_name},\n\nvielen Dank für das angenehme Gespräch. Wie besprochen melde ich mich wegen {deal_title} ({deal_value}) für {organization}.\n\nWann passt Ihnen ein kurzer Termin für die nächsten Schritte?\n\nViele Grüße",
    },
    {
      id: "follow_up_en", name: "Follow-up", language: "en", subject: "Following up: {deal_title}",
      body: "Hello {first_name},\n\nthank you for your time. As promised I am following up on {deal_title} ({deal_value}) for {organization}.\n\nWhen would suit you for a short call about the next steps?\n\nBest regards",
    },
  ];
}

/** The settings a fresh backend starts with (the backend ships pipeline, rules and templates). */
export function backendDefaultSettings(): Settings {
  return { ...defaultSettings(), deal_stages: defaultDealStages(), automation: defaultRules("de"), email_templates: defaultTemplates() };
}

/** set_settings' checks of the deal fields, as the core's (field: deal_stages, automation, email_templates). */
export function dealSettingsProblem(s: Settings): string | null {
  const st = s.deal_stages;
  const n = (o: string) => st.filter((x) => x.outcome === o).length;
  if (n("won") !== 1 || n("lost") !== 1 || n("open") === 0) return "deal_stages";
  const keys = new Set<string>();
  for (const x of st) {
    if (!/^[a-z0-9_]+$/.test(x.key) || keys.has(x.key)) return "deal_stages";
    keys.add(x.key);
    if (!(x.probability >= 0 && x.probability <= 100) || !x.name_de.trim() || !x.name_en.trim()) return "deal_stages";
    if (x.rotting_days !== null && !(Number.isInteger(x.rotting_days) && x.rotting_days >= 0)) return "deal_stages";
  }
  const ids = new Set<string>();
  for (const r of s.automation) {
    if (!r.id.trim() || ids.has(r.id)) return "automation";
    ids.add(r.id);
    if (r.trigger.type === "score_crossed" && !(r.trigger.threshold >= 1 && r.trigger.threshold <= 100)) return "automation";
    if (r.action.type === "create_task" && (!r.action.title.trim() || !(r.action.due_in_days >= 0 && r.action.due_in_days <= 3650))) return "automation";
    if (r.action.type === "notify" && !r.action.message.trim()) return "automation";
  }
  const tids = new Set<string>();
  for (const t of s.email_templates) {
    if (!t.id.trim() || tids.has(t.id)) return "email_templates";
    tids.add(t.id);
  }
  return null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function lineTotal(i: { quantity: number; unit_price: number; discount_percent: number }): number {
  return round2(i.quantity * i.unit_price * (1 - i.discount_percent / 100));
}

function sums(pairs: [string, number][]): Money[] {
  const m = new Map<string, number>();
  for (const [c, a] of pairs) m.set(c, round2((m.get(c) ?? 0) + a));
  return [...m].sort((a, b) => a[0].localeCompare(b[0])).map(([currency, amount]) => ({ currency, amount }));
}

export function money(amount: number, currency: string, lang: Language): string {
  return new Intl.NumberFormat(lang === "de" ? "de-DE" : "en-US", { style: "currency", currency }).format(amount);
}

const STAGE_LABEL: Record<Language, Record<Stage, string>> = {
  de: { lead: "Lead", prospect: "Interessent", opportunity: "Verkaufschance", customer: "Kunde", disqualified: "Disqualifiziert" },
  en: { lead: "Lead", prospect: "Prospect", opportunity: "Opportunity", customer: "Customer", disqualified: "Disqualified" },
};

/** Known `{name}` placeholders filled, unknown ones kept. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? values[name] : whole));
}

function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Deals and everything that hangs on them, for one FakeBackend. */
export class FakeDeals {
  deals: Deal[] = [];
  /** Quote counter per year. */
  quoteCounter = new Map<number, number>();
  /** Quotes opened in the "browser" (open_quote), by id. */
  opened: string[] = [];
  /** Mail client hand-offs (send_email): the mailto URLs. */
  mailed: string[] = [];
  private seq = 1;

  constructor(private readonly b: FakeBackend) {}

  /** As the core: shipped rules still in the other language switch to the chosen one. */
  localizeRules(): void {
    const lang: Language = this.b.settings.language ?? "de";
    const other: Language = lang === "de" ? "en" : "de";
    if (JSON.stringify(this.b.settings.automation) === JSON.stringify(defaultRules(other))) this.b.settings.automation = defaultRules(lang);
  }

  get stages(): DealStageSetting[] {
    return this.b.settings.deal_stages;
  }

  stage(key: string): DealStageSetting {
    return this.stages.find((s) => s.key === key.trim()) ?? fail("invalid_input", { field: "stage", message: `unknown deal stage ${key}` });
  }

  outcome(key: string): DealStageSetting["outcome"] {
    return this.stages.find((s) => s.key === key)?.outcome ?? "open";
  }

  summary(contactId: string): ContactDealsSummary {
    const mine = this.deals.filter((d) => d.contact_id === contactId);
    const n = (o: string) => mine.filter((d) => this.outcome(d.stage) === o).length;
    const won = n("won");
    return { open: n("open"), won, lost: n("lost"), repeat_customer: won >= 2 };
  }

  private validate(input: DealInput): { value: number; currency: string } {
    const title = input.title.trim();
    if (!title) fail("invalid_input", { field: "title", message: "a deal needs a title" });
    input.line_items.forEach((i, k) => {
      if (!i.product.trim()) fail("invalid_input", { field: `line_items[${k}]`, message: `position ${k + 1} needs a product` });
      if (!(i.quantity > 0)) fail("invalid_input", { field: `line_items[${k}]`, message: "quantity must be above 0" });
      if (!(i.unit_price >= 0)) fail("invalid_input", { field: `line_items[${k}]`, message: "unit price must be 0 or more" });
      if (!(i.discount_percent >= 0 && i.discount_percent <= 100)) fail("invalid_input", { field: `line_items[${k}]`, message: "discount 0–100" });
    });
    const value = input.value_from_items && input.line_items.length
      ? round2(input.line_items.reduce((s, i) => s + lineTotal(i), 0))
      : input.value;
    if (!Number.isFinite(value) || value < 0) fail("invalid_input", { field: "value", message: "must be 0 or more" });
    if (input.probability !== null && !(input.probability >= 0 && input.probability <= 100)) fail("invalid_input", { field: "probability" });
    const code = input.currency.trim();
    if (code && !/^[A-Za-z]{3}$/.test(code)) fail("invalid_input", { field: "currency" });
    if (input.close_date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(input.close_date)) fail("invalid_input", { field: "close_date" });
    return { value: round2(value), currency: code ? code.toUpperCase() : "EUR" };
  }

  private probability(stage: DealStageSetting, given: number | null): number {
    return stage.outcome === "open" && given !== null ? Math.min(100, given) : stage.probability;
  }

  /** Couples the contact's lifecycle stage to its deals (SPEC §3); returns the contact when it changed. */
  private couple(c: Contact, before: ContactDealsSummary, title: string): Contact | null {
    const after = this.summary(c.id);
    let to: Stage | null = null;
    let why = "";
    if (c.stage === "disqualified" || c.stage === "customer") return null;
    if (after.won > before.won) [to, why] = ["customer", `deal "${title}" won`];
    else if ((c.stage === "lead" || c.stage === "prospect") && after.open > before.open) [to, why] = ["opportunity", `open deal "${title}"`];
    else if (c.stage === "opportunity" && before.open > 0 && after.open === 0 && after.won === 0 && after.lost > 0) {
      [to, why] = ["prospect", "all open deals lost"];
    }
    if (!to) return null;
    const at = this.b.tick();
    c.stage_history.push({ from: c.stage, to, at, reason: why, by: "rule" });
    c.stage = to;
    c.updated_at = at;
    this.b.refresh(c);
    return c;
  }

  /** Writes a deal change with coupling and rules; emits `automation` when rules did something. */
  private async commit(deal: Deal, old: Deal | null, change: () => void): Promise<DealSaved> {
    const c = this.b.find(deal.contact_id);
    const before = this.summary(c.id);
    change();
    const changed = this.couple(c, before, deal.title);
    const events: RuleEvent[] = [];
    if (changed) events.push({ type: "contact_stage_changed", contact: changed, to: changed.stage });
    if (!old || old.stage !== deal.stage) {
      events.push({ type: "deal_stage_changed", contact: c, deal, to: deal.stage });
      if (this.outcome(deal.stage) === "won" && !(old && this.outcome(old.stage) === "won")) events.push({ type: "deal_won", contact: c, deal });
    }
    const automation = this.run(events);
    await this.deliver(automation);
    return { deal: structuredClone(deal), contact: this.b.detail(c), automation };
  }

  create(input: DealInput): Promise<DealSaved> {
    const { value, currency } = this.validate(input);
    this.b.find(input.contact_id);
    const stage = input.stage ? this.stage(input.stage) : this.stages.find((s) => s.outcome === "open") ?? this.stages[0];
    if (stage.outcome === "lost" && !input.lost_reason?.trim()) fail("reason_required", { field: "lost_reason" });
    const at = this.b.tick();
    const c = this.b.find(input.contact_id);
    const deal: Deal = {
      id: `d-${this.seq++}`, contact_id: c.id, organization_id: c.organization_id, title: input.title.trim(), value, currency,
      stage: stage.key, probability: this.probability(stage, input.probability), close_date: input.close_date,
      next_step: input.next_step?.trim() || null, line_items: structuredClone(input.line_items),
      lost_reason: stage.outcome === "lost" ? input.lost_reason!.trim() : null, created_at: at, updated_at: at, stage_changed_at: at,
      stage_history: [{ from: null, to: stage.key, at, reason: null }], quotes: [],
    };
    return this.commit(deal, null, () => this.deals.push(deal));
  }

  update(id: string, input: DealInput): Promise<DealSaved> {
    const d = this.find(id);
    const { value, currency } = this.validate(input);
    this.b.find(input.contact_id);
    const stage = input.stage ? this.stage(input.stage) : this.stage(d.stage);
    const moved = stage.key !== d.stage;
    if (moved && stage.outcome === "lost" && !input.lost_reason?.trim()) fail("reason_required", { field: "lost_reason" });
    const old = structuredClone(d);
    return this.commit(d, old, () => {
      const at = this.b.tick();
      Object.assign(d, {
        contact_id: input.contact_id, title: input.title.trim(), value, currency, probability: this.probability(stage, input.probability),
        close_date: input.close_date, next_step: input.next_step?.trim() || null, line_items: structuredClone(input.line_items),
        updated_at: at,
      });
      if (moved) this.setStage(d, stage, input.lost_reason, at);
    });
  }

  move(id: string, key: string, reason: string | null): Promise<DealSaved> {
    const d = this.find(id);
    const stage = this.stage(key);
    if (stage.key === d.stage) return this.commit(d, structuredClone(d), () => {});
    if (stage.outcome === "lost" && !reason?.trim()) fail("reason_required", { field: "reason" });
    const old = structuredClone(d);
    return this.commit(d, old, () => {
      this.setStage(d, stage, reason, this.b.tick());
      d.probability = stage.probability;
    });
  }

  private setStage(d: Deal, stage: DealStageSetting, reason: string | null, at: string): void {
    d.stage_history.push({ from: d.stage, to: stage.key, at, reason: reason?.trim() || null });
    d.stage = stage.key;
    d.lost_reason = stage.outcome === "lost" ? reason!.trim() : null;
    d.stage_changed_at = at;
    d.updated_at = at;
  }

  async remove(id: string) {
    const d = this.find(id);
    const c = this.b.find(d.contact_id);
    const before = this.summary(c.id);
    this.deals = this.deals.filter((x) => x.id !== id);
    const changed = this.couple(c, before, d.title);
    await this.deliver(this.run(changed ? [{ type: "contact_stage_changed", contact: changed, to: changed.stage }] : []));
    return this.b.detail(c);
  }

  find(id: string): Deal {
    return this.deals.find((d) => d.id === id) ?? fail("not_found");
  }

  /** Whole days since the newer of the contact's last activity and the deal's last stage change. */
  daysIdle(d: Deal): number {
    const c = this.b.contacts.find((x) => x.id === d.contact_id);
    const last = Math.max(Date.parse(d.stage_changed_at), c?.last_activity_at ? Date.parse(c.last_activity_at) : 0);
    return Math.max(0, Math.floor((this.b.now - last) / DAY));
  }

  pipeline(): Pipeline {
    const columns = this.stages.map((stage) => {
      const mine = this.deals.filter((d) => d.stage === stage.key).sort((a, b) =>
        (a.close_date ?? "9999").localeCompare(b.close_date ?? "9999") || b.created_at.localeCompare(a.created_at));
      const open = stage.outcome === "open";
      const deals: DealCard[] = mine.map((deal) => {
        const idle = open ? this.daysIdle(deal) : null;
        return {
          deal: structuredClone(deal), contact_name: this.b.contacts.find((c) => c.id === deal.contact_id)?.display_name ?? "—",
          no_next_step: open && !deal.next_step, rotting: open && idle !== null && stage.rotting_days !== null && idle > stage.rotting_days,
          days_idle: idle,
        };
      });
      return {
        stage: structuredClone(stage), count: mine.length,
        total: sums(mine.map((d) => [d.currency, d.value])),
        weighted: sums(mine.map((d) => [d.currency, (d.value * d.probability) / 100])),
        deals,
      };
    });
    const open = this.deals.filter((d) => this.outcome(d.stage) === "open");
    return {
      columns, total: sums(open.map((d) => [d.currency, d.value])),
      weighted: sums(open.map((d) => [d.currency, (d.value * d.probability) / 100])),
    };
  }

  // ---- automation -------------------------------------------------------------

  /** Runs the enabled rules for the events (rule actions never fire rules). */
  run(events: RuleEvent[]): AutomationOutcome[] {
    const out: AutomationOutcome[] = [];
    const lang: Language = this.b.settings.language ?? "de";
    for (const ev of events) {
      for (const r of this.b.settings.automation) {
        if (!r.enabled) continue;
        const tr = r.trigger;
        const hit =
          (tr.type === "contact_stage_changed" && ev.type === "contact_stage_changed" && ev.to === tr.to) ||
          (tr.type === "deal_stage_changed" && ev.type === "deal_stage_changed" && ev.to === tr.to) ||
          (tr.type === "deal_won" && ev.type === "deal_won") ||
          (tr.type === "task_completed" && ev.type === "task_completed") ||
          (tr.type === "score_crossed" && ev.type === "score_crossed" && ev.before < tr.threshold && ev.after >= tr.threshold);
        if (hit) out.push(this.act(r.action, ev, lang));
      }
    }
    return out;
  }

  private act(a: Action, ev: RuleEvent, lang: Language): AutomationOutcome {
    const c = ev.contact;
    const deal = "deal" in ev ? ev.deal : null;
    const values = this.values(c, deal, lang);
    if (a.type === "create_task") {
      const due = new Date(this.b.now + a.due_in_days * DAY);
      const task: Task = this.b.addTask({ title: fill(a.title, values), due: localDay(due), contact_id: c?.id ?? null, deal_id: deal?.id ?? null });
      return { type: "task_created", task: structuredClone(task) };
    }
    if (a.type === "notify") return { type: "notice", message: fill(a.message, values) };
    return { type: "proposed", contact_id: c?.id ?? "", stage: a.to };
  }

  /** Sends the `automation` event the shell sends after a mutation fired rules. */
  async deliver(outcomes: AutomationOutcome[]): Promise<void> {
    if (outcomes.length) await emit("automation", outcomes).catch(() => { /* no event support yet (seeding) */ });
  }

  values(c: Contact | null, deal: Deal | null, lang: Language): Record<string, string> {
    return {
      first_name: c?.first_name ?? "", last_name: c?.last_name ?? "", display_name: c?.display_name ?? "",
      organization: c?.organization ?? "", deal_title: deal?.title ?? "",
      deal_value: deal ? money(deal.value, deal.currency, lang) : "", stage: c ? STAGE_LABEL[lang][c.stage] : "",
    };
  }

  // ---- email and quotes -------------------------------------------------------

  render(templateId: string, contactId: string, dealId: string | null): RenderedEmail {
    const tpl = this.b.settings.email_templates.find((x) => x.id === templateId) ?? fail("not_found");
    const c = this.b.find(contactId);
    const deal = dealId ? this.find(dealId) : null;
    const v = this.values(c, deal, tpl.language);
    const subject = fill(tpl.subject, v);
    const body = fill(tpl.body, v);
    const to = c.emails[0] ?? "";
    return { to, subject, body, mailto: mailto(to, subject, body) };
  }

  async send(contactId: string, email: RenderedEmail) {
    const c = this.b.find(contactId);
    this.mailed.push(mailto(email.to, email.subject, email.body));
    const before = c.score;
    this.b.activities.push({
      id: `a-m${this.seq++}`, contact_id: c.id, at: new Date(this.b.now).toISOString(), kind: "email",
      summary: email.subject.trim() || null, text: email.body, outcome: null, concerns: null, created_at: this.b.tick(),
    });
    this.b.changed(c);
    await this.deliver(this.run([{ type: "score_crossed", contact: c, before, after: c.score }]));
    return this.b.detail(c);
  }

  quote(dealId: string, language: Language) {
    if (language !== "de" && language !== "en") fail("invalid_input", { field: "language" });
    const d = this.find(dealId);
    const c = this.b.find(d.contact_id);
    const year = new Date(this.b.now).getFullYear();
    const n = (this.quoteCounter.get(year) ?? 0) + 1;
    this.quoteCounter.set(year, n);
    const number = `A-${year}-${String(n).padStart(4, "0")}`;
    const co = this.b.settings.company;
    const esc = (x: string) => x.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const rows = d.line_items.map((i) => `<tr><td>${esc(i.product)}</td><td>${i.quantity}</td><td>${money(i.unit_price, d.currency, language)}</td><td>${i.discount_percent} %</td><td>${money(lineTotal(i), d.currency, language)}</td></tr>`).join("");
    const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${language === "de" ? "Angebot" : "Quote"} ${number}</title></head><body><header>${esc(co.name)}<br>${esc(co.address)}</header><h1>${language === "de" ? "Angebot" : "Quote"} ${number}</h1><p>${esc(c.display_name)}</p><table>${rows}</table><p>${money(d.value, d.currency, language)}</p><footer>${esc(co.footer)}</footer></body></html>`;
    const at = this.b.tick();
    const quote = { id: `q-${this.seq++}`, number, created_at: at, language, html };
    d.quotes.push(quote);
    d.updated_at = at;
    this.b.activities.push({
      id: `a-q${this.seq++}`, contact_id: c.id, at, kind: "note",
      summary: language === "de" ? `Angebot ${number} erstellt` : `Quote ${number} created`,
      text: `${d.title} (${money(d.value, d.currency, language)})`, outcome: null, concerns: null, created_at: at,
    });
    this.b.refresh(c);
    return structuredClone(quote);
  }

  findQuote(dealId: string, quoteId: string) {
    return this.find(dealId).quotes.find((q) => q.id === quoteId) ?? fail("not_found");
  }

  // ---- reports ------------------------------------------------------------------

  report<K extends ReportKind>(kind: K, period: Period): ReportOf[K] {
    if (period.from && period.to && period.from > period.to) fail("invalid_input", { field: "from" });
    const start = period.from ? new Date(`${period.from}T00:00:00`).getTime() : -Infinity;
    const end = period.to ? new Date(`${period.to}T00:00:00`).getTime() + DAY : Infinity;
    const inside = (iso: string) => { const t = Date.parse(iso); return t >= start && t < end; };
    const before = (iso: string) => Date.parse(iso) < end;
    const stageAtEnd = (c: Contact): Stage | null => {
      const h = c.stage_history.filter((x) => before(x.at));
      return h.length ? h[h.length - 1].to : null;
    };
    const cs = this.b.contacts;
    const r = (() => {
      switch (kind) {
        case "funnel":
          return {
            stages: (["lead", "prospect", "opportunity", "customer", "disqualified"] as Stage[]).map((stage) => ({
              stage, count: cs.filter((c) => stageAtEnd(c) === stage).length,
              entered: cs.filter((c) => c.stage_history.some((x) => x.to === stage && inside(x.at))).length,
            })),
          };
        case "conversion": {
          const steps = MAIN.slice(0, -1).map((from, i) => {
            const to = MAIN[i + 1];
            const entered = cs.filter((c) => c.stage_history.some((x) => x.to === from && inside(x.at)));
            const converted = entered.filter((c) => c.stage_history.some((x) => before(x.at) && MAIN.indexOf(x.to) >= i + 1)).length;
            return { from, to, entered: entered.length, converted, rate: entered.length ? converted / entered.length : 0 };
          });
          const avg_days_in_stage = (["lead", "prospect", "opportunity", "customer"] as Stage[]).map((stage) => {
            const stays: number[] = [];
            for (const c of cs) {
              c.stage_history.forEach((x, k) => {
                const next = c.stage_history[k + 1];
                if (x.to === stage && next && inside(next.at)) stays.push((Date.parse(next.at) - Date.parse(x.at)) / DAY);
              });
            }
            const days = stays.length ? Math.round((stays.reduce((a, b) => a + b, 0) / stays.length) * 10) / 10 : null;
            return { stage, days, samples: stays.length };
          });
          return { steps, avg_days_in_stage };
        }
        case "pipeline": {
          const open = this.stages.filter((s) => s.outcome === "open");
          const closed = this.deals.filter((d) => this.outcome(d.stage) !== "open" && inside(d.stage_changed_at));
          const won = closed.filter((d) => this.outcome(d.stage) === "won");
          const lost = closed.length - won.length;
          const openDeals = this.deals.filter((d) => this.outcome(d.stage) === "open");
          const wonTotal = sums(won.map((d) => [d.currency, d.value]));
          return {
            by_stage: open.map((s) => {
              const mine = this.deals.filter((d) => d.stage === s.key);
              return { stage: s.key, count: mine.length, total: sums(mine.map((d) => [d.currency, d.value])), weighted: sums(mine.map((d) => [d.currency, (d.value * d.probability) / 100])) };
            }),
            total: sums(openDeals.map((d) => [d.currency, d.value])),
            weighted: sums(openDeals.map((d) => [d.currency, (d.value * d.probability) / 100])),
            win_rate: closed.length ? won.length / closed.length : 0,
            avg_won_size: wonTotal.map((m) => ({ currency: m.currency, amount: round2(m.amount / won.filter((d) => d.currency === m.currency).length) })),
            won_total: wonTotal, won_count: won.length, lost_count: lost,
          };
        }
        case "activities": {
          const acts = this.b.activities.filter((a) => inside(a.at));
          const monday = (t: number) => { const d = new Date(t); d.setHours(0, 0, 0, 0); d.setDate(d.getDate() - ((d.getDay() + 6) % 7)); return d; };
          const first = Number.isFinite(start) ? start : Math.min(...acts.map((a) => Date.parse(a.at)), this.b.now);
          const last = Number.isFinite(end) ? Math.min(end - 1, Math.max(this.b.now, first)) : this.b.now;
          const weeks: { week_start: string; counts: Record<string, number> }[] = [];
          for (let w = monday(first); w.getTime() <= last && weeks.length < 1000; w.setDate(w.getDate() + 7)) {
            const from = w.getTime();
            const counts: Record<string, number> = {};
            for (const a of acts) {
              const t = Date.parse(a.at);
              if (t >= from && t < from + 7 * DAY) counts[a.kind as ActivityKind] = (counts[a.kind] ?? 0) + 1;
            }
            weeks.push({ week_start: localDay(w), counts });
          }
          return { weeks };
        }
        case "sources": {
          const made = cs.filter((c) => inside(c.created_at));
          const by = new Map<string, { leads: number; customers: number }>();
          for (const c of made) {
            const k = c.source ?? "";
            const row = by.get(k) ?? { leads: 0, customers: 0 };
            row.leads++;
            if (stageAtEnd(c) === "customer") row.customers++;
            by.set(k, row);
          }
          return {
            sources: [...by].map(([source, x]) => ({ source, ...x, rate: x.leads ? x.customers / x.leads : 0 }))
              .sort((a, b) => b.customers - a.customers || b.leads - a.leads || a.source.localeCompare(b.source)),
          };
        }
        case "overdue": {
          const tasks = this.b.tasks.filter((x) => !x.done && this.b.overdue(x) && (!period.from && !period.to || inside(x.due)))
            .sort((a, b) => a.due.localeCompare(b.due));
          return { tasks: structuredClone(tasks), count: tasks.length };
        }
        default:
          return fail("invalid_input", { field: "kind" });
      }
    })();
    return r as ReportOf[K];
  }

  /** The CSV export_report writes (in the UI language), and the rows it counts. */
  csv(kind: ReportKind, period: Period): { text: string; rows: number } {
    const r = this.report(kind, period) as any;
    const list: unknown[] = r.stages ?? r.steps ?? r.by_stage ?? r.weeks ?? r.sources ?? r.tasks ?? [];
    const text = list.map((x) => JSON.stringify(x)).join("\n");
    return { text, rows: list.length };
  }
}

export type RuleEvent =
  | { type: "contact_stage_changed"; contact: Contact; to: Stage }
  | { type: "deal_stage_changed"; contact: Contact; deal: Deal; to: string }
  | { type: "deal_won"; contact: Contact; deal: Deal }
  | { type: "task_completed"; contact: Contact | null; task: Task }
  | { type: "score_crossed"; contact: Contact; before: number; after: number };

export function mailto(to: string, subject: string, body: string): string {
  const enc = (x: string) => encodeURIComponent(x).replace(/%0A/g, "%0D%0A");
  return `mailto:${encodeURIComponent(to).replace(/%40/g, "@")}?subject=${enc(subject)}&body=${enc(body)}`;
}

/** A handful of deterministic demo deals over the first contacts that are not leads. */
export function seedDeals(b: FakeBackend): void {
  const d = b.dealStore;
  const eligible = b.contacts.filter((c) => c.stage === "opportunity" || c.stage === "customer" || c.stage === "prospect").slice(0, 14);
  const titles = ["Wartungsvertrag 3 Standorte", "Kassensystem Filialen", "Fernwartung Pilot", "Schulungspaket Technik", "Ersatzteil-Rahmenvertrag", "Predictive-Maintenance-Pilot", "Lizenz-Verlängerung"];
  const stages = ["qualification", "needs_analysis", "proposal", "negotiation", "proposal", "won", "lost"];
  eligible.forEach((c, i) => {
    const key = c.stage === "customer" ? "won" : stages[i % stages.length];
    const at = new Date(b.now - ((i * 5) % 40 + 2) * DAY).toISOString();
    const close = new Date(b.now + ((i * 9) % 60 - 10) * DAY);
    const items = i % 3 === 0 ? [
      { product: "Wartung pro Standort", quantity: 3, unit_price: 1200, discount_percent: 10 },
      { product: "Einrichtung", quantity: 1, unit_price: 850, discount_percent: 0 },
    ] : [];
    const value = items.length ? round2(items.reduce((s, x) => s + lineTotal(x), 0)) : 2500 + ((i * 3719) % 40) * 250;
    const stage = d.stage(key);
    const stageBefore = i % 2 ? "qualification" : null;
    d.deals.push({
      id: `d-${i + 1}00`, contact_id: c.id, organization_id: c.organization_id, title: titles[i % titles.length], value,
      currency: i === 4 ? "CHF" : "EUR", stage: key, probability: stage.probability, close_date: localDay(close),
      next_step: i % 4 === 1 ? null : ["Demo vereinbaren", "Angebot nachfassen", "Entscheider einbinden", "Vertrag prüfen"][i % 4],
      line_items: items, lost_reason: key === "lost" ? "Budget gestrichen" : null, created_at: at, updated_at: at,
      stage_changed_at: at,
      stage_history: [
        ...(stageBefore && stageBefore !== key ? [{ from: null, to: stageBefore, at: new Date(Date.parse(at) - 9 * DAY).toISOString(), reason: null }] : []),
        { from: stageBefore && stageBefore !== key ? stageBefore : null, to: key, at, reason: key === "lost" ? "Budget gestrichen" : null },
      ],
      quotes: [],
    });
  });
}
