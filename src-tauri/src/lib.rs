//! Kontor's desktop shell: a thin Tauri adapter over `kontor-core`.
//!
//! Invariants: commands hold no logic beyond one core call; the store is
//! opened once at start (its error, if any, is reported by every command
//! instead of crashing); only this crate depends on tauri.

mod cmd;
pub mod dto;
pub mod error;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kontor_core::{paths, Store};
use tauri::{Manager, Runtime};

use crate::dto::AppInfo;
use crate::error::{Error, ErrorPayload};

/// The store, or why it could not be opened.
pub struct AppState {
    store: Result<Store, ErrorPayload>,
    data_dir: PathBuf,
}

impl AppState {
    /// Opens the store in `dir`; a failure is kept and reported by each command.
    pub fn open(dir: &Path) -> AppState {
        let store = Store::open(dir).map_err(|e| {
            eprintln!("kontor: {e}");
            ErrorPayload::from(&e)
        });
        AppState { store, data_dir: dir.to_owned() }
    }

    fn store(&self) -> Result<&Store, Error> {
        self.store.as_ref().map_err(|e| Error::StoreUnavailable(e.clone()))
    }

    fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            locale: sys_locale::get_locale().unwrap_or_else(|| "en-US".into()),
            data_dir: self.data_dir.display().to_string(),
        }
    }
}

#[allow(clippy::disallowed_methods)] // the shell is where the clock is read
fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Registers state and commands on a builder of any runtime (the mock
/// runtime in tests, Wry in the app).
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder.manage(state).invoke_handler(tauri::generate_handler![
        cmd::app_info,
        cmd::list_contacts,
        cmd::stage_counts,
        cmd::get_contact,
        cmd::create_contact,
        cmd::update_contact,
        cmd::change_stage,
        cmd::list_organizations,
        cmd::get_settings,
        cmd::set_settings,
        cmd::load_demo_data,
        cmd::update_organization,
        cmd::log_activity,
        cmd::list_activities,
        cmd::delete_activity,
        cmd::set_criteria,
        cmd::get_score,
        cmd::accept_proposal,
    ])
}

/// Starts the desktop app.
pub fn run() {
    let dir = paths::default_data_dir().unwrap_or_else(|| PathBuf::from("kontor-data"));
    let builder = tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    }));
    let result = app_builder(builder, AppState::open(&dir)).run(context());
    if let Err(e) = result {
        eprintln!("kontor: the desktop app failed: {e}");
        std::process::exit(1);
    }
}

/// The app's Tauri context (config, embedded UI, capabilities), for any runtime.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
