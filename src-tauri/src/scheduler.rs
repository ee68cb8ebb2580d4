//! The reminder timer: one thread that sleeps until the next reminder (or at
//! most a minute, so the tray's counts follow the clock), is woken when tasks
//! change, runs a core pass and shows the notices through the OS.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use kontor_core::reminders::{run_pass, Notice, Notifier};
use kontor_core::Language;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::{now, tray, AppState};

/// Wakes the timer thread; cheap to clone.
#[derive(Clone, Default)]
pub struct Wake(Arc<(Mutex<bool>, Condvar)>);

impl Wake {
    /// Tells the timer that tasks changed.
    pub fn wake(&self) {
        let (flag, cvar) = &*self.0;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        cvar.notify_all();
    }

    fn wait(&self, timeout: Duration) {
        let (flag, cvar) = &*self.0;
        let guard = flag.lock().unwrap_or_else(|p| p.into_inner());
        let (mut guard, _) =
            cvar.wait_timeout_while(guard, timeout, |woken| !*woken).unwrap_or_else(|p| p.into_inner());
        *guard = false;
    }
}

/// Shows notices as native notifications, in the UI's language.
struct OsNotifier<'a, R: Runtime> {
    app: &'a AppHandle<R>,
    german: bool,
    tz: chrono_tz::Tz,
}

impl<R: Runtime> Notifier for OsNotifier<'_, R> {
    fn notify(&self, notice: &Notice) {
        let (title, body) = match notice {
            Notice::One(due) => {
                let local = due.task.due.with_timezone(&self.tz);
                let (when, date, time) = if self.german {
                    ("Fällig", "%d.%m.%Y", "%d.%m.%Y %H:%M")
                } else {
                    ("Due", "%Y-%m-%d", "%Y-%m-%d %H:%M")
                };
                let at = local.format(if due.task.all_day { date } else { time });
                (due.task.title.clone(), format!("{when}: {at}"))
            }
            Notice::Missed(all) => {
                let title = if self.german {
                    format!("{} Folgeaufgaben überfällig", all.len())
                } else {
                    format!("{} follow-ups overdue", all.len())
                };
                let names: Vec<&str> = all.iter().map(|d| d.task.title.as_str()).take(5).collect();
                (title, names.join(" · "))
            }
        };
        show_notification(self.app, &title, &body);
    }
}

/// Shows one native notification (not on the mock runtime in tests).
pub fn show_notification<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    use tauri::Manager;
    if app.try_state::<tauri_plugin_notification::Notification<R>>().is_none() {
        return;
    }
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("kontor: notification failed: {e}");
    }
}

/// Whether the user reads German: the chosen language, else the OS locale.
pub fn german(state: &AppState) -> bool {
    match state.store().ok().and_then(|s| s.settings().language) {
        Some(lang) => lang == Language::De,
        None => state.info().locale.to_lowercase().starts_with("de"),
    }
}

/// Starts the timer thread.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let started_at: DateTime<Utc> = now();
    std::thread::Builder::new()
        .name("kontor-reminders".into())
        .spawn(move || {
            let mut first = true;
            loop {
                let state = app.state::<AppState>();
                let Ok(store) = state.store() else { return };
                let show = store.settings().notifications;
                let notifier = OsNotifier { app: &app, german: german(&state), tz: state.tz };
                let next = match run_pass(store, &notifier, show, now(), first.then_some(started_at)) {
                    Ok((fired, next)) => {
                        if fired > 0 {
                            let _ = app.emit("tasks-changed", ());
                        }
                        next
                    }
                    Err(e) => {
                        eprintln!("kontor: reminders: {e}");
                        None
                    }
                };
                first = false;
                tray::refresh(&app);
                let until_next = next.map_or(Duration::from_secs(60), |t| {
                    (t - now()).to_std().unwrap_or(Duration::ZERO).min(Duration::from_secs(60))
                });
                state.wake.wait(until_next);
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| eprintln!("kontor: cannot start the reminder timer: {e}"));
}
