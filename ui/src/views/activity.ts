// The "log activity" dialog: kind, when (datetime-local, default now, sent as
// RFC 3339 UTC), summary, text, outcome, and questions/concerns. It also
// edits a logged activity (the core keeps the version it replaces). After a
// call, visit or meeting is logged it offers the next step: a task with a
// date, its title taken from the outcome.
import type { Shell } from "../shell";
import type { ActivityInput } from "../bindings/ActivityInput";
import type { ActivityKind } from "../bindings/ActivityKind";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { Activity } from "../bindings/Activity";
import { h, replace } from "../dom";
import { kindName, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { localToRfc3339, toLocalDay, toLocalInput } from "../datetime";
import { clock } from "../tasks";
import { ACTIVITY_KINDS } from "../generated/core";
import { orNull } from "../inputText";
import { DEFAULT_REMINDERS } from "../generated/core";
import { button, formDialog } from "./common";

/** Kinds after which the dialog offers to plan the next step. */
const CONVERSATIONS: readonly ActivityKind[] = ["call", "visit", "meeting"];

/** `editing`: the logged activity to change (then `kind` is ignored). */
export function activityDialog(app: Shell, detail: ContactDetail, kind: ActivityKind | null, editing: Activity | null = null): void {
  const field = (id: string, label: MessageKey, control: HTMLElement, cls = "") =>
    h("div", { class: `field ${cls}` }, h("label", { for: id, class: "label" }, t(label)), control);
  const kindSelect = h(
    "select",
    { id: "act-kind", "data-testid": "activity-kind" },
    ACTIVITY_KINDS.map((k) => h("option", { value: k, selected: k === (editing?.kind ?? kind ?? "call") }, kindName(k))),
  );
  const at = h("input", {
    id: "act-at", type: "datetime-local", "data-testid": "activity-at",
    value: toLocalInput(editing ? new Date(editing.at) : clock.now()),
  });
  const summary = h("input", {
    id: "act-summary", type: "text", "data-testid": "activity-summary", autocomplete: "off",
    placeholder: t("activity.summary_placeholder"),
  });
  const text = h("textarea", { id: "act-text", rows: 3, "data-testid": "activity-text" }, editing?.text ?? "");
  const outcome = h("input", {
    id: "act-outcome", type: "text", "data-testid": "activity-outcome", autocomplete: "off", value: editing?.outcome ?? "",
  });
  const concerns = h("textarea", { id: "act-concerns", rows: 2, "data-testid": "activity-concerns" }, editing?.concerns ?? "");
  if (editing?.summary) (summary as HTMLInputElement).value = editing.summary;
  const errors = h("div", { class: "error-slot", "data-slot": "activity" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "activity-save" }, t("action.save"));

  let busy = false;
  const submit = async () => {
    if (busy) return;
    busy = true;
    save.disabled = true;
    const input: ActivityInput = {
      kind: kindSelect.value as ActivityKind,
      at: localToRfc3339(at.value),
      summary: orNull(summary.value),
      text: orNull(text.value),
      outcome: orNull(outcome.value),
      concerns: orNull(concerns.value),
    };
    try {
      const updated = editing
        ? await ipc.updateActivity(editing.id, input)
        : await ipc.logActivity(detail.contact.id, input);
      app.contactChanged(updated, { focus: "timeline", activities: true });
      if (!editing && CONVERSATIONS.includes(input.kind)) nextStep(app, detail, dialog, input);
      else app.closeModal();
    } catch (e) {
      app.showError(e, errors);
      summary.focus();
    } finally {
      busy = false;
      save.disabled = false;
    }
  };

  const dialog = formDialog(
    app,
    {
      testid: "activity-dialog", onSubmit: () => void submit(), errors, save,
      heading: [t(editing ? "activity.edit_title" : "activity.dialog_title"), h("span", { class: "muted dialog-sub" }, " · ", detail.contact.display_name)],
    },
    h("div", { class: "grid2" }, field("act-kind", "activity.kind", kindSelect), field("act-at", "activity.at", at)),
    field("act-summary", "activity.summary", summary),
    field("act-text", "activity.text", text),
    h("div", { class: "grid2" }, field("act-outcome", "activity.outcome", outcome), field("act-concerns", "activity.concerns", concerns)),
  );
  app.openModal(dialog);
  (kind || editing ? summary : kindSelect).focus();
}

/**
 * The date `days` of the rep's working days (Settings, ISO 1 = Monday … 7 =
 * Sunday, as the rules' tasks use them) after `from`, as YYYY-MM-DD.
 */
export function workingDaysAfter(from: Date, days: number, workingDays: readonly number[]): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate());
  const works = (day: Date) => workingDays.length === 0 || workingDays.includes(day.getDay() === 0 ? 7 : day.getDay());
  let left = days;
  while (left > 0) {
    d.setDate(d.getDate() + 1);
    if (works(d)) left -= 1;
  }
  return toLocalDay(d);
}

/**
 * The dialog's second step after a conversation was logged: "Plan the next
 * step?" with a task title (from the outcome) and a date (two working days
 * on); Create makes the task, "No next step" closes.
 */
function nextStep(app: Shell, detail: ContactDetail, dialog: HTMLDialogElement, logged: ActivityInput): void {
  const what = logged.outcome ?? logged.summary;
  const title = h("input", {
    id: "next-title", type: "text", "data-testid": "next-step-title", autocomplete: "off",
    value: what ? t("activity.next_from", { what }) : t("activity.next_default"),
  }) as HTMLInputElement;
  const due = h("input", { id: "next-due", type: "date", "data-testid": "next-step-due", value: workingDaysAfter(clock.now(), 2, app.settings.working_days) }) as HTMLInputElement;
  const errors = h("div", { class: "error-slot" });
  const create = async () => {
    if (!title.value.trim()) {
      errors.textContent = t("invalid.title");
      return title.focus();
    }
    try {
      const input = {
        title: title.value.trim(), contact_id: detail.contact.id, deal_id: null, due: due.value, priority: "normal" as const,
        notes: null, reminders: [...DEFAULT_REMINDERS], repeat: null,
      };
      await ipc.createTask(input);
      app.closeModal();
      app.showToast(t("activity.next_created", { title: input.title }));
      await app.refreshTasks();
    } catch (e) {
      app.showError(e, errors);
    }
  };
  replace(dialog, h("form", {
    class: "dialog-form", novalidate: true, "data-testid": "next-step",
    onsubmit: (ev: Event) => { ev.preventDefault(); void create(); },
  },
  h("h2", { id: "activity-dialog-title" }, t("activity.next_title"), h("span", { class: "muted dialog-sub" }, " · ", detail.contact.display_name)),
  h("p", { class: "hint" }, t("activity.next_hint", { kind: kindName(logged.kind) })),
  h("div", { class: "field" }, h("label", { for: "next-title", class: "label" }, t("task.field.title")), title),
  h("div", { class: "field" }, h("label", { for: "next-due", class: "label" }, t("task.field.due_date")), due),
  errors,
  h("footer", { class: "dialog-actions" },
    button(t("activity.next_skip"), { testid: "next-step-skip", onclick: () => app.closeModal() }),
    button(t("activity.next_create"), { testid: "next-step-create", kind: "primary", type: "submit", onclick: () => {} }))));
  title.focus();
  title.select();
}
