//! Contacts and organisations: the list, search, the contact page, stage
//! changes, activities, qualification and duplicates.

use kontor_core::api::contacts::{self, ContactDetail};
use kontor_core::automation::AutomationOutcome;
use kontor_core::duplicate::{DuplicatePair, MergePicks};
use kontor_core::store::{BulkChange, BulkOutcome, UndoOutcome};
use kontor_core::{
    ActivityInput, ActivityPage, ActivityQuery, ContactInput, ContactPage, CriteriaUpdate, ListQuery,
    Organization, OrganizationInput, Score, SearchQuery, SearchResults, StageChangeRequest, StageCounts,
};
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

use crate::error::Result;
use crate::state::{now, AppState};

/// A page of contacts.
#[tauri::command(async)]
pub fn list_contacts(state: State<'_, AppState>, query: ListQuery) -> Result<ContactPage> {
    Ok(state.store()?.list_contacts(&query, now())?)
}

/// Contacts, organisations and deals matching a search, best first.
#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, query: SearchQuery) -> Result<SearchResults> {
    Ok(state.store()?.search(&query)?)
}

/// Contacts per stage (and ready to qualify), of all or those matching `search`.
#[tauri::command(async)]
pub fn stage_counts(state: State<'_, AppState>, search: Option<String>) -> Result<StageCounts> {
    Ok(state.store()?.stage_counts(search.as_deref(), now())?)
}

/// One contact with the stages it can move to and its explained score.
#[tauri::command(async)]
pub fn get_contact(state: State<'_, AppState>, id: Uuid) -> Result<ContactDetail> {
    Ok(contacts::detail(&*state.store()?, id, now())?)
}

/// Every problem of a contact's input (the form marks them all before saving).
#[tauri::command(async)]
pub fn check_contact(state: State<'_, AppState>, input: ContactInput) -> Result<Vec<contacts::InputProblem>> {
    Ok(contacts::problems(&*state.store()?, &input))
}

/// Creates a contact as a lead.
#[tauri::command(async)]
pub fn create_contact(state: State<'_, AppState>, input: ContactInput) -> Result<ContactDetail> {
    Ok(contacts::create(&*state.store()?, &input, now())?)
}

/// Saves an edited contact.
#[tauri::command(async)]
pub fn update_contact<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: ContactInput,
) -> Result<ContactDetail> {
    let changed = contacts::update(&*state.store()?, id, &input, now())?;
    Ok(state.present(&app, changed))
}

/// Moves a contact to another lifecycle stage.
#[tauri::command(async)]
pub fn change_stage<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    change: StageChangeRequest,
) -> Result<ContactDetail> {
    let changed = contacts::change_stage(&*state.store()?, id, &change, now())?;
    Ok(state.present(&app, changed))
}

/// Organisations for the picker.
#[tauri::command(async)]
pub fn list_organizations(state: State<'_, AppState>, search: Option<String>) -> Result<Vec<Organization>> {
    Ok(state.store()?.organizations(search.as_deref(), 20)?)
}

/// Organisations with their counts of contacts and open deals: matching
/// `search` (best first), else all by name.
#[tauri::command(async)]
pub fn organization_summaries(
    state: State<'_, AppState>,
    search: Option<String>,
) -> Result<Vec<contacts::OrganizationSummary>> {
    Ok(contacts::organizations(&*state.store()?, search.as_deref())?)
}

/// One organisation's page: its data, contacts, deals, newest activities and open tasks.
#[tauri::command(async)]
pub fn get_organization(state: State<'_, AppState>, id: Uuid) -> Result<contacts::OrganizationDetail> {
    Ok(contacts::organization(&*state.store()?, id, now())?)
}

/// Creates an organisation of its own.
#[tauri::command(async)]
pub fn create_organization(state: State<'_, AppState>, input: OrganizationInput) -> Result<Organization> {
    Ok(contacts::create_organization(&*state.store()?, &input, now())?)
}

/// Merges organisation `other` into `survivor`; returns the survivor's page.
#[tauri::command(async)]
pub fn merge_organizations<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    survivor: Uuid,
    other: Uuid,
) -> Result<contacts::OrganizationDetail> {
    let changed = contacts::merge_organizations(&*state.store()?, survivor, other, now())?;
    Ok(state.present(&app, changed))
}

/// Edits an organisation's name and data.
#[tauri::command(async)]
pub fn update_organization<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: OrganizationInput,
) -> Result<Organization> {
    let changed = contacts::update_organization(&*state.store()?, id, &input, now())?;
    Ok(state.present(&app, changed))
}

/// Logs an activity on a contact's timeline; returns the contact.
#[tauri::command(async)]
pub fn log_activity<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: ActivityInput,
) -> Result<ContactDetail> {
    let changed = contacts::log_activity(&*state.store()?, id, input, now())?;
    Ok(state.present(&app, changed))
}

/// Edits an activity (`id` is the activity's); the version it replaces
/// stays in its history. Returns the contact.
#[tauri::command(async)]
pub fn update_activity<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: ActivityInput,
) -> Result<ContactDetail> {
    let changed = contacts::update_activity(&*state.store()?, id, input, now())?;
    Ok(state.present(&app, changed))
}

/// A page of a contact's timeline (`id` is the contact's).
#[tauri::command(async)]
pub fn list_activities(state: State<'_, AppState>, id: Uuid, query: ActivityQuery) -> Result<ActivityPage> {
    Ok(state.store()?.list_activities(id, &query)?)
}

/// Deletes an activity (`id` is the activity's); returns the contact it belonged to.
#[tauri::command(async)]
pub fn delete_activity(state: State<'_, AppState>, id: Uuid) -> Result<ContactDetail> {
    Ok(contacts::delete_activity(&*state.store()?, id, now())?)
}

/// Changes qualification criteria.
#[tauri::command(async)]
pub fn set_criteria<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    criteria: CriteriaUpdate,
) -> Result<ContactDetail> {
    let changed = contacts::set_criteria(&*state.store()?, id, &criteria, now())?;
    Ok(state.present(&app, changed))
}

/// A contact's score with its line items.
#[tauri::command(async)]
pub fn get_score(state: State<'_, AppState>, id: Uuid) -> Result<Score> {
    Ok(state.store()?.contact_score(id, now())?)
}

/// Accepts the contact's qualification proposal (a stage change by rule).
#[tauri::command(async)]
pub fn accept_proposal<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<ContactDetail> {
    let changed = contacts::accept_proposal(&*state.store()?, id, now())?;
    Ok(state.present(&app, changed))
}

/// Pairs of contacts that may be the same person.
#[tauri::command(async)]
pub fn find_duplicates(state: State<'_, AppState>) -> Result<Vec<DuplicatePair>> {
    Ok(state.store()?.duplicates(now())?)
}

/// Merges `other` into `survivor` (fields as picked; activities, tasks and
/// deals move) after an automatic backup; returns the survivor.
#[tauri::command(async)]
pub fn merge_contacts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    survivor: Uuid,
    other: Uuid,
    picks: MergePicks,
) -> Result<ContactDetail> {
    let changed = contacts::merge(&*state.store()?, survivor, other, &picks, now())?;
    state.wake_reminders();
    Ok(state.present(&app, changed))
}

/// How many contacts each saved view lists now (in the settings' order).
#[tauri::command(async)]
pub fn view_counts(state: State<'_, AppState>) -> Result<Vec<kontor_core::filter::ViewCount>> {
    Ok(contacts::view_counts(&*state.store()?, now())?)
}

/// Applies one change (stage, tag, a task each) to many contacts in one
/// transaction; the outcome's `undo` takes it back.
#[tauri::command(async)]
pub fn bulk_change(state: State<'_, AppState>, ids: Vec<Uuid>, change: BulkChange) -> Result<BulkOutcome> {
    let outcome = contacts::bulk(&*state.store()?, &ids, &change, now())?;
    let made_tasks = matches!(change, BulkChange::Task { .. })
        || outcome.automation.iter().any(|o| matches!(o, AutomationOutcome::TaskCreated { .. }));
    if made_tasks {
        state.wake_reminders();
    }
    Ok(outcome)
}

/// Takes a bulk change back (contacts changed since stay as they are).
#[tauri::command(async)]
pub fn undo_bulk(state: State<'_, AppState>, token: Uuid) -> Result<UndoOutcome> {
    let outcome = contacts::undo_bulk(&*state.store()?, token, now())?;
    state.wake_reminders();
    Ok(outcome)
}

/// Remembers that two contacts are two people: the pair is no longer offered.
#[tauri::command(async)]
pub fn dismiss_duplicate(state: State<'_, AppState>, a: Uuid, b: Uuid) -> Result<()> {
    Ok(contacts::dismiss_duplicate(&*state.store()?, a, b, now())?)
}

/// Opens a mailto:, tel: or web link with the system's handler (the mail
/// program, the phone app, the browser); other schemes are refused.
#[tauri::command(async)]
pub fn open_link<R: Runtime>(app: AppHandle<R>, url: String) -> Result<()> {
    let lower = url.trim().to_ascii_lowercase();
    if !["mailto:", "tel:", "https://", "http://"].iter().any(|scheme| lower.starts_with(scheme)) {
        let reason = "only mailto:, tel: and web links open".into();
        return Err(kontor_core::Error::InvalidInput { field: "url", reason }.into());
    }
    super::dialog::open_url(&app, url.trim());
    Ok(())
}
