//! The rep's settings, stored in the store's meta tree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::score::{ScoringSettings, TargetProfile};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Settings {
    /// Chosen UI language; `None` follows the operating system.
    pub language: Option<Language>,
    /// Weights, half-life and thresholds of scoring.
    pub scoring: ScoringSettings,
    /// Who fits the rep's target group.
    pub target_profile: TargetProfile,
    /// Show native notifications for reminders (on by default).
    pub notifications: bool,
    /// Start Kontor at login (off by default).
    pub autostart: bool,
    /// Country whose numbering plan reads phone numbers written without a
    /// country code (ISO 3166 alpha-2, "DE" by default).
    pub phone_region: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: None,
            scoring: ScoringSettings::default(),
            target_profile: TargetProfile::default(),
            notifications: true,
            autostart: false,
            phone_region: "DE".into(),
        }
    }
}

impl Settings {
    /// The phone region as the phone-number library's id (DE when unknown).
    pub fn region(&self) -> phonenumber::country::Id {
        self.phone_region.trim().to_ascii_uppercase().parse().unwrap_or(phonenumber::country::Id::DE)
    }

    /// Checks every range.
    pub fn validate(&self) -> Result<()> {
        if self.phone_region.trim().to_ascii_uppercase().parse::<phonenumber::country::Id>().is_err() {
            return Err(Error::InvalidSettings {
                field: "phone_region",
                reason: format!("'{}' is not a country code like DE or AT", self.phone_region),
            });
        }
        self.scoring.validate().map_err(|(field, reason)| Error::InvalidSettings { field, reason })?;
        let p = &self.target_profile;
        if let (Some(min), Some(max)) = (p.size_min, p.size_max) {
            if min > max {
                return Err(Error::InvalidSettings {
                    field: "target_profile.size_min",
                    reason: format!("the smallest size {min} is above the largest {max}"),
                });
            }
        }
        Ok(())
    }
}
