//! Native file dialogs, and URLs opened with the system's handler. The UI
//! never sends a path: a command opens the dialog itself and keeps what
//! the user picked in [`crate::state::Picked`], so the file scope is
//! exactly what the user chose.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::state::{AppState, DialogAnswer};

/// The native open dialog (`None` when cancelled or without a window system).
pub(super) fn pick<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    filters: &[(&str, &[&str])],
) -> Option<PathBuf> {
    if let Some(answer) = app.state::<AppState>().picked.next_dialog_answer() {
        return match answer {
            DialogAnswer::File(path) => Some(path),
            DialogAnswer::Cancel | DialogAnswer::ProposedIn(_) => None,
        };
    }
    let mut dialog = app.dialog().file().set_title(title);
    for (name, extensions) in filters {
        dialog = dialog.add_filter(*name, extensions);
    }
    dialog.blocking_pick_file().and_then(|p| p.into_path().ok())
}

/// The native save dialog with a proposed file name.
pub(super) fn save_as<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    name: &str,
    filter: (&str, &[&str]),
) -> Option<PathBuf> {
    if let Some(answer) = app.state::<AppState>().picked.next_dialog_answer() {
        return match answer {
            DialogAnswer::File(path) => Some(path),
            DialogAnswer::ProposedIn(dir) => Some(dir.join(name)),
            DialogAnswer::Cancel => None,
        };
    }
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(name)
        .add_filter(filter.0, filter.1)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Opens a URL with the system's handler (mail client, browser).
pub(super) fn open_url<R: Runtime>(app: &AppHandle<R>, url: &str) {
    use tauri::Manager;
    use tauri_plugin_opener::OpenerExt;
    // Not registered on the mock runtime in tests.
    if app.try_state::<tauri_plugin_opener::Opener<R>>().is_none() {
        return;
    }
    if let Err(e) = app.opener().open_url(url, None::<&str>) {
        eprintln!("kontor: cannot open {url}: {e}");
    }
}
