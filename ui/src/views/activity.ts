// The "log activity" dialog: kind, when (datetime-local, default now, sent as
// RFC 3339 UTC), summary, text, outcome, and questions/concerns.
import type { Shell } from "../shell";
import type { ActivityInput } from "../bindings/ActivityInput";
import type { ActivityKind } from "../bindings/ActivityKind";
import type { ContactDetail } from "../bindings/ContactDetail";
import { h } from "../dom";
import { kindName, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { localToRfc3339, toLocalInput } from "../datetime";
import { clock } from "../tasks";
import { ACTIVITY_KINDS } from "../generated/core";
import { orNull } from "../inputText";
import { formDialog } from "./common";

export function activityDialog(app: Shell, detail: ContactDetail, kind: ActivityKind | null): void {
  const field = (id: string, label: MessageKey, control: HTMLElement, cls = "") =>
    h("div", { class: `field ${cls}` }, h("label", { for: id, class: "label" }, t(label)), control);
  const kindSelect = h(
    "select",
    { id: "act-kind", "data-testid": "activity-kind" },
    ACTIVITY_KINDS.map((k) => h("option", { value: k, selected: k === (kind ?? "call") }, kindName(k))),
  );
  const at = h("input", { id: "act-at", type: "datetime-local", "data-testid": "activity-at", value: toLocalInput(clock.now()) });
  const summary = h("input", {
    id: "act-summary", type: "text", "data-testid": "activity-summary", autocomplete: "off",
    placeholder: t("activity.summary_placeholder"),
  });
  const text = h("textarea", { id: "act-text", rows: 3, "data-testid": "activity-text" });
  const outcome = h("input", { id: "act-outcome", type: "text", "data-testid": "activity-outcome", autocomplete: "off" });
  const concerns = h("textarea", { id: "act-concerns", rows: 2, "data-testid": "activity-concerns" });
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
      const updated = await ipc.logActivity(detail.contact.id, input);
      app.closeModal();
      app.contactChanged(updated, { focus: "timeline", activities: true });
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
    { testid: "activity-dialog", heading: [t("activity.dialog_title"), h("span", { class: "muted dialog-sub" }, " · ", detail.contact.display_name)], onSubmit: () => void submit(), errors, save },
    h("div", { class: "grid2" }, field("act-kind", "activity.kind", kindSelect), field("act-at", "activity.at", at)),
    field("act-summary", "activity.summary", summary),
    field("act-text", "activity.text", text),
    h("div", { class: "grid2" }, field("act-outcome", "activity.outcome", outcome), field("act-concerns", "activity.concerns", concerns)),
  );
  app.openModal(dialog);
  (kind ? summary : kindSelect).focus();
}
