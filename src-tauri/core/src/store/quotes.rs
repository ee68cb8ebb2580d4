//! Quotes: made from a deal in one transaction with the year's number
//! counter, logged on the contact.

use chrono::{DateTime, Days, NaiveDate, Utc};
use uuid::Uuid;

use super::deals::{deal_not_found, put_deal};
use super::{abort, decode_tx, new_id, Store};
use crate::activity::{ActivityInput, ActivityKind};
use crate::automation::Changed;
use crate::contact::{Contact, Organization};
use crate::deal::{Deal, LineItem, Quote, VatRate};
use crate::error::Result;
use crate::lang::Language;
use crate::quote::{check_company, render_quote_html, CompanyProfile, QuoteDoc};
use crate::texts::Text;

impl Store {
    /// Makes a quote from a deal's line items (number "A-YYYY-NNNN",
    /// sequential per year), stores it with the deal and logs a note on the
    /// contact ("Angebot A-2026-0001 erstellt").
    pub fn create_quote(
        &self,
        deal_id: Uuid,
        language: Language,
        now: DateTime<Utc>,
    ) -> Result<Changed<Quote>> {
        let deal = self.deal(deal_id)?;
        let contact = self.raw_contact(deal.contact_id)?;
        let org = deal.organization_id.and_then(|id| self.organization(id).ok());
        let company = self.company();
        check_company(&company)?;
        let today = now.with_timezone(&self.time_zone()).date_naive();
        let year = chrono::Datelike::year(&today);
        let counter = format!("quote_seq_{year}");
        let quote_id = new_id(now);
        let quote = self.transact(now, |tx| {
            let n = match tx.meta.get(counter.as_bytes())? {
                Some(v) => u32::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 4])) + 1,
                None => 1,
            };
            let bytes = tx.deals.get(deal_id.as_bytes())?.ok_or_else(|| deal_not_found(deal_id));
            let old: Deal = decode_tx(&bytes.or_else(abort)?)?;
            let mut deal = old.clone();
            let number = format!("A-{year}-{n:04}");
            let doc = quote_doc(&deal, &contact, org.as_ref(), &company, language, &number, today);
            let html = render_quote_html(&doc);
            let quote = Quote { id: quote_id, number, created_at: now, language, html, doc: Some(doc) };
            deal.quotes.push(quote.clone());
            deal.updated_at = now;
            tx.meta.insert(counter.as_bytes(), &n.to_be_bytes())?;
            put_deal(tx, deal_id, Some(&old), Some(&deal))?;
            Ok(quote)
        })?;
        let summary = Text::QuoteCreated.fill(language, &[("number", &quote.number)]);
        let input = ActivityInput {
            kind: ActivityKind::Note,
            at: None,
            summary: Some(summary),
            text: Some(format!(
                "{} ({})",
                deal.title,
                crate::money::format_money(deal.value, &deal.currency, language)
            )),
            outcome: None,
            concerns: None,
        };
        let logged = self.log_activity(deal.contact_id, input, now)?;
        Ok(logged.map(|_| quote))
    }
}

/// The quote document for `deal`, made on `date`.
fn quote_doc(
    deal: &Deal,
    contact: &Contact,
    organization: Option<&Organization>,
    company: &CompanyProfile,
    language: Language,
    number: &str,
    date: NaiveDate,
) -> QuoteDoc {
    let mut recipient = Vec::new();
    if let Some(org) = organization.map(|o| o.name.as_str()).or(contact.organization.as_deref()) {
        recipient.push(org.to_owned());
    }
    let name = match contact.salutation.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if !contact.display_name.starts_with(s) => format!("{s} {}", contact.display_name),
        _ => contact.display_name.clone(),
    };
    recipient.push(name);
    let a = &contact.address;
    if let Some(street) = a.street.as_deref() {
        recipient.push(street.to_owned());
    }
    let city = [a.postcode.as_deref(), a.city.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    if !city.is_empty() {
        recipient.push(city);
    }
    if let Some(country) = a.country.as_deref().filter(|c| !is_home_country(c)) {
        recipient.push(country.to_owned());
    }
    let items = if deal.line_items.is_empty() {
        vec![LineItem {
            product: Text::QuoteNoItems.get(language).to_owned(),
            quantity: 1.0,
            unit_price: deal.value,
            discount_percent: 0.0,
            vat: VatRate::Standard,
        }]
    } else {
        deal.line_items.clone()
    };
    QuoteDoc {
        language,
        number: number.to_owned(),
        date,
        valid_until: date.checked_add_days(Days::new(company.quote_valid_days.into())).unwrap_or(date),
        company: company.clone(),
        recipient,
        title: deal.title.clone(),
        currency: deal.currency.clone(),
        items,
    }
}

/// Whether an address's country is the rep's (Germany; left off the address).
fn is_home_country(country: &str) -> bool {
    matches!(country.trim().to_lowercase().as_str(), "de" | "deu" | "germany" | "deutschland")
}
