// The contact page's field card: where the contact is (a pin set by hand,
// the geocoded address, or an estimate from the postcode area) with a pin
// to set or remove, their upcoming appointments with a new one, and the
// customers nearby (within 10, 25 or 50 km, nearest first, from the kept
// positions, offline).
import type { AppointmentItem } from "../bindings/AppointmentItem";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { Nearby } from "../bindings/Nearby";
import type { Position } from "../bindings/Position";
import { h, replace } from "../dom";
import { formatDateTime, formatNumber, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { Latest } from "../latest";
import type { Shell } from "../shell";
import { clock } from "../tasks";
import { appointmentDialog } from "./appointmentDialog";
import { button } from "./common";
import { nearbyWho, pinFrom, radiusSelect } from "./nearby";

/** The radius last chosen, and whether the rep asked for the nearby list, kept while the app runs. */
let radius = 25;
let showNearby = false;
const loads = new Latest();

export function fieldCard(app: Shell, detail: ContactDetail): HTMLElement {
  const c = detail.contact;
  const body = h("div", { class: "field-card-body" }, h("p", { class: "muted", role: "status" }, t("status.loading")));
  const card = h("section", { class: "card field-card", "data-testid": "field-card", "aria-labelledby": "field-card-title" },
    h("div", { class: "card-head" },
      h("h2", { id: "field-card-title" }, t("fieldcard.title")),
      h("div", { class: "spacer" }),
      button(t("appt.new"), {
        testid: "contact-new-appointment", kind: "ghost",
        onclick: () => appointmentDialog(app, null, { contact: { id: c.id, name: c.display_name }, start: nextHour() }, async () => {
          app.showToast(t("appt.created"));
          await load();
        }),
      })),
    body);

  const load = async () => {
    const current = loads.start();
    try {
      // The nearby list reads every contact: only when the rep asks for it.
      const [position, appointments, nearby] = await Promise.all([
        ipc.contactPosition(c.id), ipc.contactAppointments(c.id), showNearby ? ipc.nearbyContacts(c.id, radius) : Promise.resolve(null),
      ]);
      if (current()) render(position, appointments, nearby);
    } catch (e) {
      if (current()) app.showError(e, body);
    }
  };

  const render = (position: Position | null, appointments: AppointmentItem[], nearby: Nearby[] | null) => {
    const now = clock.now().getTime();
    const upcoming = appointments.filter((x) => Date.parse(x.appointment.end) >= now).slice(0, 5);
    const where = position
      ? h("p", { "data-testid": "field-position" },
          `${formatNumber(position.lat, 5)}, ${formatNumber(position.lon, 5)}`,
          h("span", { class: "muted" }, ` · ${t(`fieldcard.located.${position.located}` as MessageKey)}`))
      : h("p", { class: "muted", "data-testid": "field-position" }, t("fieldcard.no_position"));
    const lat = h("input", { type: "text", inputmode: "decimal", class: "num-input wide", "data-testid": "pin-lat", "aria-label": t("fieldcard.lat"), placeholder: t("fieldcard.lat"), value: c.address.pin ? String(c.address.pin.lat) : "" }) as HTMLInputElement;
    const lon = h("input", { type: "text", inputmode: "decimal", class: "num-input wide", "data-testid": "pin-lon", "aria-label": t("fieldcard.lon"), placeholder: t("fieldcard.lon"), value: c.address.pin ? String(c.address.pin.lon) : "" }) as HTMLInputElement;
    const pinErrors = h("div", { class: "error-slot" });
    const setPin = async (clear: boolean) => {
      const pin = clear ? null : pinFrom(lat.value, lon.value);
      if (pin === "invalid" || (!clear && pin === null)) {
        lat.setAttribute("aria-invalid", "true");
        return replace(pinErrors, h("p", { class: "field-error", role: "alert", "data-testid": "field-error" }, t("fieldcard.invalid_pin")));
      }
      try {
        await ipc.pinContact(c.id, pin);
        app.showToast(t(clear ? "fieldcard.pin_removed" : "fieldcard.pin_set"));
        app.contactChanged(await ipc.getContact(c.id), { focus: "pin-set" });
      } catch (e) {
        app.showError(e, pinErrors);
      }
    };
    const radiusPicker = radiusSelect(radius, {
      "data-testid": "nearby-radius",
      onchange: (ev: Event) => { radius = Number((ev.target as HTMLSelectElement).value); void load(); },
    });
    replace(body,
      where,
      h("form", { class: "pin-row", onsubmit: (ev: Event) => { ev.preventDefault(); void setPin(false); } },
        lat, lon,
        h("button", { type: "submit", class: "btn", "data-testid": "pin-set" }, t("fieldcard.set_pin")),
        c.address.pin ? button(t("fieldcard.remove_pin"), { testid: "pin-remove", kind: "ghost", onclick: () => void setPin(true) }) : null),
      pinErrors,
      h("h3", { class: "sub-head" }, t("fieldcard.appointments")),
      upcoming.length
        ? h("ul", { class: "plain-list" }, upcoming.map((x) => h("li", { class: "link-row", tabindex: 0, "data-testid": "contact-appointment",
            onclick: () => appointmentDialog(app, x, {}, load),
            onkeydown: (ev: KeyboardEvent) => { if (ev.key === "Enter") { ev.preventDefault(); appointmentDialog(app, x, {}, load); } },
          }, h("span", { class: "strong" }, x.appointment.title), h("span", { class: "muted" }, ` · ${formatDateTime(x.appointment.start)}`))))
        : h("p", { class: "muted" }, t("fieldcard.no_appointments")),
      h("div", { class: "card-head sub-head-row" }, h("h3", { class: "sub-head" }, t("fieldcard.nearby")), radiusPicker),
      !position
        ? h("p", { class: "muted" }, t("fieldcard.nearby_needs_position"))
        : nearby === null
          ? button(t("fieldcard.show_nearby"), { testid: "nearby-show", onclick: () => { showNearby = true; void load(); } })
          : nearby.length
          ? h("ol", { class: "plain-list nearby-list", "data-testid": "nearby-list" }, nearby.slice(0, 10).map((n) => h("li", {
              class: "link-row", tabindex: 0, "data-testid": "nearby-row", "data-id": n.contact_id,
              onclick: () => void app.openContact(n.contact_id),
              onkeydown: (ev: KeyboardEvent) => { if (ev.key === "Enter") { ev.preventDefault(); void app.openContact(n.contact_id); } },
            }, nearbyWho(n))))
          : h("p", { class: "muted", "data-testid": "nearby-none" }, t("fieldcard.nobody", { km: radius })),
    );
  };
  void load();
  return card;
}

/** The next full hour, for a new appointment. */
function nextHour(): Date {
  const d = clock.now();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours() + 1);
}
