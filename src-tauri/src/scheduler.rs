//! The reminder timer: one thread that sleeps until the next reminder (or at
//! most a minute, so the tray's counts follow the clock), is woken when tasks
//! change, runs a core pass and shows the notices through the OS. The sleep
//! is checked against the wall clock every few seconds, so a reminder that
//! came due while the laptop was suspended fires right after it wakes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use kontor_core::reminders::{run_pass, Notice, Notifier};
use kontor_core::Language;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::{now, AppState};
use crate::{notify, tray};

/// Shows notices as native notifications, in the UI's language.
struct OsNotifier<'a, R: Runtime> {
    app: &'a AppHandle<R>,
    language: Language,
    tz: chrono_tz::Tz,
}

impl<R: Runtime> Notifier for OsNotifier<'_, R> {
    fn notify(&self, notice: &Notice) {
        let (title, body) = notice.texts(self.language, self.tz);
        match notice {
            Notice::One(due) => {
                let (app, id, contact) = (self.app.clone(), due.task.id, due.task.contact_id);
                let chosen = move |choice| tray::act(&app, id, contact, choice);
                notify::show_reminder(self.app, &title, &body, self.language, chosen);
            }
            Notice::Missed(_) | Notice::Appointment(_) => notify::show(self.app, &title, &body),
        }
    }
}

const MINUTE: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// The longest the timer sleeps without looking at the wall clock.
const STEP: Duration = Duration::from_secs(5);

/// Starts the timer thread.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let started_at: DateTime<Utc> = now();
    std::thread::Builder::new()
        .name("kontor-reminders".into())
        .spawn(move || {
            let mut first = true;
            let mut counts = None;
            loop {
                let state = app.state::<AppState>();
                // The store is held for the pass only: a compaction after
                // an erase waits for every holder to let go.
                let pass = state.store().map(|store| {
                    let show = store.settings().notifications;
                    let notifier = OsNotifier { app: &app, language: state.language(), tz: state.tz };
                    run_pass(&store, &notifier, show, now(), first.then_some(started_at))
                });
                let next = match pass {
                    Ok(Ok((fired, next))) => {
                        if fired > 0 {
                            let _ = app.emit("tasks-changed", ());
                        }
                        next
                    }
                    Ok(Err(e)) => {
                        eprintln!("kontor: reminders: {e}");
                        None
                    }
                    // No store (it could not be opened): nothing to remind of.
                    Err(_) if first => return,
                    Err(_) => None,
                };
                first = false;
                // A task that fell due changes the counts without any reminder:
                // the window recounts when the tray does.
                let now_counts = tray::refresh(&app);
                if now_counts.is_some() && counts.is_some() && now_counts != counts {
                    let _ = app.emit("tasks-changed", ());
                }
                counts = now_counts;
                let falls_due = state.store().ok().and_then(|s| s.next_due_after(now()).ok().flatten());
                // Sleep until the next reminder, the next task falling due, a
                // change, or a minute for the counts; in short steps read
                // against the wall clock, since a suspended laptop does not
                // advance the sleep's clock.
                let pass_at = now();
                let wake_at = [next, falls_due].into_iter().flatten().fold(pass_at + MINUTE, DateTime::min);
                loop {
                    let left = (wake_at - now()).to_std().unwrap_or(Duration::ZERO);
                    if left.is_zero() || state.wake.wait(left.min(STEP)) {
                        break;
                    }
                }
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| eprintln!("kontor: cannot start the reminder timer: {e}"));
}
