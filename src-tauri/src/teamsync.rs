//! Team sync in the background: once set up (Settings → Team), the store
//! is synced with the team's PostgreSQL server every 30 s and a moment
//! after each change, on a thread of its own, so the window never waits for
//! the network. What it finds is kept for the header's status and sent to
//! the UI as [`STATUS`].

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use kontor_core::store::SyncConfig;
use kontor_core::{Error, Store};
use kontor_sync::Server;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use ts_rs::TS;

use crate::error::ErrorPayload;
use crate::state::{now, AppState};

/// The event the UI shows the sync's state by.
pub const STATUS: &str = "sync-status";
/// A sync at least this often while the app runs.
const EVERY: Duration = Duration::from_secs(30);
/// A change is sent this long after it was made (changes made together go together).
const AFTER_CHANGE: Duration = Duration::from_secs(2);
/// How often the thread looks whether the store changed.
const LOOK: Duration = Duration::from_millis(500);

/// Where sync stands, as the header shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncPhase {
    /// Not set up.
    Off,
    /// Sending or receiving now.
    Syncing,
    /// The last sync went through.
    Synced,
    /// The server could not be reached: changes wait here.
    Offline,
    /// The server refused (password, rights, a newer schema).
    Refused,
}

/// The sync's state for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncView {
    /// Where it stands.
    pub phase: SyncPhase,
    /// The server (`user@host:port/db`), once set up.
    pub server: Option<String>,
    /// Operations waiting to be sent.
    #[ts(type = "number")]
    pub pending: u64,
    /// Open conflicts.
    #[ts(type = "number")]
    pub conflicts: u64,
    /// Other reps' changes set aside: a newer Kontor's, this one cannot read.
    #[ts(type = "number")]
    pub set_aside: u64,
    /// When the last sync finished.
    pub last_sync: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the last sync did not go through.
    pub error: Option<ErrorPayload>,
}

/// The background sync's shared state.
#[derive(Default)]
pub struct TeamSync {
    view: Mutex<Option<SyncView>>,
    /// Set to run a sync now.
    wake: (Mutex<bool>, Condvar),
    /// The open connection, reused between syncs.
    server: Mutex<Option<Server>>,
    /// The password typed at "Connect" when the keychain could not keep it:
    /// good for this session, never written anywhere.
    typed_password: Mutex<Option<String>>,
}

impl TeamSync {
    /// Asks the thread for a sync now.
    pub fn wake(&self) {
        let (flag, cv) = &self.wake;
        *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
    }

    /// Forgets the connection (the server or password changed); `typed` is
    /// the password to use for this session when the keychain has none.
    pub fn disconnect(&self, typed: Option<String>) {
        *self.server.lock().unwrap_or_else(|e| e.into_inner()) = None;
        *self.typed_password.lock().unwrap_or_else(|e| e.into_inner()) = typed;
    }

    /// The state as last seen (read from the store when none was yet).
    pub fn view(&self, store: &Store) -> SyncView {
        let last = self.view.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut view = last.unwrap_or(SyncView {
            phase: SyncPhase::Off,
            server: None,
            pending: 0,
            conflicts: 0,
            set_aside: 0,
            last_sync: None,
            error: None,
        });
        if let Ok(status) = store.sync_status() {
            view.server = status.server.as_ref().and_then(|s| kontor_sync::account(&s.url).ok());
            view.pending = status.pending;
            view.conflicts = status.conflicts;
            view.set_aside = status.set_aside;
            view.last_sync = status.last_sync;
            if status.server.is_none() {
                view.phase = SyncPhase::Off;
            } else if view.phase == SyncPhase::Off {
                view.phase = SyncPhase::Synced;
            }
        }
        view
    }

    fn set(&self, view: &SyncView) {
        *self.view.lock().unwrap_or_else(|e| e.into_inner()) = Some(view.clone());
    }

    /// One sync over the kept connection (made anew when there is none or
    /// the last one failed). A kept connection that fails as if offline is
    /// tried once more anew: after a server restart it is merely stale.
    pub fn run(&self, store: &Store, config: &SyncConfig) -> Result<kontor_core::sync::SyncReport, Error> {
        match self.run_once(store, config) {
            (Err(Error::SyncOffline(_)), true) => self.run_once(store, config).0,
            (outcome, _) => outcome,
        }
    }

    /// One sync, and whether it ran over a connection kept from before.
    fn run_once(
        &self,
        store: &Store,
        config: &SyncConfig,
    ) -> (Result<kontor_core::sync::SyncReport, Error>, bool) {
        let mut slot = self.server.lock().unwrap_or_else(|e| e.into_inner());
        let reused = slot.is_some();
        if slot.is_none() {
            let typed = self.typed_password.lock().unwrap_or_else(|e| e.into_inner()).clone();
            match kontor_sync::connect_for_sync(&config.url, typed.as_deref()) {
                Ok(server) => *slot = Some(server),
                Err(e) => return (Err(e), false),
            }
        }
        let server = slot.as_mut().unwrap_or_else(|| unreachable!("connected above"));
        let outcome = store.sync_with(server, now(), &|_| {});
        if outcome.is_err() {
            *slot = None;
        }
        (outcome, reused)
    }
}

/// Syncs once and tells the UI how it went.
pub fn sync_and_tell<R: Runtime>(app: &AppHandle<R>, store: &Store) -> SyncView {
    let team = app.state::<TeamSync>();
    let Ok(Some(config)) = store.sync_config() else {
        let view = team.view(store);
        let _ = app.emit(STATUS, &view);
        return view;
    };
    let mut view = team.view(store);
    view.phase = SyncPhase::Syncing;
    team.set(&view);
    let _ = app.emit(STATUS, &view);
    let outcome = team.run(store, &config);
    let mut view = team.view(store);
    match outcome {
        Ok(report) => {
            view.phase = SyncPhase::Synced;
            view.error = None;
            if report.pulled > 0 {
                // Other reps' changes: the lists and pages read anew, the
                // task counts and the tray too, and the reminder timer
                // looks at tasks and appointments that came in.
                let _ = app.emit(crate::upkeep::REBUILT, ());
                let _ = app.emit("tasks-changed", ());
                app.state::<AppState>().wake_reminders();
            }
        }
        Err(e) => {
            view.phase = if e.code() == kontor_core::ErrorCode::SyncOffline {
                SyncPhase::Offline
            } else {
                SyncPhase::Refused
            };
            view.error = Some(ErrorPayload::from(&e));
        }
    }
    team.set(&view);
    let _ = app.emit(STATUS, &view);
    view
}

/// Starts the sync thread: every 30 s, a moment after each change, and at
/// once when woken (Connect, a resolved conflict, "Sync now").
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let spawned = std::thread::Builder::new().name("kontor-sync".into()).spawn(move || {
        let state = app.state::<AppState>();
        let team = app.state::<TeamSync>();
        let mut last_run: Option<Instant> = None;
        let mut seen_seq = None;
        let mut changed_at: Option<Instant> = None;
        loop {
            {
                let (flag, cv) = &team.wake;
                let guard = flag.lock().unwrap_or_else(|e| e.into_inner());
                let (mut guard, _) = cv.wait_timeout(guard, LOOK).unwrap_or_else(|e| e.into_inner());
                let woken = std::mem::take(&mut *guard);
                drop(guard);
                // Held for one round only (a compaction waits for every holder).
                let Some(store) = state.store_now() else { continue };
                if !store.sync_config().is_ok_and(|c| c.is_some()) {
                    continue;
                }
                let seq = store.write_seq();
                if seen_seq.is_some_and(|s| s != seq) && changed_at.is_none() {
                    changed_at = Some(Instant::now());
                }
                seen_seq = Some(seq);
                let due = woken
                    || last_run.is_none_or(|t| t.elapsed() >= EVERY)
                    || changed_at.is_some_and(|t| t.elapsed() >= AFTER_CHANGE);
                if !due {
                    continue;
                }
                changed_at = None;
                last_run = Some(Instant::now());
                sync_and_tell(&app, &store);
                // What the sync itself wrote is no change to send.
                seen_seq = Some(store.write_seq());
            }
        }
    });
    if let Err(e) = spawned {
        eprintln!("kontor: no background sync: {e}");
    }
}
