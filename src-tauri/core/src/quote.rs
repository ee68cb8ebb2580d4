//! Quotes (Angebote): a deal's line items as a standalone printable HTML
//! document in German or English, with the rep's company header.
//!
//! Invariant: every piece of user text is HTML-escaped; the document has no
//! scripts and loads nothing (inline `<style>` only).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::contact::{Contact, Organization};
use crate::deal::Deal;
use crate::lang::Language;
use crate::money::{format_money, format_number};
use crate::texts::Text;

/// The rep's company, printed on quotes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CompanyProfile {
    /// Company name.
    pub name: String,
    /// Postal address (several lines).
    pub address: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// VAT id (USt-IdNr.).
    pub vat_id: String,
    /// Footer text (bank, terms ...).
    pub footer: String,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text with line breaks as `<br>`.
fn lines(text: &str) -> String {
    text.lines().map(escape_html).collect::<Vec<_>>().join("<br>")
}

struct Labels {
    title: &'static str,
    number: &'static str,
    date: &'static str,
    valid_until: &'static str,
    pos: &'static str,
    product: &'static str,
    quantity: &'static str,
    unit_price: &'static str,
    discount: &'static str,
    total: &'static str,
    net: &'static str,
    to: &'static str,
    vat_id: &'static str,
    no_items: &'static str,
}

/// The document's labels in `language`, from the text table.
fn labels(language: Language) -> Labels {
    let t = |text: Text| text.get(language);
    Labels {
        title: t(Text::QuoteTitle),
        number: t(Text::QuoteNumber),
        date: t(Text::QuoteDate),
        valid_until: t(Text::QuoteValidUntil),
        pos: t(Text::QuotePos),
        product: t(Text::QuoteProduct),
        quantity: t(Text::QuoteQuantity),
        unit_price: t(Text::QuoteUnitPrice),
        discount: t(Text::QuoteDiscount),
        total: t(Text::QuoteTotal),
        net: t(Text::QuoteNet),
        to: t(Text::QuoteTo),
        vat_id: t(Text::QuoteVatId),
        no_items: t(Text::QuoteNoItems),
    }
}

fn date(d: NaiveDate, language: Language) -> String {
    match language {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En => d.format("%-d %B %Y").to_string(),
    }
}

const STYLE: &str = "\
body{font-family:'Helvetica Neue',Arial,sans-serif;font-variant-ligatures:none;color:#222;margin:2cm;font-size:11pt}\
header{display:flex;justify-content:space-between;border-bottom:2px solid #333;padding-bottom:1em}\
.company{font-weight:bold;font-size:14pt}.small{font-size:9pt;color:#555}\
h1{font-size:20pt;margin:1.2em 0 .4em}table{width:100%;border-collapse:collapse;margin-top:1em}\
th,td{padding:.35em .5em;border-bottom:1px solid #ccc;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right;white-space:nowrap}tfoot td{font-weight:bold;border-top:2px solid #333}\
footer{margin-top:3em;font-size:9pt;color:#555;border-top:1px solid #ccc;padding-top:.5em}\
@media print{body{margin:0}@page{size:A4;margin:2cm}}";

/// The quote for `deal` as a complete HTML document.
pub fn render_quote_html(
    deal: &Deal,
    contact: &Contact,
    organization: Option<&Organization>,
    company: &CompanyProfile,
    language: Language,
    number: &str,
    date_of_quote: NaiveDate,
) -> String {
    let l = &labels(language);
    let lang = match language {
        Language::De => "de",
        Language::En => "en",
    };
    let money = |v: f64| escape_html(&format_money(v, &deal.currency, language));
    let mut h = String::with_capacity(4096);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{} {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        l.title,
        escape_html(number)
    ));
    h.push_str("<header>\n<div>");
    if !company.name.is_empty() {
        h.push_str(&format!("<div class=\"company\">{}</div>", escape_html(&company.name)));
    }
    if !company.address.is_empty() {
        h.push_str(&format!("<div>{}</div>", lines(&company.address)));
    }
    h.push_str("</div>\n<div class=\"small\">");
    for (label, value) in [("", &company.email), ("", &company.phone), (l.vat_id, &company.vat_id)] {
        if !value.is_empty() {
            let label = if label.is_empty() { String::new() } else { format!("{label} ") };
            h.push_str(&format!("<div>{label}{}</div>", escape_html(value)));
        }
    }
    h.push_str("</div>\n</header>\n");
    h.push_str(&format!("<p class=\"small\">{}</p>\n<p>", l.to));
    if let Some(org) = organization.map(|o| o.name.as_str()).or(contact.organization.as_deref()) {
        h.push_str(&format!("{}<br>", escape_html(org)));
    }
    h.push_str(&escape_html(&contact.display_name));
    h.push_str("</p>\n");
    h.push_str(&format!("<h1>{}: {}</h1>\n", l.title, escape_html(&deal.title)));
    h.push_str(&format!(
        "<p>{}: {}<br>{}: {}",
        l.number,
        escape_html(number),
        l.date,
        date(date_of_quote, language)
    ));
    if let Some(close) = deal.close_date {
        h.push_str(&format!("<br>{}: {}", l.valid_until, date(close, language)));
    }
    h.push_str("</p>\n<table>\n<thead><tr>");
    h.push_str(&format!(
        "<th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>",
        l.pos, l.product, l.quantity, l.unit_price, l.discount, l.total
    ));
    h.push_str("</tr></thead>\n<tbody>\n");
    let net = if deal.line_items.is_empty() {
        h.push_str(&format!(
            "<tr><td>1</td><td>{}</td><td class=\"n\">1</td><td class=\"n\">{}</td><td class=\"n\"></td><td class=\"n\">{}</td></tr>\n",
            escape_html(l.no_items),
            money(deal.value),
            money(deal.value)
        ));
        deal.value
    } else {
        for (i, item) in deal.line_items.iter().enumerate() {
            let qty_decimals = if item.quantity.fract() == 0.0 { 0 } else { 2 };
            let discount = if item.discount_percent > 0.0 {
                format!("{} %", format_number(item.discount_percent, 1, language))
            } else {
                String::new()
            };
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                i + 1,
                escape_html(&item.product),
                format_number(item.quantity, qty_decimals, language),
                money(item.unit_price),
                escape_html(&discount),
                money(item.total())
            ));
        }
        deal.items_total()
    };
    h.push_str("</tbody>\n<tfoot>");
    h.push_str(&format!("<tr><td colspan=\"5\">{}</td><td class=\"n\">{}</td></tr>", l.net, money(net)));
    h.push_str("</tfoot>\n</table>\n");
    if !company.footer.is_empty() {
        h.push_str(&format!("<footer>{}</footer>\n", lines(&company.footer)));
    }
    h.push_str("</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<img src=x onerror='a'>&\""),
            "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;"
        );
    }
}
