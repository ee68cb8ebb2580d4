//! The rep's settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Changed;
use crate::contact::Contact;
use crate::error::Result;
use crate::settings::Settings;
use crate::store::Store;

/// Settings as saved, and the contacts the change made ready to qualify
/// (new weights or thresholds, a new target profile).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingsSaved {
    /// The settings as stored (validated, default rules localised).
    pub settings: Settings,
    /// How many contacts are ready to qualify now that were not before.
    pub newly_ready: u32,
    /// That contact, when it is one.
    pub ready_contact: Option<Contact>,
}

/// Saves the settings; contacts that became ready to qualify are counted
/// (and with auto-advance on, moved on by rule). The ready contacts are
/// compared only when scoring or the target profile changed: nothing else
/// (a language, a template) makes anyone ready.
pub fn save(store: &Store, settings: &Settings, now: DateTime<Utc>) -> Result<Changed<SettingsSaved>> {
    let before = if store.settings().changes_scores(settings) { Some(store.ready_ids(now)?) } else { None };
    let saved = store.set_settings(settings, now)?;
    let fresh: Vec<_> = match before {
        Some(before) => store.ready_ids(now)?.into_iter().filter(|id| !before.contains(id)).collect(),
        None => vec![],
    };
    let ready_contact = match fresh.as_slice() {
        [one] => Some(store.contact(*one, now)?),
        _ => None,
    };
    let newly_ready = u32::try_from(fresh.len()).unwrap_or(u32::MAX);
    Ok(saved.map(|settings| SettingsSaved { settings, newly_ready, ready_contact }))
}
