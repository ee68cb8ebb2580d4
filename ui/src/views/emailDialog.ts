// The follow-up email dialog: pick a template (the UI language's first), see
// it filled for the contact (and deal) by the backend, edit subject and body,
// then hand it to the mail client; the backend logs an email activity.
import type { Shell } from "../shell";
import type { EmailTemplate } from "../bindings/EmailTemplate";
import type { RenderedEmail } from "../bindings/RenderedEmail";
import { h, replace } from "../dom";
import { language, t } from "../i18n";
import * as ipc from "../ipc";
import { formDialog } from "./common";
import { Latest } from "../latest";

/** The template offered first: one in the UI language, else the first. */
export function defaultTemplate(templates: readonly EmailTemplate[]): EmailTemplate | null {
  return templates.find((x) => x.language === language()) ?? templates[0] ?? null;
}

export function emailDialog(app: Shell, contactId: string, contactName: string, dealId: string | null): void {
  const templates = app.settings.email_templates;
  let rendered: RenderedEmail | null = null;
  const latest = new Latest();
  let busy = false;
  const errors = h("div", { class: "error-slot", "data-slot": "email" });
  const first = defaultTemplate(templates);
  const select = h(
    "select",
    { id: "email-template", "data-testid": "email-template", onchange: () => void fill() },
    templates.map((x) => h("option", { value: x.id, selected: x.id === first?.id }, `${x.name} (${t(`lang.${x.language}`)})`)),
  );
  const to = h("span", { class: "email-to", "data-testid": "email-to", id: "email-to", "aria-labelledby": "email-to-label email-to" });
  const warn = h("p", { class: "warning-box", "data-testid": "email-no-address", hidden: true });
  const subject = h("input", { id: "email-subject", type: "text", "data-testid": "email-subject", autocomplete: "off" });
  const body = h("textarea", { id: "email-body", rows: 12, "data-testid": "email-body" });
  const status = h("p", { class: "muted", "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "email-send", disabled: true }, t("email.send"));

  const fill = async () => {
    const id = select.value;
    if (!id) return;
    const current = latest.start();
    status.textContent = t("email.loading");
    save.disabled = true;
    try {
      const r = await ipc.renderEmail(id, contactId, dealId);
      if (!current()) return;
      rendered = r;
      to.textContent = r.to || "—";
      warn.hidden = r.to !== "";
      warn.textContent = r.to ? "" : t("email.no_email", { name: contactName });
      subject.value = r.subject;
      body.value = r.body;
      status.textContent = "";
      save.disabled = false;
    } catch (e) {
      if (current()) {
        status.textContent = "";
        app.showError(e, errors);
      }
    }
  };

  const send = async () => {
    if (busy || !rendered) return;
    busy = true;
    app.clearError();
    try {
      const detail = await ipc.sendEmail(contactId, { ...rendered, subject: subject.value, body: body.value });
      busy = false;
      app.closeModal();
      app.showToast(t("email.sent", { name: contactName }));
      await app.activitiesChanged(contactId, detail);
    } catch (e) {
      busy = false;
      app.showError(e, errors);
    }
  };

  const dialog = formDialog(
    app,
    { testid: "email-dialog", cls: "wide", heading: [t("email.title", { name: contactName })], onSubmit: () => void send(), errors, save },
    templates.length
      ? [
          h("div", { class: "grid2" },
            h("div", { class: "field" }, h("label", { for: "email-template", class: "label" }, t("email.template")), select),
            h("div", { class: "field" }, h("span", { id: "email-to-label", class: "label" }, t("email.to")), to)),
          warn,
          h("div", { class: "field" }, h("label", { for: "email-subject", class: "label" }, t("email.subject")), subject),
          h("div", { class: "field" }, h("label", { for: "email-body", class: "label" }, t("email.body")), body),
          status,
        ]
      : h("p", { class: "muted", "data-testid": "email-no-templates" }, t("email.no_templates")),
  );
  app.openModal(dialog);
  if (templates.length) {
    select.focus();
    void fill();
  } else {
    replace(status);
  }
}
