//! Start at login, through the autostart plugin's per-OS mechanism.

use tauri::{Manager, Runtime};

/// Turns "start at login" on or off in the OS (where the plugin runs).
pub fn apply<R: Runtime>(app: &tauri::AppHandle<R>, on: bool) {
    use tauri_plugin_autostart::ManagerExt;
    // Not registered on the mock runtime in tests.
    if app.try_state::<tauri_plugin_autostart::AutoLaunchManager>().is_none() {
        return;
    }
    let manager = app.autolaunch();
    // Only a change touches the OS (disabling an absent entry is an error).
    if manager.is_enabled().is_ok_and(|enabled| enabled == on) {
        return;
    }
    if let Err(e) = if on { manager.enable() } else { manager.disable() } {
        eprintln!("kontor: start at login: {e}");
    }
}
