//! The application API: every use case the window or the CLI offers, one
//! function each, taking plain inputs and returning everything the caller
//! shows (as GitButler's `but-api` serves its app and CLI alike). The Tauri
//! commands and the CLI's subcommands are parse → one call here → present.
//!
//! A mutation returns [`Changed`]: its result and the outcomes of the rules
//! it fired, for the caller to show. Functions that replace or remove
//! records in bulk (import, restore, merge, erase) write an automatic backup
//! first and refuse to go on when it cannot be written.
//!
//! Time is a parameter (`now`); the rep's time zone and language are the
//! store's (told at open by the binary).

pub mod contacts;
pub mod data;
pub mod deals;
pub mod settings;
pub mod tasks;

use chrono::{DateTime, Utc};

use crate::backups::{self, Reason};
use crate::error::{Error, Result};
use crate::store::Store;

pub use crate::automation::Changed;

/// Kontor's version, as backups record it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Writes an automatic backup before a command that replaces or removes
/// records in bulk, when the store holds anything; the command is refused
/// when the backup cannot be written.
pub fn backup_before(store: &Store, reason: Reason, now: DateTime<Utc>) -> Result<()> {
    if store.record_counts()? == crate::backup_file::RecordCounts::default() {
        return Ok(());
    }
    backups::write(store, reason, VERSION, now).map(|_| ()).map_err(|e| {
        Error::Storage(format!(
            "the backup before this change could not be written ({e}); nothing was changed"
        ))
    })
}
