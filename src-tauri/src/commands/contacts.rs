//! Contacts and organisations: the list, search, the contact page, stage
//! changes, activities, qualification and duplicates.

use kontor_core::duplicate::{DuplicatePair, MergePicks};
use kontor_core::{
    ActivityInput, ActivityPage, ActivityQuery, ChangedBy, Contact, ContactInput, ContactPage,
    CriteriaUpdate, ListQuery, Organization, OrganizationInput, Score, SearchQuery, SearchResults,
    StageChangeRequest, StageCounts, Store,
};
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

use crate::dto::ContactDetail;
use crate::error::Result;
use crate::state::{now, AppState};

/// The detail view of a contact the core just returned.
fn detail(store: &Store, contact: kontor_core::Result<Contact>) -> Result<ContactDetail> {
    Ok(ContactDetail::of(store, contact?, now())?)
}

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
    let store = state.store()?;
    detail(&store, store.contact(id, now()))
}

/// Creates a contact as a lead.
#[tauri::command(async)]
pub fn create_contact(state: State<'_, AppState>, input: ContactInput) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(&store, store.create_contact(&input, ChangedBy::Hand, now()))
}

/// Saves an edited contact.
#[tauri::command(async)]
pub fn update_contact<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: ContactInput,
) -> Result<ContactDetail> {
    let store = state.store()?;
    let contact = store.update_contact(id, &input, now());
    state.deliver_automation(&app);
    detail(&store, contact)
}

/// Moves a contact to another lifecycle stage.
#[tauri::command(async)]
pub fn change_stage<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    change: StageChangeRequest,
) -> Result<ContactDetail> {
    let store = state.store()?;
    let contact = store.change_stage(id, &change, ChangedBy::Hand, now());
    state.deliver_automation(&app);
    detail(&store, contact)
}

/// Organisations for the picker.
#[tauri::command(async)]
pub fn list_organizations(state: State<'_, AppState>, search: Option<String>) -> Result<Vec<Organization>> {
    Ok(state.store()?.organizations(search.as_deref(), 20)?)
}

/// Edits an organisation's name and data.
#[tauri::command(async)]
pub fn update_organization(
    state: State<'_, AppState>,
    id: Uuid,
    input: OrganizationInput,
) -> Result<Organization> {
    Ok(state.store()?.update_organization(id, &input, now())?)
}

/// Logs an activity on a contact's timeline.
#[tauri::command(async)]
pub fn log_activity<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    input: ActivityInput,
) -> Result<ContactDetail> {
    let store = state.store()?;
    let contact = store.log_activity(id, input, now()).map(|(_, contact)| contact);
    state.deliver_automation(&app);
    detail(&store, contact)
}

/// A page of a contact's timeline.
#[tauri::command(async)]
pub fn list_activities(state: State<'_, AppState>, id: Uuid, query: ActivityQuery) -> Result<ActivityPage> {
    Ok(state.store()?.list_activities(id, &query)?)
}

/// Deletes an activity; returns its contact.
#[tauri::command(async)]
pub fn delete_activity(state: State<'_, AppState>, id: Uuid) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(&store, store.delete_activity(id, now()))
}

/// Changes qualification criteria.
#[tauri::command(async)]
pub fn set_criteria<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
    criteria: CriteriaUpdate,
) -> Result<ContactDetail> {
    let store = state.store()?;
    let contact = store.set_criteria(id, &criteria, now());
    state.deliver_automation(&app);
    detail(&store, contact)
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
    let store = state.store()?;
    let contact = store.accept_proposal(id, now());
    state.deliver_automation(&app);
    detail(&store, contact)
}

/// Pairs of contacts that may be the same person.
#[tauri::command(async)]
pub fn find_duplicates(state: State<'_, AppState>) -> Result<Vec<DuplicatePair>> {
    Ok(state.store()?.duplicates(now())?)
}

/// Merges `other` into `survivor` (fields as picked; activities, tasks and deals move).
#[tauri::command(async)]
pub fn merge_contacts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    survivor: Uuid,
    other: Uuid,
    picks: MergePicks,
) -> Result<ContactDetail> {
    let store = state.store()?;
    crate::state::backup_before(&store, kontor_core::backups::Reason::Merge)?;
    let contact = store.merge_contacts(survivor, other, &picks, now());
    state.deliver_automation(&app);
    state.wake_reminders();
    detail(&store, contact)
}
