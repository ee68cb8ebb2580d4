//! The app's facts, the rep's settings and the demo data.

use kontor_core::{demo, Settings, StageCounts};
use tauri::{AppHandle, Runtime, State};

use crate::dto::AppInfo;
use crate::error::Result;
use crate::state::{now, AppState};

/// Version, OS locale and data directory.
#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// The user's settings.
#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings> {
    Ok(state.store()?.settings())
}

/// Saves the user's settings; "start at login" is applied to the OS.
#[tauri::command(async)]
pub fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings> {
    let saved = state.store()?.set_settings(&settings, now())?;
    crate::autostart::apply(&app, saved.autostart);
    state.wake_reminders();
    Ok(saved)
}

/// Fills the store with demo contacts.
#[tauri::command(async)]
pub fn load_demo_data(state: State<'_, AppState>) -> Result<StageCounts> {
    Ok(demo::load_demo_data(&*state.store()?, now())?)
}
