// The stage control: a dialog offering the transitions the backend allows.
// Normal steps and corrections (skip/back, "forced") are separate groups; a
// correction needs an explicit confirmation. An empty reason is sent as null on
// purpose, so the backend's `reason_required` error is what the user sees.
import type { Shell } from "../shell";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { Transition } from "../bindings/Transition";
import { h, replace } from "../dom";
import { stageName, t } from "../i18n";
import * as ipc from "../ipc";
import { button, stageBadge } from "./common";

export function stageDialog(app: Shell, detail: ContactDetail): void {
  const dialog = h("dialog", { class: "dialog narrow", "data-testid": "stage-dialog", "aria-labelledby": "stage-dialog-title" });
  const state = {
    to: (detail.transitions.find((tr) => tr.requirement !== "forced") ?? detail.transitions[0])?.to ?? null,
    confirmed: false,
    reason: "",
    busy: false,
    /** Moving to opportunity without an open deal: create one right after (on by default). */
    newDeal: true,
  };
  const deals = app.contactDeals?.contactId === detail.contact.id ? app.contactDeals.data : null;
  const withoutDeal = () => state.to === "opportunity" && deals !== null && deals.summary.open === 0;

  const chosen = (): Transition | undefined => detail.transitions.find((tr) => tr.to === state.to);

  const render = () => {
    const normal = detail.transitions.filter((tr) => tr.requirement !== "forced");
    const forced = detail.transitions.filter((tr) => tr.requirement === "forced");
    const option = (tr: Transition) =>
      h("option", { value: tr.to, selected: tr.to === state.to },
        tr.requirement === "reason" ? `${stageName(tr.to)} (${t("stage.needs_reason")})` : stageName(tr.to));
    const select = h("select", {
      id: "stage-select", "data-testid": "stage-select",
      onchange: () => {
        state.to = select.value as typeof state.to;
        state.confirmed = false;
        app.clearError();
        render();
        dialog.querySelector<HTMLSelectElement>("select")?.focus();
      },
    },
      normal.length ? h("optgroup", { label: t("stage.next") }, normal.map(option)) : null,
      forced.length ? h("optgroup", { label: t("stage.correct") }, forced.map(option)) : null,
    );
    const tr = chosen();
    const needsReason = tr?.requirement === "reason" || tr?.requirement === "forced";
    const isForced = tr?.requirement === "forced";
    const reason = h("input", {
      id: "stage-reason", "data-testid": "stage-reason", type: "text", value: state.reason,
      placeholder: t("stage.reason_placeholder"), autocomplete: "off",
      oninput: () => { state.reason = reason.value; },
    });
    const submit = h("button", {
      type: "submit", class: "btn btn-primary", "data-testid": "stage-submit",
      disabled: !tr || state.busy || (isForced && !state.confirmed),
    }, t("stage.submit"));

    replace(
      dialog,
      h(
        "form",
        { class: "dialog-form", onsubmit: (ev: Event) => { ev.preventDefault(); void save(); } },
        h("h2", { id: "stage-dialog-title" }, t("stage.dialog_title")),
        h("p", { class: "current" }, t("stage.current"), " ", stageBadge(detail.contact.stage)),
        detail.transitions.length === 0
          ? h("p", { class: "muted" }, t("stage.no_transitions"))
          : [
              h("label", { class: "field", for: "stage-select" }, h("span", { class: "label" }, t("stage.to")), select),
              isForced
                ? h(
                    "div",
                    { class: "force-box" },
                    h("p", { class: "force-title" }, t("stage.correct")),
                    h(
                      "label",
                      { class: "check" },
                      h("input", {
                        type: "checkbox", "data-testid": "stage-force-confirm", checked: state.confirmed,
                        onchange: (ev: Event) => {
                          state.confirmed = (ev.target as HTMLInputElement).checked;
                          submit.disabled = !state.confirmed || state.busy;
                        },
                      }),
                      h("span", null, t("stage.force_confirm")),
                    ),
                    h("p", { class: "hint" }, t("stage.force_hint")),
                  )
                : null,
              tr
                ? h("label", { class: "field", for: "stage-reason" },
                    h("span", { class: "label" }, t(needsReason ? "field.reason" : "field.reason_optional")), reason)
                : null,
              withoutDeal()
                ? h("div", { class: "alert-note", "data-testid": "stage-no-deal" },
                    h("p", null, t("stage.no_deal")),
                    h("label", { class: "check" },
                      h("input", {
                        type: "checkbox", "data-testid": "stage-new-deal", checked: state.newDeal,
                        onchange: (ev: Event) => { state.newDeal = (ev.target as HTMLInputElement).checked; },
                      }),
                      h("span", null, t("stage.new_deal"))))
                : null,
            ],
        h("div", { class: "error-slot", "data-slot": "stage" }),
        h(
          "footer",
          { class: "dialog-actions" },
          button(t("action.cancel"), { testid: "cancel", onclick: () => app.dismissModal() }),
          submit,
        ),
      ),
    );
  };

  const save = async () => {
    const tr = chosen();
    if (!tr || state.busy) return;
    state.busy = true;
    try {
      const updated = await ipc.changeStage(detail.contact.id, {
        to: tr.to,
        reason: state.reason.trim() || null,
        force: tr.requirement === "forced",
      });
      app.closeModal();
      app.contactChanged(updated);
      // An opportunity is about a deal: the deal dialog for this contact next.
      if (withoutDeal() && state.newDeal) app.openDealDialog(null, { id: updated.contact.id, name: updated.contact.display_name });
    } catch (e) {
      state.busy = false;
      const slot = dialog.querySelector<HTMLElement>('[data-slot="stage"]');
      const submit = dialog.querySelector<HTMLButtonElement>('[data-testid="stage-submit"]');
      if (submit) submit.disabled = tr.requirement === "forced" && !state.confirmed;
      app.showError(e, slot ?? undefined);
      const reasonInput = dialog.querySelector<HTMLInputElement>('[data-testid="stage-reason"]');
      (reasonInput ?? dialog.querySelector<HTMLElement>("select"))?.focus();
    }
  };

  render();
  app.openModal(dialog, render);
  dialog.querySelector<HTMLElement>("select, [data-testid=cancel]")?.focus();
}
