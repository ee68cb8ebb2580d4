//! The store's upkeep off the main thread: rebuilding derived data a store
//! lacks (after an upgrade or an interrupted rebuild) while the UI stays
//! usable, then merging the search delta when it has grown and sweeping
//! expired ready windows, every little while.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use kontor_core::backups;
use kontor_core::texts::Text;

use crate::state::{now, AppState};

/// How often the upkeep looks.
const EVERY: Duration = Duration::from_secs(20);
/// The event the UI reloads its lists on once a rebuild is done.
pub const REBUILT: &str = "index-rebuilt";

/// How often a backup is written while the store changes.
const BACKUP_EVERY: chrono::Duration = chrono::Duration::hours(1);
/// How long after start the daily backup is looked at.
const DAILY_AFTER_START: chrono::Duration = chrono::Duration::minutes(2);
/// How often the integrity check runs while the app does.
const CHECK_EVERY: chrono::Duration = chrono::Duration::hours(24);
/// The event the UI shows the integrity check's findings on.
pub const CHECKED: &str = "store-checked";

/// Starts the upkeep thread: rebuilds and merges every little while, the
/// daily backup (two minutes after start when the newest is older than a
/// day), a backup at most hourly while the store changes, the integrity
/// check daily.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    std::thread::Builder::new()
        .name("kontor-upkeep".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let Ok(store) = state.store() else { return };
            let started = now();
            let mut backed_up = (started, store.write_seq());
            drop(store);
            // The first check a while after start, not while the rep begins.
            let mut checked = started - CHECK_EVERY + chrono::Duration::minutes(10);
            loop {
                // Held for one round only: a compaction after an erase
                // waits for every holder to let go.
                let Ok(store) = state.store() else {
                    std::thread::sleep(EVERY);
                    continue;
                };
                let rebuilding = store.needs_rebuild();
                match store.maintain(now()) {
                    Ok(_) if rebuilding && !store.needs_rebuild() => {
                        let _ = app.emit(REBUILT, ());
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("kontor: upkeep: {e}"),
                }
                // The daily backup, a while after start (not while the rep
                // begins: a large store's backup takes seconds and memory).
                if now() - started >= DAILY_AFTER_START {
                    if let Err(e) = backups::daily_if_due(&store, kontor_core::api::VERSION, now()) {
                        eprintln!("kontor: the daily backup failed: {e}");
                    }
                }
                let seq = store.write_seq();
                if now() - backed_up.0 >= BACKUP_EVERY && seq != backed_up.1 {
                    match backups::write(&store, backups::Reason::Hourly, kontor_core::api::VERSION, now()) {
                        Ok(_) => backed_up = (now(), seq),
                        Err(e) => eprintln!("kontor: the hourly backup failed: {e}"),
                    }
                }
                if now() - checked >= CHECK_EVERY && !store.needs_rebuild() {
                    checked = now();
                    check(&app, &store);
                }
                drop(store);
                std::thread::sleep(EVERY);
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| eprintln!("kontor: cannot start the upkeep: {e}"));
}

/// Runs the integrity check; what it finds goes to the UI and, as a
/// native notification, to the rep.
fn check<R: Runtime>(app: &AppHandle<R>, store: &kontor_core::Store) {
    let problems = match store.doctor() {
        Ok(checkup) => checkup.problems,
        Err(e) => {
            vec![kontor_core::Problem { kind: "store".into(), id: String::new(), problem: e.to_string() }]
        }
    };
    if problems.is_empty() {
        return;
    }
    eprintln!("kontor: the integrity check found {} problem(s): {:?}", problems.len(), problems.first());
    let _ = app.emit(CHECKED, &problems);
    let language = store.language();
    let (title, body) = (Text::CheckFoundTitle.get(language), Text::CheckFoundBody.get(language));
    use tauri_plugin_notification::NotificationExt;
    let _ = app.notification().builder().title(title).body(body).show();
}
