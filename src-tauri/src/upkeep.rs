//! The store's upkeep off the main thread: rebuilding derived data a store
//! lacks (after an upgrade or an interrupted rebuild) while the UI stays
//! usable, then merging the search delta when it has grown and sweeping
//! expired ready windows, every little while.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::{now, AppState};

/// How often the upkeep looks.
const EVERY: Duration = Duration::from_secs(20);
/// The event the UI reloads its lists on once a rebuild is done.
pub const REBUILT: &str = "index-rebuilt";

/// Starts the upkeep thread.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    std::thread::Builder::new()
        .name("kontor-upkeep".into())
        .spawn(move || loop {
            let state = app.state::<AppState>();
            let Ok(store) = state.store() else { return };
            let rebuilding = store.needs_rebuild();
            match store.maintain(now()) {
                Ok(_) if rebuilding && !store.needs_rebuild() => {
                    let _ = app.emit(REBUILT, ());
                }
                Ok(_) => {}
                Err(e) => eprintln!("kontor: upkeep: {e}"),
            }
            std::thread::sleep(EVERY);
        })
        .map(|_| ())
        .unwrap_or_else(|e| eprintln!("kontor: cannot start the upkeep: {e}"));
}
