// The small "why was it lost?" dialog the board opens before a card moves to lost.
import { h } from "../../dom";
import { dealErrorText, t } from "../../i18n";
import type { AppError } from "../../ipc";
import type { Shell } from "../../shell";
import { formDialog } from "../common";

/** Asks why a deal was lost, then calls `confirm` with the reason (the board's move to lost). */
export function lostDialog(app: Shell, dealTitle: string, confirm: (reason: string) => Promise<AppError | null>): void {
  const errors = h("div", { class: "error-slot", "data-slot": "lost" });
  const input = h("input", { id: "lost-reason", type: "text", "data-testid": "lost-reason", autocomplete: "off", required: true });
  const err = h("p", { class: "field-error", "data-testid": "field-error", id: "lost-reason-err", hidden: true });
  const save = h("button", { type: "submit", class: "btn btn-danger", "data-testid": "lost-confirm" }, t("deal.lost_confirm"));
  let busy = false;
  const dialog = formDialog(
    app,
    {
      testid: "lost-dialog", heading: [t("deal.lost_title", { title: dealTitle })], errors, save,
      onSubmit: async () => {
        if (busy) return;
        const reason = input.value.trim();
        if (!reason) {
          err.textContent = t("deal.lost_needed");
          err.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", "lost-reason-err");
          input.focus();
          return;
        }
        busy = true;
        const failed = await confirm(reason);
        busy = false;
        if (failed) app.showError(failed, errors, dealErrorText(failed));
      },
    },
    h("div", { class: "field" }, h("label", { for: "lost-reason", class: "label" }, t("deal.lost_reason")), input, err),
  );
  app.openModal(dialog);
  input.focus();
}
