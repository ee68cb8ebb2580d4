//! Updates through Tauri's updater plugin: off unless the rep asks ("Check
//! for updates" in the settings, or "at each start" turned on there). An
//! update is a signed manifest and a signed package: the plugin checks the
//! signature against the public key in `tauri.conf.json` before it installs
//! anything, and a release without one is refused.

use tauri::{AppHandle, Runtime};

use crate::dto::UpdateCheck;
use crate::error::Result;

/// Asks the update server whether a newer Kontor is published.
#[tauri::command]
pub async fn check_for_update<R: Runtime>(app: AppHandle<R>) -> Result<UpdateCheck> {
    Ok(crate::updates::check(&app).await?)
}

/// Downloads the newer Kontor, verifies its signature, installs it and
/// starts it again (the store is closed on the way out, as at "Quit").
#[tauri::command]
pub async fn install_update<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    Ok(crate::updates::install(&app).await?)
}
