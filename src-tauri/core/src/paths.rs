//! Where Kontor keeps its data. The desktop app and the CLI share this one
//! answer, so both open the same store by default.

use std::path::PathBuf;

/// The app identifier (also in `tauri.conf.json`); names the data directory.
pub const APP_IDENTIFIER: &str = "de.kontor.crm";

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "KONTOR_DATA_DIR";

/// `KONTOR_DATA_DIR` if set, else the OS app-local data dir
/// (`~/.local/share/de.kontor.crm` on Linux, as Tauri's `app_local_data_dir`).
pub fn default_data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_local_dir().map(|d| d.join(APP_IDENTIFIER)),
    }
}
