// The settings dialog's editors for what the backend ships as data: the deal
// pipeline's stages (names, probability, rotting days; open stages added,
// removed and reordered, won and lost fixed at the end), the automation rules
// ("when X then Y"), the email templates with the placeholder help, and the
// company profile printed on quotes. They edit a draft the dialog saves as part
// of the one Settings object; backend errors (`invalid_settings` with field
// deal_stages / automation / email_templates) appear in their section.
import type { FieldSettings } from "../../bindings/FieldSettings";
import type { Action } from "../../bindings/Action";
import type { CompanyProfile } from "../../bindings/CompanyProfile";
import type { DealStageSetting } from "../../bindings/DealStageSetting";
import type { EmailTemplate } from "../../bindings/EmailTemplate";
import type { Language } from "../../bindings/Language";
import type { Rule } from "../../bindings/Rule";
import type { Settings } from "../../bindings/Settings";
import type { Stage } from "../../bindings/Stage";
import type { Trigger } from "../../bindings/Trigger";
import { fieldSection } from "./field";
import { h, type Child } from "../../dom";
import { language, stageName, t, type MessageKey } from "../../i18n";
import { button, STAGES } from "../common";

/** The placeholders templates, task titles and notices may use. */
export const PLACEHOLDERS = ["first_name", "last_name", "display_name", "organization", "deal_title", "deal_value", "stage"] as const;

export interface DealDraft {
  deal_stages: DealStageSetting[];
  automation: Rule[];
  email_templates: EmailTemplate[];
  company: CompanyProfile;
  /** The field day (edited in field.ts; saved with the rest). */
  field: FieldSettings;
}

/** The section an error belongs to, by its settings field. */
export type DealSection = "deal_stages" | "automation" | "email_templates" | "company" | "field";

export function dealDraftFrom(s: Settings): DealDraft {
  return structuredClone({ deal_stages: s.deal_stages, automation: s.automation, email_templates: s.email_templates, company: s.company, field: s.field });
}

/** The draft's section a settings field names ("automation[2].action" → "automation"), or null. */
export function dealSectionOf(field: string | null): DealSection | null {
  const head = (field ?? "").split(/[.[]/)[0];
  return head === "deal_stages" || head === "automation" || head === "email_templates" || head === "company" || head === "field" ? head : null;
}

/** Client-side checks before saving (the backend checks again); the first problem's section. */
export function checkDealDraft(d: DealDraft): DealSection | null {
  for (const s of d.deal_stages) {
    if (!s.name_de.trim() || !s.name_en.trim()) return "deal_stages";
    if (!(Number.isInteger(s.probability) && s.probability >= 0 && s.probability <= 100)) return "deal_stages";
    if (s.rotting_days !== null && !(Number.isInteger(s.rotting_days) && s.rotting_days >= 0)) return "deal_stages";
  }
  for (const r of d.automation) {
    if (r.trigger.type === "score_crossed" && !(Number.isInteger(r.trigger.threshold) && r.trigger.threshold >= 1 && r.trigger.threshold <= 100)) return "automation";
    if (r.action.type === "create_task" && (!r.action.title.trim() || !(Number.isInteger(r.action.due_in_days) && r.action.due_in_days >= 0 && r.action.due_in_days <= 3650))) return "automation";
    if (r.action.type === "notify" && !r.action.message.trim()) return "automation";
  }
  return null;
}

/** A fresh id not used yet: "custom_1", "rule_2" … */
function freshId(prefix: string, used: string[]): string {
  for (let n = 1; ; n++) if (!used.includes(`${prefix}_${n}`)) return `${prefix}_${n}`;
}

const num = (v: string): number => (v.trim() === "" ? NaN : Number(v.trim().replace(",", ".")));

interface Ctx {
  draft: DealDraft;
  /** Re-renders the dialog (after structural changes: rows added, types switched). */
  rerender: (focus?: string) => void;
  problem: DealSection | null;
  problemText: string;
}

function sectionError(ctx: Ctx, section: DealSection): Child {
  return ctx.problem === section
    ? h("p", { class: "field-error", role: "alert", "data-testid": "field-error", "data-section": section }, ctx.problemText)
    : null;
}

export function dealSettingsSections(ctx: Ctx): HTMLElement[] {
  return [stagesSection(ctx), rulesSection(ctx), templatesSection(ctx), companySection(ctx), fieldSection(ctx.draft.field, sectionError(ctx, "field"))];
}

// ---- pipeline stages ----

function stagesSection(ctx: Ctx): HTMLElement {
  const d = ctx.draft;
  const stageLabel = (s: DealStageSetting) => (language() === "de" ? s.name_de : s.name_en) || s.key;
  const open = d.deal_stages.filter((s) => s.outcome === "open");
  const closed = d.deal_stages.filter((s) => s.outcome !== "open");
  const reorder = (list: DealStageSetting[]) => { d.deal_stages = [...list, ...closed]; };
  const row = (s: DealStageSetting) => {
    const fixed = s.outcome !== "open";
    const i = open.indexOf(s);
    const text = (key: "name_de" | "name_en", label: MessageKey) => h("input", {
      type: "text", "data-testid": `stage-${key.replace("_", "-")}`, value: s[key], "aria-label": `${t(label)} (${s.key})`, autocomplete: "off",
      oninput: (ev: Event) => { s[key] = (ev.target as HTMLInputElement).value; },
    });
    return h(
      "tr",
      { "data-testid": "stage-row", "data-stage": s.key },
      h("td", null, text("name_de", "settings.stage_name_de")),
      h("td", null, text("name_en", "settings.stage_name_en")),
      h("td", null, fixed
        ? h("span", { class: "fixed" }, `${s.probability} %`)
        : h("input", {
            type: "number", min: 0, max: 100, class: "num-input", "data-testid": "stage-probability", value: String(s.probability),
            "aria-label": `${t("settings.stage_probability")} (${stageLabel(s)})`,
            oninput: (ev: Event) => { s.probability = num((ev.target as HTMLInputElement).value); },
          })),
      h("td", null, fixed
        ? h("span", { class: "fixed" }, "—")
        : h("input", {
            type: "number", min: 0, class: "num-input", "data-testid": "stage-rotting", value: s.rotting_days === null ? "" : String(s.rotting_days),
            "aria-label": `${t("settings.stage_rotting")} (${stageLabel(s)})`,
            oninput: (ev: Event) => { const v = (ev.target as HTMLInputElement).value; s.rotting_days = v.trim() === "" ? null : num(v); },
          })),
      h("td", { class: "row-actions" }, fixed
        ? h("span", { class: "fixed" }, t("settings.stage_fixed"))
        : [
            h("button", {
              type: "button", class: "btn btn-ghost", "data-testid": "stage-up", disabled: i === 0,
              "aria-label": t("settings.stage_up", { name: stageLabel(s) }), title: t("settings.stage_up", { name: stageLabel(s) }),
              onclick: () => { const l = open.slice(); [l[i - 1], l[i]] = [l[i], l[i - 1]]; reorder(l); ctx.rerender(); },
            }, "↑"),
            h("button", {
              type: "button", class: "btn btn-ghost", "data-testid": "stage-down", disabled: i === open.length - 1,
              "aria-label": t("settings.stage_down", { name: stageLabel(s) }), title: t("settings.stage_down", { name: stageLabel(s) }),
              onclick: () => { const l = open.slice(); [l[i + 1], l[i]] = [l[i], l[i + 1]]; reorder(l); ctx.rerender(); },
            }, "↓"),
            h("button", {
              type: "button", class: "btn btn-ghost", "data-testid": "stage-remove", disabled: open.length <= 1,
              "aria-label": t("settings.stage_remove", { name: stageLabel(s) }), title: t("settings.stage_remove", { name: stageLabel(s) }),
              onclick: () => { reorder(open.filter((x) => x !== s)); ctx.rerender(); },
            }, "×"),
          ]),
    );
  };
  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-pipeline", "aria-labelledby": "pipeline-settings-title" },
    h("h3", { id: "pipeline-settings-title" }, t("settings.pipeline")),
    h("p", { class: "hint" }, t("settings.pipeline_hint")),
    h("table", { class: "stage-table" },
      h("thead", null, h("tr", null,
        h("th", null, t("settings.stage_name_de")), h("th", null, t("settings.stage_name_en")),
        h("th", null, t("settings.stage_probability")), h("th", null, t("settings.stage_rotting")), h("th", null))),
      h("tbody", null, [...open, ...closed].map(row))),
    h("div", null, button(t("settings.stage_add"), {
      testid: "stage-add", kind: "ghost",
      onclick: () => {
        const key = freshId("custom", d.deal_stages.map((s) => s.key));
        reorder([...open, { key, name_de: "", name_en: "", probability: 50, rotting_days: 14, outcome: "open" }]);
        ctx.rerender("stage-add");
      },
    })),
    sectionError(ctx, "deal_stages"),
  );
}

// ---- automation rules ----

const TRIGGERS: Trigger["type"][] = ["contact_stage_changed", "score_crossed", "deal_stage_changed", "deal_won", "task_completed"];
const ACTIONS: Action["type"][] = ["create_task", "notify", "propose_stage"];

function newTrigger(type: Trigger["type"], d: DealDraft): Trigger {
  switch (type) {
    case "contact_stage_changed": return { type, to: "prospect" };
    case "score_crossed": return { type, threshold: 50 };
    case "deal_stage_changed": return { type, to: d.deal_stages.find((s) => s.outcome === "open")?.key ?? d.deal_stages[0]?.key ?? "" };
    default: return { type } as Trigger;
  }
}

function newAction(type: Action["type"]): Action {
  switch (type) {
    case "create_task": return { type, title: "{display_name}", due_in_days: 1 };
    case "notify": return { type, message: "{display_name}" };
    default: return { type, to: "prospect" };
  }
}

function stageSelect(testid: string, value: Stage, label: string, set: (s: Stage) => void, only?: readonly Stage[]): HTMLSelectElement {
  return h("select", {
    "data-testid": testid, "aria-label": label,
    onchange: (ev: Event) => set((ev.target as HTMLSelectElement).value as Stage),
  }, (only ?? STAGES).map((s) => h("option", { value: s, selected: s === value }, stageName(s))));
}

function rulesSection(ctx: Ctx): HTMLElement {
  const d = ctx.draft;
  const dealStageName = (s: DealStageSetting) => (language() === "de" ? s.name_de : s.name_en) || s.key;
  const row = (r: Rule, k: number) => {
    const tr = r.trigger;
    const ac = r.action;
    const triggerParam: Child =
      tr.type === "contact_stage_changed"
        ? stageSelect("rule-trigger-stage", tr.to, t("rule.trigger.contact_stage_changed"), (s) => { tr.to = s; })
        : tr.type === "score_crossed"
          ? h("input", {
              type: "number", min: 1, max: 100, class: "num-input", "data-testid": "rule-threshold", value: String(tr.threshold),
              "aria-label": t("rule.threshold"), oninput: (ev: Event) => { tr.threshold = num((ev.target as HTMLInputElement).value); },
            })
          : tr.type === "deal_stage_changed"
            ? h("select", {
                "data-testid": "rule-trigger-deal-stage", "aria-label": t("rule.trigger.deal_stage_changed"),
                onchange: (ev: Event) => { tr.to = (ev.target as HTMLSelectElement).value; },
              }, d.deal_stages.map((s) => h("option", { value: s.key, selected: s.key === tr.to }, dealStageName(s))))
            : null;
    const actionParams: Child =
      ac.type === "create_task"
        ? [
            h("input", {
              type: "text", "data-testid": "rule-title", value: ac.title, "aria-label": t("rule.title"), placeholder: t("rule.title"),
              oninput: (ev: Event) => { ac.title = (ev.target as HTMLInputElement).value; },
            }),
            h("label", { class: "inline-field" },
              h("span", { class: "label" }, t("rule.due_in_days")),
              h("input", {
                type: "number", min: 0, max: 3650, class: "num-input", "data-testid": "rule-due", value: String(ac.due_in_days),
                oninput: (ev: Event) => { ac.due_in_days = num((ev.target as HTMLInputElement).value); },
              })),
          ]
        : ac.type === "notify"
          ? h("input", {
              type: "text", "data-testid": "rule-message", value: ac.message, "aria-label": t("rule.message"), placeholder: t("rule.message"),
              oninput: (ev: Event) => { ac.message = (ev.target as HTMLInputElement).value; },
            })
          : stageSelect("rule-action-stage", ac.to, t("rule.action.propose_stage"), (s) => { ac.to = s; }, ["prospect", "opportunity", "customer"]);
    return h(
      "div",
      { class: "rule-row", "data-testid": "rule-row", "data-id": r.id, role: "group", "aria-label": `${t("settings.rule_when")} … ${t("settings.rule_then")} … (${k + 1})` },
      h("div", { class: "rule-line" },
        h("label", { class: "check inline" },
          h("input", { type: "checkbox", "data-testid": "rule-enabled", checked: r.enabled, onchange: (ev: Event) => { r.enabled = (ev.target as HTMLInputElement).checked; } }),
          h("span", null, t("settings.rule_enabled"))),
        h("span", { class: "label" }, t("settings.rule_when")),
        h("select", {
          "data-testid": "rule-trigger", "aria-label": t("settings.rule_when"),
          onchange: (ev: Event) => { r.trigger = newTrigger((ev.target as HTMLSelectElement).value as Trigger["type"], d); ctx.rerender(); },
        }, TRIGGERS.map((x) => h("option", { value: x, selected: x === tr.type }, t(`rule.trigger.${x}` as MessageKey)))),
        triggerParam,
        h("span", { class: "spacer" }),
        h("button", {
          type: "button", class: "btn btn-ghost", "data-testid": "rule-delete", "aria-label": t("settings.rule_delete"), title: t("settings.rule_delete"),
          onclick: () => { d.automation = d.automation.filter((x) => x !== r); ctx.rerender("rule-add"); },
        }, "×")),
      h("div", { class: "rule-line" },
        h("span", { class: "label" }, t("settings.rule_then")),
        h("select", {
          "data-testid": "rule-action", "aria-label": t("settings.rule_then"),
          onchange: (ev: Event) => { r.action = newAction((ev.target as HTMLSelectElement).value as Action["type"]); ctx.rerender(); },
        }, ACTIONS.map((x) => h("option", { value: x, selected: x === ac.type }, t(`rule.action.${x}` as MessageKey)))),
        actionParams),
    );
  };
  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-rules", "aria-labelledby": "rules-title" },
    h("h3", { id: "rules-title" }, t("settings.rules")),
    h("p", { class: "hint" }, t("settings.rules_hint")),
    d.automation.length
      ? h("div", { class: "rule-list" }, d.automation.map(row))
      : h("p", { class: "muted" }, t("settings.rules_none")),
    placeholderHelp(),
    h("div", null, button(t("settings.rule_add"), {
      testid: "rule-add", kind: "ghost",
      onclick: () => {
        d.automation.push({
          id: freshId("rule", d.automation.map((r) => r.id)), enabled: true, trigger: { type: "deal_won" },
          action: newAction("create_task"),
        });
        ctx.rerender("rule-add");
      },
    })),
    sectionError(ctx, "automation"),
  );
}

function placeholderHelp(): HTMLElement {
  return h("div", { class: "hint", "data-testid": "template-placeholders" },
    t("settings.placeholders"), " ",
    h("ul", { class: "placeholder-list" }, PLACEHOLDERS.map((p) => h("li", null, h("code", null, `{${p}}`)))));
}

// ---- email templates ----

function templatesSection(ctx: Ctx): HTMLElement {
  const d = ctx.draft;
  const row = (tpl: EmailTemplate, k: number) => {
    const id = (part: string) => `tpl-${k}-${part}`;
    const text = (part: "name" | "subject", label: MessageKey) => h("div", { class: "field" },
      h("label", { for: id(part), class: "label" }, t(label)),
      h("input", {
        id: id(part), type: "text", "data-testid": `template-${part}`, value: tpl[part], autocomplete: "off",
        oninput: (ev: Event) => { tpl[part] = (ev.target as HTMLInputElement).value; },
      }));
    return h(
      "div",
      { class: "template-row", "data-testid": "template-row", "data-id": tpl.id },
      h("div", { class: "grid3" },
        text("name", "settings.template_name"),
        h("div", { class: "field" },
          h("label", { for: id("language"), class: "label" }, t("settings.template_language")),
          h("select", {
            id: id("language"), "data-testid": "template-language",
            onchange: (ev: Event) => { tpl.language = (ev.target as HTMLSelectElement).value as Language; },
          }, (["de", "en"] as const).map((l) => h("option", { value: l, selected: l === tpl.language }, t(`lang.${l}`))))),
        h("div", { class: "field template-delete" },
          h("span", { class: "label" }, "\u00a0"),
          button(t("settings.template_delete"), {
            testid: "template-delete", kind: "ghost",
            onclick: () => { d.email_templates = d.email_templates.filter((x) => x !== tpl); ctx.rerender("template-add"); },
          }))),
      text("subject", "settings.template_subject"),
      h("div", { class: "field" },
        h("label", { for: id("body"), class: "label" }, t("settings.template_body")),
        h("textarea", {
          id: id("body"), rows: 6, "data-testid": "template-body",
          oninput: (ev: Event) => { tpl.body = (ev.target as HTMLTextAreaElement).value; },
        }, tpl.body)),
    );
  };
  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-templates", "aria-labelledby": "templates-title" },
    h("h3", { id: "templates-title" }, t("settings.templates")),
    placeholderHelp(),
    d.email_templates.length
      ? h("div", { class: "template-list" }, d.email_templates.map(row))
      : h("p", { class: "muted" }, t("settings.templates_none")),
    h("div", null, button(t("settings.template_add"), {
      testid: "template-add", kind: "ghost",
      onclick: () => {
        d.email_templates.push({
          id: freshId("template", d.email_templates.map((x) => x.id)), name: "", language: language(), subject: "{deal_title}", body: "{first_name},\n\n",
        });
        ctx.rerender("template-add");
      },
    })),
    sectionError(ctx, "email_templates"),
  );
}

// ---- company ----

function companySection(ctx: Ctx): HTMLElement {
  const c = ctx.draft.company;
  type TextKey = Exclude<keyof CompanyProfile, "quote_valid_days">;
  // What a quote needs (the core refuses a quote without them).
  const required: readonly TextKey[] = ["name", "address", "vat_id", "iban"];
  const field = (key: TextKey, testid: string, label: MessageKey, rows = 0) => h("div", { class: "field" },
    h("label", { for: `company-${key}`, class: "label" }, t(label), required.includes(key) ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
    rows
      ? h("textarea", { id: `company-${key}`, rows, "data-testid": testid, oninput: (ev: Event) => { c[key] = (ev.target as HTMLTextAreaElement).value; } }, c[key])
      : h("input", {
          id: `company-${key}`, type: "text", "data-testid": testid, value: c[key], autocomplete: "off",
          "aria-required": required.includes(key) ? "true" : null,
          oninput: (ev: Event) => { c[key] = (ev.target as HTMLInputElement).value; },
        }));
  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-company", "aria-labelledby": "company-title" },
    h("h3", { id: "company-title" }, t("settings.company")),
    h("div", { class: "grid2" }, field("name", "company-name", "company.name"), field("vat_id", "company-vat", "company.vat_id")),
    field("address", "company-address", "company.address", 3),
    h("div", { class: "grid2" }, field("email", "company-email", "company.email"), field("phone", "company-phone", "company.phone")),
    h("div", { class: "grid2" }, field("bank_name", "company-bank", "company.bank_name"), field("bic", "company-bic", "company.bic")),
    h("div", { class: "grid2" }, field("iban", "company-iban", "company.iban"), h("div", { class: "field" },
      h("label", { for: "company-valid-days", class: "label" }, t("company.quote_valid_days")),
      h("input", {
        id: "company-valid-days", type: "number", min: 1, max: 365, step: 1, class: "num-input", "data-testid": "company-valid-days",
        value: String(c.quote_valid_days),
        oninput: (ev: Event) => { c.quote_valid_days = Math.round(Number((ev.target as HTMLInputElement).value)); },
      }))),
    h("p", { class: "hint" }, t("company.required_hint")),
    field("footer", "company-footer", "company.footer", 2),
    sectionError(ctx, "company"),
  );
}
