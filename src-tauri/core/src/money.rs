//! Amounts of money: sums kept in cents (so adding many deals never drifts),
//! sums per currency, and localised formatting (`1.234,50 €` / `€1,234.50`).
//!
//! Invariant: totals are never added across currencies; a list of [`Money`]
//! holds one entry per currency, sorted by currency code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lang::Language;

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Money {
    /// ISO 4217 code, upper case ("EUR").
    pub currency: String,
    /// Major units, rounded to cents.
    pub amount: f64,
}

/// An amount in major units as whole cents.
pub fn to_cents(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

/// Whole cents as major units.
pub fn from_cents(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Rounds to two decimals.
pub fn round2(amount: f64) -> f64 {
    from_cents(to_cents(amount))
}

/// Sums per currency, in cents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals(BTreeMap<String, i64>);

impl Totals {
    /// Adds `cents` in `currency`.
    pub fn add(&mut self, currency: &str, cents: i64) {
        *self.0.entry(currency.to_owned()).or_default() += cents;
    }

    /// One [`Money`] per currency, by currency code.
    pub fn to_money(&self) -> Vec<Money> {
        self.0
            .iter()
            .map(|(currency, cents)| Money { currency: currency.clone(), amount: from_cents(*cents) })
            .collect()
    }

    /// The cents of one currency (0 when absent).
    pub fn get(&self, currency: &str) -> i64 {
        self.0.get(currency).copied().unwrap_or(0)
    }

    /// The currencies present.
    pub fn currencies(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// A number with `decimals` places, grouped in thousands: `1.234,50` (German)
/// or `1,234.50` (English).
pub fn format_number(value: f64, decimals: usize, language: Language) -> String {
    let (group, point) = match language {
        Language::De => ('.', ','),
        Language::En => (',', '.'),
    };
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(ch);
    }
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// The symbol of a few common currencies, else the code itself.
fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "CHF" => "CHF",
        other => other,
    }
}

/// An amount with its currency: `1.234,50 €` (German) or `€1,234.50` (English).
pub fn format_money(amount: f64, currency: &str, language: Language) -> String {
    let number = format_number(amount, 2, language);
    let sym = symbol(currency);
    match language {
        Language::De => format!("{number} {sym}"),
        Language::En if sym.len() > 1 && sym.chars().all(|c| c.is_ascii_uppercase()) => {
            format!("{sym} {number}")
        }
        Language::En => match number.strip_prefix('-') {
            Some(n) => format!("-{sym}{n}"),
            None => format!("{sym}{number}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(1234.5, Language::De, "1.234,50 €")]
    #[case(1234.5, Language::En, "€1,234.50")]
    #[case(0.0, Language::De, "0,00 €")]
    #[case(-1_234_567.891, Language::En, "-€1,234,567.89")]
    #[case(999.999, Language::De, "1.000,00 €")]
    fn money_is_localised(#[case] amount: f64, #[case] lang: Language, #[case] want: &str) {
        assert_eq!(format_money(amount, "EUR", lang), want);
    }

    #[test]
    fn unknown_currencies_show_their_code() {
        assert_eq!(format_money(10.0, "SEK", Language::En), "SEK 10.00");
        assert_eq!(format_money(10.0, "SEK", Language::De), "10,00 SEK");
    }

    #[test]
    fn totals_stay_per_currency() {
        let mut t = Totals::default();
        t.add("EUR", 10_050);
        t.add("USD", 100);
        t.add("EUR", 1);
        assert_eq!(
            t.to_money(),
            vec![
                Money { currency: "EUR".into(), amount: 100.51 },
                Money { currency: "USD".into(), amount: 1.0 }
            ]
        );
    }
}
