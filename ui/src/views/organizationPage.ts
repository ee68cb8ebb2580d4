// An organisation's page: its data (edit), its contacts, its contacts'
// deals, newest activities and open tasks; merge another organisation into
// it, add a contact to it, or show its contacts in the list.
import type { OrganizationDetail } from "../bindings/OrganizationDetail";
import type { OrganizationSummary } from "../bindings/OrganizationSummary";
import { h, replace } from "../dom";
import { dealStageName, dueText, formatDateTime, formatMoney, formatNumber, kindName, t } from "../i18n";
import * as ipc from "../ipc";
import type { Shell } from "../shell";
import { button, stageBadge } from "./common";
import { orgEditDialog } from "./organization";
import { KIND_ICONS } from "./timeline";

export class OrganizationPage {
  readonly el: HTMLElement;

  constructor(private readonly app: Shell, private readonly d: OrganizationDetail) {
    this.el = h("article", { class: "org-page", "data-testid": "org-page", "aria-labelledby": "org-name" });
  }

  update(): void {
    const { app, d } = this;
    const names = new Map(d.contacts.map((c) => [c.id, c.display_name]));
    const facts = [
      d.industry,
      d.size === null ? null : t("orgs.employees", { n: formatNumber(d.size) }),
      // Its address when it has one, else where it is by postcode and region.
      [d.street, [d.postcode, d.city].filter(Boolean).join(" "), d.region, d.country].filter(Boolean).join(", ") || null,
    ].filter(Boolean).join(" · ");
    const stages = app.settings.deal_stages;
    // People by last name, as the contacts list orders them.
    const people = d.contacts.slice().sort((a, b) =>
      (a.last_name || a.display_name).localeCompare(b.last_name || b.display_name, undefined, { sensitivity: "base" })
      || a.display_name.localeCompare(b.display_name, undefined, { sensitivity: "base" }));
    const section = (testid: string, title: string, count: number, body: HTMLElement) =>
      h("section", { class: "card", "data-testid": testid, "aria-label": title },
        h("h2", null, title, h("span", { class: "muted card-sub" }, ` · ${formatNumber(count)}`)),
        body);
    const none = (text: string) => h("p", { class: "muted" }, text);
    replace(
      this.el,
      h("div", { class: "page-head org-head" },
        h("div", null,
          h("button", { type: "button", class: "btn btn-ghost back", "data-testid": "org-back", onclick: () => void app.showOrganizations() }, "← ", t("orgs.title")),
          h("h1", { id: "org-name", "data-testid": "org-name", tabindex: -1 }, d.name),
          facts ? h("p", { class: "muted", "data-testid": "org-facts" }, facts) : null),
        h("div", { class: "org-actions" },
          button(t("action.edit"), { testid: "org-edit", onclick: () => orgEditDialog(app, d, async () => { app.closeModal(); await app.organizationsChanged(); }) }),
          button(t("orgs.merge"), { testid: "org-merge", onclick: () => mergeDialog(app, d) }),
          button(t("orgs.show_in_list"), { testid: "org-in-list", kind: "ghost", onclick: () => app.showOrganization(d.id, d.name) }))),
      h("div", { class: "org-grid" },
        section("org-contacts", t("orgs.contacts"), d.contacts.length,
          people.length
            ? h("ul", { class: "plain-list" }, people.map((c) => h("li", {
                class: "link-row", tabindex: 0, "data-testid": "org-contact", "data-id": c.id,
                onclick: () => void app.openContact(c.id, "organizations"),
                onkeydown: (ev: KeyboardEvent) => { if (ev.key === "Enter") { ev.preventDefault(); void app.openContact(c.id, "organizations"); } },
              }, h("span", { class: "strong" }, c.display_name), c.title ? h("span", { class: "muted" }, ` · ${c.title}`) : null, " ", stageBadge(c.stage))))
            : none(t("orgs.no_contacts"))),
        section("org-deals", t("orgs.deals"), d.deals.length,
          d.deals.length
            ? h("ul", { class: "plain-list" }, d.deals.map((deal) => h("li", {
                class: "link-row", tabindex: 0, "data-testid": "org-deal", "data-id": deal.id,
                onclick: () => void app.openDeal(deal.id),
                onkeydown: (ev: KeyboardEvent) => { if (ev.key === "Enter") { ev.preventDefault(); void app.openDeal(deal.id); } },
              },
              h("span", { class: "strong" }, deal.title),
              h("span", { class: "muted" }, ` · ${names.get(deal.contact_id) ?? ""} · ${dealStageName(stages, deal.stage)} · `),
              h("span", { class: "num" }, formatMoney(deal.value, deal.currency)))))
            : none(t("orgs.no_deals"))),
        section("org-tasks", t("orgs.tasks"), d.tasks.length,
          d.tasks.length
            ? h("ul", { class: "plain-list" }, d.tasks.map((task) => h("li", { "data-testid": "org-task", "data-id": task.id },
                h("span", { class: "strong" }, task.title),
                h("span", { class: "muted" }, ` · ${dueText(task)}${task.contact_id && names.has(task.contact_id) ? ` · ${names.get(task.contact_id)}` : ""}`))))
            : none(t("orgs.no_tasks"))),
        section("org-activities", t("orgs.activities"), d.activities.length,
          d.activities.length
            ? h("ul", { class: "plain-list" }, d.activities.map((a) => h("li", { "data-testid": "org-activity", "data-id": a.id },
                h("span", { "aria-hidden": "true" }, `${KIND_ICONS[a.kind]} `),
                h("span", { class: "strong" }, a.summary ?? kindName(a.kind)),
                h("span", { class: "muted" }, ` · ${kindName(a.kind)} · ${names.get(a.contact_id) ?? ""} · ${formatDateTime(a.at)}`))))
            : none(t("orgs.no_activities")))),
    );
  }
}

/** Merge another organisation into this one: pick it by name, see what moves, confirm. */
function mergeDialog(app: Shell, into: OrganizationDetail): void {
  const search = h("input", {
    type: "search", id: "org-merge-search", "data-testid": "org-merge-search", autocomplete: "off", placeholder: t("orgs.merge_search"),
  }) as HTMLInputElement;
  const list = h("ul", { class: "plain-list merge-candidates", "data-testid": "org-merge-list" });
  const confirm = h("div", { class: "merge-confirm" });
  const errors = h("div", { class: "error-slot" });
  let picked: OrganizationSummary | null = null;
  let asked = 0;
  const renderConfirm = () => replace(confirm, picked
    ? h("div", { class: "warning-box", "data-testid": "org-merge-confirm" },
        h("p", null, t("orgs.merge_what", { other: picked.name, into: into.name, contacts: picked.contacts, deals: picked.open_deals })),
        button(t("orgs.merge_do"), {
          testid: "org-merge-do", kind: "primary",
          onclick: () => void (async () => {
            if (!picked) return;
            try {
              const detail = await ipc.mergeOrganizations(into.id, picked.id);
              app.closeModal();
              app.showToast(t("orgs.merged", { other: picked.name, into: detail.name }));
              await app.openOrganization(detail.id);
            } catch (e) {
              app.showError(e, errors);
            }
          })(),
        }))
    : null);
  const find = async () => {
    const ask = ++asked;
    try {
      const found = (await ipc.organizationSummaries(search.value.trim() || null)).filter((o) => o.id !== into.id).slice(0, 12);
      if (ask !== asked) return;
      replace(list, found.length
        ? found.map((o) => h("li", null, h("button", {
            type: "button", class: `btn btn-ghost merge-pick${picked?.id === o.id ? " active" : ""}`, "data-testid": "org-merge-pick", "data-id": o.id,
            "aria-pressed": String(picked?.id === o.id),
            onclick: () => { picked = o; renderConfirm(); void find(); },
          }, o.name, h("span", { class: "muted" }, ` · ${t("orgs.counts", { contacts: o.contacts, deals: o.open_deals })}`))))
        : [h("li", { class: "muted" }, t("orgs.no_matches", { query: search.value.trim() }))]);
    } catch (e) {
      app.showError(e, errors);
    }
  };
  search.addEventListener("input", () => void find());
  const dialog = h("dialog", { class: "dialog", "data-testid": "org-merge-dialog", "aria-labelledby": "org-merge-title" },
    h("div", { class: "dialog-form" },
      h("h2", { id: "org-merge-title" }, t("orgs.merge_title", { into: into.name })),
      h("p", { class: "hint" }, t("orgs.merge_hint")),
      h("div", { class: "field" }, h("label", { for: "org-merge-search", class: "label" }, t("orgs.merge_which")), search),
      list, confirm, errors,
      h("footer", { class: "dialog-actions" }, button(t("action.cancel"), { testid: "cancel", onclick: () => app.dismissModal() })))) as HTMLDialogElement;
  app.openModal(dialog);
  search.focus();
  void find();
}
