import { afterEach, describe, expect, it } from "vitest";
import type { LiveBackend } from "./live";
import { $, $$, maybe, select, start, stop, type, until } from "./helpers";

afterEach(stop);

const sent = (b: LiveBackend) => b.calls.filter((c) => c.cmd === "set_settings").at(-1)?.args.settings;

async function save() {
  $("settings-save").click();
  await until(() => maybe("settings-dialog") === null);
}

describe("pipeline, rules, templates and company settings", () => {
  it("edits the deal stages: names, probability, rotting days, add, reorder, remove; won and lost stay fixed", async () => {
    const { backend } = await start((b) => { b.settings.language = "en"; });
    $("open-settings").click();
    const rows = () => $$("stage-row");
    expect(rows().map((r) => r.dataset.stage)).toEqual(["qualification", "needs_analysis", "proposal", "negotiation", "won", "lost"]);
    expect(rows()[4].textContent).toContain("fixed");
    expect(rows()[4].querySelector('[data-testid="stage-remove"]')).toBeNull();
    type($("stage-probability", rows()[2]), "40");
    type($("stage-rotting", rows()[2]), "30");
    $("stage-add").click();
    const added = rows()[4];
    expect(added.dataset.stage).toBe("custom_1");
    type($("stage-name-de", added), "Vertragsprüfung");
    type($("stage-name-en", added), "Contract review");
    $("stage-up", added).click();
    expect(rows().map((r) => r.dataset.stage)).toEqual(["qualification", "needs_analysis", "proposal", "custom_1", "negotiation", "won", "lost"]);
    $("stage-remove", rows()[1]).click();
    await save();
    const stages = sent(backend).deal_stages;
    expect(stages.map((s: { key: string }) => s.key)).toEqual(["qualification", "proposal", "custom_1", "negotiation", "won", "lost"]);
    expect(stages[1]).toMatchObject({ probability: 40, rotting_days: 30 });
    expect(stages[2]).toMatchObject({ name_de: "Vertragsprüfung", name_en: "Contract review", outcome: "open" });
    // the board follows the new stages
    $("nav-pipeline").click();
    await until(() => maybe("pipeline-board"));
    expect($$("column-name").map((e) => e.textContent)).toEqual(["Qualification", "Proposal", "Contract review", "Negotiation", "Won", "Lost"]);
  });

  it("edits automation rules: toggle, trigger with its parameter, action with its parameters, add and delete", async () => {
    const { backend } = await start((b) => { b.settings.language = "de"; });
    $("open-settings").click();
    expect($$("rule-row")).toHaveLength(2);
    const first = $$("rule-row")[0];
    expect(($("rule-trigger", first) as HTMLSelectElement).value).toBe("contact_stage_changed");
    expect(($("rule-trigger-stage", first) as HTMLSelectElement).value).toBe("prospect");
    expect(($("rule-title", first) as HTMLInputElement).value).toBe("Erstgespräch führen: {display_name}");
    ($("rule-enabled", $$("rule-row")[1]) as HTMLInputElement).click();
    type($("rule-due", first), "3");
    $("rule-add").click();
    const added = $$("rule-row")[2];
    select($("rule-trigger", added), "score_crossed");
    type($("rule-threshold", $$("rule-row")[2]), "70");
    select($("rule-action", $$("rule-row")[2]), "notify");
    type($("rule-message", $$("rule-row")[2]), "{display_name} hat 70 Punkte");
    $("rule-add").click();
    select($("rule-trigger", $$("rule-row")[3]), "deal_stage_changed");
    select($("rule-trigger-deal-stage", $$("rule-row")[3]), "negotiation");
    select($("rule-action", $$("rule-row")[3]), "propose_stage");
    select($("rule-action-stage", $$("rule-row")[3]), "customer");
    expect($("settings-rules").textContent).toContain("{deal_value}");
    await save();
    const rules = sent(backend).automation;
    expect(rules).toHaveLength(4);
    expect(rules[0]).toMatchObject({ id: "default_first_call", enabled: true, action: { type: "create_task", due_in_days: 3 } });
    expect(rules[1]).toMatchObject({ id: "default_referral", enabled: false });
    expect(rules[2]).toEqual({ id: "rule_1", enabled: true, trigger: { type: "score_crossed", threshold: 70 }, action: { type: "notify", message: "{display_name} hat 70 Punkte" } });
    expect(rules[3]).toEqual({ id: "rule_2", enabled: true, trigger: { type: "deal_stage_changed", to: "negotiation" }, action: { type: "propose_stage", to: "customer" } });
    // delete one
    $("open-settings").click();
    $("rule-delete", $$("rule-row")[2]).click();
    await save();
    expect(sent(backend).automation.map((r: { id: string }) => r.id)).toEqual(["default_first_call", "default_referral", "rule_2"]);
  });

  it("refuses a rule without a task title before saving, and shows the backend's invalid_settings in its section", async () => {
    await start((b) => { b.settings.language = "en"; }, (b) => (cmd, args) => {
      if (cmd === "set_settings" && args.settings.email_templates.some((x: { subject: string }) => x.subject === "dup")) {
        throw { code: "invalid_settings", message: "template id used twice", field: "email_templates", from: null, to: null };
      }
      return b.handle(cmd, args);
    });
    $("open-settings").click();
    type($("rule-title", $$("rule-row")[0]), " ");
    $("settings-save").click();
    expect(maybe("settings-dialog")).not.toBeNull();
    expect($("field-error", $("settings-rules")).textContent).toBe("Invalid setting: Automation rules.");
    type($("rule-title", $$("rule-row")[0]), "Call {first_name}");
    type($("template-subject", $$("template-row")[0]), "dup");
    $("settings-save").click();
    await until(() => maybe("field-error")?.closest('[data-testid="settings-templates"]'));
    expect($("field-error", $("settings-templates")).textContent).toBe("Invalid setting: Email templates.");
    expect(maybe("settings-dialog")).not.toBeNull();
  });

  it("edits email templates and the company profile; the follow-up dialog offers the new template", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "en";
      b.add({ first_name: "Anna", last_name: "Schmidt", emails: ["anna@example.com"] });
    });
    $("open-settings").click();
    expect($$("template-row")).toHaveLength(2);
    expect($("template-placeholders").textContent).toContain("{first_name}");
    $("template-delete", $$("template-row")[1]).click();
    $("template-add").click();
    const row = $$("template-row")[1];
    type($("template-name", row), "Danke");
    select($("template-language", row), "de");
    type($("template-subject", row), "Danke, {first_name}!");
    type($("template-body", row), "Hallo {display_name},\nvielen Dank.");
    type($("company-name"), "Kontor Vertrieb GmbH");
    type($("company-address"), "Hauptstr. 5\n10115 Berlin");
    type($("company-vat"), "DE123456789");
    type($("company-bank"), "Berliner Bank");
    type($("company-iban"), "de89370400440532013000");
    type($("company-bic"), "BEBEDEBBXXX");
    type($("company-valid-days"), "14");
    type($("company-footer"), "Amtsgericht Berlin HRB 1");
    await save();
    const s = sent(backend);
    expect(s.email_templates.map((x: { id: string }) => x.id)).toEqual(["follow_up_de", "template_1"]);
    expect(s.email_templates[1]).toEqual({ id: "template_1", name: "Danke", language: "de", subject: "Danke, {first_name}!", body: "Hallo {display_name},\nvielen Dank." });
    expect(s.company).toEqual({
      name: "Kontor Vertrieb GmbH", address: "Hauptstr. 5\n10115 Berlin", email: "", phone: "", vat_id: "DE123456789",
      bank_name: "Berliner Bank", iban: "de89370400440532013000", bic: "BEBEDEBBXXX", quote_valid_days: 14, footer: "Amtsgericht Berlin HRB 1",
    });
    $("contact-row").click();
    await until(() => maybe("contact-deals"));
    $("email-open").click();
    await until(() => maybe("email-dialog"));
    select($("email-template"), "template_1");
    await until(() => ($("email-subject") as HTMLInputElement).value === "Danke, Anna!");
  });
});
