//! The Tauri commands: the UI's only way into the core. Each one takes the
//! store, makes one core call and maps the error. They run off the main thread.

use kontor_core::{
    demo, ActivityInput, ActivityPage, ActivityQuery, ChangedBy, Contact, ContactInput, ContactPage,
    CriteriaUpdate, ListQuery, Organization, OrganizationInput, Score, Settings, StageChangeRequest,
    StageCounts, Store,
};
use tauri::State;
use uuid::Uuid;

use crate::dto::{AppInfo, ContactDetail};
use crate::error::Result;
use crate::{now, AppState};

/// The detail view of a contact the core just returned.
fn detail(store: &Store, contact: kontor_core::Result<Contact>) -> Result<ContactDetail> {
    Ok(ContactDetail::of(store, contact?, now())?)
}

/// Version, OS locale and data directory.
#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// A page of contacts.
#[tauri::command(async)]
pub fn list_contacts(state: State<'_, AppState>, query: ListQuery) -> Result<ContactPage> {
    Ok(state.store()?.list_contacts(&query, now())?)
}

/// Contacts per stage (and ready to qualify), of all or those matching `search`.
#[tauri::command(async)]
pub fn stage_counts(state: State<'_, AppState>, search: Option<String>) -> Result<StageCounts> {
    Ok(state.store()?.stage_counts(search.as_deref(), now()))
}

/// One contact with the stages it can move to and its explained score.
#[tauri::command(async)]
pub fn get_contact(state: State<'_, AppState>, id: Uuid) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(store, store.contact(id, now()))
}

/// Creates a contact as a lead.
#[tauri::command(async)]
pub fn create_contact(state: State<'_, AppState>, input: ContactInput) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(store, store.create_contact(&input, ChangedBy::Hand, now()))
}

/// Saves an edited contact.
#[tauri::command(async)]
pub fn update_contact(state: State<'_, AppState>, id: Uuid, input: ContactInput) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(store, store.update_contact(id, &input, now()))
}

/// Moves a contact to another lifecycle stage.
#[tauri::command(async)]
pub fn change_stage(
    state: State<'_, AppState>,
    id: Uuid,
    change: StageChangeRequest,
) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(store, store.change_stage(id, &change, ChangedBy::Hand, now()))
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

/// The user's settings.
#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings> {
    Ok(state.store()?.settings())
}

/// Saves the user's settings.
#[tauri::command(async)]
pub fn set_settings(state: State<'_, AppState>, settings: Settings) -> Result<Settings> {
    Ok(state.store()?.set_settings(&settings)?)
}

/// Fills the store with demo contacts.
#[tauri::command(async)]
pub fn load_demo_data(state: State<'_, AppState>) -> Result<StageCounts> {
    Ok(demo::load_demo_data(state.store()?, now())?)
}

/// Logs an activity on a contact's timeline.
#[tauri::command(async)]
pub fn log_activity(state: State<'_, AppState>, id: Uuid, input: ActivityInput) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(store, store.log_activity(id, input, now()).map(|(_, contact)| contact))
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
    detail(store, store.delete_activity(id, now()))
}

/// Changes qualification criteria.
#[tauri::command(async)]
pub fn set_criteria(state: State<'_, AppState>, id: Uuid, criteria: CriteriaUpdate) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(store, store.set_criteria(id, &criteria, now()))
}

/// A contact's score with its line items.
#[tauri::command(async)]
pub fn get_score(state: State<'_, AppState>, id: Uuid) -> Result<Score> {
    Ok(state.store()?.contact_score(id, now())?)
}

/// Accepts the contact's qualification proposal (a stage change by rule).
#[tauri::command(async)]
pub fn accept_proposal(state: State<'_, AppState>, id: Uuid) -> Result<ContactDetail> {
    let store = state.store()?;
    detail(store, store.accept_proposal(id, now()))
}
