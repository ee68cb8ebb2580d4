//! Shapes the UI receives that only the app has (the core's API has the rest). TypeScript bindings are
//! generated from these and the core's types by ts-rs (`cargo test`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Facts about the running app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// App version.
    pub version: String,
    /// OS locale, BCP 47 ("de-DE"): how dates are written.
    pub locale: String,
    /// The language the OS locale asks for (`Language::from_locale`), the
    /// UI's while the rep has chosen none.
    pub os_language: kontor_core::Language,
    /// Where the store lives.
    pub data_dir: String,
    /// Whether the store's search and list index is being rebuilt (lists
    /// may be incomplete until the `index-rebuilt` event).
    pub rebuilding: bool,
    /// Why the store could not be opened (the UI then offers recovery).
    pub store_error: Option<crate::error::ErrorPayload>,
    /// The newest verified automatic backup.
    pub latest_backup: Option<kontor_core::backups::BackupEntry>,
    /// Whether other users can read the data directory.
    pub exposed: bool,
}

/// What "Check for updates" found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateCheck {
    /// The running version.
    pub current: String,
    /// The newer version the update server offers, if any.
    pub available: Option<AvailableUpdate>,
}

/// A newer Kontor on the update server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AvailableUpdate {
    /// Its version ("0.3.0").
    pub version: String,
    /// When it was published, as the manifest says (RFC 3339).
    pub date: Option<String>,
    /// Its release notes.
    pub notes: Option<String>,
}
