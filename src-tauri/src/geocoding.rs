//! Geocoding in the background: a while after start and then every half
//! hour, the addresses never asked are looked up one by one at the
//! endpoint's pace (Nominatim: one a second), each answer kept in the
//! store; it stops at the first failure (offline) and tries again next
//! round. The store is held for each answer only. At start the calendar
//! file (Settings → Field) is written anew, so a change the CLI made shows.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

use crate::state::{now, AppState};

/// How long after start the first round begins.
const FIRST_AFTER: Duration = Duration::from_secs(30);
/// How often a round runs.
const EVERY: Duration = Duration::from_secs(30 * 60);
/// Addresses asked per round at most.
const PER_ROUND: usize = 300;

/// Starts the geocoding thread.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    std::thread::Builder::new()
        .name("kontor-geocoding".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            if let Ok(store) = state.store() {
                if let Err(e) = kontor_core::api::field::refresh_calendar_file(&store, now()) {
                    eprintln!("kontor: cannot write the calendar file: {e}");
                }
            }
            std::thread::sleep(FIRST_AFTER);
            loop {
                round(&state);
                std::thread::sleep(EVERY);
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| eprintln!("kontor: cannot start geocoding: {e}"));
}

fn round(state: &AppState) {
    let (geocoder, todo) = {
        let Ok(store) = state.store() else { return };
        let Some(geocoder) = kontor_core::api::field::geocoder(&store) else { return };
        match store.addresses_to_geocode() {
            Ok(todo) => (geocoder, todo),
            Err(e) => return eprintln!("kontor: geocoding: {e}"),
        }
    };
    for line in todo.into_iter().take(PER_ROUND) {
        let answer = match geocoder.lookup(&line) {
            Ok(answer) => answer,
            // Offline or refused: the next round tries again.
            Err(_) => return,
        };
        let Ok(store) = state.store() else { return };
        if let Err(e) = store.cache_position(&line, answer, now()) {
            return eprintln!("kontor: geocoding: {e}");
        }
    }
}
