//! A quote as a standalone HTML page, to open in a browser and print.

use super::QuoteDoc;
use crate::lang::Language;
use crate::texts::Text;

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

const STYLE: &str = "\
body{font-family:'Helvetica Neue',Arial,sans-serif;font-variant-ligatures:none;color:#222;margin:2cm;font-size:11pt}\
header{display:flex;justify-content:space-between;gap:2em;border-bottom:2px solid #333;padding-bottom:1em}\
.company{font-weight:bold;font-size:14pt}.small{font-size:9pt;color:#555}.right{text-align:right}\
.meta{display:flex;justify-content:space-between;gap:2em;margin-top:1.5em}\
h1{font-size:18pt;margin:1.2em 0 .4em}table{width:100%;border-collapse:collapse;margin-top:1em}\
th,td{padding:.35em .5em;border-bottom:1px solid #ccc;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right;white-space:nowrap}tfoot td{border-bottom:none}\
tr.gross td{font-weight:bold;border-top:2px solid #333}\
.note{margin-top:1.5em}\
footer{margin-top:3em;font-size:9pt;color:#555;border-top:1px solid #ccc;padding-top:.5em}\
@media print{body{margin:0}@page{size:A4;margin:2cm}}";

/// The quote as a complete HTML document.
pub fn render_quote_html(doc: &QuoteDoc) -> String {
    let language = doc.language;
    let t = |text: Text| text.get(language);
    let lang = match language {
        Language::De => "de",
        Language::En => "en",
    };
    let money = |v: f64| escape_html(&doc.money(v));
    let company = &doc.company;
    let mut h = String::with_capacity(4096);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{} {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        t(Text::QuoteTitle),
        escape_html(&doc.number)
    ));
    h.push_str("<header>\n<div>");
    if !company.name.is_empty() {
        h.push_str(&format!("<div class=\"company\">{}</div>", escape_html(&company.name)));
    }
    if !company.address.is_empty() {
        h.push_str(&format!("<div>{}</div>", lines(&company.address)));
    }
    h.push_str("</div>\n<div class=\"small right\">");
    let vat_id = format!("{} {}", t(Text::QuoteVatId), company.vat_id);
    for (value, shown) in
        [(&company.email, &company.email), (&company.phone, &company.phone), (&company.vat_id, &vat_id)]
    {
        if !value.is_empty() {
            h.push_str(&format!("<div>{}</div>", escape_html(shown)));
        }
    }
    h.push_str("</div>\n</header>\n<div class=\"meta\">\n<div>");
    h.push_str(&format!("<div class=\"small\">{}</div>", t(Text::QuoteTo)));
    h.push_str(&doc.recipient.iter().map(|l| escape_html(l)).collect::<Vec<_>>().join("<br>"));
    h.push_str("</div>\n<div class=\"right\">");
    for (label, value) in [
        (t(Text::QuoteNumber), doc.number.clone()),
        (t(Text::QuoteDate), doc.date_text(doc.date)),
        (t(Text::QuoteValidUntil), doc.date_text(doc.valid_until)),
    ] {
        h.push_str(&format!("<div>{label}: {}</div>", escape_html(&value)));
    }
    h.push_str("</div>\n</div>\n");
    h.push_str(&format!("<h1>{}: {}</h1>\n", t(Text::QuoteTitle), escape_html(&doc.title)));
    h.push_str("<table>\n<thead><tr>");
    h.push_str(&format!(
        "<th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>",
        t(Text::QuotePos),
        t(Text::QuoteProduct),
        t(Text::QuoteQuantity),
        t(Text::QuoteUnitPrice),
        t(Text::QuoteDiscount),
        t(Text::QuoteVatColumn),
        t(Text::QuoteTotal)
    ));
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, item) in doc.items.iter().enumerate() {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            i + 1,
            escape_html(&item.product),
            doc.quantity(item),
            money(item.unit_price),
            escape_html(&doc.discount(item)),
            escape_html(&doc.vat_cell(item)),
            money(item.total())
        ));
    }
    let totals = doc.totals();
    h.push_str("</tbody>\n<tfoot>");
    let row = |label: &str, value: &str, class: &str| {
        format!(
            "<tr{class}><td colspan=\"6\" class=\"n\">{}</td><td class=\"n\">{value}</td></tr>",
            escape_html(label)
        )
    };
    h.push_str(&row(t(Text::QuoteNet), &money(totals.net), ""));
    for v in &totals.vat {
        let label = format!("{} ({} {})", doc.vat_label(v.rate), t(Text::QuoteVatOn), doc.money(v.base));
        h.push_str(&row(&label, &money(v.amount), ""));
    }
    h.push_str(&row(t(Text::QuoteGross), &money(totals.gross), " class=\"gross\""));
    h.push_str("</tfoot>\n</table>\n");
    if totals.reverse_charge {
        h.push_str(&format!("<p class=\"note\">{}</p>\n", t(Text::QuoteReverseChargeNote)));
    }
    h.push_str(&format!("<p class=\"note\">{}</p>\n", escape_html(&validity(doc))));
    let bank = doc.bank_line();
    if !bank.is_empty() || !company.footer.is_empty() {
        h.push_str("<footer>");
        if !bank.is_empty() {
            h.push_str(&format!("<div>{}: {}</div>", t(Text::QuoteBank), escape_html(&bank)));
        }
        if !company.footer.is_empty() {
            h.push_str(&format!("<div>{}</div>", lines(&company.footer)));
        }
        h.push_str("</footer>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// "This quote is valid until 06.01.2027."
pub fn validity(doc: &QuoteDoc) -> String {
    Text::QuoteValidity.fill(doc.language, &[("date", &doc.date_text(doc.valid_until))])
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
