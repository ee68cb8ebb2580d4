//! Kontor's core: the GUI-free domain of an offline-first CRM for field sales.
//!
//! It owns the contact lifecycle ([`stage`]), contacts and organisations
//! ([`contact`]), the sled store with its indexes and derived data
//! ([`store`]), the persisted typo-tolerant search ([`search`]), deals and the pipeline ([`deal`]),
//! reports ([`report`]), automation rules ([`automation`]), email templates
//! ([`email`]) and quotes ([`quote`]). Architecture invariants:
//! - no tauri or webkit in this crate's dependency tree (CI checks it);
//! - time is a parameter (`now`); nothing here reads the clock;
//! - every mutation is flushed to disk before it returns `Ok`.

pub mod activity;
pub mod api;
pub mod appointment;
pub mod automation;
pub mod backup_file;
pub mod backups;
pub mod contact;
pub mod criteria;
pub mod csv_cell;
pub mod deal;
pub mod demo;
pub mod duplicate;
pub mod email;
pub mod error;
pub mod export;
pub mod filter;
pub mod fuzzing;
pub mod geo;
pub mod ics;
pub mod import;
pub mod lang;
pub mod lifecycle;
pub mod line_item;
pub mod mileage;
pub mod money;
pub mod paths;
pub mod pdf;
pub mod plan;
pub mod quote;
pub mod recovery;
pub mod reminders;
pub mod report;
pub mod route;
pub mod score;
pub mod search;
pub mod settings;
pub mod stage;
pub mod store;
pub mod sync;
pub mod task;
pub mod text;
pub mod texts;

pub use activity::{Activity, ActivityInput, ActivityKind, ActivityPage, ActivityQuery};
pub use automation::{Action, AutomationOutcome, Changed, Rule, Trigger};
pub use contact::{Address, Contact, ContactInput, Organization, OrganizationInput, Unparsed};

pub use criteria::{Answer, Criteria, CriteriaUpdate, TargetGroupSetting};
pub use deal::{
    ContactDealsSummary, Deal, DealInput, DealStageChange, DealStageSetting, LineItem, Quote, StageOutcome,
};
pub use email::{EmailTemplate, RenderedEmail};
pub use error::{Error, ErrorCode, Result};
pub use lang::Language;
pub use money::Money;
pub use quote::CompanyProfile;
pub use report::{Period, Report, ReportKind};
pub use score::{Score, ScoringSettings, TargetProfile};
pub use search::{
    ContactMatch, DocKind, Mark, MatchContext, SearchHit, SearchQuery, SearchResults, StageCounts,
};
pub use settings::Settings;
pub use stage::{ChangedBy, Requirement, Stage, StageChange, StageChangeRequest, Transition};
pub use store::{
    Checkup, ContactPage, DealCard, DealMove, DueReminder, ListQuery, Pipeline, PipelineColumn, Problem,
    Repair, SortOrder, Store, TaskCounts, TaskView, Upkeep,
};
pub use task::{Priority, Reminder, Repeat, SnoozePreset, Task, TaskInput};
