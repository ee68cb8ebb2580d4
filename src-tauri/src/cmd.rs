//! The Tauri commands: the UI's only way into the core. Each one takes the
//! store, makes one core call and maps the error. They run off the main thread.

use kontor_core::{
    demo, ChangedBy, ContactInput, ContactPage, ListQuery, Organization, Settings, StageChangeRequest,
    StageCounts,
};
use tauri::State;
use uuid::Uuid;

use crate::dto::{AppInfo, ContactDetail};
use crate::error::Result;
use crate::{now, AppState};

/// Version, OS locale and data directory.
#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// A page of contacts.
#[tauri::command(async)]
pub fn list_contacts(state: State<'_, AppState>, query: ListQuery) -> Result<ContactPage> {
    Ok(state.store()?.list_contacts(&query)?)
}

/// Contacts per stage, of all or those matching `search`.
#[tauri::command(async)]
pub fn stage_counts(state: State<'_, AppState>, search: Option<String>) -> Result<StageCounts> {
    Ok(state.store()?.stage_counts(search.as_deref()))
}

/// One contact with the stages it can move to.
#[tauri::command(async)]
pub fn get_contact(state: State<'_, AppState>, id: Uuid) -> Result<ContactDetail> {
    Ok(state.store()?.contact(id)?.into())
}

/// Creates a contact as a lead.
#[tauri::command(async)]
pub fn create_contact(state: State<'_, AppState>, input: ContactInput) -> Result<ContactDetail> {
    Ok(state.store()?.create_contact(&input, ChangedBy::Hand, now())?.into())
}

/// Saves an edited contact.
#[tauri::command(async)]
pub fn update_contact(state: State<'_, AppState>, id: Uuid, input: ContactInput) -> Result<ContactDetail> {
    Ok(state.store()?.update_contact(id, &input, now())?.into())
}

/// Moves a contact to another lifecycle stage.
#[tauri::command(async)]
pub fn change_stage(
    state: State<'_, AppState>,
    id: Uuid,
    change: StageChangeRequest,
) -> Result<ContactDetail> {
    Ok(state.store()?.change_stage(id, &change, ChangedBy::Hand, now())?.into())
}

/// Organisations for the picker.
#[tauri::command(async)]
pub fn list_organizations(state: State<'_, AppState>, search: Option<String>) -> Result<Vec<Organization>> {
    Ok(state.store()?.organizations(search.as_deref(), 20)?)
}

/// The user's settings.
#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings> {
    Ok(state.store()?.settings()?)
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
