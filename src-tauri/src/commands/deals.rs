//! Deals and the pipeline board, reports, email follow-ups and quotes.

use kontor_core::deal::{ContactDealsSummary, Deal, DealInput, Quote};
use kontor_core::email::{mailto, RenderedEmail};
use kontor_core::export::SavedFile;
use kontor_core::report::{Period, Report, ReportKind};
use kontor_core::{AutomationOutcome, Language, Pipeline};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;
use uuid::Uuid;

use super::dialog::{file_name, german, open_url, save_as, write_file};
use crate::dto::ContactDetail;
use crate::error::Result;
use crate::state::{now, AppState};

/// A saved deal and what the rules did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealSaved {
    /// The deal as stored.
    pub deal: Deal,
    /// Its contact after lifecycle coupling.
    pub contact: ContactDetail,
    /// Rule outcomes.
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

fn saved<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    deal: Deal,
    mut automation: Vec<AutomationOutcome>,
) -> Result<DealSaved> {
    let store = state.store()?;
    automation.extend(state.deliver_automation(app));
    let contact = ContactDetail::of(&store, store.contact(deal.contact_id, now())?, now())?;
    Ok(DealSaved { deal, contact, automation })
}

/// Deals, of one stage or all.
#[tauri::command(async)]
pub fn list_deals(state: State<'_, AppState>, stage: Option<String>) -> Result<Vec<Deal>> {
    Ok(state.store()?.deals(stage.as_deref())?)
}

/// One deal.
#[tauri::command(async)]
pub fn get_deal(state: State<'_, AppState>, id: Uuid) -> Result<Deal> {
    Ok(state.store()?.deal(id)?)
}

/// A contact's deals and summary.
#[tauri::command(async)]
pub fn contact_deals(state: State<'_, AppState>, id: Uuid) -> Result<ContactDeals> {
    let store = state.store()?;
    Ok(ContactDeals { deals: store.contact_deals(id)?, summary: store.contact_deal_summary(id)? })
}

/// Creates a deal (an open deal makes its contact an opportunity).
#[tauri::command(async)]
pub fn create_deal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: DealInput,
) -> Result<DealSaved> {
    let deal = state.store()?.create_deal(&input, now())?;
    saved(&app, &state, deal, vec![])
}

/// Saves an edited deal.
#[tauri::command(async)]
pub fn update_deal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: DealInput,
) -> Result<DealSaved> {
    let deal = state.store()?.update_deal(id, &input, now())?;
    saved(&app, &state, deal, vec![])
}

/// Moves a deal to another stage (lost needs a reason), as a drag on the board does.
#[tauri::command(async)]
pub fn move_deal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    stage: String,
    reason: Option<String>,
) -> Result<DealSaved> {
    let moved = state.store()?.move_deal(id, &stage, reason.as_deref(), now())?;
    state.notify_outcomes(&app, &moved.automation);
    saved(&app, &state, moved.deal, moved.automation)
}

/// Deletes a deal.
#[tauri::command(async)]
pub fn delete_deal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<ContactDetail> {
    let store = state.store()?;
    let contact = store.delete_deal(id, now())?;
    state.deliver_automation(&app);
    Ok(ContactDetail::of(&store, contact, now())?)
}

/// The pipeline board.
#[tauri::command(async)]
pub fn pipeline(state: State<'_, AppState>) -> Result<Pipeline> {
    Ok(state.store()?.pipeline(now())?)
}

/// One report over a period (local dates).
#[tauri::command(async)]
pub fn report(state: State<'_, AppState>, kind: ReportKind, period: Period) -> Result<Report> {
    Ok(state.store()?.report(kind, &period, state.tz, now())?)
}

/// Writes one report as CSV (in the UI language) to a file the user picks.
#[tauri::command(async)]
pub fn export_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: ReportKind,
    period: Period,
) -> Result<Option<SavedFile>> {
    let store = state.store()?;
    let report = store.report(kind, &period, state.tz, now())?;
    let language = state.language();
    let key = serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let name = format!("{}-{key}.csv", if language == Language::De { "bericht" } else { "report" });
    let title = if language == Language::De { "Bericht exportieren" } else { "Export report" };
    let Some(path) = save_as(&app, title, &name, ("CSV", &["csv"])) else {
        return Ok(None);
    };
    let csv = report.to_csv(language);
    write_file(&path, csv.as_bytes())?;
    Ok(Some(SavedFile { name: file_name(&path), count: csv.lines().count().saturating_sub(1) as u32 }))
}

/// Fills an email template for a contact (and deal).
#[tauri::command(async)]
pub fn render_email(
    state: State<'_, AppState>,
    template_id: String,
    contact_id: Uuid,
    deal_id: Option<Uuid>,
) -> Result<RenderedEmail> {
    Ok(state.store()?.render_email(&template_id, contact_id, deal_id, now())?)
}

/// Hands the (possibly edited) email to the user's mail client and logs it
/// as an email activity.
#[tauri::command(async)]
pub fn send_email<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    contact_id: Uuid,
    email: RenderedEmail,
) -> Result<ContactDetail> {
    let email = RenderedEmail { mailto: mailto(&email.to, &email.subject, &email.body), ..email };
    open_url(&app, &email.mailto);
    let store = state.store()?;
    let (_, contact) = store.log_email_sent(contact_id, &email, now())?;
    state.deliver_automation(&app);
    Ok(ContactDetail::of(&store, contact, now())?)
}

/// Creates a quote from a deal's line items (stored with the deal, logged on the contact).
#[tauri::command(async)]
pub fn create_quote<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    deal_id: Uuid,
    language: kontor_core::Language,
) -> Result<Quote> {
    let quote = state.store()?.create_quote(deal_id, language, now())?;
    state.deliver_automation(&app);
    Ok(quote)
}

/// Opens a quote in the default browser for printing (to PDF).
#[tauri::command(async)]
pub fn open_quote<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    deal_id: Uuid,
    quote_id: Uuid,
) -> Result<()> {
    let deal = state.store()?.deal(deal_id)?;
    let quote = deal.quote(quote_id)?;
    let dir = state.data_dir.join("quotes");
    let path = dir.join(format!("{}.html", quote.number));
    std::fs::create_dir_all(&dir)
        .and_then(|()| kontor_core::paths::write_private(&path, quote.html.as_bytes()))
        .map_err(|e| kontor_core::Error::io(&path, &e))?;
    open_url(&app, &format!("file://{}", path.display()));
    Ok(())
}

/// Saves a deal's quote as an HTML file the user picks (print it to PDF).
#[tauri::command(async)]
pub fn save_quote<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    deal_id: Uuid,
    quote_id: Uuid,
) -> Result<Option<SavedFile>> {
    let deal = state.store()?.deal(deal_id)?;
    let quote = deal.quote(quote_id)?;
    let de = german(&state, &app);
    let title = if de { "Angebot speichern" } else { "Save quote" };
    let Some(path) = save_as(&app, title, &format!("{}.html", quote.number), ("HTML", &["html"])) else {
        return Ok(None);
    };
    write_file(&path, quote.html.as_bytes())?;
    Ok(Some(SavedFile { name: file_name(&path), count: 1 }))
}
