// Settings → Field: where a day plan starts, the working hours visits are
// fitted into and how long one takes, after how many days a prospect,
// opportunity or customer is due a visit again, geocoding (on, and which
// Nominatim-compatible endpoint), the map app a route opens in, the
// calendar file kept current for calendar programs, and who drives which
// car for the mileage log. Edits a draft the dialog saves with the rest.
import type { FieldSettings } from "../../bindings/FieldSettings";
import type { MapApp } from "../../bindings/MapApp";
import { h, type Child } from "../../dom";
import { t, type MessageKey } from "../../i18n";
import * as ipc from "../../ipc";

type TextKey = "home_address" | "geocoding_endpoint" | "driver" | "vehicle";
type NumberKey = "visit_minutes" | "revisit_prospect_days" | "revisit_opportunity_days" | "revisit_customer_days";

export function fieldSection(f: FieldSettings, error: Child): HTMLElement {
  const label = (id: string, key: MessageKey) => h("label", { for: id, class: "label" }, t(key));
  const text = (key: TextKey, testid: string, name: MessageKey, extra: Record<string, unknown> = {}) => h("div", { class: "field" },
    label(`field-${key}`, name),
    h("input", {
      id: `field-${key}`, type: "text", "data-testid": testid, value: f[key], autocomplete: "off", ...extra,
      oninput: (ev: Event) => { f[key] = (ev.target as HTMLInputElement).value; },
    }));
  const num = (key: NumberKey, testid: string, name: MessageKey, max: number) => h("div", { class: "field" },
    label(`field-${key}`, name),
    h("input", {
      id: `field-${key}`, type: "number", min: 0, max, step: 1, class: "num-input", "data-testid": testid, value: String(f[key]),
      oninput: (ev: Event) => { f[key] = Math.max(0, Math.round(Number((ev.target as HTMLInputElement).value))); },
    }));
  const time = (key: "day_start" | "day_end", testid: string, name: MessageKey) => h("div", { class: "field" },
    label(`field-${key}`, name),
    h("input", {
      id: `field-${key}`, type: "time", "data-testid": testid, value: f[key], step: 900,
      oninput: (ev: Event) => { f[key] = (ev.target as HTMLInputElement).value; },
    }));
  const file = h("input", {
    id: "field-calendar_file", type: "text", "data-testid": "field-calendar-file", value: f.calendar_file, autocomplete: "off",
    placeholder: t("field.calendar_file_none"),
    oninput: (ev: Event) => { f.calendar_file = (ev.target as HTMLInputElement).value; },
  }) as HTMLInputElement;
  const choose = h("button", {
    type: "button", class: "btn", "data-testid": "field-calendar-choose",
    onclick: () => void ipc.pickCalendarFile().then((path) => {
      if (path) {
        f.calendar_file = path;
        file.value = path;
      }
    }),
  }, t("field.calendar_file_choose"));
  const geocoding = h("input", {
    type: "checkbox", id: "field-geocoding", "data-testid": "field-geocoding", checked: f.geocoding,
    onchange: (ev: Event) => { f.geocoding = (ev.target as HTMLInputElement).checked; },
  });
  const maps = h("select", {
    id: "field-map_app", "data-testid": "field-map-app",
    onchange: (ev: Event) => { f.map_app = (ev.target as HTMLSelectElement).value as MapApp; },
  }, (["open_street_map", "google"] as MapApp[]).map((m) => h("option", { value: m, selected: f.map_app === m }, t(`field.map.${m}` as MessageKey))));
  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-field", "aria-labelledby": "field-title" },
    h("h3", { id: "field-title" }, t("settings.field")),
    text("home_address", "field-home", "field.home_address", { autocomplete: "street-address", placeholder: t("plan.start_placeholder") }),
    h("div", { class: "grid3" },
      time("day_start", "field-day-start", "field.day_start"),
      time("day_end", "field-day-end", "field.day_end"),
      num("visit_minutes", "field-visit-minutes", "field.visit_minutes", 600)),
    h("p", { class: "hint" }, t("field.revisit_hint")),
    h("div", { class: "grid3" },
      num("revisit_prospect_days", "field-revisit-prospect", "field.revisit_prospect", 3650),
      num("revisit_opportunity_days", "field-revisit-opportunity", "field.revisit_opportunity", 3650),
      num("revisit_customer_days", "field-revisit-customer", "field.revisit_customer", 3650)),
    h("label", { class: "check" }, geocoding, h("span", null, t("field.geocoding"))),
    h("p", { class: "hint" }, t("field.geocoding_hint")),
    text("geocoding_endpoint", "field-endpoint", "field.geocoding_endpoint"),
    h("div", { class: "field" }, label("field-map_app", "field.map_app"), maps),
    h("div", { class: "field" }, label("field-calendar_file", "field.calendar_file"), h("div", { class: "inline-row" }, file, choose)),
    h("p", { class: "hint" }, t("field.calendar_file_hint")),
    h("div", { class: "grid2" }, text("driver", "field-driver", "field.driver"), text("vehicle", "field-vehicle", "field.vehicle")),
    error,
  );
}
