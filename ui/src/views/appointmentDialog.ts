// The appointment dialog (new and edit): title, a contact picked by name,
// day, start and end time (empty times: all day), place (the contact's or
// organisation's address when left empty), notes and reminders; in edit
// mode also delete. Start and end go out as RFC 3339 with the local offset,
// or as days.
import type { AppointmentInput } from "../bindings/AppointmentInput";
import type { AppointmentItem } from "../bindings/AppointmentItem";
import { h } from "../dom";
import { DEFAULT_REMINDERS } from "../generated/core";
import { t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import { orNull } from "../inputText";
import type { Shell } from "../shell";
import { addDays, dueString, localDay, localTime, parseDay, REMINDER_PRESETS } from "../tasks";
import { button, formDialog } from "./common";
import { contactPicker, type PickedContact } from "./contactPicker";

/** What a new appointment starts with: a time range (a drag in the grid), a contact. */
export interface AppointmentPreset {
  start?: Date;
  end?: Date;
  allDay?: boolean;
  contact?: PickedContact | null;
}


export function appointmentDialog(
  app: Shell,
  item: AppointmentItem | null,
  preset: AppointmentPreset,
  saved: () => Promise<void>,
): void {
  const a = item?.appointment ?? null;
  const start = a ? new Date(a.start) : preset.start ?? new Date();
  const end = a ? new Date(a.end) : preset.end ?? new Date(start.getTime() + 60 * 60_000);
  const allDay = a ? a.all_day : preset.allDay ?? false;
  const firstDay = a?.all_day ? a.start.slice(0, 10) : localDay(start);
  const lastDay = a?.all_day ? localDay(addDays(parseDay(a.end.slice(0, 10)) ?? start, -1)) : localDay(end);
  // Unless the rep says otherwise, an appointment reminds as a task does.
  const before = a ? a.reminders.map((r) => r.before_minutes) : [...DEFAULT_REMINDERS];
  const contact: PickedContact | null = a
    ? a.contact_id ? { id: a.contact_id, name: item?.contact_name ?? "—" } : null
    : preset.contact ?? null;

  const field = (id: string, label: MessageKey, control: HTMLElement, cls = "") =>
    h("div", { class: `field ${cls}`, "data-field": id }, h("label", { for: id, class: "label" }, t(label)), control);
  const title = h("input", {
    id: "appt-title", type: "text", "data-testid": "appt-title", autocomplete: "off", required: true,
    placeholder: t("appt.title_placeholder"), value: a?.title ?? "",
  });
  const date = h("input", { id: "appt-date", type: "date", "data-testid": "appt-date", required: true, value: firstDay });
  const lastDate = h("input", { id: "appt-last", type: "date", "data-testid": "appt-last-date", value: lastDay });
  const from = h("input", { id: "appt-from", type: "time", "data-testid": "appt-from", step: 900, value: allDay ? "" : localTime(start) });
  const to = h("input", { id: "appt-to", type: "time", "data-testid": "appt-to", step: 900, value: allDay ? "" : localTime(end) });
  const allDayBox = h("input", { type: "checkbox", id: "appt-all-day", "data-testid": "appt-all-day", checked: allDay }) as HTMLInputElement;
  const timeRow = h("div", { class: "grid2" }, field("appt-from", "appt.from", from), field("appt-to", "appt.to", to));
  const lastRow = field("appt-last", "appt.last_day", lastDate);
  const sync = () => {
    timeRow.hidden = allDayBox.checked;
    lastRow.hidden = !allDayBox.checked;
  };
  allDayBox.addEventListener("change", sync);
  sync();
  const place = h("input", {
    id: "appt-place", type: "text", "data-testid": "appt-place", autocomplete: "off", value: a?.place ?? "",
    placeholder: t("appt.place_placeholder"),
  });
  const notes = h("textarea", { id: "appt-notes", rows: 3, "data-testid": "appt-notes" }, a?.notes ?? "");
  const reminderBoxes = REMINDER_PRESETS.map((m) =>
    h("label", { class: "check inline" },
      h("input", { type: "checkbox", value: String(m), "data-testid": `appt-reminder-${m}`, checked: before.includes(m) }),
      h("span", null, t(`task.reminder_opt_${m}` as MessageKey))));
  const errors = h("div", { class: "error-slot", "data-slot": "appointment" });
  const picker = contactPicker("appt", contact, () => place.focus(), (e) => app.showError(e, errors));
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "appt-save" }, t("action.save"));

  const problem = (control: HTMLElement, text: string) => {
    dialog.querySelectorAll(".field-error").forEach((el) => el.remove());
    control.setAttribute("aria-invalid", "true");
    control.closest(".field")?.appendChild(h("p", { class: "field-error", "data-testid": "field-error" }, text));
    control.focus();
  };

  const collect = (): AppointmentInput | null => {
    dialog.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    if (!title.value.trim()) return (problem(title, t("invalid.title")), null);
    let startValue: string | null;
    let endValue: string | null;
    if (allDayBox.checked) {
      startValue = dueString(date.value, "");
      endValue = dueString(lastDate.value || date.value, "");
      if (!startValue) return (problem(date, t("task.invalid.due")), null);
      if (!endValue || endValue < startValue) return (problem(lastDate, t("appt.invalid.end")), null);
    } else {
      startValue = dueString(date.value, from.value);
      if (!dueString(date.value, "")) return (problem(date, t("task.invalid.due")), null);
      if (!startValue || !from.value) return (problem(from, t("task.invalid.time")), null);
      endValue = to.value ? dueString(date.value, to.value) : null;
      if (to.value && (!endValue || Date.parse(endValue) <= Date.parse(startValue))) return (problem(to, t("appt.invalid.end")), null);
    }
    const reminders = reminderBoxes
      .map((l) => l.querySelector("input")!)
      .filter((box) => box.checked)
      .map((box) => Number(box.value));
    return {
      title: title.value.trim(),
      start: startValue,
      end: endValue,
      contact_id: picker.value()?.id ?? null,
      organization_id: a && picker.value()?.id === a.contact_id ? a.organization_id : null,
      deal_id: a && picker.value()?.id === a.contact_id ? a.deal_id : null,
      place: orNull(place.value),
      notes: orNull(notes.value),
      reminders,
    };
  };

  let busy = false;
  const submit = async () => {
    if (busy) return;
    const input = collect();
    if (!input) return;
    busy = true;
    save.disabled = true;
    try {
      if (a) await ipc.updateAppointment(a.id, input);
      else await ipc.createAppointment(input);
      app.closeModal();
      await saved();
    } catch (e) {
      const err = AppError.from(e);
      if (err.field === "end") problem(allDayBox.checked ? lastDate : to, t("appt.invalid.end"));
      app.showError(err, errors);
    } finally {
      busy = false;
      save.disabled = false;
    }
  };
  // Delete in two steps: the first click asks, the second deletes.
  let armed = false;
  const remove = a
    ? button(t("appt.delete"), {
        testid: "appt-delete", kind: "ghost",
        onclick: () => void (async () => {
          if (!armed) {
            armed = true;
            remove!.textContent = t("appt.delete_confirm");
            remove!.classList.replace("btn-ghost", "btn-danger");
            return;
          }
          try {
            await ipc.deleteAppointment(a.id);
            app.closeModal();
            await saved();
          } catch (e) {
            app.showError(e, errors);
          }
        })(),
      })
    : null;

  const dialog = formDialog(
    app,
    { testid: "appt-dialog", heading: [t(a ? "appt.edit" : "appt.new")], onSubmit: () => void submit(), errors, save },
    field("appt-title", "appt.title", title),
    h("div", { class: "field" }, h("label", { for: "appt-contact", class: "label" }, t("appt.contact"),
      h("span", { class: "muted" }, ` (${t("task.contact_optional")})`)), ...picker.parts),
    h("div", { class: "grid2" }, field("appt-date", "appt.date", date),
      h("label", { class: "check appt-all-day" }, allDayBox, h("span", null, t("appt.all_day")))),
    timeRow,
    lastRow,
    field("appt-place", "appt.place", place),
    h("fieldset", { class: "reminders" }, h("legend", { class: "label" }, t("appt.reminders")), ...reminderBoxes),
    field("appt-notes", "appt.notes", notes),
    remove ? h("div", { class: "dialog-extra" }, remove) : null,
  );
  app.openModal(dialog);
  title.focus();
}
