//! Kontor's desktop shell: a thin Tauri adapter over `kontor-core`.
//!
//! Invariants: commands hold no logic beyond one core call; the store is
//! opened once at start, beside WebKit's start (commands wait for it; its
//! error, if any, is reported by every command instead of crashing); only
//! this crate depends on tauri.

mod autostart;
mod background;
pub mod commands;
pub mod dto;
pub mod error;
mod geocoding;
pub mod identity;
mod notify;
mod scheduler;
pub mod state;
pub mod teamsync;
mod tray;
mod updates;
mod upkeep;

use std::path::PathBuf;

use kontor_core::paths;
use tauri::{Manager, Runtime, WindowEvent};

pub use crate::state::AppState;

/// Registers the commands on a builder of any runtime (the mock runtime in
/// tests, Wry in the app). The [`AppState`] is managed by the caller: the app
/// opens the store in its setup hook, after single-instance has handed a
/// second launch over to the first (so a second launch never waits on the
/// store's lock). Team sync's state is managed here: it holds no store.
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .manage(teamsync::TeamSync::default())
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
}

/// Opens the store, applies start at login, reads the search index in, and
/// starts the timers and the upkeep; the tray then shows the counts.
fn open_and_start(handle: &tauri::AppHandle) {
    let state = handle.state::<AppState>();
    state.open_store();
    if let Ok(store) = state.store() {
        autostart::apply(handle, store.settings().autostart);
        notify::ask_permission();
        if store.settings().check_updates {
            updates::check_at_start(handle, state.language());
        }
        if let Err(e) = store.warm_up() {
            eprintln!("kontor: {e}");
        }
    }
    background::start(handle);
}

/// The argument the login item starts Kontor with: straight into the tray.
pub const HIDDEN_ARG: &str = "--hidden";

/// Starts the desktop app.
pub fn run() {
    let dir = paths::default_data_dir().unwrap_or_else(|| PathBuf::from("kontor-data"));
    let hidden = std::env::args().any(|a| a == HIDDEN_ARG);
    identity::claim();
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| tray::open_main(app)))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // Wired, but it asks the server only when the rep says so.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![HIDDEN_ARG]),
        ))
        .setup(move |app| {
            // The main window is created here ("create": false in the
            // config), once the state it asks for is managed. The store
            // opens beside WebKit's start (a large one takes a while); the
            // UI's first questions wait for it. Then the index is read in
            // before the first list asks for it, and the timers start.
            app.manage(AppState::new(&dir));
            app.manage(updates::Updates::default());
            let handle = app.handle().clone();
            let opening =
                std::thread::Builder::new().name("kontor-open".into()).spawn(move || open_and_start(&handle));
            if let Err(e) = opening {
                eprintln!("kontor: cannot open the store in the background: {e}");
                open_and_start(app.handle());
            }
            let tray = tray::create(app.handle());
            if let Err(e) = &tray {
                eprintln!("kontor: no tray icon: {e}");
            }
            if let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") {
                // Started at login: only the tray, unless there is no tray.
                tauri::WebviewWindowBuilder::from_config(app.handle(), config)?
                    .visible(!(hidden && tray.is_ok()))
                    .build()?;
            }
            Ok(())
        })
        // Closing the main window hides it: Kontor keeps running in the tray
        // and keeps reminding; "Quit" in the tray ends it.
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == "main" && window.app_handle().tray_by_id("kontor").is_some() {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        });
    let result = app_builder(builder).run(context());
    if let Err(e) = result {
        eprintln!("kontor: the desktop app failed: {e}");
        std::process::exit(1);
    }
}

/// The app's Tauri context (config, embedded UI, capabilities), for any runtime.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
