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
pub mod field;
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

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use crate::activity::ActivityKind;
    use crate::criteria::{Answer, Criteria};
    use crate::error::ErrorCode;
    use crate::score::{HALF_LIFE_DAYS, POINTS_MAX, THRESHOLD_MAX};
    use crate::settings::Settings;

    fn list(items: impl IntoIterator<Item = &'static str>) -> String {
        items.into_iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
    }

    /// Writes the constants the UI needs from the core (codes, kinds,
    /// criteria, defaults, validation ranges); the test command fails when
    /// the written file differs from the one in git.
    #[test]
    fn the_ui_gets_the_core_constants() {
        let mut out = String::from(
            "// Generated from the core by `the_ui_gets_the_core_constants`\n\
             // (src-tauri/core/src/api/mod.rs); do not edit.\n\
             import type { ActivityKind } from \"../bindings/ActivityKind\";\n\
             import type { Answer } from \"../bindings/Answer\";\n\
             import type { Criteria } from \"../bindings/Criteria\";\n\
             import type { ErrorCode } from \"../bindings/ErrorCode\";\n\
             import type { Settings } from \"../bindings/Settings\";\n\n",
        );
        let codes = list(ErrorCode::ALL.map(ErrorCode::as_str));
        let _ = writeln!(out, "/** Every error code the backend sends. */\nexport const ERROR_CODES: readonly ErrorCode[] = [{codes}];");
        let kinds = list(ActivityKind::ALL.map(ActivityKind::key));
        let _ = writeln!(out, "/** The activity kinds, in the order they are offered. */\nexport const ACTIVITY_KINDS: readonly ActivityKind[] = [{kinds}];");
        let criteria = list(Criteria::NAMES);
        let _ = writeln!(out, "/** The qualification criteria, in the order they are shown. */\nexport const CRITERIA: readonly (keyof Criteria)[] = [{criteria}];");
        let answers = list(Answer::ALL.map(Answer::key));
        let _ = writeln!(
            out,
            "/** The answers a criterion takes. */\nexport const ANSWERS: readonly Answer[] = [{answers}];"
        );
        let defaults = serde_json::to_string_pretty(&Settings::default()).unwrap();
        let _ = writeln!(out, "/** The settings a new store starts with. */\nexport const DEFAULT_SETTINGS: Settings = {defaults};");
        let reminders = crate::task::DEFAULT_REMINDERS.map(|m| m.to_string()).join(", ");
        let _ = writeln!(
            out,
            "/** The reminders a new task starts with, in minutes before due (0: at due; all day: 09:00). */\nexport const DEFAULT_REMINDERS: readonly number[] = [{reminders}];"
        );
        let hour = crate::task::ALL_DAY_REMINDER_HOUR;
        let _ = writeln!(
            out,
            "/** The local hour an all-day task reminds at. */\nexport const ALL_DAY_REMINDER_HOUR = {hour};"
        );
        let (shortest, longest) = HALF_LIFE_DAYS;
        let _ = writeln!(
            out,
            "/** The ranges the backend accepts in the scoring settings. */\nexport const LIMITS = {{\n  points: {{ min: 0, max: {POINTS_MAX} }},\n  half_life_days: {{ min: {shortest}, max: {longest} }},\n  threshold: {{ min: 0, max: {THRESHOLD_MAX} }},\n}} as const;"
        );
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/generated/core.ts");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(out.as_str()) {
            std::fs::write(&path, out).unwrap();
        }
    }
}
