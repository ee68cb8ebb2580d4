// The follow-up email dialog: pick a template (the UI language's first) and
// the deal it is about (the contact's only open deal by itself; with several
// the rep is asked), see it filled by the backend, edit subject and body,
// then hand it to the mail client; the backend logs an email activity. A
// placeholder the template could not fill is named before anything is sent.
import type { Shell } from "../shell";
import type { EmailTemplate } from "../bindings/EmailTemplate";
import type { RenderedEmail } from "../bindings/RenderedEmail";
import { h, replace } from "../dom";
import { formatList, language, t, type MessageKey } from "../i18n";
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
  /** The deal asked for; `undefined` until the rep or the backend chose. */
  let deal: string | null | undefined = dealId ?? undefined;
  const latest = new Latest();
  let busy = false;
  const errors = h("div", { class: "error-slot", "data-slot": "email" });
  const first = defaultTemplate(templates);
  const select = h(
    "select",
    { id: "email-template", "data-testid": "email-template", onchange: () => void fill() },
    templates.map((x) => h("option", { value: x.id, selected: x.id === first?.id }, `${x.name} (${t(`lang.${x.language}`)})`)),
  );
  const dealSelect = h("select", {
    id: "email-deal", "data-testid": "email-deal",
    onchange: () => { deal = dealSelect.value || null; void fill(); },
  });
  const dealLabel = h("label", { for: "email-deal", class: "label" }, t("email.deal"));
  const dealField = h("div", { class: "field", hidden: true }, dealLabel, dealSelect);
  const unfilled = h("p", { class: "warning-box", "data-testid": "email-unfilled", hidden: true });
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
      const r = await ipc.renderEmail(id, contactId, deal ?? null);
      if (!current()) return;
      rendered = r;
      showDeals(r);
      to.textContent = r.to || "—";
      warn.hidden = r.to !== "";
      warn.textContent = r.to ? "" : t("email.no_email", { name: contactName });
      subject.value = r.subject;
      body.value = r.body;
      status.textContent = "";
      save.disabled = false;
      save.textContent = r.unfilled.length ? t("email.send_anyway") : t("email.send");
    } catch (e) {
      if (current()) {
        status.textContent = "";
        app.showError(e, errors);
      }
    }
  };

  /** The deal choice (when there is one to make) and what stayed empty. */
  const showDeals = (r: RenderedEmail) => {
    if (deal === undefined && r.deal_id) deal = r.deal_id;
    const several = r.deals.length > 1 && !deal;
    dealField.hidden = r.deals.length === 0;
    dealLabel.textContent = several ? t("email.deal_which") : t("email.deal");
    dealField.classList.toggle("ask", several);
    replace(dealSelect,
      h("option", { value: "", selected: !deal }, t("email.deal_none")),
      r.deals.map((d) => h("option", { value: d.id, selected: d.id === deal }, d.title)));
    unfilled.hidden = r.unfilled.length === 0;
    const fields = r.unfilled.map((p) => t(`email.placeholder.${p}` as MessageKey));
    unfilled.textContent = r.unfilled.length ? t("email.unfilled", { fields: formatList(fields) }) : "";
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
          dealField,
          warn,
          unfilled,
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
