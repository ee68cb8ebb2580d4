//! The field day: the calendar (appointments, tasks due), the calendar
//! file, day plans, check-in and the visit report, nearby customers, pins
//! and the mileage log. A change to appointments wakes the reminder timer
//! and rewrites the calendar file a calendar program may subscribe to.

use chrono::{DateTime, NaiveDate, Utc};
use kontor_core::api::field::{
    self, AppointmentItem, CalendarDays, CheckedOut, DayPlanning, NearbyOf, PlanRequest, VisitReport,
};
use kontor_core::appointment::AppointmentInput;
use kontor_core::geo::Pin;
use kontor_core::mileage::{Trip, TripInput};
use kontor_core::store::{CalendarImport, Nearby};
use kontor_core::texts::Text;
use kontor_core::Store;
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

use super::dialog::{pick, save_as};
use crate::error::Result;
use crate::state::{now, AppState};

/// After appointments changed: the next reminder, and the calendar file.
fn appointments_changed(state: &AppState, store: &Store) {
    state.wake_reminders();
    if let Err(e) = field::refresh_calendar_file(store, now()) {
        eprintln!("kontor: cannot write the calendar file: {e}");
    }
}

/// The calendar's days: appointments and the tasks due.
#[tauri::command(async)]
pub fn calendar_days(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate) -> Result<CalendarDays> {
    Ok(field::calendar(&*state.store()?, from, to, now())?)
}

/// A contact's appointments.
#[tauri::command(async)]
pub fn contact_appointments(state: State<'_, AppState>, id: Uuid) -> Result<Vec<AppointmentItem>> {
    let store = state.store()?;
    Ok(store.contact_appointments(id)?.into_iter().map(|a| AppointmentItem::of(&store, a)).collect())
}

/// Creates an appointment.
#[tauri::command(async)]
pub fn create_appointment(state: State<'_, AppState>, input: AppointmentInput) -> Result<AppointmentItem> {
    let store = state.store()?;
    let a = store.create_appointment(input, store.time_zone(), now())?;
    appointments_changed(&state, &store);
    Ok(AppointmentItem::of(&store, a))
}

/// Saves an edited appointment.
#[tauri::command(async)]
pub fn update_appointment(
    state: State<'_, AppState>,
    id: Uuid,
    input: AppointmentInput,
) -> Result<AppointmentItem> {
    let store = state.store()?;
    let a = store.update_appointment(id, input, store.time_zone(), now())?;
    appointments_changed(&state, &store);
    Ok(AppointmentItem::of(&store, a))
}

/// Moves an appointment to start at `start` (its length stays).
#[tauri::command(async)]
pub fn move_appointment(
    state: State<'_, AppState>,
    id: Uuid,
    start: DateTime<Utc>,
) -> Result<AppointmentItem> {
    let store = state.store()?;
    let a = store.move_appointment(id, start, store.time_zone(), now())?;
    appointments_changed(&state, &store);
    Ok(AppointmentItem::of(&store, a))
}

/// Deletes an appointment.
#[tauri::command(async)]
pub fn delete_appointment(state: State<'_, AppState>, id: Uuid) -> Result<()> {
    let store = state.store()?;
    store.delete_appointment(id, now())?;
    appointments_changed(&state, &store);
    Ok(())
}

/// Writes the calendar as an .ics file where the native save dialog says;
/// `null` when cancelled. Returns the file's name.
#[tauri::command(async)]
pub fn export_calendar<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<String>> {
    let store = state.store()?;
    let title = Text::DialogCalendarExport.get(store.language());
    let Some(path) = save_as(&app, title, "Kontor.ics", ("iCalendar", &["ics"])) else {
        return Ok(None);
    };
    let text = store.export_calendar(None, None, store.time_zone(), now())?;
    let saved = kontor_core::api::data::save_file(&path, text.as_bytes(), 0)?;
    Ok(Some(saved.name))
}

/// Imports an .ics file picked in the native open dialog; `null` when cancelled.
#[tauri::command(async)]
pub fn import_calendar<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<CalendarImport>> {
    let title = Text::DialogCalendarImport.get(state.language());
    let Some(path) = pick(&app, title, &[("iCalendar", &["ics", "ical", "ifb"])]) else {
        return Ok(None);
    };
    let store = state.store()?;
    let bytes = std::fs::read(&path).map_err(|e| kontor_core::Error::io(&path, &e))?;
    // Outlook writes UTF-8; an older file may be Windows-1252.
    let text =
        String::from_utf8(bytes.clone()).unwrap_or_else(|_| bytes.iter().map(|&b| char::from(b)).collect());
    let report = store.import_calendar(&text, store.time_zone(), now())?;
    appointments_changed(&state, &store);
    Ok(Some(report))
}

/// Picks the file the app keeps current with the calendar (Settings →
/// Field); `null` when cancelled. Saved with the settings.
#[tauri::command(async)]
pub fn pick_calendar_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<String>> {
    let title = Text::DialogCalendarFile.get(state.language());
    Ok(save_as(&app, title, "Kontor.ics", ("iCalendar", &["ics"])).map(|p| p.display().to_string()))
}

/// A day's suggestions and plan.
#[tauri::command(async)]
pub fn plan_visits(state: State<'_, AppState>, request: PlanRequest) -> Result<DayPlanning> {
    let store = state.store()?;
    let geocoder = field::geocoder(&store);
    Ok(field::plan_visits(&store, &request, geocoder.as_ref(), now())?)
}

/// Plans the day as asked and puts its visits in the calendar.
#[tauri::command(async)]
pub fn save_day_plan(state: State<'_, AppState>, request: PlanRequest) -> Result<Vec<AppointmentItem>> {
    let store = state.store()?;
    let geocoder = field::geocoder(&store);
    let planning = field::plan_visits(&store, &request, geocoder.as_ref(), now())?;
    let saved = field::save_plan(&store, &planning.plan, store.language(), now())?;
    appointments_changed(&state, &store);
    Ok(saved.into_iter().map(|a| AppointmentItem::of(&store, a)).collect())
}

/// Opens a URL (a route in the map app, a `geo:` link) with the system's handler.
#[tauri::command(async)]
pub fn open_map<R: Runtime>(app: AppHandle<R>, url: String) -> Result<()> {
    let url = url.trim();
    if url.starts_with("https://") || url.starts_with("geo:") {
        super::dialog::open_url(&app, url);
    }
    Ok(())
}

/// Checks in at an appointment (where the OS says the rep is, if it says).
#[tauri::command(async)]
pub fn check_in(state: State<'_, AppState>, id: Uuid, location: Option<Pin>) -> Result<AppointmentItem> {
    let store = state.store()?;
    let a = field::check_in(&store, id, location.map(|p| (p.lat, p.lon)), now())?;
    Ok(AppointmentItem::of(&store, a))
}

/// Checks out with the visit report.
#[tauri::command(async)]
pub fn check_out(state: State<'_, AppState>, id: Uuid, report: VisitReport) -> Result<CheckedOut> {
    let store = state.store()?;
    let done = field::check_out(&store, id, &report, store.language(), now())?;
    appointments_changed(&state, &store);
    Ok(done)
}

/// Customers within `km` of a contact, nearest first.
#[tauri::command(async)]
pub fn nearby_contacts(state: State<'_, AppState>, id: Uuid, km: f64) -> Result<Vec<Nearby>> {
    Ok(field::nearby(&*state.store()?, NearbyOf::Contact(id), km, NEARBY_SHOWN, None, now())?)
}

/// Customers within `km` of an address (looked up when online and not
/// known, else placed by its postcode), nearest first.
#[tauri::command(async)]
pub fn nearby_address(state: State<'_, AppState>, address: String, km: f64) -> Result<Vec<Nearby>> {
    let store = state.store()?;
    let geocoder = field::geocoder(&store);
    Ok(field::nearby(&store, NearbyOf::Address(&address), km, NEARBY_SHOWN, geocoder.as_ref(), now())?)
}

/// How many nearby customers the window lists.
const NEARBY_SHOWN: usize = 50;

/// Where a contact is (pin, geocoded address or postcode estimate), if known.
#[tauri::command(async)]
pub fn contact_position(
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<Option<kontor_core::store::Position>> {
    let store = state.store()?;
    Ok(store.position_of(&store.contact(id, now())?)?)
}

/// Sets or clears a contact's pin.
#[tauri::command(async)]
pub fn pin_contact(state: State<'_, AppState>, id: Uuid, pin: Option<Pin>) -> Result<()> {
    kontor_core::api::contacts::pin_contact(&*state.store()?, id, pin, now())?;
    Ok(())
}

/// The mileage log between two days, with the corrections of its entries.
#[tauri::command(async)]
pub fn list_trips(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Trip>> {
    Ok(state.store()?.trips(Some(from), Some(to))?)
}

/// A trip proposed from a day's visits.
#[tauri::command(async)]
pub fn propose_trip(state: State<'_, AppState>, date: String) -> Result<TripInput> {
    Ok(field::propose_trip(&*state.store()?, &date, now())?)
}

/// Adds a trip (or a correction) to the mileage log.
#[tauri::command(async)]
pub fn add_trip(state: State<'_, AppState>, input: TripInput) -> Result<Trip> {
    Ok(state.store()?.add_trip(input, now())?)
}

/// Exports a month ("YYYY-MM") or year of the mileage log as CSV or a
/// printable HTML document where the native save dialog says; `null` when
/// cancelled. Returns the file's name.
#[tauri::command(async)]
pub fn export_mileage<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    period: String,
    html: bool,
) -> Result<Option<String>> {
    let store = state.store()?;
    let (name, bytes) = field::mileage_document(&store, &period, html)?;
    let filter = if html { ("HTML", &["html"][..]) } else { ("CSV", &["csv"][..]) };
    let Some(path) = save_as(&app, Text::DialogMileage.get(store.language()), &name, filter) else {
        return Ok(None);
    };
    Ok(Some(kontor_core::api::data::save_file(&path, &bytes, 0)?.name))
}
