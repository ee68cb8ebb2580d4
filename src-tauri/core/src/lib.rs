//! Kontor's core: the GUI-free domain of an offline-first CRM for field sales.
//!
//! It owns the contact lifecycle ([`stage`]), contacts and organisations
//! ([`contact`]), the sled store with its indexes ([`store`]) and the
//! in-memory search ([`search`]). Architecture invariants:
//! - no tauri or webkit in this crate's dependency tree (CI checks it);
//! - time is a parameter (`now`); nothing here reads the clock;
//! - every mutation is flushed to disk before it returns `Ok`.

pub mod activity;
pub mod contact;
pub mod demo;
pub mod error;
pub mod import;
pub mod paths;
pub mod reminders;
pub mod score;
pub mod search;
pub mod settings;
pub mod stage;
pub mod store;
pub mod task;
pub mod text;
pub mod transfer;

pub use activity::{Activity, ActivityInput, ActivityKind, ActivityPage, ActivityQuery};
pub use contact::{Address, Contact, ContactInput, Organization, OrganizationInput, PhonePolicy};
pub use error::{Error, ErrorCode, Result};
pub use score::{
    Answer, Criteria, CriteriaUpdate, Score, ScoringSettings, TargetGroupSetting, TargetProfile,
};
pub use search::StageCounts;
pub use settings::{Language, Settings};
pub use stage::{ChangedBy, Requirement, Stage, StageChange, StageChangeRequest, Transition};
pub use store::{ContactPage, DueReminder, ListQuery, SortOrder, Store, TaskCounts, TaskView};
pub use task::{Priority, Reminder, Repeat, SnoozePreset, Task, TaskInput};
