//! Tasks and their reminders.

use kontor_core::{SnoozePreset, Task, TaskCounts, TaskInput, TaskView};
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

use crate::dto::{CompletedTask, TaskItem};
use crate::error::Result;
use crate::state::{now, AppState};

/// A task saved: the reminder timer and the tray follow.
fn task_changed(state: &AppState, task: kontor_core::Result<Task>) -> Result<TaskItem> {
    let task = task?;
    state.wake_reminders();
    Ok(TaskItem::of(&*state.store()?, task))
}

/// Tasks of a view (overdue, today, upcoming, done, open).
#[tauri::command(async)]
pub fn list_tasks(state: State<'_, AppState>, view: TaskView) -> Result<Vec<TaskItem>> {
    let store = state.store()?;
    Ok(store.tasks(view, state.tz, now())?.into_iter().map(|t| TaskItem::of(&store, t)).collect())
}

/// Overdue, today and upcoming counts.
#[tauri::command(async)]
pub fn task_counts(state: State<'_, AppState>) -> Result<TaskCounts> {
    Ok(state.store()?.task_counts(state.tz, now())?)
}

/// A contact's tasks.
#[tauri::command(async)]
pub fn contact_tasks(state: State<'_, AppState>, id: Uuid) -> Result<Vec<TaskItem>> {
    let store = state.store()?;
    Ok(store.contact_tasks(id)?.into_iter().map(|t| TaskItem::of(&store, t)).collect())
}

/// Creates a task.
#[tauri::command(async)]
pub fn create_task(state: State<'_, AppState>, input: TaskInput) -> Result<TaskItem> {
    task_changed(&state, state.store()?.create_task(input, state.tz, now()))
}

/// Saves an edited task.
#[tauri::command(async)]
pub fn update_task(state: State<'_, AppState>, id: Uuid, input: TaskInput) -> Result<TaskItem> {
    task_changed(&state, state.store()?.update_task(id, input, state.tz, now()))
}

/// Marks a task done (a repeating one gets its next occurrence).
#[tauri::command(async)]
pub fn complete_task<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<CompletedTask> {
    let store = state.store()?;
    let (done, next) = store.complete_task(id, state.tz, now())?;
    state.wake_reminders();
    state.deliver_automation(&app);
    Ok(CompletedTask { done: TaskItem::of(&store, done), next: next.map(|t| TaskItem::of(&store, t)) })
}

/// Snoozes a task by a preset.
#[tauri::command(async)]
pub fn snooze_task(state: State<'_, AppState>, id: Uuid, preset: SnoozePreset) -> Result<TaskItem> {
    let until = preset.until(state.tz, now());
    task_changed(&state, state.store()?.snooze_task(id, until, now()))
}

/// Deletes a task.
#[tauri::command(async)]
pub fn delete_task(state: State<'_, AppState>, id: Uuid) -> Result<()> {
    state.store()?.delete_task(id, now())?;
    state.wake_reminders();
    Ok(())
}
