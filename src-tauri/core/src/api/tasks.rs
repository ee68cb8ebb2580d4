//! Tasks as lists show them, with their contact's name and deal's title.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::store::TaskTriage;

use super::Changed;
use crate::error::Result;
use crate::store::{Store, TaskView};
use crate::task::{SnoozePreset, Task, TaskInput};

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

fn items(store: &Store, tasks: Vec<Task>) -> Vec<TaskItem> {
    tasks.into_iter().map(|t| TaskItem::of(store, t)).collect()
}

/// Tasks of a view (overdue, today, upcoming, done, open) in the rep's time zone.
pub fn list(store: &Store, view: TaskView, now: DateTime<Utc>) -> Result<Vec<TaskItem>> {
    Ok(items(store, store.tasks(view, store.time_zone(), now)?))
}

/// A contact's tasks.
pub fn of_contact(store: &Store, contact_id: Uuid) -> Result<Vec<TaskItem>> {
    Ok(items(store, store.contact_tasks(contact_id)?))
}

/// Creates a task.
pub fn create(store: &Store, input: TaskInput, now: DateTime<Utc>) -> Result<TaskItem> {
    Ok(TaskItem::of(store, store.create_task(input, store.time_zone(), now)?))
}

/// Saves an edited task.
pub fn update(store: &Store, id: Uuid, input: TaskInput, now: DateTime<Utc>) -> Result<TaskItem> {
    Ok(TaskItem::of(store, store.update_task(id, input, store.time_zone(), now)?))
}

/// Marks a task done (a repeating one gets its next occurrence).
pub fn complete(store: &Store, id: Uuid, now: DateTime<Utc>) -> Result<Changed<CompletedTask>> {
    let changed = store.complete_task(id, store.time_zone(), now)?;
    Ok(changed.map(|(done, next)| CompletedTask {
        done: TaskItem::of(store, done),
        next: next.map(|t| TaskItem::of(store, t)),
    }))
}

/// Snoozes a task until a time the rep picked.
pub fn snooze_until(store: &Store, id: Uuid, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<TaskItem> {
    Ok(TaskItem::of(store, store.snooze_task(id, until, now)?))
}

/// What the rep does to many selected tasks at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum TriageAction {
    /// Mark them done.
    Complete,
    /// Snooze them by a preset.
    Snooze {
        /// The preset.
        preset: SnoozePreset,
    },
    /// Move them to a day.
    Reschedule {
        /// The day.
        day: chrono::NaiveDate,
    },
}

/// Completes, snoozes or moves many tasks in one transaction.
pub fn triage(
    store: &Store,
    ids: &[Uuid],
    action: &TriageAction,
    now: DateTime<Utc>,
) -> Result<crate::store::TriageOutcome> {
    let tz = store.time_zone();
    let triage = match action {
        TriageAction::Complete => TaskTriage::Complete,
        TriageAction::Snooze { preset } => TaskTriage::Snooze { until: preset.until(tz, now) },
        TriageAction::Reschedule { day } => TaskTriage::Reschedule { day: *day },
    };
    store.triage_tasks(ids, &triage, tz, now)
}

/// Snoozes a task by a preset (in one hour, this evening, tomorrow morning ...).
pub fn snooze(store: &Store, id: Uuid, preset: SnoozePreset, now: DateTime<Utc>) -> Result<TaskItem> {
    let until = preset.until(store.time_zone(), now);
    Ok(TaskItem::of(store, store.snooze_task(id, until, now)?))
}
