// The contact page's deals card: the contact's deals (title, stage, value,
// probability), open/won/lost counts, the repeat-customer badge, "new deal"
// for this contact and "send follow-up".
import type { Shell } from "../shell";
import { h, replace } from "../dom";

import { dealStageName, formatMoney, t } from "../i18n";
import { button } from "./common";

export class ContactDealsView {
  readonly el: HTMLElement;

  constructor(private readonly app: Shell) {
    this.el = h("section", { class: "card deals-card", "data-testid": "contact-deals", "aria-labelledby": "contact-deals-title" });
  }

  update(): void {
    const st = this.app.contactDeals;
    const view = this.app.view;
    if (view.name !== "contact") return;
    const c = view.detail.contact;
    const stages = this.app.settings.deal_stages;
    const data = st?.contactId === c.id ? st.data : null;
    const outcome = (key: string) => stages.find((s) => s.key === key)?.outcome ?? "open";
    this.el.setAttribute("aria-busy", String(!data));
    replace(
      this.el,
      h("header", { class: "card-head" },
        h("h2", { id: "contact-deals-title" }, t("contact.deals")),
        data?.summary.repeat_customer
          ? h("span", { class: "badge badge-repeat", "data-testid": "repeat-customer" }, "★ ", t("contact.repeat_customer"))
          : null,
        h("span", { class: "spacer" }),
        button(t("deal.follow_up"), {
          testid: "email-open", kind: "ghost", title: t("deal.follow_up_title"), keys: "m",
          onclick: () => this.app.openEmailDialog(c.id, null),
        }),
        button(t("contact.deal_new"), {
          testid: "contact-deal-new", title: t("pipeline.new_deal_title"), keys: "d",
          onclick: () => this.app.openDealDialog(null, { id: c.id, name: c.display_name }),
        })),
      data
        ? h("p", { class: "card-sub muted", "data-testid": "contact-deals-summary" },
            t("contact.deals_summary", { open: data.summary.open, won: data.summary.won, lost: data.summary.lost }))
        : null,
      !data
        ? h("p", { class: "muted" }, t("list.loading"))
        : data.deals.length
          ? h("ul", { class: "deal-list" }, data.deals.map((d) => h(
              "li",
              null,
              h("button", {
                type: "button", class: `deal-row outcome-${outcome(d.stage)}`, "data-testid": "contact-deal", "data-id": d.id,
                onclick: () => void this.app.openDeal(d.id),
              },
              h("span", { class: "deal-row-title", "data-testid": "contact-deal-title" }, d.title),
              h("span", { class: `badge deal-stage outcome-${outcome(d.stage)}`, "data-testid": "contact-deal-stage" }, dealStageName(stages, d.stage)),
              h("span", { class: "num", "data-testid": "contact-deal-value" }, formatMoney(d.value, d.currency)),
              h("span", { class: "num muted", "data-testid": "contact-deal-probability" }, `${d.probability} %`)),
            )))
          : h("p", { class: "muted", "data-testid": "contact-deals-empty" }, t("contact.deals_empty")),
    );
  }
}
