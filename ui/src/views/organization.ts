// The organisation card on the contact page (industry, size, postcode, region:
// the data target-group fit is proposed from) and its edit dialog.
import type { Shell } from "../shell";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { Organization } from "../bindings/Organization";
import type { OrganizationInput } from "../bindings/OrganizationInput";
import { h } from "../dom";
import { errorText, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import { orNull } from "../inputText";
import { button, formDialog } from "./common";
import { pinFrom } from "./nearby";

export function orgCard(app: Shell, detail: ContactDetail): HTMLElement {
  const o = detail.organization;
  const none = () => h("span", { class: "muted" }, t("contact.none"));
  return h(
    "section",
    { class: "card", "data-testid": "org-details", "aria-labelledby": "org-title" },
    h(
      "div",
      { class: "card-head" },
      h("h2", { id: "org-title" }, t("org.title"), o ? h("span", { class: "muted card-sub" }, " · ", o.name) : null),
      o ? button(t("action.edit"), { testid: "edit-organization", kind: "ghost", title: t("org.edit"), onclick: () => app.openOrgDialog() }) : null,
    ),
    o
      ? h(
          "dl",
          { class: "fields compact org-fields" },
          h("dt", null, t("org.industry")), h("dd", { "data-field": "industry" }, o.industry ?? none()),
          h("dt", null, t("org.size")), h("dd", { "data-field": "size" }, o.size ?? none()),
          h("dt", null, t("org.postcode")), h("dd", { "data-field": "postcode" }, o.postcode ?? none()),
          h("dt", null, t("org.region")), h("dd", { "data-field": "region" }, o.region ?? none()),
        )
      : h("p", { class: "muted" }, t("org.none")),
    o ? h("p", { class: "hint" }, t("org.hint")) : null,
  );
}

/** The contact page's organisation, edited in its dialog; the contact shows what follows from it. */
export function orgDialog(app: Shell, detail: ContactDetail): void {
  const o = detail.organization;
  if (!o) return;
  orgEditDialog(app, o, async () => {
    // Target-group fit, score and proposal may follow from the new data.
    const updated = await ipc.getContact(detail.contact.id);
    app.closeModal();
    app.contactChanged(updated, { focus: "edit-organization" });
  });
}

/** "New organisation": created, then its page opens. */
export function newOrganizationDialog(app: Shell): void {
  orgEditDialog(app, null, async (org) => {
    app.closeModal();
    await app.openOrganization(org.id);
  });
}

/**
 * An organisation's name and data (`org` null: a new one), saved with
 * update_organization or create_organization; `saved` runs after.
 */
export function orgEditDialog(app: Shell, o: Organization | null, saved: (org: Organization) => Promise<void>): void {
  const input = (name: string, value: string, extra: Record<string, string> = {}) =>
    h("input", { id: `org-${name}`, type: "text", "data-testid": `org-${name}`, value, autocomplete: "off", ...extra });
  const name = input("name", o?.name ?? "", { "aria-required": "true" });
  const industry = input("industry", o?.industry ?? "");
  const size = input("size", o?.size == null ? "" : String(o.size), { inputmode: "numeric" });
  const postcode = input("postcode", o?.postcode ?? "");
  const region = input("region", o?.region ?? "");
  const street = input("street", o?.street ?? "", { autocomplete: "street-address" });
  const city = input("city", o?.city ?? "");
  const country = input("country", o?.country ?? "");
  const lat = input("lat", o?.pin ? String(o.pin.lat) : "", { inputmode: "decimal", placeholder: "53.5456" });
  const lon = input("lon", o?.pin ? String(o.pin.lon) : "", { inputmode: "decimal", placeholder: "9.9314" });
  const pinError = h("p", { class: "field-error", id: "err-org-pin", "data-testid": "field-error", hidden: true });
  const field = (id: string, label: MessageKey, control: HTMLElement) =>
    h("div", { class: "field" }, h("label", { for: id, class: "label" }, t(label)), control);
  const errors = h("div", { class: "error-slot", "data-slot": "org" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "org-save" }, t(o ? "action.save" : "orgs.create"));
  const sizeError = h("p", { class: "field-error", id: "err-org-size", "data-testid": "field-error", hidden: true });
  const nameError = h("p", { class: "field-error", id: "err-org-name", "data-testid": "field-error", hidden: true });
  const problem = (el: HTMLElement, box: HTMLElement, text: string | null) => {
    box.textContent = text ?? "";
    box.hidden = text === null;
    if (text === null) el.removeAttribute("aria-invalid");
    else {
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", box.id);
    }
  };

  let busy = false;
  const submit = async () => {
    if (busy) return;
    app.clearError();
    const rawSize = size.value.trim();
    const n = rawSize === "" ? null : Number(rawSize);
    const badName = name.value.trim() === "";
    const badSize = n !== null && (!Number.isInteger(n) || n < 0);
    problem(name, nameError, badName ? t("invalid.required") : null);
    problem(size, sizeError, badSize ? t("invalid.integer") : null);
    // A pin by hand: both numbers, or neither.
    const typed = pinFrom(lat.value, lon.value);
    const badPin = typed === "invalid";
    const pin = typed === "invalid" ? null : typed;
    problem(lat, pinError, badPin ? t("fieldcard.invalid_pin") : null);
    if (badName) return name.focus();
    if (badSize) return size.focus();
    if (badPin) return lat.focus();
    const data: OrganizationInput = {
      name: name.value.trim(), industry: orNull(industry.value), size: n, postcode: orNull(postcode.value), region: orNull(region.value),
      street: orNull(street.value), city: orNull(city.value), country: orNull(country.value), pin,
    };
    busy = true;
    save.disabled = true;
    try {
      const org = o ? await ipc.updateOrganization(o.id, data) : await ipc.createOrganization(data);
      await saved(org);
    } catch (e) {
      const err = AppError.from(e);
      if (err.field === "size") problem(size, sizeError, errorText(err));
      if (err.field === "name") problem(name, nameError, errorText(err));
      app.showError(err, errors);
    } finally {
      busy = false;
      save.disabled = false;
    }
  };

  const dialog = formDialog(
    app,
    {
      testid: "org-dialog", cls: "narrow",
      heading: o ? [t("org.dialog_title"), h("span", { class: "muted dialog-sub" }, " · ", o.name)] : [t("orgs.new")],
      onSubmit: () => void submit(), errors, save,
    },
    h("div", { class: "field" }, h("label", { for: "org-name", class: "label" }, t("org.name")), name, nameError),
    field("org-industry", "org.industry", industry),
    h("div", { class: "field" }, h("label", { for: "org-size", class: "label" }, t("org.size")), size, sizeError),
    field("org-street", "org.street", street),
    h("div", { class: "grid2" },
      field("org-postcode", "org.postcode", postcode),
      field("org-city", "org.city", city)),
    h("div", { class: "grid2" },
      field("org-region", "org.region", region),
      field("org-country", "org.country", country)),
    h("div", { class: "grid2" },
      h("div", { class: "field" }, h("label", { for: "org-lat", class: "label" }, t("org.pin_lat")), lat, pinError),
      field("org-lon", "org.pin_lon", lon)),
    h("p", { class: "hint" }, t("org.pin_hint")),
    h("p", { class: "hint" }, t("org.hint")),
  );
  app.openModal(dialog);
  (o ? industry : name).focus();
}
