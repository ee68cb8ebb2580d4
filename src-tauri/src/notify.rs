//! Native notifications.

use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// Notification servers on Linux read the body as markup: user text is
/// escaped so that "<b>" or "R&D" shows as written.
fn body_text(body: &str) -> String {
    if cfg!(target_os = "linux") {
        body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        body.to_owned()
    }
}

/// Shows one native notification (not on the mock runtime in tests).
pub fn show<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    use tauri::Manager;
    if app.try_state::<tauri_plugin_notification::Notification<R>>().is_none() {
        return;
    }
    if let Err(e) = app.notification().builder().title(title).body(body_text(body)).show() {
        eprintln!("kontor: notification failed: {e}");
    }
}
