//! What runs beside the window: the reminder timer, the upkeep, geocoding, the tray's counts.

use tauri::Runtime;

use crate::{geocoding, scheduler, tray, upkeep};

/// Starts the reminder timer and the upkeep, and shows the counts in the
/// tray (after the store opened, or after a recovery restored one).
pub fn start<R: Runtime>(handle: &tauri::AppHandle<R>) {
    scheduler::start(handle.clone());
    upkeep::start(handle.clone());
    geocoding::start(handle.clone());
    crate::teamsync::start(handle.clone());
    tray::refresh(handle);
}
