//! Quotes (Angebote): a deal's line items as a document for the customer,
//! in German or English, with the rep's company header, net, VAT per rate
//! and gross. [`QuoteDoc`] is what a quote says, fixed when it is made; it
//! renders as a standalone HTML page (to print) and as a PDF ([`crate::pdf`]).
//!
//! Invariants: every piece of user text is HTML-escaped; the HTML has no
//! scripts and loads nothing (inline `<style>` only); a quote is only made
//! when the company profile names the company, its address, VAT id and bank
//! account ([`CompanyProfile::missing`]); the deal's internal expected close
//! date never appears on the document (a quote is valid for the profile's
//! number of days instead).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::lang::Language;
use crate::line_item::{LineItem, VatRate};
use crate::money::{format_money, format_number, from_cents, round2, to_cents};
use crate::texts::Text;

mod html;
mod pdf;

pub use html::{escape_html, render_quote_html, validity};
pub use pdf::render_quote_pdf;

/// The rep's company, printed on quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
    /// The bank's name.
    pub bank_name: String,
    /// IBAN (spaces allowed).
    pub iban: String,
    /// BIC.
    pub bic: String,
    /// Days a quote is valid (1–365).
    pub quote_valid_days: u32,
    /// Footer text (terms, register court ...).
    pub footer: String,
}

impl Default for CompanyProfile {
    fn default() -> Self {
        CompanyProfile {
            name: String::new(),
            address: String::new(),
            email: String::new(),
            phone: String::new(),
            vat_id: String::new(),
            bank_name: String::new(),
            iban: String::new(),
            bic: String::new(),
            quote_valid_days: 30,
            footer: String::new(),
        }
    }
}

impl CompanyProfile {
    /// What a quote needs and the profile lacks, as field keys
    /// (`name`, `address`, `vat_id`, `iban`); empty when quotes can be made.
    pub fn missing(&self) -> Vec<&'static str> {
        [("name", &self.name), ("address", &self.address), ("vat_id", &self.vat_id), ("iban", &self.iban)]
            .into_iter()
            .filter(|(_, v)| v.trim().is_empty())
            .map(|(k, _)| k)
            .collect()
    }

    /// Checks the IBAN (when given) and the validity days; `Err((field, reason))`.
    pub fn validate(&self) -> std::result::Result<(), (&'static str, String)> {
        if !self.iban.trim().is_empty() && !iban_valid(&self.iban) {
            return Err((
                "company.iban",
                format!("'{}' is not a valid IBAN (check digits)", self.iban.trim()),
            ));
        }
        if !(1..=365).contains(&self.quote_valid_days) {
            return Err(("company.quote_valid_days", "a quote is valid for 1 to 365 days".into()));
        }
        Ok(())
    }

    /// The IBAN in groups of four ("DE89 3704 0044 0532 0130 00").
    pub fn iban_grouped(&self) -> String {
        let compact: Vec<char> =
            self.iban.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        compact.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
    }
}

/// ISO 13616: 15–34 letters and digits, country letters, and the remainder
/// 1 modulo 97 of the rearranged number.
pub fn iban_valid(iban: &str) -> bool {
    let compact: Vec<char> =
        iban.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    if !(15..=34).contains(&compact.len())
        || !compact[..2].iter().all(char::is_ascii_uppercase)
        || !compact[2..4].iter().all(char::is_ascii_digit)
        || !compact.iter().all(char::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rem: u32 = 0;
    for c in compact[4..].iter().chain(&compact[..4]) {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// One VAT line of a quote's totals: the rate, the net amount it applies
/// to and the tax.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VatLine {
    /// The rate.
    pub rate: VatRate,
    /// Net amount at this rate.
    pub base: f64,
    /// VAT on it, rounded to cents.
    pub amount: f64,
}

/// A quote's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuoteTotals {
    /// Sum of the positions.
    pub net: f64,
    /// VAT per rate, highest rate first.
    pub vat: Vec<VatLine>,
    /// net + VAT.
    pub gross: f64,
    /// Whether a position is under reverse charge (the document says so).
    pub reverse_charge: bool,
}

/// What a quote says, fixed when it is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuoteDoc {
    /// The document's language.
    pub language: Language,
    /// "A-2026-0001".
    pub number: String,
    /// Date of the quote.
    pub date: NaiveDate,
    /// Last day it is valid.
    pub valid_until: NaiveDate,
    /// The rep's company as it was then.
    pub company: CompanyProfile,
    /// The customer's address block, line by line.
    pub recipient: Vec<String>,
    /// What is offered (the deal's title).
    pub title: String,
    /// ISO currency code.
    pub currency: String,
    /// The positions (a lump sum of the deal's value when it had none).
    pub items: Vec<LineItem>,
}

impl QuoteDoc {
    /// Net, VAT per rate (on each rate's net sum) and gross.
    pub fn totals(&self) -> QuoteTotals {
        let mut per_rate: std::collections::BTreeMap<VatRate, i64> = Default::default();
        for item in &self.items {
            *per_rate.entry(item.vat).or_default() += to_cents(item.total());
        }
        let net: i64 = per_rate.values().sum();
        let vat: Vec<VatLine> = per_rate
            .iter()
            .map(|(&rate, &cents)| {
                let base = from_cents(cents);
                VatLine { rate, base, amount: round2(base * rate.percent() / 100.0) }
            })
            .collect();
        let tax: i64 = vat.iter().map(|v| to_cents(v.amount)).sum();
        QuoteTotals {
            net: from_cents(net),
            reverse_charge: per_rate.contains_key(&VatRate::ReverseCharge),
            vat,
            gross: from_cents(net + tax),
        }
    }

    /// An amount in the quote's currency and language.
    pub fn money(&self, amount: f64) -> String {
        format_money(amount, &self.currency, self.language)
    }

    /// A date as the language writes it.
    pub fn date_text(&self, d: NaiveDate) -> String {
        match self.language {
            Language::De => d.format("%d.%m.%Y").to_string(),
            Language::En => d.format("%-d %B %Y").to_string(),
        }
    }

    /// A VAT line's label: "USt. 19 %" / "VAT 19%", with the reverse-charge
    /// or exemption wording for 0 %.
    pub fn vat_label(&self, rate: VatRate) -> String {
        let pct = format_number(rate.percent(), 0, self.language);
        let text = match rate {
            VatRate::ReverseCharge => Text::QuoteVatReverse,
            _ => Text::QuoteVatRate,
        };
        text.fill(self.language, &[("rate", &pct)])
    }

    /// A position's quantity ("2", "1,5").
    pub fn quantity(&self, item: &LineItem) -> String {
        format_number(item.quantity, if item.quantity.fract() == 0.0 { 0 } else { 2 }, self.language)
    }

    /// A position's discount ("10 %"), empty without one.
    pub fn discount(&self, item: &LineItem) -> String {
        if item.discount_percent > 0.0 {
            format!("{} %", format_number(item.discount_percent, 1, self.language))
        } else {
            String::new()
        }
    }

    /// A position's VAT column ("19 %", "0 % RC").
    pub fn vat_cell(&self, item: &LineItem) -> String {
        let pct = format!("{} %", format_number(item.vat.percent(), 0, self.language));
        match item.vat {
            VatRate::ReverseCharge => format!("{pct} RC"),
            _ => pct,
        }
    }

    /// The bank line: "Bank · IBAN … · BIC …" (parts that are set).
    pub fn bank_line(&self) -> String {
        let c = &self.company;
        let mut parts = Vec::new();
        if !c.bank_name.trim().is_empty() {
            parts.push(c.bank_name.trim().to_owned());
        }
        if !c.iban.trim().is_empty() {
            parts.push(format!("IBAN {}", c.iban_grouped()));
        }
        if !c.bic.trim().is_empty() {
            parts.push(format!("BIC {}", c.bic.trim().to_ascii_uppercase()));
        }
        parts.join(" · ")
    }
}

/// Refuses a quote while the company profile lacks what it must print.
pub fn check_company(company: &CompanyProfile) -> Result<()> {
    let missing = company.missing();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::CompanyIncomplete(missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_by_their_digits() {
        assert!(iban_valid("DE89 3704 0044 0532 0130 00"));
        assert!(iban_valid("at611904300234573201"));
        assert!(!iban_valid("DE89 3704 0044 0532 0130 01"), "one digit off");
        assert!(!iban_valid("DE89"), "too short");
        assert!(!iban_valid("1289 3704 0044 0532 0130 00"), "no country");
    }

    fn item(price: f64, vat: VatRate) -> LineItem {
        LineItem { product: "P".into(), quantity: 1.0, unit_price: price, discount_percent: 0.0, vat }
    }

    #[test]
    fn vat_is_summed_per_rate_and_reverse_charge_is_flagged() {
        let doc = QuoteDoc {
            language: Language::De,
            number: "A-1".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2027, 1, 6).unwrap(),
            company: CompanyProfile::default(),
            recipient: vec![],
            title: "T".into(),
            currency: "EUR".into(),
            items: vec![
                item(0.05, VatRate::Standard),
                item(0.05, VatRate::Standard),
                item(100.0, VatRate::Reduced),
                item(50.0, VatRate::ReverseCharge),
            ],
        };
        let t = doc.totals();
        assert_eq!(t.net, 150.10);
        // 19 % of the rate's sum 0.10 is 0.02; per position it would be 0.01 + 0.01.
        let rates: Vec<_> = t.vat.iter().map(|v| (v.rate, v.base, v.amount)).collect();
        assert_eq!(
            rates,
            [
                (VatRate::Standard, 0.1, 0.02),
                (VatRate::Reduced, 100.0, 7.0),
                (VatRate::ReverseCharge, 50.0, 0.0)
            ]
        );
        assert_eq!(t.gross, 157.12);
        assert!(t.reverse_charge);
        assert_eq!(doc.vat_label(VatRate::Standard), "USt. 19 %");
    }
}
