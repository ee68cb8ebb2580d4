//! A deal's line items: product, quantity, unit price, discount and VAT
//! rate, as deals and quotes share them.
//!
//! Invariants: a validated item has a product, a quantity above 0, a unit
//! price of 0 or more rounded to cents and a discount of 0–100 %.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::money::round2;

/// Longest title, next step or product, in characters.
pub(crate) const MAX_LINE: usize = 300;
/// Largest accepted value (major units).
const MAX_VALUE: f64 = 1e12;

/// What is wrong with an amount of money, each case in its own words.
pub(crate) fn amount_problem(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("is not a number")
    } else if value.is_infinite() || value > MAX_VALUE {
        Some("is too large")
    } else if value < 0.0 {
        Some("must be 0 or more")
    } else {
        None
    }
}
/// Most line items per deal.
pub(crate) const MAX_ITEMS: usize = 500;

/// The German VAT (Umsatzsteuer) rate of a line item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VatRate {
    /// 19 %.
    #[default]
    Standard,
    /// 7 % (food, books ...).
    Reduced,
    /// 0 % (exempt).
    Zero,
    /// 0 %: the customer, a business in another EU country, owes the VAT
    /// (reverse charge; the quote says so).
    ReverseCharge,
}

impl VatRate {
    /// Every rate, as the UI offers them.
    pub const ALL: [VatRate; 4] =
        [VatRate::Standard, VatRate::Reduced, VatRate::Zero, VatRate::ReverseCharge];

    /// The rate in percent.
    pub fn percent(self) -> f64 {
        match self {
            VatRate::Standard => 19.0,
            VatRate::Reduced => 7.0,
            VatRate::Zero | VatRate::ReverseCharge => 0.0,
        }
    }
}

/// One position of a deal: product, quantity, unit price, discount and VAT rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineItem {
    /// Product or service.
    pub product: String,
    /// How many (may be fractional: hours, metres).
    pub quantity: f64,
    /// Price of one unit, in the deal's currency.
    pub unit_price: f64,
    /// Discount in percent (0–100).
    #[serde(default)]
    pub discount_percent: f64,
    /// VAT rate (19 % when not given).
    #[serde(default)]
    pub vat: VatRate,
}

impl LineItem {
    /// quantity × unit price − discount, rounded to cents.
    pub fn total(&self) -> f64 {
        round2(self.quantity * self.unit_price * (1.0 - self.discount_percent / 100.0))
    }

    pub(crate) fn validate(&self, index: usize) -> Result<LineItem> {
        let bad = |reason: String| Error::InvalidInput { field: "line_items", reason };
        let product = self.product.trim();
        if product.is_empty() {
            return Err(bad(format!("position {} needs a product", index + 1)));
        }
        if product.chars().count() > MAX_LINE || product.chars().any(char::is_control) {
            return Err(bad(format!("position {}: product too long or with control characters", index + 1)));
        }
        if !self.quantity.is_finite() || self.quantity <= 0.0 || self.quantity > 1e9 {
            return Err(bad(format!("position {}: quantity must be above 0", index + 1)));
        }
        if let Some(reason) = amount_problem(self.unit_price) {
            return Err(bad(format!("position {}: unit price {reason}", index + 1)));
        }
        if !self.discount_percent.is_finite() || !(0.0..=100.0).contains(&self.discount_percent) {
            return Err(bad(format!("position {}: discount must be 0–100 %", index + 1)));
        }
        Ok(LineItem {
            product: product.to_owned(),
            quantity: self.quantity,
            unit_price: round2(self.unit_price),
            discount_percent: self.discount_percent,
            vat: self.vat,
        })
    }
}
