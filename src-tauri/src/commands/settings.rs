//! The app's facts, the rep's settings and the demo data.

use kontor_core::api::settings::{self, SettingsSaved};
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

/// Saves the user's settings ("start at login" is applied to the OS) and
/// says which contacts the change made ready to qualify.
#[tauri::command(async)]
pub fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<SettingsSaved> {
    let changed = settings::save(&*state.store()?, &settings, now())?;
    crate::autostart::apply(&app, changed.value.settings.autostart);
    state.wake_reminders();
    Ok(state.present(&app, changed))
}

/// Fills the store with demo contacts.
#[tauri::command(async)]
pub fn load_demo_data(state: State<'_, AppState>) -> Result<StageCounts> {
    Ok(demo::load_demo_data(&*state.store()?, now())?)
}
