// The contact page: two columns. Left: the explained score, the qualification
// checklist, every field, the organisation and the stage history (newest
// first). Right: the contact's tasks and the communication log (timeline). The head holds the stage,
// a qualification proposal with Accept, and the edit/stage buttons.
import type { Shell } from "../shell";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { StageChange } from "../bindings/StageChange";
import { h, type Child } from "../dom";
import { changedByName, formatDateTime, t, type MessageKey } from "../i18n";
import { button, formatAddress, link, stageBadge, telHref } from "./common";
import { fieldCard } from "./fieldCard";
import { orgCard } from "./organization";
import { privacyCard } from "./privacy";
import { criteriaCard, proposalBadge, scoreCard } from "./score";

export function renderContactPage(app: Shell, detail: ContactDetail, timeline: HTMLElement, tasks: HTMLElement, deals: HTMLElement): HTMLElement {
  const c = detail.contact;
  const sub: Child[] = [
    h("span", { class: "org", "data-testid": "contact-org", hidden: !c.organization }, c.organization ?? ""),
    c.organization && c.title ? h("span", { class: "sep", "aria-hidden": "true" }, " · ") : null,
    c.title ? h("span", { class: "title" }, c.title) : null,
  ];
  const head = h(
    "header",
    { class: "contact-head" },
    h(
      "div",
      { class: "contact-ident" },
      h("h1", { "data-testid": "contact-name", tabindex: -1 }, c.display_name),
      h("p", { class: "sub" }, sub),
    ),
    h("div", { class: "contact-stage" }, stageBadge(c.stage, "stage-badge"), proposalBadge(app, detail)),
    h(
      "div",
      { class: "contact-actions" },
      button(t("action.edit"), {
        testid: "edit-contact", title: t("action.edit_title"), keys: "e", onclick: () => app.openForm(detail),
      }),
      button(t("action.change_stage"), {
        testid: "stage-control", kind: "primary", title: t("action.change_stage_title"), keys: "s",
        onclick: () => app.openStageControl(),
      }),
    ),
  );

  const links = (items: [string, string][], testid: string): Child =>
    items.length ? h("ul", { class: "plain" }, items.map(([href, text]) => h("li", null, link(href, text, testid)))) : null;
  const tags = c.tags.length ? h("ul", { class: "tags" }, c.tags.map((x) => h("li", { class: "tag" }, x))) : null;
  const fields: [MessageKey, Child][] = [
    ["field.salutation", c.salutation],
    ["field.first_name", c.first_name],
    ["field.last_name", c.last_name],
    ["field.organization", c.organization],
    ["field.title", c.title],
    ["field.emails", links(c.emails.map((e) => [`mailto:${e}`, e]), "contact-email")],
    ["field.phones", links(c.phones.map((p, i) => [telHref(p), detail.phones_shown[i] ?? p]), "contact-phone")],
    ["field.address", formatAddress(c.address)],
    ["field.website", c.website],
    ["field.tags", tags],
    ["field.source", c.source],
    // With team sync: the rep who made the contact.
    ...(detail.owner ? [["field.owner", detail.owner] as [MessageKey, Child]] : []),
    ["field.created_at", formatDateTime(c.created_at)],
    ["field.updated_at", formatDateTime(c.updated_at)],
  ];
  const dl = h(
    "dl",
    { class: "fields" },
    fields.map(([key, value]) => [
      h("dt", null, t(key)),
      h("dd", { "data-field": key.slice(6) }, value === null || value === "" ? h("span", { class: "muted" }, t("contact.none")) : value),
    ]),
  );
  const notes = c.notes
    ? h("section", { class: "card notes" }, h("h2", null, t("field.notes")), h("p", { class: "notes-text" }, c.notes))
    : null;

  const history = c.stage_history.slice().reverse();
  const historyCard = h(
    "section",
    { class: "card" },
    h("h2", null, t("contact.history")),
    history.length
      ? h("ol", { class: "history", "data-testid": "stage-history" }, history.map(historyEntry))
      : h("p", { class: "muted", "data-testid": "stage-history" }, t("contact.history_empty")),
  );

  return h(
    "section",
    { class: "contact-page", "data-testid": "contact-page" },
    h(
      "nav",
      { class: "crumbs" },
      h("button", {
        type: "button", class: "btn btn-ghost", "data-testid": "back", title: t("action.back_title"),
        "aria-keyshortcuts": "Escape", onclick: () => void app.back(),
      }, "← ", t("action.back")),
    ),
    head,
    h("div", { class: "error-slot", "data-slot": "page" }),
    h(
      "div",
      { class: "columns" },
      h(
        "div",
        { class: "col" },
        h("div", { class: "qual-pair" }, scoreCard(detail.score), criteriaCard(app, detail)),
        h("section", { class: "card" }, h("h2", null, t("contact.details")), dl),
        orgCard(app, detail),
        fieldCard(app, detail),
        notes,
        historyCard,
        privacyCard(app, c),
      ),
      h("div", { class: "col" }, deals, tasks, timeline),
    ),
  );
}

function historyEntry(ch: StageChange): HTMLElement {
  return h(
    "li",
    { class: "history-entry", "data-testid": "history-entry" },
    h(
      "div",
      { class: "hist-line" },
      h(
        "span",
        { class: "hist-move" },
        ch.from ? stageBadge(ch.from) : h("span", { class: "muted" }, t("contact.history_new")),
        h("span", { class: "arrow", "aria-label": "→" }, " → "),
        stageBadge(ch.to),
      ),
      h("time", { datetime: ch.at, class: "muted" }, formatDateTime(ch.at)),
    ),
    h(
      "div",
      { class: "hist-meta" },
      h("span", { class: "by" }, changedByName(ch.by)),
      ch.reason ? [h("span", { class: "muted" }, ` · ${t("field.reason")}: `), h("q", { class: "reason" }, ch.reason)] : null,
    ),
  );
}

