// The create/edit contact form (a modal dialog) with the organisation picker,
// client-side validation, and backend validation errors shown at their field.
import type { Shell } from "../shell";
import type { Address } from "../bindings/Address";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { ContactInput } from "../bindings/ContactInput";
import type { Organization } from "../bindings/Organization";
import { h, replace } from "../dom";
import { baseField, errorText, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import type { InputProblem } from "../bindings/InputProblem";
import { commaList, lines, orNull } from "../inputText";
import { button } from "./common";
import { Latest } from "../latest";

/** The address parts are edited as fields of their own. */
type AddressPart = Exclude<keyof Address, "pin">;
type FieldName = Exclude<keyof ContactInput, "address"> | AddressPart;
const ADDRESS_PARTS: readonly AddressPart[] = ["street", "postcode", "city", "region", "country"];
type Control = HTMLInputElement | HTMLTextAreaElement;

export function contactForm(app: Shell, detail: ContactDetail | null): void {
  const c = detail?.contact;
  const controls = new Map<FieldName, Control>();
  const wrappers = new Map<FieldName, HTMLElement>();

  const input = (name: FieldName, value: string, extra: Record<string, string> = {}) => {
    const el = h("input", {
      id: `f-${name}`, name, type: "text", "data-testid": `field-${name}`, value, autocomplete: "off", ...extra,
    });
    controls.set(name, el);
    return el;
  };
  const area = (name: FieldName, value: string, rows: number) => {
    const el = h("textarea", { id: `f-${name}`, name, rows, "data-testid": `field-${name}`, value });
    controls.set(name, el);
    return el;
  };
  const field = (name: FieldName, label: MessageKey, control: HTMLElement, hint?: string, cls = "") => {
    const wrap = h(
      "div",
      { class: `field ${cls}` },
      h("label", { for: `f-${name}`, class: "label" }, t(label), hint ? h("span", { class: "hint" }, ` (${hint})`) : null),
      control,
    );
    wrappers.set(name, wrap);
    return wrap;
  };

  const org = orgPicker(input("organization", c?.organization ?? "", { role: "combobox" }) as HTMLInputElement);

  const errors = h("div", { class: "error-slot", "data-slot": "form" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "save-contact" }, t("action.save"));
  const form = h(
    "form",
    { class: "dialog-form", novalidate: true, onsubmit: (ev: Event) => { ev.preventDefault(); void submit(); } },
    h("h2", { id: "form-title" }, detail ? t("form.edit_title") : t("form.new_title")),
    h(
      "div",
      { class: "grid-name" },
      field("salutation", "field.salutation", input("salutation", c?.salutation ?? "", { placeholder: t("form.salutation_hint") })),
      field("first_name", "field.first_name", input("first_name", c?.first_name ?? "")),
      field("last_name", "field.last_name", input("last_name", c?.last_name ?? "")),
    ),
    field("display_name", "field.display_name", input("display_name", customDisplayName(detail), { placeholder: t("form.display_name_hint") })),
    h(
      "div",
      { class: "grid2" },
      field("organization", "field.organization", org.el),
      field("title", "field.title", input("title", c?.title ?? "")),
    ),
    h(
      "div",
      { class: "grid2" },
      field("emails", "field.emails", area("emails", (c?.emails ?? []).join("\n"), 2), t("form.one_per_line")),
      field("phones", "field.phones", area("phones", (c?.phones ?? []).join("\n"), 2), t("form.one_per_line")),
    ),
    h(
      "fieldset",
      { class: "address-set" },
      h("legend", null, t("field.address")),
      field("street", "field.street", input("street", c?.address.street ?? "", { autocomplete: "street-address" })),
      h(
        "div",
        { class: "grid-postcode" },
        field("postcode", "field.postcode", input("postcode", c?.address.postcode ?? "")),
        field("city", "field.city", input("city", c?.address.city ?? "")),
      ),
      h(
        "div",
        { class: "grid2" },
        field("region", "field.region", input("region", c?.address.region ?? "")),
        field("country", "field.country", input("country", c?.address.country ?? "")),
      ),
    ),
    h(
      "div",
      { class: "grid2" },
      field("website", "field.website", input("website", c?.website ?? "", { inputmode: "url" })),
      field("source", "field.source", input("source", c?.source ?? "")),
    ),
    field("tags", "field.tags", input("tags", (c?.tags ?? []).join(", ")), t("form.comma_separated")),
    field("notes", "field.notes", area("notes", c?.notes ?? "", 3)),
    errors,
    h(
      "footer",
      { class: "dialog-actions" },
      button(t("action.cancel"), { testid: "cancel", onclick: () => app.dismissModal() }),
      save,
    ),
  );
  const dialog = h("dialog", { class: "dialog", "data-testid": "contact-form", "aria-labelledby": "form-title" }, form);

  const value = (name: FieldName) => controls.get(name)?.value ?? "";
  const collect = (): ContactInput => ({
    first_name: value("first_name").trim(),
    last_name: value("last_name").trim(),
    display_name: orNull(value("display_name")),
    organization: orNull(value("organization")),
    title: orNull(value("title")),
    emails: lines(value("emails")),
    phones: lines(value("phones")),
    tags: commaList(value("tags")),
    source: orNull(value("source")),
    notes: orNull(value("notes")),
    salutation: orNull(value("salutation")),
    // The pin is set on the contact page, not here: an edit keeps it.
    address: { ...Object.fromEntries(ADDRESS_PARTS.map((p) => [p, orNull(value(p))])), pin: c?.address.pin ?? null } as Address,
    website: orNull(value("website")),
  });

  const clearProblems = () => {
    dialog.querySelectorAll('[data-testid="field-error"]').forEach((el) => el.remove());
    controls.forEach((el) => {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    app.clearError();
  };

  const showProblem = (name: FieldName, text: string) => {
    const wrap = wrappers.get(name) ?? wrappers.get("first_name")!;
    const control = controls.get(name);
    const id = `err-${name}`;
    // Every problem of a field is named (two bad emails: both), on lines of its own.
    const shown = wrap.querySelector<HTMLElement>(`#${id}`);
    if (shown) return void shown.append(h("br"), text);
    wrap.appendChild(h("p", { class: "field-error", id, "data-testid": "field-error" }, text));
    control?.setAttribute("aria-invalid", "true");
    control?.setAttribute("aria-describedby", id);
  };

  const problemText = (p: InputProblem) => {
    const message = errorText({ code: p.code, message: p.message, field: p.field, from: null, to: null });
    return p.value ? t("form.bad_entry", { value: p.value, message }) : message;
  };

  const focusFirstProblem = () => {
    dialog.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  };

  let busy = false;
  const submit = async () => {
    if (busy) return;
    clearProblems();
    const data = collect();
    busy = true;
    save.disabled = true;
    try {
      const problems = await ipc.checkContact(data);
      if (problems.length) {
        problems.forEach((p) => showProblem(fieldFor(p) ?? "first_name", problemText(p)));
        focusFirstProblem();
        return;
      }
      const saved = detail ? await ipc.updateContact(detail.contact.id, data) : await ipc.createContact(data);
      app.closeModal();
      app.contactChanged(saved);
    } catch (e) {
      const err = AppError.from(e);
      const name = fieldFor(err);
      if (name) showProblem(name, errorText(err));
      app.showError(err, errors);
      focusFirstProblem();
    } finally {
      busy = false;
      save.disabled = false;
    }
  };

  org.onSearch = async (text) => {
    try {
      return await ipc.listOrganizations(text || null);
    } catch {
      return [];
    }
  };

  app.openModal(dialog);
  controls.get("first_name")?.focus();
}

/**
 * The display name to prefill: empty when it is just "first last", so that a
 * renamed contact's display name follows the new name.
 */
function customDisplayName(detail: ContactDetail | null): string {
  if (!detail) return "";
  const c = detail.contact;
  return c.display_name === `${c.first_name} ${c.last_name}`.trim() ? "" : c.display_name;
}

/** The form field a backend error belongs to, if any. */
function fieldFor(err: { field: string | null; code: string }): FieldName | null {
  const known: FieldName[] = [
    "first_name", "last_name", "display_name", "organization", "title", "emails", "phones", "tags", "source", "notes",
    "salutation", "website", ...ADDRESS_PARTS,
  ];
  const base = baseField(err.field);
  const part = err.field?.split(/[.[\]]/).filter(Boolean)[1];
  if (base === "address" && part && (ADDRESS_PARTS as readonly string[]).includes(part)) return part as AddressPart;
  if (base && (known as string[]).includes(base)) return base as FieldName;
  if (base === "name" || err.code === "name_required") return "first_name";
  if (err.code === "invalid_email") return "emails";
  if (err.code === "invalid_phone") return "phones";
  return null;
}

interface OrgPicker {
  el: HTMLElement;
  onSearch: (text: string) => Promise<Organization[]>;
}

/**
 * Organisation combobox: a text input with a suggestion list from the backend.
 * A name that matches no organisation is sent as is; the backend creates it.
 */
function orgPicker(inputEl: HTMLInputElement): OrgPicker {
  const listId = "org-suggestions";
  const list = h("ul", { id: listId, class: "suggestions", role: "listbox", "aria-label": t("form.org_suggestions"), hidden: true });
  const note = h("p", { class: "hint org-note", "aria-live": "polite" });
  const picker: OrgPicker = {
    el: h("div", { class: "combo" }, inputEl, list, note),
    onSearch: async () => [],
  };
  inputEl.setAttribute("aria-autocomplete", "list");
  inputEl.setAttribute("aria-controls", listId);
  inputEl.setAttribute("aria-expanded", "false");

  let items: Organization[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const latest = new Latest();

  const close = () => {
    list.hidden = true;
    inputEl.setAttribute("aria-expanded", "false");
    inputEl.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const updateNote = () => {
    const name = inputEl.value.trim();
    const known = items.some((o) => o.name.toLowerCase() === name.toLowerCase());
    note.textContent = name && !known ? t("form.org_new", { name }) : "";
  };
  const pick = (o: Organization) => {
    inputEl.value = o.name;
    items = [o];
    close();
    updateNote();
  };
  const render = () => {
    replace(
      list,
      items.map((o, i) =>
        h("li", {
          id: `org-opt-${i}`, role: "option", class: i === active ? "active" : "", "aria-selected": String(i === active),
          onmousedown: (ev: MouseEvent) => { ev.preventDefault(); pick(o); },
        }, o.name),
      ),
    );
    const show = items.length > 0 && !(items.length === 1 && items[0].name === inputEl.value.trim());
    list.hidden = !show;
    inputEl.setAttribute("aria-expanded", String(show));
    if (active >= 0) inputEl.setAttribute("aria-activedescendant", `org-opt-${active}`);
    else inputEl.removeAttribute("aria-activedescendant");
  };
  const query = () => {
    const current = latest.start();
    void picker.onSearch(inputEl.value.trim()).then((found) => {
      if (!current()) return;
      items = found.slice(0, 8);
      active = -1;
      render();
      updateNote();
    });
  };

  inputEl.addEventListener("input", () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(query, 150);
  });
  inputEl.addEventListener("focus", () => { if (!items.length) query(); });
  inputEl.addEventListener("blur", () => close());
  inputEl.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const n = items.length;
      active = ev.key === "ArrowDown" ? (active + 1) % n : (active - 1 + n) % n;
      render();
    } else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      pick(items[active]);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      close();
    }
  });
  return picker;
}
