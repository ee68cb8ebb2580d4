// The deal dialog (new and edit): contact picked by name, title, value and
// currency, stage, probability (the stage default as placeholder, with a
// reset), close date, next step, the line items (lineItems.ts), and for a
// saved deal its history, quotes and follow-ups (extras.ts) and delete.
import type { Deal } from "../../bindings/Deal";
import type { DealInput } from "../../bindings/DealInput";
import type { DealStageSetting } from "../../bindings/DealStageSetting";
import { h, replace } from "../../dom";
import { dealErrorText, dealField, dealStageName, parseNumber, t } from "../../i18n";
import * as ipc from "../../ipc";
import { AppError } from "../../ipc";
import { itemsTotal } from "../../lineItems";
import type { DealContact, Shell } from "../../shell";
import { button, formDialog } from "../common";
import { contactPicker } from "../contactPicker";
import { savedDealSections } from "./extras";
import { LineItemsEditor } from "./lineItems";

/** Opens the deal dialog: `deal` to edit, else a new deal (for `contact` when given). */
export function dealDialog(app: Shell, deal: Deal | null, contact: DealContact | null): void {
  const stages = app.settings.deal_stages;
  const first = stages.find((s) => s.outcome === "open") ?? stages[0];
  let busy = false;
  const stageOf = (key: string): DealStageSetting | undefined => stages.find((s) => s.key === key);

  const errors = h("div", { class: "error-slot", "data-slot": "deal" });
  const fieldErrors = new Map<string, HTMLElement>();
  const fieldError = (name: string, id?: string) => {
    const err = h("p", { class: "field-error", "data-testid": "field-error", id: id ? `${id}-err` : null, hidden: true });
    fieldErrors.set(name, err);
    return err;
  };
  const field = (name: string, id: string, label: string, control: HTMLElement, ...extra: (HTMLElement | null)[]) =>
    h("div", { class: "field", "data-field": name }, h("label", { for: id, class: "label" }, label), control, ...extra, fieldError(name, id));

  // ---- the fields ----
  const picker = contactPicker("deal", contact, () => title.focus(), (e) => app.showError(e, errors));
  const title = h("input", {
    id: "deal-title", type: "text", "data-testid": "deal-title", autocomplete: "off", value: deal?.title ?? "",
    placeholder: t("deal.title_placeholder"),
  });
  const value = h("input", {
    id: "deal-value", type: "text", inputmode: "decimal", class: "num-input wide", "data-testid": "deal-value", autocomplete: "off",
    value: deal ? String(deal.value) : "",
  });
  const currency = h("input", {
    id: "deal-currency", type: "text", class: "num-input", "data-testid": "deal-currency", autocomplete: "off", maxlength: 3,
    value: deal?.currency ?? "EUR", spellcheck: "false",
  });
  const stage = h(
    "select",
    { id: "deal-stage", "data-testid": "deal-stage", onchange: () => syncStage() },
    stages.map((s) => h("option", { value: s.key, selected: s.key === (deal?.stage ?? first?.key) }, dealStageName(stages, s.key))),
  );
  const probability = h("input", {
    id: "deal-probability", type: "number", min: 0, max: 100, step: 1, class: "num-input", "data-testid": "deal-probability",
    // A probability equal to the stage's default is shown empty: it follows the stage.
    value: deal && deal.probability !== stageOf(deal.stage)?.probability ? String(deal.probability) : "",
  });
  const probHint = h("span", { class: "hint", "data-testid": "deal-probability-default" });
  const probReset = h("button", {
    type: "button", class: "btn btn-ghost btn-small", "data-testid": "deal-probability-reset", title: t("deal.probability_reset"),
    onclick: () => { probability.value = ""; probability.focus(); },
  }, t("deal.probability_reset"));
  const close = h("input", { id: "deal-close", type: "date", "data-testid": "deal-close", value: deal?.close_date ?? "" });
  const nextStep = h("input", {
    id: "deal-next-step", type: "text", "data-testid": "deal-next-step", autocomplete: "off", value: deal?.next_step ?? "",
    placeholder: t("deal.next_step_placeholder"),
  });
  const lostReason = h("input", {
    id: "deal-lost-reason", type: "text", "data-testid": "lost-reason", autocomplete: "off", value: deal?.lost_reason ?? "",
  });
  const lostField = field("lost_reason", "deal-lost-reason", t("deal.lost_reason"), lostReason);
  const syncStage = () => {
    const s = stageOf(stage.value);
    const open = s?.outcome === "open";
    probHint.textContent = s ? t("deal.probability_default", { p: s.probability }) : "";
    probability.placeholder = s ? String(s.probability) : "";
    probability.disabled = !open;
    probReset.hidden = !open;
    lostField.hidden = s?.outcome !== "lost";
  };
  const cur = () => (/^[A-Za-z]{3}$/.test(currency.value.trim()) ? currency.value.trim().toUpperCase() : "EUR");
  const items = new LineItemsEditor(deal?.line_items ?? [], deal?.value ?? null, value, cur);
  currency.addEventListener("input", () => items.refresh());
  syncStage();

  // ---- delete (saved deals) ----
  const del = deal ? button(t("deal.delete"), { testid: "deal-delete", kind: "ghost", onclick: () => confirmDelete() }) : null;
  const confirmBox = h("div", { class: "warning-box", hidden: true, "data-testid": "deal-delete-confirm" });
  const confirmDelete = () => {
    confirmBox.hidden = false;
    replace(confirmBox,
      h("p", null, t("deal.delete_confirm", { title: deal!.title })),
      h("div", { class: "data-actions" },
        button(t("action.cancel"), { testid: "deal-delete-cancel", onclick: () => { confirmBox.hidden = true; del?.focus(); } }),
        h("button", {
          type: "button", class: "btn btn-danger", "data-testid": "deal-delete-yes",
          onclick: () => void remove(),
        }, t("deal.delete_yes"))));
    confirmBox.querySelector<HTMLElement>('[data-testid="deal-delete-yes"]')?.focus();
  };

  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "deal-save" }, t("action.save"));
  const dialog = formDialog(
    app,
    { testid: "deal-dialog", cls: "wide deal-dialog", heading: [deal ? t("deal.edit_title") : t("deal.new_title")], onSubmit: () => void submit(), errors, save },
    h("div", { class: "field contact-picker", "data-field": "contact_id" },
      h("label", { for: "deal-contact", class: "label" }, t("deal.contact")), ...picker.parts, fieldError("contact_id")),
    field("title", "deal-title", t("deal.title"), title),
    h("div", { class: "grid3" },
      field("value", "deal-value", t("deal.value"), value),
      field("currency", "deal-currency", t("deal.currency"), currency),
      field("close_date", "deal-close", t("deal.close"), close)),
    h("div", { class: "grid2" },
      field("stage", "deal-stage", t("deal.stage"), stage),
      field("probability", "deal-probability", t("deal.probability"), h("div", { class: "inline-row" }, probability, probReset), probHint)),
    lostField,
    field("next_step", "deal-next-step", t("deal.next_step"), nextStep),
    items.el,
    fieldError("line_items"),
    ...(deal ? savedDealSections(app, deal, contact, stages) : [h("p", { class: "hint" }, t("deal.save_first"))]),
    confirmBox,
    del ? h("div", { class: "deal-delete-row" }, del) : null,
  );

  // ---- problems, saving ----
  const clearProblems = () => {
    for (const el of fieldErrors.values()) { el.hidden = true; el.textContent = ""; }
    dialog.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  };
  const controlFor: Record<string, HTMLElement> = {
    title, value, currency, stage, probability, close_date: close, next_step: nextStep, lost_reason: lostReason, contact_id: picker.input,
  };
  const problem = (name: string, text: string) => {
    const el = fieldErrors.get(name);
    if (!el) return false;
    el.textContent = text;
    el.hidden = false;
    const control = controlFor[name] ?? items.el.querySelector("input");
    control?.setAttribute("aria-invalid", "true");
    return true;
  };

  const collect = (): DealInput | null => {
    clearProblems();
    let ok = true;
    const bad = (name: string, text: string) => { problem(name, text); ok = false; };
    const chosen = picker.value();
    if (!chosen) bad("contact_id", t("error.invalid_input_field", { field: t("deal.contact") }));
    if (!title.value.trim()) bad("title", t("invalid.title"));
    const lineItems = items.items();
    const badItem = lineItems.findIndex((i) => !i.product || !(i.quantity > 0) || !(i.unit_price >= 0) || !(i.discount_percent >= 0 && i.discount_percent <= 100));
    if (badItem >= 0) bad("line_items", t("error.invalid_input_field", { field: `${t("deal.field.line_items")} ${badItem + 1}` }));
    const v = items.valueFromItems ? itemsTotal(lineItems) : parseNumber(value.value || "0");
    if (!(v >= 0)) bad("value", t("error.invalid_input_field", { field: t("deal.value") }));
    const p = probability.value.trim() === "" ? null : parseNumber(probability.value);
    if (p !== null && !(Number.isInteger(p) && p >= 0 && p <= 100)) bad("probability", t("error.invalid_input_field", { field: t("deal.probability") }));
    const lost = stageOf(stage.value)?.outcome === "lost";
    const movingToLost = lost && stage.value !== deal?.stage;
    if (movingToLost && !lostReason.value.trim()) bad("lost_reason", t("deal.lost_needed"));
    if (!ok) return null;
    return {
      contact_id: chosen!.id, title: title.value.trim(), value: v, currency: currency.value.trim().toUpperCase(),
      stage: stage.value, probability: stageOf(stage.value)?.outcome === "open" ? p : null, close_date: close.value || null,
      next_step: nextStep.value.trim() || null, line_items: lineItems, value_from_items: items.valueFromItems,
      lost_reason: lost ? lostReason.value.trim() || null : null,
    };
  };

  const submit = async () => {
    if (busy) return;
    app.clearError();
    const input = collect();
    if (!input) {
      dialog.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    busy = true;
    try {
      const saved = deal ? await ipc.updateDeal(deal.id, input) : await ipc.createDeal(input);
      busy = false;
      app.closeModal();
      app.showToast(t("deal.saved", { title: saved.deal.title }));
      await app.dealsChanged(saved.contact);
    } catch (e) {
      busy = false;
      const err = AppError.from(e);
      const name = err.code === "reason_required" ? "lost_reason" : dealField(err.field);
      if (!(name && problem(name, dealErrorText(err)))) app.showError(err, errors, dealErrorText(err));
      else dialog.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  };

  const remove = async () => {
    if (!deal) return;
    try {
      const detail = await ipc.deleteDeal(deal.id);
      app.closeModal();
      app.showToast(t("deal.deleted", { title: deal.title }));
      await app.dealsChanged(detail);
    } catch (e) {
      app.showError(e, errors);
    }
  };

  app.openModal(dialog);
  (picker.value() ? title : picker.input).focus();
}
