// An in-memory stand-in for the Rust backend, following the IPC contract.
// Used by the unit tests and by the dev preview page (dev/index.html); it is
// never part of the production bundle.
import type { AppInfo } from "../src/bindings/AppInfo";
import type { Contact } from "../src/bindings/Contact";
import type { ContactDetail } from "../src/bindings/ContactDetail";
import type { ContactInput } from "../src/bindings/ContactInput";
import type { ErrorPayload } from "../src/bindings/ErrorPayload";
import type { ListQuery } from "../src/bindings/ListQuery";
import type { Organization } from "../src/bindings/Organization";
import type { Settings } from "../src/bindings/Settings";
import type { Stage } from "../src/bindings/Stage";
import type { StageChangeRequest } from "../src/bindings/StageChangeRequest";
import type { StageCounts } from "../src/bindings/StageCounts";
import type { Transition } from "../src/bindings/Transition";

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

export function fail(code: ErrorPayload["code"], extra: Partial<ErrorPayload> = {}): never {
  const payload: ErrorPayload = { code, message: `${code} (from fake backend)`, field: null, from: null, to: null, ...extra };
  throw payload;
}

export class FakeBackend {
  contacts: Contact[] = [];
  orgs: Organization[] = [];
  settings: Settings = { language: null };
  info: AppInfo = { version: "0.1.0", locale: "en-US", data_dir: "/home/rep/.local/share/kontor" };
  calls: { cmd: string; args: any }[] = [];
  now = Date.parse("2025-03-14T09:30:00Z");
  private nextId = 1;

  tick(): string {
    this.now += 60_000;
    return new Date(this.now).toISOString();
  }

  org(name: string | null): Organization | null {
    if (!name) return null;
    let o = this.orgs.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!o) {
      const at = this.tick();
      o = { id: `org-${this.orgs.length + 1}`, name, created_at: at, updated_at: at };
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
      stage: input.stage ?? "lead",
      score: 10,
      created_at: at,
      updated_at: at,
      stage_history: input.history ?? [{ from: null, to: input.stage ?? "lead", at, reason: null, by: "hand" }],
    };
    this.contacts.push(c);
    return c;
  }

  detail(c: Contact): ContactDetail {
    return { contact: structuredClone(c), transitions: transitionsFrom(c.stage) };
  }

  matches(c: Contact, search: string | null): boolean {
    if (!search) return true;
    const hay = [c.display_name, c.organization, c.title, ...c.emails, ...c.phones, ...c.tags, c.notes]
      .filter(Boolean).join(" ").toLowerCase();
    return search.toLowerCase().split(/\s+/).every((w) => hay.includes(w));
  }

  counts(search: string | null): StageCounts {
    const hits = this.contacts.filter((c) => this.matches(c, search));
    const n = (s: Stage) => hits.filter((c) => c.stage === s).length;
    return { all: hits.length, lead: n("lead"), prospect: n("prospect"), opportunity: n("opportunity"), customer: n("customer"), disqualified: n("disqualified") };
  }

  find(id: string): Contact {
    return this.contacts.find((c) => c.id === id) ?? fail("not_found");
  }

  validate(input: ContactInput): void {
    if (!input.first_name.trim() && !input.last_name.trim()) fail("name_required", { field: "first_name" });
    input.emails.forEach((e, i) => { if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) fail("invalid_email", { field: `emails[${i}]` }); });
  }

  /** The mockIPC handler. */
  handle = (cmd: string, args: any): unknown => {
    this.calls.push({ cmd, args: structuredClone(args) });
    switch (cmd) {
      case "list_contacts": {
        const q = args.query as ListQuery;
        const hits = this.contacts.filter((c) => this.matches(c, q.search) && (!q.stage || c.stage === q.stage));
        hits.sort(q.sort === "name"
          ? (a, b) => a.display_name.localeCompare(b.display_name)
          : (a, b) => b.updated_at.localeCompare(a.updated_at));
        return { items: structuredClone(hits.slice(q.offset, q.offset + q.limit)), total: hits.length };
      }
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
        return this.detail(c);
      }
      case "list_organizations": {
        const s = (args.search ?? "").toLowerCase();
        return this.orgs.filter((o) => o.name.toLowerCase().includes(s));
      }
      case "get_settings":
        return this.settings;
      case "set_settings":
        this.settings = args.settings;
        return this.settings;
      case "load_demo_data":
        seedDemo(this);
        return this.counts(null);
      case "app_info":
        return this.info;
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  };
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
  }
}
