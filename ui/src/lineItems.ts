// A deal's line items as the deal dialog totals them while the rep types
// (the core stores the same: rounded to cents).
import type { LineItem } from "./bindings/LineItem";

export const round2 = (x: number) => Math.round(x * 100) / 100;

/** quantity × unit price − discount, rounded to cents. */
export function lineTotal(i: LineItem): number {
  return round2(i.quantity * i.unit_price * (1 - i.discount_percent / 100));
}

export function itemsTotal(items: readonly LineItem[]): number {
  return round2(items.reduce((s, i) => s + lineTotal(i), 0));
}

