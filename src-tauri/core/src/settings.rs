//! The rep's settings, stored in the store's meta tree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Language {
    /// Deutsch.
    De,
    /// English.
    En,
}

/// User settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Settings {
    /// Chosen UI language; `None` follows the operating system.
    pub language: Option<Language>,
}
