// The visit report (Besuchsbericht) at check-out: who took part, what was
// talked about, the questions and concerns the customer raised, products
// discussed and the next steps agreed; the next steps can become a task or
// an appointment at once. Saved, it is a visit on the contact's timeline.
import type { AppointmentItem } from "../bindings/AppointmentItem";
import type { CheckedOut } from "../bindings/CheckedOut";
import type { FollowUp } from "../bindings/FollowUp";
import { h } from "../dom";
import { t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import type { Shell } from "../shell";
import { addDays, clock, dueString, localDay } from "../tasks";
import { formDialog } from "./common";

type FollowKind = "none" | "task" | "appointment";

export function visitReportDialog(app: Shell, item: AppointmentItem, done: (result: CheckedOut) => Promise<void>): void {
  const a = item.appointment;
  const field = (id: string, label: MessageKey, control: HTMLElement) =>
    h("div", { class: "field", "data-field": id }, h("label", { for: id, class: "label" }, t(label)), control);
  const area = (id: string, rows: number, value = "") => h("textarea", { id, rows, "data-testid": id }, value);
  const attendees = area("visit-attendees", 2, item.contact_name ?? "");
  const topics = area("visit-topics", 3);
  const concerns = area("visit-concerns", 2);
  const products = area("visit-products", 2);
  const nextSteps = area("visit-next-steps", 2);
  const kind = h("select", { id: "visit-follow-kind", "data-testid": "visit-follow-kind", onchange: () => sync() },
    (["none", "task", "appointment"] as FollowKind[]).map((k) => h("option", { value: k, selected: k === "task" }, t(`visit.follow.${k}` as MessageKey)))) as HTMLSelectElement;
  const followTitle = h("input", { id: "visit-follow-title", type: "text", "data-testid": "visit-follow-title", autocomplete: "off" }) as HTMLInputElement;
  const followDate = h("input", { id: "visit-follow-date", type: "date", "data-testid": "visit-follow-date", value: localDay(addDays(clock.now(), 2)) });
  const followTime = h("input", { id: "visit-follow-time", type: "time", "data-testid": "visit-follow-time", step: 900, value: "" });
  const followFields = h("div", { class: "grid2" }, field("visit-follow-date", "visit.follow.date", followDate), field("visit-follow-time", "visit.follow.time", followTime));
  const followTitleField = field("visit-follow-title", "visit.follow.title", followTitle);
  const sync = () => {
    const none = kind.value === "none";
    followFields.hidden = none;
    followTitleField.hidden = none;
    followTime.required = kind.value === "appointment";
  };
  // The follow-up's title follows the next steps until the rep edits it.
  let titleEdited = false;
  followTitle.addEventListener("input", () => { titleEdited = true; });
  nextSteps.addEventListener("input", () => {
    if (!titleEdited) followTitle.value = (nextSteps as HTMLTextAreaElement).value.split("\n")[0].slice(0, 120);
  });
  sync();
  const errors = h("div", { class: "error-slot", "data-slot": "visit" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "visit-save" }, t("visit.save"));
  const value = (el: HTMLElement) => (el as HTMLTextAreaElement).value.trim();
  const problem = (control: HTMLElement, text: string) => {
    dialog.querySelectorAll(".field-error").forEach((el) => el.remove());
    control.setAttribute("aria-invalid", "true");
    control.closest(".field")?.appendChild(h("p", { class: "field-error", "data-testid": "field-error" }, text));
    control.focus();
  };
  let busy = false;
  const submit = async () => {
    if (busy) return;
    let follow_up: FollowUp | null = null;
    if (kind.value !== "none") {
      const title = followTitle.value.trim() || value(nextSteps).split("\n")[0];
      if (!title) return problem(followTitle, t("invalid.title"));
      const when = dueString(followDate.value, followTime.value);
      if (!when) return problem(followDate, t("task.invalid.due"));
      if (kind.value === "appointment" && !followTime.value) return problem(followTime, t("task.invalid.time"));
      follow_up = kind.value === "task" ? { kind: "task", title, due: when } : { kind: "appointment", title, start: when };
    }
    busy = true;
    save.disabled = true;
    try {
      const result = await ipc.checkOut(a.id, {
        attendees: value(attendees).split(/\n|,\s*/).map((s) => s.trim()).filter(Boolean),
        topics: value(topics), concerns: value(concerns), products: value(products), next_steps: value(nextSteps), follow_up,
      });
      app.closeModal();
      await done(result);
    } catch (e) {
      app.showError(e, errors);
    } finally {
      busy = false;
      save.disabled = false;
    }
  };
  const dialog = formDialog(
    app,
    {
      testid: "visit-dialog", heading: [t("visit.title"), h("span", { class: "muted dialog-sub" }, " · ", item.organization_name ?? item.contact_name ?? a.title)],
      onSubmit: () => void submit(), errors, save,
    },
    field("visit-attendees", "visit.attendees", attendees),
    field("visit-topics", "visit.topics", topics),
    field("visit-concerns", "visit.concerns", concerns),
    field("visit-products", "visit.products", products),
    field("visit-next-steps", "visit.next_steps", nextSteps),
    h("div", { class: "field" }, h("label", { for: "visit-follow-kind", class: "label" }, t("visit.follow.kind")), kind),
    followTitleField,
    followFields,
  );
  app.openModal(dialog);
  topics.focus();
}
