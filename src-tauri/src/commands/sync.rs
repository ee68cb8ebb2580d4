//! Team sync from the window: connecting to the team's server (Settings →
//! Team), the header's status, "Sync now", and the conflicts.

use kontor_core::sync::{Conflict, Pick};
use kontor_core::Error as CoreError;
use kontor_sync::SetUp;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::error::Result;
use crate::state::{now, AppState};
use crate::teamsync::{SyncView, TeamSync};

/// What "Connect" found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncConnected {
    /// The server has no Kontor schema: nothing was set up; ask the rep,
    /// then connect again with `create_schema`.
    pub needs_schema: bool,
    /// Whether the password is in the OS keychain (else it was not given,
    /// or there is no keychain).
    pub password_kept: bool,
    /// The sync's state after setting up.
    pub view: Option<SyncView>,
}

/// Runs `work` on a thread of its own: the sync client drives its own
/// runtime, which may not run inside the one the commands are called on.
fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(work).join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The sync's state for the header.
#[tauri::command(async)]
pub fn sync_status<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<SyncView> {
    Ok(app.state::<TeamSync>().view(&*state.store()?))
}

/// Connects to the team's server: checks it (the password given, else the
/// keychain's), creates Kontor's schema when asked to, keeps the password
/// in the keychain, sets sync up (queuing the records here) and syncs.
#[tauri::command(async)]
pub fn sync_connect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
    password: Option<String>,
    create_schema: bool,
) -> Result<SyncConnected> {
    let store = state.store()?;
    off_runtime(|| connect(&app, &store, url, password, create_schema))
}

fn connect<R: Runtime>(
    app: &AppHandle<R>,
    store: &kontor_core::Store,
    url: String,
    password: Option<String>,
    create_schema: bool,
) -> Result<SyncConnected> {
    let given = password.filter(|p| !p.is_empty());
    let kept = match kontor_sync::set_up(store, &url, given.as_deref(), create_schema, now(), &|_| {})? {
        SetUp::NeedsSchema => {
            return Ok(SyncConnected { needs_schema: true, password_kept: false, view: None })
        }
        SetUp::Done { password, .. } => match password {
            Some(Err(e)) => {
                eprintln!("kontor: {e}");
                false
            }
            kept => kept.is_some(),
        },
    };
    app.state::<TeamSync>().disconnect(if kept { None } else { given });
    let view = crate::teamsync::sync_and_tell(app, store);
    Ok(SyncConnected { needs_schema: false, password_kept: kept, view: Some(view) })
}

/// Syncs now and says how it went.
#[tauri::command(async)]
pub fn sync_now<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<SyncView> {
    let store = state.store()?;
    if store.sync_config()?.is_none() {
        return Err(CoreError::SyncNotSetUp.into());
    }
    Ok(off_runtime(|| crate::teamsync::sync_and_tell(&app, &store)))
}

/// The open conflicts.
#[tauri::command(async)]
pub fn list_conflicts(state: State<'_, AppState>) -> Result<Vec<Conflict>> {
    Ok(state.store()?.sync_conflicts()?)
}

/// Keeps one side of a conflict; it is sent like an edit, at once.
#[tauri::command(async)]
pub fn resolve_conflict<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: u64,
    take: Pick,
) -> Result<Conflict> {
    let conflict = state.store()?.sync_resolve(id, take, now())?;
    app.state::<TeamSync>().wake();
    Ok(conflict)
}
