//! Tasks and their reminders. Each change wakes the reminder timer, so the
//! next reminder and the tray's counts follow at once.

use chrono::{DateTime, Utc};
use kontor_core::api::tasks::{self, CompletedTask, TaskItem};
use kontor_core::{SnoozePreset, TaskCounts, TaskInput, TaskView};
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

use crate::error::Result;
use crate::state::{now, AppState};

/// Tasks of a view (overdue, today, upcoming, done, open).
#[tauri::command(async)]
pub fn list_tasks(state: State<'_, AppState>, view: TaskView) -> Result<Vec<TaskItem>> {
    Ok(tasks::list(&*state.store()?, view, now())?)
}

/// Overdue, today and upcoming counts.
#[tauri::command(async)]
pub fn task_counts(state: State<'_, AppState>) -> Result<TaskCounts> {
    Ok(state.store()?.task_counts(state.tz, now())?)
}

/// A contact's tasks (`id` is the contact's).
#[tauri::command(async)]
pub fn contact_tasks(state: State<'_, AppState>, id: Uuid) -> Result<Vec<TaskItem>> {
    Ok(tasks::of_contact(&*state.store()?, id)?)
}

/// Creates a task.
#[tauri::command(async)]
pub fn create_task(state: State<'_, AppState>, input: TaskInput) -> Result<TaskItem> {
    let task = tasks::create(&*state.store()?, input, now())?;
    state.wake_reminders();
    Ok(task)
}

/// Saves an edited task.
#[tauri::command(async)]
pub fn update_task(state: State<'_, AppState>, id: Uuid, input: TaskInput) -> Result<TaskItem> {
    let task = tasks::update(&*state.store()?, id, input, now())?;
    state.wake_reminders();
    Ok(task)
}

/// Marks a task done (a repeating one gets its next occurrence).
#[tauri::command(async)]
pub fn complete_task<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<CompletedTask> {
    let changed = tasks::complete(&*state.store()?, id, now())?;
    state.wake_reminders();
    Ok(state.present(&app, changed))
}

/// Snoozes a task by a preset.
#[tauri::command(async)]
pub fn snooze_task(state: State<'_, AppState>, id: Uuid, preset: SnoozePreset) -> Result<TaskItem> {
    let task = tasks::snooze(&*state.store()?, id, preset, now())?;
    state.wake_reminders();
    Ok(task)
}

/// Snoozes a task until a date and time the rep picked (RFC 3339).
#[tauri::command(async)]
pub fn snooze_task_until(state: State<'_, AppState>, id: Uuid, until: DateTime<Utc>) -> Result<TaskItem> {
    let task = tasks::snooze_until(&*state.store()?, id, until, now())?;
    state.wake_reminders();
    Ok(task)
}

/// Completes, snoozes or moves many tasks at once (one transaction).
#[tauri::command(async)]
pub fn triage_tasks<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    ids: Vec<Uuid>,
    action: tasks::TriageAction,
) -> Result<kontor_core::store::TriageOutcome> {
    let outcome = tasks::triage(&*state.store()?, &ids, &action, now())?;
    state.wake_reminders();
    state.show_outcomes(&app, &outcome.automation);
    Ok(outcome)
}

/// Deletes a task.
#[tauri::command(async)]
pub fn delete_task(state: State<'_, AppState>, id: Uuid) -> Result<()> {
    state.store()?.delete_task(id, now())?;
    state.wake_reminders();
    Ok(())
}
