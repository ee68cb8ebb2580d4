// What a saved deal shows below its fields: the stage history, the quotes,
// and the way to a follow-up email or a task for the deal.
import type { Deal } from "../../bindings/Deal";
import type { DealStageSetting } from "../../bindings/DealStageSetting";
import { h } from "../../dom";
import { dealStageName, formatDateTime, t } from "../../i18n";
import type { DealContact, Shell } from "../../shell";
import { button } from "../common";
import { quotesSection } from "./quotes";

export function savedDealSections(app: Shell, deal: Deal, contact: DealContact | null, stages: DealStageSetting[]): HTMLElement[] {
  const history = deal.stage_history.slice().reverse();
  return [
    h(
      "section",
      { class: "deal-extra", "aria-labelledby": "deal-history-title" },
      h("h3", { id: "deal-history-title" }, t("deal.history")),
      h("ol", { class: "history compact", "data-testid": "deal-history" }, history.map((ch) => h("li", { class: "history-entry", "data-testid": "deal-history-entry" },
        h("span", null, ch.from ? `${dealStageName(stages, ch.from)} → ` : `${t("deal.history_created")}: `, h("strong", null, dealStageName(stages, ch.to))),
        h("time", { class: "muted", datetime: ch.at }, ` · ${formatDateTime(ch.at)}`),
        ch.reason ? h("q", { class: "reason" }, ch.reason) : null))),
    ),
    quotesSection(app, deal),
    h("div", { class: "deal-follow-up" },
      button(t("deal.follow_up"), {
        testid: "email-open", title: t("deal.follow_up_title"),
        onclick: () => app.openEmailDialog(deal.contact_id, deal.id),
      }),
      button(t("deal.task"), {
        testid: "deal-task", title: t("deal.task_title"),
        onclick: () => app.openTaskDialog(null, {
          deal: { id: deal.id, title: deal.title },
          contact: { id: deal.contact_id, name: contact?.id === deal.contact_id ? contact.name : "—" },
        }),
      })),
  ];
}
