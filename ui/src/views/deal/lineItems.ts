// A deal's line items as the rep types them: product, quantity, unit price,
// discount, VAT rate, each line's total and the sum, and "compute the value from the
// line items" (which locks the value field).
import type { LineItem } from "../../bindings/LineItem";
import type { VatRate } from "../../bindings/VatRate";
import { h, replace } from "../../dom";
import { formatMoney, parseNumber, t } from "../../i18n";
import { itemsTotal, lineTotal } from "../../lineItems";
import { button } from "../common";

/** One line item as typed (text, so half-typed numbers survive a re-render). */
interface ItemDraft {
  product: string;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  vat: VatRate;
}

const VAT_RATES: readonly VatRate[] = ["standard", "reduced", "zero", "reverse_charge"];

const toDraft = (i: LineItem): ItemDraft => ({
  product: i.product, quantity: String(i.quantity), unit_price: String(i.unit_price), discount_percent: String(i.discount_percent),
  vat: i.vat,
});

const toItem = (d: ItemDraft): LineItem => ({
  product: d.product.trim(),
  quantity: parseNumber(d.quantity),
  unit_price: parseNumber(d.unit_price),
  discount_percent: d.discount_percent.trim() === "" ? 0 : parseNumber(d.discount_percent),
  vat: d.vat,
});

const finite = (i: LineItem) => Number.isFinite(i.quantity) && Number.isFinite(i.unit_price) && Number.isFinite(i.discount_percent);

export class LineItemsEditor {
  /** The fieldset (table, add button, "value from line items"). */
  readonly el: HTMLElement;
  private drafts: ItemDraft[];
  private fromItems: boolean;
  private readonly body = h("tbody");
  private readonly sum = h("output", { class: "num", "data-testid": "deal-items-total" });

  /**
   * `value` is the deal's value field (locked while computed from the items),
   * `currency` says which currency the totals are in.
   */
  constructor(items: readonly LineItem[], value: number | null, private readonly valueField: HTMLInputElement, private readonly currency: () => string) {
    this.drafts = items.map(toDraft);
    this.fromItems = value !== null && items.length > 0 && Math.abs(itemsTotal(items) - value) < 0.005;
    const fromItemsBox = h("input", {
      type: "checkbox", id: "deal-value-from-items", "data-testid": "deal-value-from-items", checked: this.fromItems,
      onchange: () => { this.fromItems = fromItemsBox.checked; this.syncValue(); },
    });
    const table = h(
      "table",
      { class: "items-table" },
      h("thead", null, h("tr", null,
        h("th", null, t("deal.item_product")), h("th", { class: "num" }, t("deal.item_quantity")),
        h("th", { class: "num" }, t("deal.item_price")), h("th", { class: "num" }, t("deal.item_discount")),
        h("th", null, t("deal.item_vat")), h("th", { class: "num" }, t("deal.item_total")), h("th", null))),
      this.body,
      h("tfoot", null, h("tr", null, h("td", { colspan: 5 }, t("deal.items_sum")), h("td", { class: "num" }, this.sum), h("td", null))),
    );
    this.el = h(
      "fieldset",
      { class: "items-set", "data-field": "line_items" },
      h("legend", null, t("deal.items")),
      table,
      h("div", { class: "items-actions" },
        button(t("deal.item_add"), { testid: "deal-line-add", kind: "ghost", onclick: () => this.add() }),
        h("label", { class: "check inline" }, fromItemsBox, h("span", null, t("deal.value_from_items")))),
    );
    this.refresh();
  }

  /** The items as entered (numbers parsed; NaN where a number does not parse). */
  items(): LineItem[] {
    return this.drafts.map(toItem);
  }

  /** Whether the value is the items' sum. */
  get valueFromItems(): boolean {
    return this.fromItems && this.drafts.length > 0;
  }

  /** Redraws the lines and the sum (after the currency changed). */
  refresh(): void {
    this.renderLines();
    this.syncValue();
  }

  private add(): void {
    this.drafts.push({ product: "", quantity: "1", unit_price: "", discount_percent: "0", vat: "standard" });
    this.refresh();
    this.body.querySelectorAll<HTMLInputElement>('[data-testid="line-product"]')[this.drafts.length - 1]?.focus();
  }

  private syncValue(): void {
    const total = itemsTotal(this.items().filter((i) => i.product && finite(i)));
    this.sum.textContent = formatMoney(total, this.currency());
    const value = this.valueField;
    value.readOnly = this.valueFromItems;
    value.classList.toggle("locked", value.readOnly);
    if (value.readOnly) value.value = String(total);
  }

  private renderLines(): void {
    replace(this.body, this.drafts.length
      ? this.drafts.map((it, k) => {
          const total = h("td", { class: "num", "data-testid": "line-total" });
          const showTotal = () => {
            const i = toItem(it);
            total.textContent = finite(i) ? formatMoney(lineTotal(i), this.currency()) : "—";
          };
          const cell = (key: Exclude<keyof ItemDraft, "vat">, cls: string, label: string) => h("td", null, h("input", {
            type: "text", class: cls, "data-testid": `line-${key.replace("_percent", "").replace("unit_", "")}`, value: it[key],
            "aria-label": `${label} ${k + 1}`, autocomplete: "off", inputmode: key === "product" ? null : "decimal",
            oninput: (ev: Event) => { it[key] = (ev.target as HTMLInputElement).value; showTotal(); this.syncValue(); },
          }));
          showTotal();
          return h("tr", { "data-testid": "deal-line-item" },
            cell("product", "", t("deal.item_product")),
            cell("quantity", "num-input", t("deal.item_quantity")),
            cell("unit_price", "num-input wide", t("deal.item_price")),
            cell("discount_percent", "num-input", t("deal.item_discount")),
            h("td", null, h("select", {
              class: "vat-select", "data-testid": "line-vat", "aria-label": `${t("deal.item_vat")} ${k + 1}`,
              onchange: (ev: Event) => { it.vat = (ev.target as HTMLSelectElement).value as VatRate; },
            }, VAT_RATES.map((r) => h("option", { value: r, selected: r === it.vat }, t(`deal.vat.${r}`))))),
            total,
            h("td", null, h("button", {
              type: "button", class: "btn btn-ghost", "data-testid": "line-remove", "aria-label": t("deal.item_remove", { n: k + 1 }),
              title: t("deal.item_remove", { n: k + 1 }),
              onclick: () => { this.drafts.splice(k, 1); this.refresh(); },
            }, "×")));
        })
      : [h("tr", null, h("td", { colspan: 7, class: "muted" }, t("deal.items_none")))]);
  }
}
