//! Native file dialogs and the files written where the user picked. The UI
//! never sends a path: a command opens the dialog itself and keeps what the
//! user picked in [`crate::state::Picked`], so the file scope is exactly
//! what the user chose.

use std::path::{Path, PathBuf};

use kontor_core::Language;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::Result;
use crate::state::AppState;

/// A file's name without its directory.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

pub(super) fn io(path: &Path, e: &std::io::Error) -> crate::error::Error {
    kontor_core::Error::io(path, e).into()
}

pub(super) fn no_file(what: &'static str) -> crate::error::Error {
    kontor_core::Error::InvalidInput { field: "file", reason: format!("no {what} file chosen") }.into()
}

/// Writes an owner-only file through a temporary one, so a failed write
/// leaves no half file.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    kontor_core::paths::write_private(path, bytes).map_err(|e| io(path, &e))
}

/// The native open dialog (`None` when cancelled or without a window system).
pub(super) fn pick<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    filters: &[(&str, &[&str])],
) -> Option<PathBuf> {
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
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(name)
        .add_filter(filter.0, filter.1)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

pub(super) fn german<R: Runtime>(state: &AppState, _app: &AppHandle<R>) -> bool {
    state.language() == Language::De
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
