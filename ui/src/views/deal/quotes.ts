// A saved deal's quotes: create one in German or English (once Settings →
// Company names the company, its address, VAT id and bank account), save it
// as a PDF, or open it for printing.
import type { Deal } from "../../bindings/Deal";
import type { Language } from "../../bindings/Language";
import type { Quote } from "../../bindings/Quote";
import { h, replace } from "../../dom";
import { formatDateTime, language, t, type MessageKey } from "../../i18n";
import * as ipc from "../../ipc";
import type { Shell } from "../../shell";
import { button } from "../common";

/** The quotes of a saved deal: create in a language, then save as PDF or open for printing. */
export function quotesSection(app: Shell, deal: Deal): HTMLElement {
  const el = h("section", { class: "deal-extra", "data-testid": "deal-quotes", "aria-labelledby": "deal-quotes-title" });
  const slot = h("div", { class: "error-slot", "data-slot": "quotes" });
  let quotes = deal.quotes.slice();
  let lang: Language = language();
  /** What Settings → Company still lacks; `null` until asked. */
  let missing: string[] | null = null;
  const render = () => {
    const sel = h(
      "select",
      { id: "quote-language", "data-testid": "quote-language", onchange: () => { lang = sel.value as Language; } },
      (["de", "en"] as const).map((l) => h("option", { value: l, selected: l === lang }, t(`lang.${l}`))),
    );
    const blocked = missing === null || missing.length > 0;
    replace(
      el,
      h("h3", { id: "deal-quotes-title" }, t("deal.quotes")),
      missing?.length ? companyMissing(app, missing) : null,
      h("div", { class: "quote-actions" },
        h("label", { for: "quote-language", class: "label" }, t("deal.quote_language")), sel,
        button(t("deal.quote_create"), { testid: "quote-create", disabled: blocked, onclick: () => void create() })),
      deal.line_items.length ? null : h("p", { class: "hint" }, t("deal.quotes_need_items")),
      quotes.length
        ? h("ul", { class: "quote-list" }, quotes.slice().reverse().map(row))
        : h("p", { class: "muted", "data-testid": "quotes-empty" }, t("deal.quotes_none")),
      slot,
    );
  };
  const row = (q: Quote) => h(
    "li",
    { class: "quote-row", "data-testid": "quote-row", "data-id": q.id },
    h("strong", { "data-testid": "quote-number" }, q.number),
    h("span", { class: "muted" }, ` · ${formatDateTime(q.created_at)} · ${t(`lang.${q.language}`)}`),
    h("span", { class: "spacer" }),
    button(t("deal.quote_open"), { testid: "quote-open", kind: "ghost", onclick: () => void open(q.id) }),
    // A quote made before PDFs has only its HTML page.
    button(t(q.doc ? "deal.quote_save_pdf" : "deal.quote_save"), { testid: "quote-save", kind: "ghost", onclick: () => void save(q.id) }),
  );
  const create = async () => {
    try {
      const q = await ipc.createQuote(deal.id, lang);
      quotes = quotes.concat(q);
      render();
      app.showToast(t("deal.quote_created", { number: q.number }));
      await app.activitiesChanged(deal.contact_id);
    } catch (e) {
      app.showError(e, slot);
    }
  };
  const open = async (id: string) => {
    try {
      await ipc.openQuote(deal.id, id);
    } catch (e) {
      app.showError(e, slot);
    }
  };
  const save = async (id: string) => {
    try {
      const file = await ipc.saveQuote(deal.id, id, null);
      if (file) app.showToast(t("deal.quote_saved", { file: file.name }));
    } catch (e) {
      app.showError(e, slot);
    }
  };
  render();
  void ipc.companyMissing()
    .then((m) => { missing = m; })
    .catch((e) => { missing = []; app.showError(e, slot); })
    .then(render);
  return el;
}

/** "Before the first quote, Settings → Company needs: …" with a way there. */
function companyMissing(app: Shell, missing: string[]): HTMLElement {
  const fields = missing.map((k) => t(`company.${k}` as MessageKey)).join(", ");
  return h("div", { class: "notice-box", role: "status", "data-testid": "quote-company-missing" },
    h("p", null, t("deal.quote_company_missing", { fields })),
    button(t("deal.quote_company_open"), {
      testid: "quote-company-open", kind: "ghost",
      onclick: () => app.dismissModal(() => app.openSettings("company")),
    }));
}
