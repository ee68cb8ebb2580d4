//! Deals and the pipeline board, reports, email follow-ups and quotes.

use kontor_core::api::contacts::ContactDetail;
use kontor_core::api::data;
use kontor_core::api::deals::{self, ContactDeals, DealSaved, QuoteFormat};
use kontor_core::deal::{Deal, DealInput, Quote};
use kontor_core::email::RenderedEmail;
use kontor_core::export::SavedFile;
use kontor_core::report::{Period, Report, ReportKind};
use kontor_core::texts::Text;
use kontor_core::{Language, Pipeline};
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

use super::dialog::{open_url, save_as};
use crate::error::Result;
use crate::state::{now, AppState};

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

/// A contact's deals and summary (`id` is the contact's).
#[tauri::command(async)]
pub fn contact_deals(state: State<'_, AppState>, id: Uuid) -> Result<ContactDeals> {
    Ok(deals::of_contact(&*state.store()?, id)?)
}

/// Creates a deal (an open deal makes its contact an opportunity).
#[tauri::command(async)]
pub fn create_deal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: DealInput,
) -> Result<DealSaved> {
    let saved = deals::create(&*state.store()?, &input, now())?;
    state.show_outcomes(&app, &saved.automation);
    Ok(saved)
}

/// Saves an edited deal; a different `input.stage` moves it (the lost
/// stage needs `input.lost_reason`).
#[tauri::command(async)]
pub fn update_deal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: DealInput,
) -> Result<DealSaved> {
    let saved = deals::update(&*state.store()?, id, &input, now())?;
    state.show_outcomes(&app, &saved.automation);
    Ok(saved)
}

/// Moves a deal to another stage, as a drag on the board does; the lost
/// stage without a reason is refused with `reason_required` (field `reason`).
#[tauri::command(async)]
pub fn move_deal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    stage: String,
    reason: Option<String>,
) -> Result<DealSaved> {
    let saved = deals::move_to(&*state.store()?, id, &stage, reason.as_deref(), now())?;
    state.show_outcomes(&app, &saved.automation);
    Ok(saved)
}

/// Deletes a deal; returns its contact.
#[tauri::command(async)]
pub fn delete_deal(state: State<'_, AppState>, id: Uuid) -> Result<ContactDetail> {
    Ok(deals::delete(&*state.store()?, id, now())?)
}

/// The pipeline board.
#[tauri::command(async)]
pub fn pipeline(state: State<'_, AppState>) -> Result<Pipeline> {
    Ok(state.store()?.pipeline(now())?)
}

/// One report over a period (local dates).
#[tauri::command(async)]
pub fn report(state: State<'_, AppState>, kind: ReportKind, period: Period) -> Result<Report> {
    Ok(deals::report(&*state.store()?, kind, &period, now())?)
}

/// Writes one report as CSV (in the UI language) where the native save
/// dialog says; `null` when cancelled.
#[tauri::command(async)]
pub fn export_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: ReportKind,
    period: Period,
) -> Result<Option<SavedFile>> {
    let store = state.store()?;
    let (name, csv, rows) = data::report_csv(&store, kind, &period, now())?;
    let Some(path) = save_as(&app, Text::DialogReport.get(store.language()), &name, ("CSV", &["csv"])) else {
        return Ok(None);
    };
    Ok(Some(data::save_file(&path, csv.as_bytes(), rows)?))
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

/// Opens the mail client with the (possibly edited) email and logs it as
/// an email activity.
#[tauri::command(async)]
pub fn send_email<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    contact_id: Uuid,
    email: RenderedEmail,
) -> Result<ContactDetail> {
    let changed = deals::send_email(&*state.store()?, contact_id, &email, now())?;
    open_url(&app, &changed.value.mailto);
    Ok(state.present(&app, changed).contact)
}

/// Creates a quote from a deal's line items (stored with the deal, logged on the contact).
#[tauri::command(async)]
pub fn create_quote<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    deal_id: Uuid,
    language: Language,
) -> Result<Quote> {
    let changed = deals::create_quote(&*state.store()?, deal_id, language, now())?;
    Ok(state.present(&app, changed))
}

/// Opens a quote in the default browser, for print-to-PDF.
#[tauri::command(async)]
pub fn open_quote<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    deal_id: Uuid,
    quote_id: Uuid,
) -> Result<()> {
    let (name, html) = deals::quote_file(&*state.store()?, deal_id, quote_id, QuoteFormat::Html)?;
    let dir = state.data_dir.join("quotes");
    let path = dir.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| kontor_core::Error::io(&dir, &e))?;
    data::write_file(&path, &html)?;
    open_url(&app, &format!("file://{}", path.display()));
    Ok(())
}

/// Saves a deal's quote where the native save dialog says: a PDF (an HTML
/// page for a quote made before PDFs, or when `format` asks for it); `null`
/// when cancelled.
#[tauri::command(async)]
pub fn save_quote<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    deal_id: Uuid,
    quote_id: Uuid,
    format: Option<QuoteFormat>,
) -> Result<Option<SavedFile>> {
    let store = state.store()?;
    let (name, bytes) = deals::quote_file(&store, deal_id, quote_id, format.unwrap_or(QuoteFormat::Pdf))?;
    let filter: (&str, &[&str]) =
        if name.ends_with(".pdf") { ("PDF", &["pdf"]) } else { ("HTML", &["html"]) };
    let Some(path) = save_as(&app, Text::DialogQuote.get(store.language()), &name, filter) else {
        return Ok(None);
    };
    Ok(Some(data::save_file(&path, &bytes, 1)?))
}

/// What Settings → Company lacks before a quote can be made (keys of the
/// company profile: `name`, `address`, `vat_id`, `iban`).
#[tauri::command(async)]
pub fn company_missing(state: State<'_, AppState>) -> Result<Vec<&'static str>> {
    Ok(deals::company_missing(&*state.store()?))
}
