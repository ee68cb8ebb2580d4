// The task dialog (new and edit): title, due date and optional time (empty =
// all day), priority, reminders, recurrence, notes, a contact picked by name
// and one of that contact's deals. Due goes out as RFC 3339 with the local
// offset, or as YYYY-MM-DD.
import { DEFAULT_REMINDERS } from "../generated/core";
import type { PresetContact, PresetDeal, Shell } from "../shell";

export type { PresetContact, PresetDeal };
import type { Deal } from "../bindings/Deal";
import type { Priority } from "../bindings/Priority";
import type { TaskInput } from "../bindings/TaskInput";
import type { TaskItem } from "../bindings/TaskItem";

import { h, replace } from "../dom";
import { dealStageName, type MessageKey, t, taskErrorText } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import {
  clock, dueAt, dueString, localDay, localTime, MAX_EVERY_DAYS, MAX_REMINDER_MINUTES, parseRepeat, PRIORITIES,
  REMINDER_PRESETS, repeatString, type RepeatKind,
} from "../tasks";
import { orNull } from "../inputText";
import { formDialog } from "./common";
import { contactPicker } from "./contactPicker";
import { Latest } from "../latest";

const REPEAT_KINDS: readonly RepeatKind[] = ["none", "daily", "weekly", "monthly", "every"];

type Problem = { testid: string; text: string };

/** "30, 90" → [30, 90]; null when an entry is not a whole number of minutes in range. */
function customMinutes(text: string): number[] | null {
  const parts = text.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean);
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return null;
    const n = Number(p);
    if (n > MAX_REMINDER_MINUTES) return null;
    out.push(n);
  }
  return out;
}

export function taskDialog(app: Shell, item: TaskItem | null, preset: PresetContact | null, presetDeal: PresetDeal | null = null): void {
  const task = item?.task ?? null;
  const now = clock.now();
  const due = task ? dueAt(task) : null;
  const repeat = parseRepeat(task?.repeat ?? null);
  const before = task ? task.reminders.map((r) => r.before_minutes) : [...DEFAULT_REMINDERS];
  const contact: PresetContact | null = task
    ? task.contact_id ? { id: task.contact_id, name: item?.contact_name ?? "—" } : null
    : preset;

  const field = (id: string, label: MessageKey, control: HTMLElement, extra: (HTMLElement | null)[] = [], cls = "") =>
    h("div", { class: `field ${cls}`, "data-field": id }, h("label", { for: id, class: "label" }, t(label)), control, ...extra);

  const title = h("input", {
    id: "task-title", type: "text", "data-testid": "task-title-input", autocomplete: "off", required: true,
    placeholder: t("task.title_placeholder"), value: task?.title ?? "",
  });
  const date = h("input", {
    id: "task-date", type: "date", "data-testid": "task-due-date", required: true,
    value: due ? localDay(due) : localDay(now),
  });
  const time = h("input", {
    id: "task-time", type: "time", "data-testid": "task-due-time",
    value: due && !task?.all_day ? localTime(due) : "",
  });
  const priority = h(
    "select",
    { id: "task-priority", "data-testid": "task-priority" },
    PRIORITIES.map((p) => h("option", { value: p, selected: p === (task?.priority ?? "normal") }, t(`priority.${p}` as MessageKey))),
  );
  const reminderBoxes = REMINDER_PRESETS.map((m) =>
    h("label", { class: "check inline" },
      h("input", { type: "checkbox", value: String(m), "data-testid": `task-reminder-${m}`, checked: before.includes(m) }),
      h("span", null, t(`task.reminder_opt_${m}` as MessageKey))));
  const custom = h("input", {
    id: "task-reminder-custom", type: "text", inputmode: "numeric", class: "num-input wide", "data-testid": "task-reminder-custom",
    autocomplete: "off", value: before.filter((m) => !REMINDER_PRESETS.includes(m)).join(", "),
  });
  const repeatSelect = h(
    "select",
    { id: "task-repeat", "data-testid": "task-repeat", onchange: () => syncRepeat() },
    REPEAT_KINDS.map((k) => h("option", { value: k, selected: k === repeat.kind }, t(`task.repeat_opt_${k}` as MessageKey))),
  );
  const days = h("input", {
    id: "task-repeat-days", type: "number", min: 1, max: MAX_EVERY_DAYS, step: 1, class: "num-input",
    "data-testid": "task-repeat-days", value: repeat.kind === "every" ? String(repeat.days) : "2",
  });
  const daysField = field("task-repeat-days", "task.field.repeat_days", days, [], "days-field");
  const syncRepeat = () => { daysField.hidden = repeatSelect.value !== "every"; };
  syncRepeat();
  const notes = h("textarea", { id: "task-notes", rows: 3, "data-testid": "task-notes" }, task?.notes ?? "");

  // ---- contact picker, and one of the contact's deals ----
  // A deal belongs to one contact: another contact (or none) unlinks it.
  let dealId: string | null = task ? task.deal_id : presetDeal?.id ?? null;
  const linkedTitle = item?.deal_title ?? presetDeal?.title ?? "";
  const dealSelect = h("select", {
    id: "task-deal", "data-testid": "task-deal", onchange: () => { dealId = dealSelect.value || null; },
  }) as HTMLSelectElement;
  const dealHint = h("p", { class: "hint", "data-testid": "task-deal-hint" }, t("task.deal_needs_contact"));
  const showDeals = (deals: Deal[]) => {
    const options = deals.map((d) =>
      h("option", { value: d.id, selected: d.id === dealId }, `${d.title} · ${dealStageName(app.settings.deal_stages, d.stage)}`));
    // A linked deal missing from the list (not loaded, or not this contact's) stays linked until changed.
    if (dealId && !deals.some((d) => d.id === dealId)) {
      options.unshift(h("option", { value: dealId, selected: true }, linkedTitle || t("task.deal_linked")));
    }
    replace(dealSelect, h("option", { value: "", selected: !dealId }, t("task.deal_none")), ...options);
  };
  const latestDeals = new Latest();
  const loadDeals = async (c: PresetContact | null) => {
    const current = latestDeals.start();
    showDeals([]);
    dealHint.hidden = c !== null;
    dealSelect.disabled = true;
    if (!c) {
      dealSelect.disabled = dealId === null;
      return;
    }
    dealSelect.setAttribute("aria-busy", "true");
    try {
      const { deals } = await ipc.contactDeals(c.id);
      if (current()) showDeals(deals);
    } catch (e) {
      if (current()) app.showError(e, errors);
    } finally {
      if (current()) {
        dealSelect.disabled = false;
        dealSelect.setAttribute("aria-busy", "false");
      }
    }
  };
  const picker = contactPicker("task", contact, () => priority.focus(), (e) => app.showError(e, errors), (c) => {
    dealId = null;
    void loadDeals(c);
  });

  const errors = h("div", { class: "error-slot", "data-slot": "task" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "task-save" }, t("action.save"));

  const controls: Record<string, HTMLElement> = {
    "task-title-input": title, "task-due-date": date, "task-due-time": time, "task-reminder-custom": custom,
    "task-repeat-days": days, "task-repeat": repeatSelect, "task-priority": priority, "task-deal": dealSelect,
  };
  const showProblems = (problems: Problem[]) => {
    dialog.querySelectorAll(".field-error").forEach((el) => el.remove());
    Object.values(controls).forEach((c) => c.removeAttribute("aria-invalid"));
    for (const p of problems) {
      const control = controls[p.testid];
      if (!control) continue;
      const id = `${control.id}-err`;
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", id);
      control.closest(".field")?.appendChild(h("p", { class: "field-error", id, "data-testid": "field-error" }, p.text));
    }
    if (problems[0]) controls[problems[0].testid]?.focus();
  };

  /** The TaskInput from the form, or the problems found. */
  const collect = (): TaskInput | Problem[] => {
    const problems: Problem[] = [];
    if (!title.value.trim()) problems.push({ testid: "task-title-input", text: t("invalid.title") });
    const dueValue = dueString(date.value, time.value);
    if (dueValue === null) {
      const badDate = dueString(date.value, "") === null;
      problems.push(badDate
        ? { testid: "task-due-date", text: t("task.invalid.due") }
        : { testid: "task-due-time", text: t("task.invalid.time") });
    }
    const extra = customMinutes(custom.value);
    if (extra === null) problems.push({ testid: "task-reminder-custom", text: t("task.invalid.reminders") });
    const kind = repeatSelect.value as RepeatKind;
    const n = Number(days.value.trim());
    if (kind === "every" && (!days.value.trim() || !Number.isInteger(n) || n < 1 || n > MAX_EVERY_DAYS)) {
      problems.push({ testid: "task-repeat-days", text: t("task.invalid.repeat_days") });
    }
    if (problems.length) return problems;
    const checked = reminderBoxes
      .map((l) => l.querySelector("input")!)
      .filter((box) => box.checked)
      .map((box) => Number(box.value));
    const reminders = [...new Set([...checked, ...(extra ?? [])])].sort((a, b) => a - b);
    return {
      title: title.value.trim(),
      contact_id: picker.value()?.id ?? null,
      deal_id: dealId,
      due: dueValue!,
      priority: priority.value as Priority,
      notes: orNull(notes.value),
      reminders,
      repeat: repeatString(kind, n),
    };
  };

  const FIELD_CONTROLS: Record<string, string> = {
    title: "task-title-input", due: "task-due-date", reminders: "task-reminder-custom", repeat: "task-repeat", priority: "task-priority",
    deal_id: "task-deal",
  };
  let busy = false;
  const submit = async () => {
    if (busy) return;
    app.clearError();
    const input = collect();
    if (Array.isArray(input)) {
      showProblems(input);
      return;
    }
    showProblems([]);
    busy = true;
    save.disabled = true;
    try {
      const saved = task ? await ipc.updateTask(task.id, input) : await ipc.createTask(input);
      app.closeModal();
      app.taskSaved(saved);
    } catch (e) {
      const err = AppError.from(e);
      const text = taskErrorText(err);
      const control = err.code === "invalid_input" && err.field ? FIELD_CONTROLS[err.field.split(/[.[]/)[0]] : undefined;
      if (control) showProblems([{ testid: control, text }]);
      app.showError(err, errors, text);
    } finally {
      busy = false;
      save.disabled = false;
    }
  };

  const dialog = formDialog(
    app,
    { testid: "task-dialog", cls: "task-dialog", heading: [t(task ? "task.dialog_edit" : "task.dialog_new")], onSubmit: () => void submit(), errors, save },
    field("task-title", "task.field.title", title),
    h(
      "div",
      { class: "grid3" },
      field("task-date", "task.field.due_date", date),
      field("task-time", "task.field.due_time", time, [h("span", { class: "hint" }, t("task.time_hint"))]),
      field("task-priority", "task.field.priority", priority),
    ),
    h(
      "fieldset",
      { class: "reminders" },
      h("legend", null, t("task.field.reminders")),
      h("div", { class: "check-row" }, reminderBoxes),
      h("div", { class: "field inline-field" },
        h("label", { for: "task-reminder-custom", class: "label" }, t("task.field.reminder_custom")),
        custom),
      h("p", { class: "hint" }, t("task.reminder_hint")),
    ),
    h("div", { class: "grid2" }, field("task-repeat", "task.field.repeat", repeatSelect), daysField),
    h(
      "div",
      { class: "field contact-picker" },
      h("label", { for: "task-contact", class: "label" }, t("task.field.contact"), h("span", { class: "hint" }, ` (${t("task.contact_optional")})`)),
      ...picker.parts,
    ),
    h(
      "div",
      { class: "field", "data-field": "task-deal" },
      h("label", { for: "task-deal", class: "label" }, t("task.field.deal"), h("span", { class: "hint" }, ` (${t("task.contact_optional")})`)),
      dealSelect,
      dealHint,
    ),
    field("task-notes", "task.field.notes", notes),
  );
  void loadDeals(contact);
  app.openModal(dialog);
  title.focus();
}
