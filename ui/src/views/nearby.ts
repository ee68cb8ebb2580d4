// What the contact page's field card and the day plan share about nearby
// customers: the radii offered, the radius picker, how a nearby customer is
// named, and a pin typed by hand.
import type { Nearby } from "../bindings/Nearby";
import { h, type Attrs } from "../dom";
import { formatNumber, t } from "../i18n";

/** The radii a nearby list is asked for, in km. */
export const RADII = [10, 25, 50];

/** A radius picker ("within 25 km") with `selected` chosen. */
export function radiusSelect(selected: number, attrs: Attrs): HTMLSelectElement {
  return h("select", { "aria-label": t("fieldcard.radius"), ...attrs },
    RADII.map((r) => h("option", { value: String(r), selected: r === selected }, t("fieldcard.within", { km: r })))) as HTMLSelectElement;
}

/** A nearby customer's distance and who they are: "3.2 km  Elb Brauerei · Zora Weiß". */
export function nearbyWho(n: Nearby): HTMLElement[] {
  return [
    h("span", { class: "num nearby-km" }, t("fieldcard.km", { km: formatNumber(n.distance_km, 1) })),
    h("span", { class: "strong" }, n.organization ?? n.name),
    ...(n.organization ? [h("span", { class: "muted" }, ` · ${n.name}`)] : []),
  ];
}

/**
 * A pin typed by hand: both numbers ("53,5456" as German keyboards write it, or
 * "53.5456") on the globe; null when both fields are empty; "invalid" otherwise.
 */
export function pinFrom(latText: string, lonText: string): { lat: number; lon: number } | null | "invalid" {
  const [a, b] = [latText.trim(), lonText.trim()];
  if (!a && !b) return null;
  const lat = Number(a.replace(",", "."));
  const lon = Number(b.replace(",", "."));
  return a && b && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : "invalid";
}
