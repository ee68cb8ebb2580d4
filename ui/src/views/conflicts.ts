// The conflicts of team sync: fields two people changed at once. Kontor
// shows one value (the later edit); the other waits here. Each conflict
// shows both values, who and when, and keeps the one the rep picks (it is
// sent to the team like any edit).
import type { Conflict } from "../bindings/Conflict";
import type { EntityKind } from "../bindings/EntityKind";
import type { Pick } from "../bindings/Pick";
import type { Side } from "../bindings/Side";
import { h, replace } from "../dom";
import { formatDateTime, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import type { Shell } from "../shell";
import { button } from "./common";

/** The register of a record deleted while it was changed elsewhere. */
const DELETED = "_deleted";

/** A side's value as the rep reads it; a deleted record's sides say what keeping them does. */
function sideText(c: Conflict, side: Side, take: Pick): string {
  if (c.field !== DELETED) return valueText(side.value);
  return take === "local" ? t("conflicts.deleted_kept") : t("conflicts.deleted_gone");
}

/** The form's label of a field of each kind of record (beside a contact's). */
const FORM_PREFIX: Record<Exclude<EntityKind, "contact">, string> = {
  deal: "deal.",
  task: "task.field.",
  appointment: "appt.",
  activity: "activity.",
  organization: "org.",
};

/** A text if the table has it. */
function known(key: string): string | null {
  const text = t(key as MessageKey);
  return text === key ? null : text;
}

/** A field's name as the record's form calls it (the key when it has none). */
export function fieldName(kind: EntityKind, field: string): string {
  if (field === DELETED) return t("conflicts.deleted_field");
  if (kind === "contact") return known(`field.${field}`) ?? field;
  return known(`${FORM_PREFIX[kind]}${field}`) ?? known(`conflicts.field.${field}`) ?? field;
}

/** What a conflict is about: "Anna Schmidt · Notes", "Task: Call back · Due". */
function heading(c: Conflict): string {
  const name = c.name || c.entity;
  return c.kind === "contact" ? name : `${t(`conflicts.kind.${c.kind}` as MessageKey)}: ${name}`;
}

/** A value as the rep reads it: text as it is, a list joined, an address in one line. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return t("conflicts.empty_value");
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  if (typeof value === "object") {
    const parts = Object.values(value as Record<string, unknown>).filter((v) => v !== null && v !== "" && typeof v !== "object");
    return parts.length ? parts.map(String).join(", ") : t("conflicts.empty_value");
  }
  return String(value);
}

export function conflictsDialog(app: Shell): void {
  const dialog = h("dialog", { class: "dialog wide", "data-testid": "conflicts-dialog", "aria-labelledby": "conflicts-title" });
  const errors = h("div", { class: "error-slot", "data-slot": "conflicts" });
  let conflicts: Conflict[] | null = null;
  let busy = false;

  const load = async () => {
    try {
      conflicts = await ipc.listConflicts();
    } catch (e) {
      conflicts = [];
      app.showError(e, errors);
    }
    render();
  };

  const keep = async (c: Conflict, take: Pick) => {
    if (busy) return;
    busy = true;
    render();
    try {
      const done = await ipc.resolveConflict(c.id, take);
      const side = take === "local" ? done.local : done.remote;
      app.showToast(done.field === DELETED && take === "local"
        ? t("conflicts.restored", { name: done.name })
        : t("conflicts.kept", { field: fieldName(done.kind, done.field), value: sideText(done, side, take) }));
      await app.syncChanged();
    } catch (e) {
      app.showError(e, errors);
    }
    busy = false;
    await load();
  };

  const sideCard = (c: Conflict, side: Side, take: Pick): HTMLElement => {
    const shown = c.shown === take;
    const who = take === "local" ? t("conflicts.local") : side.by ? t("conflicts.remote", { by: side.by }) : t("conflicts.remote_unknown");
    return h("div", { class: `conflict-side${shown ? " shown" : ""}`, "data-testid": `conflict-${take}` },
      h("div", { class: "conflict-who" }, h("strong", null, who), " · ", formatDateTime(side.at),
        shown ? h("span", { class: "badge conflict-shown" }, t("conflicts.shown")) : null),
      h("p", { class: "conflict-value", "data-testid": `conflict-${take}-value` }, sideText(c, side, take)),
      shown ? null : button(t("conflicts.keep"), {
        testid: `conflict-keep-${take}`, kind: "primary", disabled: busy, onclick: () => void keep(c, take),
      }));
  };

  const item = (c: Conflict): HTMLElement =>
    h("li", { class: "conflict", "data-testid": "conflict", "data-id": String(c.id) },
      h("div", { class: "conflict-head" },
        c.contact
          ? h("button", { type: "button", class: "link strong", "data-testid": "conflict-contact", onclick: () => { app.closeModal(); void app.openContact(c.contact!); } }, heading(c))
          : h("strong", null, heading(c)),
        h("span", { class: "muted" }, ` · ${fieldName(c.kind, c.field)}`)),
      h("div", { class: "conflict-sides" }, sideCard(c, c.local, "local"), sideCard(c, c.remote, "remote")));

  const render = () => {
    const body = conflicts === null
      ? [h("p", { class: "muted" }, t("list.loading"))]
      : conflicts.length === 0
        ? [h("p", { class: "no-matches", "data-testid": "conflicts-empty" }, t("conflicts.none"))]
        : [h("p", { class: "muted" }, t("conflicts.intro")), h("ul", { class: "plain conflict-list" }, conflicts.map(item))];
    // Into the form, not the dialog: toasts shown over the dialog live in it too.
    replace(form,
      h("h2", { id: "conflicts-title" }, t("conflicts.title")),
      ...body,
      errors,
      h("footer", { class: "dialog-actions" },
        h("span", { class: "spacer" }),
        button(t("action.close"), { testid: "conflicts-close", onclick: () => app.closeModal() })));
  };

  const form = h("div", { class: "dialog-form" });
  dialog.append(form);
  render();
  app.openModal(dialog, render);
  void load();
}
