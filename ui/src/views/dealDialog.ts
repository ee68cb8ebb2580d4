// The deal dialog (new and edit): contact picked by name, title, value and
// currency, stage, probability (the stage default as placeholder, with a
// reset), close date, next step, line items with "compute value from line
// items", and for saved deals the stage history, quotes (create in German or
// English, open for printing, save) and "send follow-up". Also the small
// "why was it lost?" dialog the board opens before moving a card to lost.
import type { DealContact, Shell } from "../shell";

export type { DealContact };
import type { Deal } from "../bindings/Deal";
import type { DealInput } from "../bindings/DealInput";
import type { DealStageSetting } from "../bindings/DealStageSetting";
import type { Language } from "../bindings/Language";
import type { LineItem } from "../bindings/LineItem";
import { h, replace } from "../dom";
import { itemsTotal, lineTotal } from "../lineItems";
import { dealErrorText, dealField, dealStageName, formatDateTime, formatMoney, language, parseNumber, t } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import { button, formDialog } from "./common";
import { contactPicker } from "./contactPicker";

/** One line item as typed (text, so half-typed numbers survive a re-render). */
interface ItemDraft {
  product: string;
  quantity: string;
  unit_price: string;
  discount_percent: string;
}

const toDraft = (i: LineItem): ItemDraft => ({
  product: i.product, quantity: String(i.quantity), unit_price: String(i.unit_price), discount_percent: String(i.discount_percent),
});

const toItem = (d: ItemDraft): LineItem => ({
  product: d.product.trim(),
  quantity: parseNumber(d.quantity),
  unit_price: parseNumber(d.unit_price),
  discount_percent: d.discount_percent.trim() === "" ? 0 : parseNumber(d.discount_percent),
});

/** Opens the deal dialog: `deal` to edit, else a new deal (for `contact` when given). */
export function dealDialog(app: Shell, deal: Deal | null, contact: DealContact | null): void {
  const stages = app.settings.deal_stages;
  const first = stages.find((s) => s.outcome === "open") ?? stages[0];
  let items: ItemDraft[] = (deal?.line_items ?? []).map(toDraft);
  let fromItems = deal ? deal.line_items.length > 0 && Math.abs(itemsTotal(deal.line_items) - deal.value) < 0.005 : false;
  let busy = false;
  const stageOf = (key: string): DealStageSetting | undefined => stages.find((s) => s.key === key);

  const errors = h("div", { class: "error-slot", "data-slot": "deal" });
  const fieldErrors = new Map<string, HTMLElement>();
  const field = (name: string, id: string, label: string, control: HTMLElement, ...extra: (HTMLElement | null)[]) => {
    const err = h("p", { class: "field-error", "data-testid": "field-error", id: `${id}-err`, hidden: true });
    fieldErrors.set(name, err);
    return h("div", { class: "field", "data-field": name }, h("label", { for: id, class: "label" }, label), control, ...extra, err);
  };

  // ---- contact picker ----
  const picker = contactPicker("deal", contact, () => title.focus(), (e) => app.showError(e, errors));
  const contactInput = picker.input;

  // ---- the fields ----
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

  // ---- line items ----
  const itemsBody = h("tbody");
  const itemsSum = h("output", { class: "num", "data-testid": "deal-items-total" });
  const fromItemsBox = h("input", {
    type: "checkbox", id: "deal-value-from-items", "data-testid": "deal-value-from-items", checked: fromItems,
    onchange: () => { fromItems = fromItemsBox.checked; syncValue(); },
  });
  const cur = () => (/^[A-Za-z]{3}$/.test(currency.value.trim()) ? currency.value.trim().toUpperCase() : "EUR");
  const validItems = () => items.map(toItem).filter((i) => i.product && Number.isFinite(i.quantity) && Number.isFinite(i.unit_price) && Number.isFinite(i.discount_percent));
  const syncValue = () => {
    const sum = itemsTotal(validItems());
    itemsSum.textContent = formatMoney(sum, cur());
    value.readOnly = fromItems && items.length > 0;
    value.classList.toggle("locked", value.readOnly);
    if (value.readOnly) value.value = String(sum);
  };
  const renderItems = () => {
    replace(itemsBody, items.length
      ? items.map((it, k) => {
          const total = h("td", { class: "num", "data-testid": "line-total" });
          const showTotal = () => {
            const i = toItem(it);
            total.textContent = Number.isFinite(i.quantity) && Number.isFinite(i.unit_price) && Number.isFinite(i.discount_percent)
              ? formatMoney(lineTotal(i), cur()) : "—";
          };
          const cell = (key: keyof ItemDraft, cls: string, label: string) => h("td", null, h("input", {
            type: "text", class: cls, "data-testid": `line-${key.replace("_percent", "").replace("unit_", "")}`, value: it[key],
            "aria-label": `${label} ${k + 1}`, autocomplete: "off", inputmode: key === "product" ? null : "decimal",
            oninput: (ev: Event) => { it[key] = (ev.target as HTMLInputElement).value; showTotal(); syncValue(); },
          }));
          showTotal();
          return h("tr", { "data-testid": "deal-line-item" },
            cell("product", "", t("deal.item_product")),
            cell("quantity", "num-input", t("deal.item_quantity")),
            cell("unit_price", "num-input wide", t("deal.item_price")),
            cell("discount_percent", "num-input", t("deal.item_discount")),
            total,
            h("td", null, h("button", {
              type: "button", class: "btn btn-ghost", "data-testid": "line-remove", "aria-label": t("deal.item_remove", { n: k + 1 }),
              title: t("deal.item_remove", { n: k + 1 }),
              onclick: () => { items.splice(k, 1); renderItems(); syncValue(); },
            }, "×")));
        })
      : [h("tr", null, h("td", { colspan: 6, class: "muted" }, t("deal.items_none")))]);
  };
  const itemsTable = h(
    "table",
    { class: "items-table" },
    h("thead", null, h("tr", null,
      h("th", null, t("deal.item_product")), h("th", { class: "num" }, t("deal.item_quantity")),
      h("th", { class: "num" }, t("deal.item_price")), h("th", { class: "num" }, t("deal.item_discount")),
      h("th", { class: "num" }, t("deal.item_total")), h("th", null))),
    itemsBody,
    h("tfoot", null, h("tr", null, h("td", { colspan: 4 }, t("deal.items_sum")), h("td", { class: "num" }, itemsSum), h("td", null))),
  );
  currency.addEventListener("input", () => { renderItems(); syncValue(); });
  const itemsSet = h(
    "fieldset",
    { class: "items-set", "data-field": "line_items" },
    h("legend", null, t("deal.items")),
    itemsTable,
    h("div", { class: "items-actions" },
      button(t("deal.item_add"), {
        testid: "deal-line-add", kind: "ghost",
        onclick: () => {
          items.push({ product: "", quantity: "1", unit_price: "", discount_percent: "0" });
          renderItems();
          syncValue();
          itemsBody.querySelectorAll<HTMLInputElement>('[data-testid="line-product"]')[items.length - 1]?.focus();
        },
      }),
      h("label", { class: "check inline" }, fromItemsBox, h("span", null, t("deal.value_from_items")))),
  );
  const itemsErr = h("p", { class: "field-error", "data-testid": "field-error", hidden: true });
  fieldErrors.set("line_items", itemsErr);
  renderItems();
  syncStage();
  syncValue();

  // ---- saved deals: history, quotes, follow-up ----
  const extras: HTMLElement[] = [];
  if (deal) {
    const history = deal.stage_history.slice().reverse();
    extras.push(h(
      "section",
      { class: "deal-extra", "aria-labelledby": "deal-history-title" },
      h("h3", { id: "deal-history-title" }, t("deal.history")),
      h("ol", { class: "history compact", "data-testid": "deal-history" }, history.map((ch) => h("li", { class: "history-entry", "data-testid": "deal-history-entry" },
        h("span", null, ch.from ? `${dealStageName(stages, ch.from)} → ` : `${t("deal.history_created")}: `, h("strong", null, dealStageName(stages, ch.to))),
        h("time", { class: "muted", datetime: ch.at }, ` · ${formatDateTime(ch.at)}`),
        ch.reason ? h("q", { class: "reason" }, ch.reason) : null))),
    ));
    extras.push(quotesSection(app, deal));
    extras.push(h("div", { class: "deal-follow-up" },
      button(t("deal.follow_up"), {
        testid: "email-open", title: t("deal.follow_up_title"),
        onclick: () => app.openEmailDialog(deal.contact_id, deal.id),
      }),
      button(t("deal.task"), {
        testid: "deal-task", title: t("deal.task_title"),
        onclick: () => app.openTaskDialog(null, {
          deal: { id: deal.id, title: deal.title },
          contact: { id: deal.contact_id, name: contact?.id === deal.contact_id ? contact.name : "—" },
        }),
      })));
  } else {
    extras.push(h("p", { class: "hint" }, t("deal.save_first")));
  }

  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "deal-save" }, t("action.save"));
  const del = deal
    ? button(t("deal.delete"), { testid: "deal-delete", kind: "ghost", onclick: () => confirmDelete() })
    : null;
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

  const dialog = formDialog(
    app,
    { testid: "deal-dialog", cls: "wide deal-dialog", heading: [deal ? t("deal.edit_title") : t("deal.new_title")], onSubmit: () => void submit(), errors, save },
    h("div", { class: "field contact-picker", "data-field": "contact_id" },
      h("label", { for: "deal-contact", class: "label" }, t("deal.contact")), ...picker.parts,
      (() => { const e = h("p", { class: "field-error", "data-testid": "field-error", hidden: true }); fieldErrors.set("contact_id", e); return e; })()),
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
    itemsSet,
    itemsErr,
    ...extras,
    confirmBox,
    del ? h("div", { class: "deal-delete-row" }, del) : null,
  );

  const clearProblems = () => {
    for (const el of fieldErrors.values()) { el.hidden = true; el.textContent = ""; }
    dialog.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  };
  const controlFor: Record<string, HTMLElement> = {
    title, value, currency, stage, probability, close_date: close, next_step: nextStep, lost_reason: lostReason, contact_id: contactInput,
  };
  const problem = (name: string, text: string) => {
    const el = fieldErrors.get(name);
    if (!el) return false;
    el.textContent = text;
    el.hidden = false;
    const control = controlFor[name] ?? itemsSet.querySelector("input");
    control?.setAttribute("aria-invalid", "true");
    return true;
  };

  const collect = (): DealInput | null => {
    clearProblems();
    let ok = true;
    const bad = (name: string, text: string) => { problem(name, text); ok = false; };
    const chosen = picker.value();
    if (!chosen) bad("contact_id", t("error.invalid_input_field", { field: t("deal.contact") }));
    if (!title.value.trim()) bad("title", t("error.invalid_input_field", { field: t("deal.title") }));
    const lineItems = items.map(toItem);
    const badItem = lineItems.findIndex((i) => !i.product || !(i.quantity > 0) || !(i.unit_price >= 0) || !(i.discount_percent >= 0 && i.discount_percent <= 100));
    if (badItem >= 0) bad("line_items", t("error.invalid_input_field", { field: `${t("deal.field.line_items")} ${badItem + 1}` }));
    const v = fromItems && items.length ? itemsTotal(lineItems) : parseNumber(value.value || "0");
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
      next_step: nextStep.value.trim() || null, line_items: lineItems, value_from_items: fromItems && items.length > 0,
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
  (picker.value() ? title : contactInput).focus();
}

/** The quotes of a saved deal: create in a language, then open for printing or save. */
function quotesSection(app: Shell, deal: Deal): HTMLElement {
  const el = h("section", { class: "deal-extra", "data-testid": "deal-quotes", "aria-labelledby": "deal-quotes-title" });
  const slot = h("div", { class: "error-slot", "data-slot": "quotes" });
  let quotes = deal.quotes.slice();
  let lang: Language = language();
  const render = () => {
    const sel = h(
      "select",
      { id: "quote-language", "data-testid": "quote-language", onchange: () => { lang = sel.value as Language; } },
      (["de", "en"] as const).map((l) => h("option", { value: l, selected: l === lang }, t(`lang.${l}`))),
    );
    replace(
      el,
      h("h3", { id: "deal-quotes-title" }, t("deal.quotes")),
      h("div", { class: "quote-actions" },
        h("label", { for: "quote-language", class: "label" }, t("deal.quote_language")), sel,
        button(t("deal.quote_create"), { testid: "quote-create", onclick: () => void create() })),
      deal.line_items.length ? null : h("p", { class: "hint" }, t("deal.quotes_need_items")),
      quotes.length
        ? h("ul", { class: "quote-list" }, quotes.slice().reverse().map((q) => h(
            "li",
            { class: "quote-row", "data-testid": "quote-row", "data-id": q.id },
            h("strong", { "data-testid": "quote-number" }, q.number),
            h("span", { class: "muted" }, ` · ${formatDateTime(q.created_at)} · ${t(`lang.${q.language}`)}`),
            h("span", { class: "spacer" }),
            button(t("deal.quote_open"), { testid: "quote-open", kind: "ghost", onclick: () => void open(q.id) }),
            button(t("deal.quote_save"), { testid: "quote-save", kind: "ghost", onclick: () => void save(q.id) }),
          )))
        : h("p", { class: "muted", "data-testid": "quotes-empty" }, t("deal.quotes_none")),
      slot,
    );
  };
  const create = async () => {
    try {
      const q = await ipc.createQuote(deal.id, lang);
      quotes = quotes.concat(q);
      render();
      app.showToast(t("deal.quote_created", { number: q.number }));
      await app.activitiesChanged(deal.contact_id);
    } catch (e) {
      app.showError(e, slot);
    }
  };
  const open = async (id: string) => {
    try {
      await ipc.openQuote(deal.id, id);
    } catch (e) {
      app.showError(e, slot);
    }
  };
  const save = async (id: string) => {
    try {
      const file = await ipc.saveQuote(deal.id, id);
      if (file) app.showToast(t("deal.quote_saved", { file: file.name }));
    } catch (e) {
      app.showError(e, slot);
    }
  };
  render();
  return el;
}

/** Asks why a deal was lost, then calls `confirm` with the reason (the board's move to lost). */
export function lostDialog(app: Shell, dealTitle: string, confirm: (reason: string) => Promise<AppError | null>): void {
  const errors = h("div", { class: "error-slot", "data-slot": "lost" });
  const input = h("input", { id: "lost-reason", type: "text", "data-testid": "lost-reason", autocomplete: "off", required: true });
  const err = h("p", { class: "field-error", "data-testid": "field-error", id: "lost-reason-err", hidden: true });
  const save = h("button", { type: "submit", class: "btn btn-danger", "data-testid": "lost-confirm" }, t("deal.lost_confirm"));
  let busy = false;
  const dialog = formDialog(
    app,
    {
      testid: "lost-dialog", heading: [t("deal.lost_title", { title: dealTitle })], errors, save,
      onSubmit: async () => {
        if (busy) return;
        const reason = input.value.trim();
        if (!reason) {
          err.textContent = t("deal.lost_needed");
          err.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", "lost-reason-err");
          input.focus();
          return;
        }
        busy = true;
        const failed = await confirm(reason);
        busy = false;
        if (failed) app.showError(failed, errors, dealErrorText(failed));
      },
    },
    h("div", { class: "field" }, h("label", { for: "lost-reason", class: "label" }, t("deal.lost_reason")), input, err),
  );
  app.openModal(dialog);
  input.focus();
}
