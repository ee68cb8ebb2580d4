//! Deals (opportunities, Verkaufschancen): a contact's possible purchase with
//! value, currency, pipeline stage, probability, close date, next step and
//! line items, and the quotes made from them (SPEC §7).
//!
//! Invariants: `value` is rounded to cents; `probability` is 0–100; the
//! stage is a key of the configured deal stages; a lost deal has a reason.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::lang::Language;
use crate::line_item::{amount_problem, MAX_ITEMS, MAX_LINE};
pub use crate::line_item::{LineItem, VatRate};
use crate::money::{from_cents, round2, to_cents};

/// What a deal stage means for the deal's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StageOutcome {
    /// Still open.
    Open,
    /// Won (exactly one stage).
    Won,
    /// Lost (exactly one stage; moving there needs a reason).
    Lost,
}

/// One stage of the deal pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealStageSetting {
    /// Stable key stored in deals ("proposal").
    pub key: String,
    /// German name.
    pub name_de: String,
    /// English name.
    pub name_en: String,
    /// Default probability of deals in this stage (0–100).
    pub probability: u8,
    /// An open deal idle for more than this many days is "rotting".
    pub rotting_days: Option<u32>,
    /// Open, won or lost.
    pub outcome: StageOutcome,
}

impl DealStageSetting {
    /// The name in `language`.
    pub fn name(&self, language: Language) -> &str {
        match language {
            Language::De => &self.name_de,
            Language::En => &self.name_en,
        }
    }
}

/// The default pipeline: qualification 10 %, needs analysis 25 %, proposal
/// 50 %, negotiation 75 %, won 100 %, lost 0 %.
pub fn default_deal_stages() -> Vec<DealStageSetting> {
    let stage = |key: &str, de: &str, en: &str, probability, rotting_days, outcome| DealStageSetting {
        key: key.into(),
        name_de: de.into(),
        name_en: en.into(),
        probability,
        rotting_days,
        outcome,
    };
    vec![
        stage("qualification", "Qualifizierung", "Qualification", 10, Some(14), StageOutcome::Open),
        stage("needs_analysis", "Bedarfsanalyse", "Needs analysis", 25, Some(14), StageOutcome::Open),
        stage("proposal", "Angebot", "Proposal", 50, Some(21), StageOutcome::Open),
        stage("negotiation", "Verhandlung", "Negotiation", 75, Some(14), StageOutcome::Open),
        stage("won", "Gewonnen", "Won", 100, None, StageOutcome::Won),
        stage("lost", "Verloren", "Lost", 0, None, StageOutcome::Lost),
    ]
}

/// One entry of a deal's stage history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealStageChange {
    /// Previous stage key; `None` for the entry that created the deal.
    pub from: Option<String>,
    /// New stage key.
    pub to: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Why (required for lost).
    pub reason: Option<String>,
}

/// A printable quote (Angebot) made from a deal's line items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Quote {
    /// uuid v7.
    pub id: Uuid,
    /// "A-2026-0001": sequential per year.
    pub number: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The document's language.
    pub language: Language,
    /// The standalone HTML document (to print).
    pub html: String,
    /// What the quote says, for its PDF (absent on quotes made before PDFs).
    #[serde(default)]
    pub doc: Option<crate::quote::QuoteDoc>,
}

/// A deal. JSON keys as named here (snake_case).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Deal {
    /// uuid v7.
    pub id: Uuid,
    /// The contact it belongs to.
    pub contact_id: Uuid,
    /// The contact's organisation (when the deal was last saved).
    pub organization_id: Option<Uuid>,
    /// What is sold.
    pub title: String,
    /// Value in major units, rounded to cents.
    pub value: f64,
    /// ISO 4217 code, upper case.
    pub currency: String,
    /// Key of the deal stage (see settings' `deal_stages`).
    pub stage: String,
    /// Probability of winning in percent.
    pub probability: u8,
    /// Expected close date.
    pub close_date: Option<NaiveDate>,
    /// The next planned step.
    pub next_step: Option<String>,
    /// Positions.
    pub line_items: Vec<LineItem>,
    /// Why it was lost (set while the deal is lost).
    pub lost_reason: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When it entered its current stage.
    pub stage_changed_at: DateTime<Utc>,
    /// Every stage change, oldest first.
    pub stage_history: Vec<DealStageChange>,
    /// Quotes made from it, oldest first.
    #[serde(default)]
    pub quotes: Vec<Quote>,
}

impl Deal {
    /// One of the deal's quotes.
    pub fn quote(&self, id: Uuid) -> crate::error::Result<&Quote> {
        self.quotes
            .iter()
            .find(|q| q.id == id)
            .ok_or_else(|| crate::error::Error::NotFound { kind: "quote", id: id.to_string() })
    }

    /// Value in cents.
    pub fn value_cents(&self) -> i64 {
        to_cents(self.value)
    }

    /// Value × probability, in cents (rounded per deal).
    pub fn weighted_cents(&self) -> i64 {
        (self.value_cents() as f64 * f64::from(self.probability) / 100.0).round() as i64
    }

    /// Sum of the line items' totals.
    pub fn items_total(&self) -> f64 {
        items_total(&self.line_items)
    }
}

fn items_total(items: &[LineItem]) -> f64 {
    from_cents(items.iter().map(|i| to_cents(i.total())).sum())
}

/// What the user enters for a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DealInput {
    /// The contact.
    pub contact_id: Uuid,
    /// What is sold.
    pub title: String,
    /// Value in major units (ignored when `value_from_items` and there are items).
    pub value: f64,
    /// ISO 4217 code; empty = EUR.
    pub currency: String,
    /// Stage key; `None` = the first stage (on update: unchanged).
    pub stage: Option<String>,
    /// Probability; `None` = the stage's default.
    pub probability: Option<u8>,
    /// Expected close date.
    pub close_date: Option<NaiveDate>,
    /// The next planned step.
    pub next_step: Option<String>,
    /// Positions.
    pub line_items: Vec<LineItem>,
    /// Compute the value as the sum of the line items.
    pub value_from_items: bool,
    /// Why it was lost (needed when `stage` is the lost stage).
    pub lost_reason: Option<String>,
}

impl Default for DealInput {
    fn default() -> Self {
        DealInput {
            contact_id: Uuid::nil(),
            title: String::new(),
            value: 0.0,
            currency: "EUR".into(),
            stage: None,
            probability: None,
            close_date: None,
            next_step: None,
            line_items: vec![],
            value_from_items: false,
            lost_reason: None,
        }
    }
}

/// A [`DealInput`] after validation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValidDeal {
    pub(crate) title: String,
    pub(crate) value: f64,
    pub(crate) currency: String,
    pub(crate) probability: Option<u8>,
    pub(crate) close_date: Option<NaiveDate>,
    pub(crate) next_step: Option<String>,
    pub(crate) line_items: Vec<LineItem>,
    pub(crate) lost_reason: Option<String>,
}

fn line(field: &'static str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.chars().count() > MAX_LINE {
        return Err(Error::InvalidInput { field, reason: format!("longer than {MAX_LINE} characters") });
    }
    if value.chars().any(char::is_control) {
        return Err(Error::InvalidInput { field, reason: "contains control characters".into() });
    }
    Ok(value.to_owned())
}

/// A trimmed reason, `None` when blank.
pub(crate) fn reason(r: Option<&str>) -> Option<String> {
    r.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned)
}

/// Checks a currency code: three ASCII letters, returned upper case.
pub fn parse_currency(code: &str) -> Result<String> {
    let code = code.trim();
    if code.is_empty() {
        return Ok("EUR".into());
    }
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(Error::InvalidInput {
            field: "currency",
            reason: format!("{code:?} is not an ISO 4217 code of three letters (EUR, USD, CHF ...)"),
        })
    }
}

impl DealInput {
    /// Validates and normalises the input.
    pub(crate) fn validate(&self) -> Result<ValidDeal> {
        let title = line("title", &self.title)?;
        if title.is_empty() {
            return Err(Error::InvalidInput { field: "title", reason: "a deal needs a title".into() });
        }
        if self.line_items.len() > MAX_ITEMS {
            return Err(Error::InvalidInput {
                field: "line_items",
                reason: format!("more than {MAX_ITEMS} positions"),
            });
        }
        let line_items = self
            .line_items
            .iter()
            .enumerate()
            .map(|(i, item)| item.validate(i))
            .collect::<Result<Vec<_>>>()?;
        let value = if self.value_from_items && !line_items.is_empty() {
            items_total(&line_items)
        } else {
            self.value
        };
        if let Some(reason) = amount_problem(value) {
            return Err(Error::InvalidInput { field: "value", reason: reason.into() });
        }
        if self.probability.is_some_and(|p| p > 100) {
            return Err(Error::InvalidInput { field: "probability", reason: "must be 0–100".into() });
        }
        let next_step =
            Some(line("next_step", self.next_step.as_deref().unwrap_or(""))?).filter(|s| !s.is_empty());
        Ok(ValidDeal {
            title,
            value: round2(value),
            currency: parse_currency(&self.currency)?,
            probability: self.probability,
            close_date: self.close_date,
            next_step,
            line_items,
            lost_reason: reason(self.lost_reason.as_deref()),
        })
    }
}

/// The configured stage with this key, or an `invalid_input` error naming the keys.
pub fn find_stage<'a>(stages: &'a [DealStageSetting], key: &str) -> Result<&'a DealStageSetting> {
    let key = key.trim();
    stages.iter().find(|s| s.key == key).ok_or_else(|| Error::InvalidInput {
        field: "stage",
        reason: format!(
            "unknown deal stage {key:?} (expected one of {})",
            stages.iter().map(|s| s.key.as_str()).collect::<Vec<_>>().join(", ")
        ),
    })
}

/// The outcome of a stage key (unknown keys count as open).
pub fn outcome_of(stages: &[DealStageSetting], key: &str) -> StageOutcome {
    stages.iter().find(|s| s.key == key).map_or(StageOutcome::Open, |s| s.outcome)
}

/// A contact's deals by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactDealsSummary {
    /// Open deals.
    pub open: u32,
    /// Won deals.
    pub won: u32,
    /// Lost deals.
    pub lost: u32,
    /// Two or more won deals (Wiederholungskäufer).
    pub repeat_customer: bool,
}

impl ContactDealsSummary {
    /// Counts `deals` by the outcome of their stage.
    pub fn of<'a>(deals: impl IntoIterator<Item = &'a Deal>, stages: &[DealStageSetting]) -> Self {
        let mut s = ContactDealsSummary::default();
        for d in deals {
            match outcome_of(stages, &d.stage) {
                StageOutcome::Open => s.open += 1,
                StageOutcome::Won => s.won += 1,
                StageOutcome::Lost => s.lost += 1,
            }
        }
        s.repeat_customer = s.won >= 2;
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bad_amount_gets_its_own_reason() {
        let reason =
            |value: f64| match (DealInput { title: "x".into(), value, ..Default::default() }).validate() {
                Err(Error::InvalidInput { field: "value", reason }) => reason,
                other => panic!("{value}: {other:?}"),
            };
        assert_eq!(reason(-1.0), "must be 0 or more");
        assert_eq!(reason(f64::NAN), "is not a number");
        assert_eq!(reason(f64::INFINITY), "is too large");
        assert_eq!(reason(f64::NEG_INFINITY), "is too large");
        assert_eq!(reason(2e12), "is too large");
    }

    fn item(q: f64, p: f64, d: f64) -> LineItem {
        LineItem {
            product: "X".into(),
            quantity: q,
            unit_price: p,
            discount_percent: d,
            vat: VatRate::Standard,
        }
    }

    #[test]
    fn line_totals_apply_discount_and_round() {
        assert_eq!(item(3.0, 19.99, 0.0).total(), 59.97);
        assert_eq!(item(2.0, 100.0, 10.0).total(), 180.0);
        assert_eq!(item(1.0, 0.333, 0.0).total(), 0.33);
    }

    #[test]
    fn value_from_items_sums_the_positions() {
        let input = DealInput {
            title: "Anlage".into(),
            value: 1.0,
            line_items: vec![item(3.0, 19.99, 0.0), item(2.0, 100.0, 10.0)],
            value_from_items: true,
            ..Default::default()
        };
        assert_eq!(input.validate().unwrap().value, 239.97);
        let typed = DealInput { value_from_items: false, ..input };
        assert_eq!(typed.validate().unwrap().value, 1.0);
    }

    #[test]
    fn bad_input_is_refused_with_its_field() {
        let ok = DealInput { title: "T".into(), ..Default::default() };
        for (bad, field) in [
            (DealInput { title: " ".into(), ..ok.clone() }, "title"),
            (DealInput { value: -1.0, ..ok.clone() }, "value"),
            (DealInput { value: f64::NAN, ..ok.clone() }, "value"),
            (DealInput { currency: "EURO".into(), ..ok.clone() }, "currency"),
            (DealInput { currency: "€".into(), ..ok.clone() }, "currency"),
            (DealInput { probability: Some(101), ..ok.clone() }, "probability"),
            (DealInput { line_items: vec![item(0.0, 1.0, 0.0)], ..ok.clone() }, "line_items"),
            (DealInput { line_items: vec![item(1.0, 1.0, 120.0)], ..ok.clone() }, "line_items"),
        ] {
            assert_eq!(bad.validate().unwrap_err().field(), Some(field));
        }
        assert_eq!(DealInput { currency: "usd".into(), ..ok }.validate().unwrap().currency, "USD");
    }
}
