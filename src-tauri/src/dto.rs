//! Shapes the UI receives that are not core records. TypeScript bindings are
//! generated from these and the core's types by ts-rs (`cargo test`).

use kontor_core::{Contact, Transition};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A contact with the stage changes it allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactDetail {
    /// The contact.
    pub contact: Contact,
    /// Every other stage and what moving there requires.
    pub transitions: Vec<Transition>,
}

impl From<Contact> for ContactDetail {
    fn from(contact: Contact) -> Self {
        let transitions = contact.stage.transitions();
        ContactDetail { contact, transitions }
    }
}

/// Facts about the running app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// App version.
    pub version: String,
    /// OS locale, BCP 47 ("de-DE").
    pub locale: String,
    /// Where the store lives.
    pub data_dir: String,
}
