//! Shapes the UI receives that are not core records. TypeScript bindings are
//! generated from these and the core's types by ts-rs (`cargo test`).

use kontor_core::{Contact, Organization, Score, Store, Task, Transition};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A contact with the stage changes it allows, its explained score and its organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactDetail {
    /// The contact.
    pub contact: Contact,
    /// Every other stage and what moving there requires.
    pub transitions: Vec<Transition>,
    /// The score with its line items and proposal.
    pub score: Score,
    /// The linked organisation with its data.
    pub organization: Option<Organization>,
}

impl ContactDetail {
    /// Completes a contact the core returned (as of `now`).
    pub fn of(
        store: &Store,
        contact: Contact,
        now: chrono::DateTime<chrono::Utc>,
    ) -> kontor_core::Result<Self> {
        let score = store.contact_score(contact.id, now)?;
        let organization = contact.organization_id.map(|id| store.organization(id)).transpose()?;
        Ok(ContactDetail { transitions: contact.stage.transitions(), contact, score, organization })
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

/// A task with the name of its contact, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaskItem {
    /// The task.
    pub task: Task,
    /// Its contact's display name.
    pub contact_name: Option<String>,
    /// Its deal's title.
    pub deal_title: Option<String>,
}

impl TaskItem {
    /// Looks up the contact's name and the deal's title.
    pub fn of(store: &Store, task: Task) -> Self {
        let contact_name = task.contact_id.and_then(|id| store.display_name(id));
        let deal_title = task.deal_id.and_then(|id| store.deal(id).ok()).map(|d| d.title);
        TaskItem { task, contact_name, deal_title }
    }
}

/// A completed task and, for a repeating one, its next occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompletedTask {
    /// The task, done.
    pub done: TaskItem,
    /// The next occurrence.
    pub next: Option<TaskItem>,
}
