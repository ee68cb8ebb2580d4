//! Deals and the pipeline board, reports, email follow-ups and quotes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::contacts::ContactDetail;
use super::Changed;
use crate::automation::AutomationOutcome;
use crate::deal::{ContactDealsSummary, Deal, DealInput, Quote};
use crate::email::{mailto, RenderedEmail};
use crate::error::Result;
use crate::lang::Language;
use crate::quote::render_quote_pdf;
use crate::report::{Period, ReportKind};
use crate::store::Store;

/// A saved deal, its contact after lifecycle coupling, and what the rules
/// its change fired did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealSaved {
    /// The deal as stored.
    pub deal: Deal,
    /// Its contact after lifecycle coupling.
    pub contact: ContactDetail,
    /// Outcomes of the rules the change fired.
    pub automation: Vec<AutomationOutcome>,
}

/// A contact's deals with the won/lost summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactDeals {
    /// Newest first.
    pub deals: Vec<Deal>,
    /// Open, won, lost, repeat customer.
    pub summary: ContactDealsSummary,
}

fn saved(store: &Store, changed: Changed<Deal>, now: DateTime<Utc>) -> Result<DealSaved> {
    let contact = ContactDetail::of_id(store, changed.value.contact_id, now)?;
    Ok(DealSaved { deal: changed.value, contact, automation: changed.automation })
}

/// A contact's deals, newest first, and summary.
pub fn of_contact(store: &Store, contact_id: Uuid) -> Result<ContactDeals> {
    let mut deals = store.contact_deals(contact_id)?;
    deals.reverse();
    Ok(ContactDeals { deals, summary: store.contact_deal_summary(contact_id)? })
}

/// Creates a deal (an open deal makes its contact an opportunity).
pub fn create(store: &Store, input: &DealInput, now: DateTime<Utc>) -> Result<DealSaved> {
    saved(store, store.create_deal(input, now)?, now)
}

/// Saves an edited deal (a different stage moves it).
pub fn update(store: &Store, id: Uuid, input: &DealInput, now: DateTime<Utc>) -> Result<DealSaved> {
    saved(store, store.update_deal(id, input, now)?, now)
}

/// Moves a deal to another stage (lost needs a reason).
pub fn move_to(
    store: &Store,
    id: Uuid,
    stage: &str,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DealSaved> {
    let moved = store.move_deal(id, stage, reason, now)?;
    let contact = ContactDetail::of(store, moved.value.contact, now)?;
    Ok(DealSaved { deal: moved.value.deal, contact, automation: moved.automation })
}

/// Deletes a deal; returns its contact.
pub fn delete(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<ContactDetail> {
    ContactDetail::of(store, store.delete_deal(id, now)?, now)
}

/// One report over a period (local dates in the rep's time zone).
pub fn report(
    store: &Store,
    kind: ReportKind,
    period: &Period,
    now: DateTime<Utc>,
) -> Result<crate::report::Report> {
    store.report(kind, period, store.time_zone(), now)
}

/// An email handed to the mail client: its `mailto:` URL, and the contact
/// with the email logged on its timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct SentEmail {
    /// The `mailto:` URL (RFC 6068) to open.
    pub mailto: String,
    /// The contact after the email activity was logged.
    pub contact: ContactDetail,
}

/// Logs a (possibly edited) follow-up email as an email activity and gives
/// the `mailto:` URL to open with the mail client.
pub fn send_email(
    store: &Store,
    contact_id: Uuid,
    email: &RenderedEmail,
    now: DateTime<Utc>,
) -> Result<Changed<SentEmail>> {
    let url = mailto(&email.to, &email.subject, &email.body);
    let email = RenderedEmail { mailto: url.clone(), ..email.clone() };
    let logged = store.log_email_sent(contact_id, &email, now)?;
    let contact = ContactDetail::of(store, logged.value.1.clone(), now)?;
    Ok(logged.map(|_| SentEmail { mailto: url, contact }))
}

/// Creates a quote from a deal's line items (stored with the deal, logged on the contact).
pub fn create_quote(
    store: &Store,
    deal_id: Uuid,
    language: Language,
    now: DateTime<Utc>,
) -> Result<Changed<Quote>> {
    store.create_quote(deal_id, language, now)
}

/// How a quote is written to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum QuoteFormat {
    /// A PDF (A4), to send.
    Pdf,
    /// A standalone HTML page, to open in a browser and print.
    Html,
}

/// A quote as a file: its name (`A-2026-0001.pdf`) and its bytes. A quote
/// made before PDFs existed is only available as HTML.
pub fn quote_file(
    store: &Store,
    deal_id: Uuid,
    quote_id: Uuid,
    format: QuoteFormat,
) -> Result<(String, Vec<u8>)> {
    let deal = store.deal(deal_id)?;
    let quote = deal.quote(quote_id)?;
    match (format, &quote.doc) {
        (QuoteFormat::Pdf, Some(doc)) => Ok((format!("{}.pdf", quote.number), render_quote_pdf(doc))),
        _ => Ok((format!("{}.html", quote.number), quote.html.clone().into_bytes())),
    }
}

/// What the company profile lacks for a quote (keys of the profile; empty
/// when quotes can be made).
pub fn company_missing(store: &Store) -> Vec<&'static str> {
    store.company().missing()
}
