//! The app's state: the store (opened beside WebKit's start, replaced by a
//! recovery or a compaction), the rep's time zone, the reminder timer's wake
//! handle and the files picked in native dialogs; and the edges where the
//! shell reads the clock and the OS locale.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use kontor_core::{paths, AutomationOutcome, Changed, Language, Store};
use tauri::{AppHandle, Emitter, Runtime};

use crate::dto::AppInfo;
use crate::error::{Error, ErrorPayload};
use crate::notify;

/// The store (or why it could not be opened), the rep's time zone and the
/// reminder timer's wake handle.
pub struct AppState {
    /// The open store, or why it could not be opened; `None` until the
    /// first open ends (see [`AppState::store`]). Replaced by a recovery,
    /// and for a moment by a compaction (see [`AppState::reopen_after`]).
    pub(crate) store: RwLock<Option<Result<Arc<Store>, ErrorPayload>>>,
    /// Whether `store` is set, for those who wait for it.
    pub(crate) opened: (Mutex<bool>, Condvar),
    pub(crate) data_dir: PathBuf,
    pub(crate) tz: Tz,
    pub(crate) wake: Wake,
    /// Files the user picked in native dialogs.
    pub picked: Picked,
}

impl AppState {
    /// The state for the store in `dir`, not opened yet: see
    /// [`AppState::open_store`].
    pub(crate) fn new(dir: &Path) -> AppState {
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
    pub(crate) fn open_store(&self) {
        let store = self.opened_store();
        *self.store.write().unwrap_or_else(|e| e.into_inner()) = Some(store);
        let (done, changed) = &self.opened;
        *done.lock().unwrap_or_else(|e| e.into_inner()) = true;
        changed.notify_all();
    }

    /// The store in the data directory, opened and told the rep's time
    /// zone and language, or why it could not be opened.
    pub(crate) fn opened_store(&self) -> Result<Arc<Store>, ErrorPayload> {
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
    pub(crate) fn prepare(&self, store: &Store) {
        store.set_time_zone(self.tz);
        store.set_fallback_language(Language::from_locale(&locale()));
    }

    /// Why the store could not be opened (none once a recovery replaced it).
    pub(crate) fn open_error(&self) -> Option<ErrorPayload> {
        self.wait_for_open();
        self.store.read().unwrap_or_else(|e| e.into_inner()).as_ref().and_then(|s| s.as_ref().err().cloned())
    }

    /// Puts the store a recovery restored in place of the one that could
    /// not be opened (refused while a store is open).
    pub(crate) fn set_recovered(&self, store: Store) -> Result<Arc<Store>, Error> {
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
    pub(crate) fn reopen_after(
        &self,
        work: impl FnOnce(&Path) -> kontor_core::Result<()>,
    ) -> Result<bool, Error> {
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

    pub(crate) fn wait_for_open(&self) {
        let (done, changed) = &self.opened;
        let mut open = done.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            open = changed.wait(open).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The store, once it is open (a command that comes first waits).
    pub(crate) fn store(&self) -> Result<Arc<Store>, Error> {
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
    pub(crate) fn store_now(&self) -> Option<Arc<Store>> {
        match self.store.try_read().ok()?.as_ref() {
            Some(Ok(store)) => Some(store.clone()),
            _ => None,
        }
    }

    /// The language the user reads: the chosen one, else the OS locale's
    /// (which the store was told at open).
    pub(crate) fn language(&self) -> Language {
        match self.store() {
            Ok(store) => store.language(),
            Err(_) => Language::from_locale(&locale()),
        }
    }

    /// [`AppState::language`] without waiting for the store (the OS
    /// locale's while it opens).
    pub(crate) fn language_now(&self) -> Language {
        self.store_now().map_or_else(|| Language::from_locale(&locale()), |s| s.language())
    }

    /// After tasks changed (one, or in bulk by an import, restore, merge or
    /// erase): the reminder timer and the tray look again.
    pub(crate) fn wake_reminders(&self) {
        self.wake.wake();
    }

    /// Presents a mutation's result: the outcomes of the rules it fired
    /// go to the UI as the `automation` event, notices also as native
    /// notifications, and a task a rule created wakes the reminder timer.
    pub(crate) fn present<R: Runtime, T>(&self, app: &AppHandle<R>, changed: Changed<T>) -> T {
        self.show_outcomes(app, &changed.automation);
        changed.value
    }

    /// Shows rule outcomes: see [`AppState::present`].
    pub(crate) fn show_outcomes<R: Runtime>(&self, app: &AppHandle<R>, outcomes: &[AutomationOutcome]) {
        if !outcomes.is_empty() {
            if outcomes.iter().any(|o| matches!(o, AutomationOutcome::TaskCreated { .. })) {
                self.wake_reminders();
            }
            let notify = self.store().map(|s| s.settings().notifications).unwrap_or(false);
            for outcome in outcomes {
                if let AutomationOutcome::Notice { message } = outcome {
                    if notify {
                        notify::show(app, crate::identity::APP_NAME, message);
                    }
                }
            }
            let _ = app.emit("automation", outcomes);
        }
    }

    /// Facts about the running app for the UI (waits for the store to open).
    pub(crate) fn info(&self) -> AppInfo {
        // Waits for the store to open (or fail to).
        let rebuilding = self.store().is_ok_and(|s| s.needs_rebuild());
        // The backup to offer matters only to the recovery screen.
        let store_error = self.open_error();
        let latest_backup =
            store_error.as_ref().and_then(|_| kontor_core::backups::latest(&self.data_dir).ok().flatten());
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            locale: locale(),
            os_language: Language::from_locale(&locale()),
            data_dir: self.data_dir.display().to_string(),
            rebuilding,
            store_error,
            latest_backup,
            exposed: paths::readable_by_others(&self.data_dir),
        }
    }
}

/// Wakes the timer thread; cheap to clone.
#[derive(Clone, Default)]
pub struct Wake(Arc<(Mutex<bool>, Condvar)>);

impl Wake {
    /// Tells the timer that tasks changed.
    pub(crate) fn wake(&self) {
        let (flag, cvar) = &*self.0;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        cvar.notify_all();
    }

    /// Waits until woken or `timeout`; true when woken.
    pub(crate) fn wait(&self, timeout: Duration) -> bool {
        let (flag, cvar) = &*self.0;
        let guard = flag.lock().unwrap_or_else(|p| p.into_inner());
        let (mut guard, _) =
            cvar.wait_timeout_while(guard, timeout, |woken| !*woken).unwrap_or_else(|p| p.into_inner());
        std::mem::take(&mut *guard)
    }
}

/// What the user picked, per purpose.
#[derive(Default)]
pub struct Picked {
    pub(crate) import: Mutex<Option<PathBuf>>,
    pub(crate) backup: Mutex<Option<PathBuf>>,
    pub(crate) cancel_import: AtomicBool,
    /// Held while an import runs: a second one (a double click) is refused.
    pub(crate) importing: Mutex<()>,
    /// How the next native file dialogs are answered where there is no
    /// window system (tests on the mock runtime); empty in the app.
    pub(crate) dialog_answers: Mutex<std::collections::VecDeque<DialogAnswer>>,
}

/// How a test answers a native file dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAnswer {
    /// The rep cancels it.
    Cancel,
    /// The rep picks (or saves as) this file.
    File(PathBuf),
    /// The rep accepts the proposed name, in this directory.
    ProposedIn(PathBuf),
}

impl Picked {
    /// Sets the import file as if picked (tests on the mock runtime have no dialogs).
    pub fn set_import(&self, path: PathBuf) {
        *lock(&self.import) = Some(path);
    }

    /// Sets the backup file as if picked.
    pub fn set_backup(&self, path: PathBuf) {
        *lock(&self.backup) = Some(path);
    }

    /// Answers the next native file dialog (tests on the mock runtime).
    pub fn answer_next_dialog(&self, answer: DialogAnswer) {
        lock(&self.dialog_answers).push_back(answer);
    }

    /// The answer a test gave for the next dialog, if any.
    pub(crate) fn next_dialog_answer(&self) -> Option<DialogAnswer> {
        lock(&self.dialog_answers).pop_front()
    }

    /// Whether a test answers the next dialog.
    pub fn dialog_answered(&self) -> bool {
        !lock(&self.dialog_answers).is_empty()
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The OS locale ("de-DE").
pub(crate) fn locale() -> String {
    sys_locale::get_locale().unwrap_or_else(|| "en-US".into())
}

/// A time that stands in for the clock: set only by the UI's tests, which
/// drive the real commands at a fixed time (`examples/ui_backend.rs`).
static FIXED_NOW: RwLock<Option<DateTime<Utc>>> = RwLock::new(None);

/// Makes [`now`] answer `at` (`None`: the clock again). For tests only.
pub fn fix_clock(at: Option<DateTime<Utc>>) {
    *FIXED_NOW.write().unwrap_or_else(|e| e.into_inner()) = at;
}

/// The time now: the shell is where the clock is read.
#[allow(clippy::disallowed_methods)]
pub(crate) fn now() -> DateTime<Utc> {
    FIXED_NOW.read().unwrap_or_else(|e| e.into_inner()).unwrap_or_else(Utc::now)
}
