//! Kontor's desktop shell: a thin Tauri adapter over `kontor-core`.
//!
//! Invariants: commands hold no logic beyond one core call; the store is
//! opened once at start, beside WebKit's start (commands wait for it; its
//! error, if any, is reported by every command instead of crashing); only
//! this crate depends on tauri.

mod cmd;
pub mod deals;
pub mod dto;
pub mod error;
pub mod files;
mod scheduler;
mod tray;
mod upkeep;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use kontor_core::{paths, AutomationOutcome, Language, Store};
use tauri::{AppHandle, Emitter, Manager, Runtime, WindowEvent};

use crate::dto::AppInfo;
use crate::error::{Error, ErrorPayload};

/// The store (or why it could not be opened), the rep's time zone and the
/// reminder timer's wake handle.
pub struct AppState {
    /// The open store, or why it could not be opened; `None` until the
    /// first open ends (see [`AppState::store`]). Replaced by a recovery,
    /// and for a moment by a compaction (see [`AppState::reopen_after`]).
    store: RwLock<Option<Result<Arc<Store>, ErrorPayload>>>,
    /// Whether `store` is set, for those who wait for it.
    opened: (Mutex<bool>, Condvar),
    data_dir: PathBuf,
    tz: Tz,
    wake: scheduler::Wake,
    /// Files the user picked in native dialogs.
    pub picked: files::Picked,
}

impl AppState {
    /// The state for the store in `dir`, not opened yet: see
    /// [`AppState::open_store`].
    fn new(dir: &Path) -> AppState {
        AppState {
            store: RwLock::new(None),
            opened: (Mutex::new(false), Condvar::new()),
            data_dir: dir.to_owned(),
            tz: kontor_core::task::system_timezone(),
            wake: Default::default(),
            picked: Default::default(),
        }
    }

    /// Opens the store in `dir` right away; a failure is kept and reported
    /// by each command.
    pub fn open(dir: &Path) -> AppState {
        let state = AppState::new(dir);
        state.open_store();
        state
    }

    /// Opens the store (the app does it beside WebKit's start); whoever
    /// waits for it goes on.
    fn open_store(&self) {
        let store = self.opened_store();
        *self.store.write().unwrap_or_else(|e| e.into_inner()) = Some(store);
        let (done, changed) = &self.opened;
        *done.lock().unwrap_or_else(|e| e.into_inner()) = true;
        changed.notify_all();
    }

    /// The store in the data directory, opened and told the rep's time
    /// zone and language, or why it could not be opened.
    fn opened_store(&self) -> Result<Arc<Store>, ErrorPayload> {
        match Store::open(&self.data_dir) {
            Ok(store) => {
                self.prepare(&store);
                Ok(Arc::new(store))
            }
            Err(e) => {
                eprintln!("kontor: {e}");
                Err(ErrorPayload::from(&e))
            }
        }
    }

    /// Tells a store just opened the rep's time zone and language.
    fn prepare(&self, store: &Store) {
        store.set_time_zone(self.tz);
        store.set_fallback_language(os_language(&locale()));
    }

    /// Why the store could not be opened (none once a recovery replaced it).
    fn open_error(&self) -> Option<ErrorPayload> {
        self.wait_for_open();
        self.store.read().unwrap_or_else(|e| e.into_inner()).as_ref().and_then(|s| s.as_ref().err().cloned())
    }

    /// Puts the store a recovery restored in place of the one that could
    /// not be opened (refused while a store is open).
    fn set_recovered(&self, store: Store) -> Result<Arc<Store>, Error> {
        if self.store_now().is_some() {
            return Err(kontor_core::Error::InvalidInput {
                field: "store",
                reason: "the store is open; restore a backup from Settings → Data instead".into(),
            }
            .into());
        }
        self.prepare(&store);
        let store = Arc::new(store);
        *self.store.write().unwrap_or_else(|e| e.into_inner()) = Some(Ok(store.clone()));
        Ok(store)
    }

    /// Closes the store, runs `work` on the data directory, and opens the
    /// store again; commands wait meanwhile. Used to compact the store
    /// after an erase (a store is rewritten only while no one has it open).
    /// When a command goes on holding the store past a few seconds, `work`
    /// is not run and the store stays as it was (`Ok(false)`).
    fn reopen_after(&self, work: impl FnOnce(&Path) -> kontor_core::Result<()>) -> Result<bool, Error> {
        self.wait_for_open();
        let mut slot = self.store.write().unwrap_or_else(|e| e.into_inner());
        let Some(Ok(store)) = slot.as_ref() else { return Ok(false) };
        // Others may hold the store for the command they are in; the slot
        // is locked, so no one takes it anew.
        let started = std::time::Instant::now();
        while Arc::strong_count(store) > 1 {
            if started.elapsed() > std::time::Duration::from_secs(5) {
                return Ok(false);
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        *slot = None;
        let done = work(&self.data_dir);
        let reopened = self.opened_store();
        let result = match &reopened {
            Ok(_) => done.map(|()| true).map_err(Error::from),
            Err(e) => Err(Error::StoreUnavailable(e.clone())),
        };
        *slot = Some(reopened);
        result
    }

    fn wait_for_open(&self) {
        let (done, changed) = &self.opened;
        let mut open = done.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            open = changed.wait(open).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The store, once it is open (a command that comes first waits).
    fn store(&self) -> Result<Arc<Store>, Error> {
        self.wait_for_open();
        match self.store.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            Some(Ok(store)) => Ok(store.clone()),
            Some(Err(e)) => Err(Error::StoreUnavailable(e.clone())),
            // Set before `opened`; a compaction takes it out and puts it
            // back (or why it could not be opened) under the write lock.
            None => unreachable!("the store's slot is set before `opened`"),
        }
    }

    /// The store if it is open already (the tray's first menu does not wait).
    fn store_now(&self) -> Option<Arc<Store>> {
        match self.store.try_read().ok()?.as_ref() {
            Some(Ok(store)) => Some(store.clone()),
            _ => None,
        }
    }

    /// The language the user reads: the chosen one, else the OS locale's
    /// (which the store was told at open).
    fn language(&self) -> Language {
        match self.store() {
            Ok(store) => store.language(),
            Err(_) => os_language(&locale()),
        }
    }

    /// [`AppState::language`] without waiting for the store (the OS
    /// locale's while it opens).
    fn language_now(&self) -> Language {
        self.store_now().map_or_else(|| os_language(&locale()), |s| s.language())
    }

    /// After contacts or tasks changed in bulk (import, restore, erase):
    /// the reminder timer and the tray look again.
    fn contacts_changed<R: Runtime>(&self, _app: &AppHandle<R>) {
        self.wake.wake();
    }

    /// Hands out the rule outcomes the last mutation queued: notices as
    /// native notifications, everything as an `automation` event for the UI.
    fn deliver_automation<R: Runtime>(&self, app: &AppHandle<R>) -> Vec<AutomationOutcome> {
        let Ok(store) = self.store() else { return vec![] };
        let outcomes = store.take_automation_outcomes();
        self.notify_outcomes(app, &outcomes);
        outcomes
    }

    /// Shows rule outcomes: notices natively, all of them to the UI.
    fn notify_outcomes<R: Runtime>(&self, app: &AppHandle<R>, outcomes: &[AutomationOutcome]) {
        if outcomes.is_empty() {
            return;
        }
        if outcomes.iter().any(|o| matches!(o, AutomationOutcome::TaskCreated { .. })) {
            self.wake.wake();
        }
        let notify = self.store().map(|s| s.settings().notifications).unwrap_or(false);
        for outcome in outcomes {
            if let AutomationOutcome::Notice { message } = outcome {
                if notify {
                    scheduler::show_notification(app, "Kontor", message);
                }
            }
        }
        let _ = app.emit("automation", outcomes);
    }

    fn info(&self) -> AppInfo {
        // Waits for the store to open (or fail to).
        let rebuilding = self.store().is_ok_and(|s| s.needs_rebuild());
        // The backup to offer matters only to the recovery screen.
        let store_error = self.open_error();
        let latest_backup =
            store_error.as_ref().and_then(|_| kontor_core::backups::latest(&self.data_dir).ok().flatten());
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            locale: locale(),
            data_dir: self.data_dir.display().to_string(),
            rebuilding,
            store_error,
            latest_backup,
            exposed: paths::readable_by_others(&self.data_dir),
        }
    }
}

/// The OS locale ("de-DE").
fn locale() -> String {
    sys_locale::get_locale().unwrap_or_else(|| "en-US".into())
}

/// German for a `de` locale, else English (the UI follows the same rule).
fn os_language(locale: &str) -> Language {
    if locale.to_lowercase().starts_with("de") {
        Language::De
    } else {
        Language::En
    }
}

#[allow(clippy::disallowed_methods)] // the shell is where the clock is read
fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Turns "start at login" on or off in the OS (where the plugin runs).
fn apply_autostart<R: Runtime>(app: &tauri::AppHandle<R>, on: bool) {
    use tauri_plugin_autostart::ManagerExt;
    // Not registered on the mock runtime in tests.
    if app.try_state::<tauri_plugin_autostart::AutoLaunchManager>().is_none() {
        return;
    }
    let manager = app.autolaunch();
    // Only a change touches the OS (disabling an absent entry is an error).
    if manager.is_enabled().is_ok_and(|enabled| enabled == on) {
        return;
    }
    if let Err(e) = if on { manager.enable() } else { manager.disable() } {
        eprintln!("kontor: start at login: {e}");
    }
}

/// Registers the commands on a builder of any runtime (the mock runtime in
/// tests, Wry in the app). The [`AppState`] is managed by the caller: the app
/// opens the store in its setup hook, after single-instance has handed a
/// second launch over to the first (so a second launch never waits on the
/// store's lock).
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        cmd::app_info,
        cmd::list_contacts,
        cmd::stage_counts,
        cmd::search,
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
        cmd::list_tasks,
        cmd::task_counts,
        cmd::contact_tasks,
        cmd::create_task,
        cmd::update_task,
        cmd::complete_task,
        cmd::snooze_task,
        cmd::delete_task,
        cmd::find_duplicates,
        cmd::merge_contacts,
        files::choose_import_file,
        files::import_preview,
        files::import_run,
        files::cancel_import,
        files::export_contacts,
        files::backup_store,
        files::choose_backup_file,
        files::restore_store,
        files::export_person,
        files::erase_person,
        files::list_backups,
        files::restore_backup,
        files::recover_latest,
        files::check_store,
        files::repair_store,
        files::export_report,
        files::save_quote,
        deals::list_deals,
        deals::get_deal,
        deals::contact_deals,
        deals::create_deal,
        deals::update_deal,
        deals::move_deal,
        deals::delete_deal,
        deals::pipeline,
        deals::report,
        deals::render_email,
        deals::send_email,
        deals::create_quote,
        deals::open_quote,
    ])
}

/// Opens the store, applies start at login, reads the search index in, and
/// starts the timers and the upkeep; the tray then shows the counts.
fn open_and_start(handle: &tauri::AppHandle) {
    let state = handle.state::<AppState>();
    state.open_store();
    if let Ok(store) = state.store() {
        apply_autostart(handle, store.settings().autostart);
        if let Err(e) = store.warm_up() {
            eprintln!("kontor: {e}");
        }
    }
    start_timers(handle);
}

/// Starts the reminder timer and the upkeep, and shows the counts in the
/// tray (after the store opened, or after a recovery restored one).
fn start_timers<R: Runtime>(handle: &tauri::AppHandle<R>) {
    scheduler::start(handle.clone());
    upkeep::start(handle.clone());
    tray::refresh(handle);
}

/// The version written into backups.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Writes an automatic backup before a command that replaces or removes
/// records in bulk (restore, import, merge, erase), when the store holds
/// anything; the command is refused when the backup cannot be written.
fn backup_before(store: &Store, reason: kontor_core::backups::Reason) -> Result<(), Error> {
    if store.record_counts()? == kontor_core::transfer::RecordCounts::default() {
        return Ok(());
    }
    kontor_core::backups::write(store, reason, VERSION, now()).map(|_| ()).map_err(|e| {
        kontor_core::Error::Storage(format!(
            "the backup before this change could not be written ({e}); nothing was changed"
        ))
        .into()
    })
}

/// The argument the login item starts Kontor with: straight into the tray.
pub const HIDDEN_ARG: &str = "--hidden";

/// Starts the desktop app.
pub fn run() {
    let dir = paths::default_data_dir().unwrap_or_else(|| PathBuf::from("kontor-data"));
    let hidden = std::env::args().any(|a| a == HIDDEN_ARG);
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| tray::open_main(app)))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
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
