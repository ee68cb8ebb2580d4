//! Native notifications. A reminder says whom its task is about and, where
//! the platform has notification actions (freedesktop on Linux), offers
//! "Done" and "Snooze 1 h"; clicking it opens the task's contact.

use kontor_core::Language;
use tauri::{AppHandle, Manager, Runtime};

/// Notification servers on Linux read the body as markup: user text is
/// escaped so that "<b>" or "R&D" shows as written.
fn body_text(body: &str) -> String {
    if cfg!(target_os = "linux") {
        body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        body.to_owned()
    }
}

/// Whether notifications can be shown (not on the mock runtime in tests).
fn available<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<tauri_plugin_notification::Notification<R>>().is_some()
}

/// Shows one native notification.
pub fn show<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    if !available(app) {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        if let Err(e) = linux::notification(title, body).show() {
            eprintln!("kontor: notification failed: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        use tauri_plugin_notification::NotificationExt;
        if let Err(e) = app.notification().builder().title(title).body(body_text(body)).show() {
            eprintln!("kontor: notification failed: {e}");
        }
    }
}

/// Shows a reminder of one task: on Linux with Open, Done and Snooze 1 h
/// (labels in `language`); `chosen` gets the rep's choice. Elsewhere a plain
/// notification.
pub fn show_reminder<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    body: &str,
    language: Language,
    chosen: impl FnOnce(Choice) + Send + 'static,
) {
    #[cfg(target_os = "linux")]
    if available(app) {
        return linux::reminder(title, body, language, chosen);
    }
    let _ = (language, chosen);
    show(app, title, body);
}

/// On macOS, asks the rep for permission to notify, through
/// UNUserNotificationCenter: once per installed app bundle (the prompt
/// names Kontor; the answer is kept in System Settings → Notifications).
/// Linux and Windows need none (Tauri's plugin answers "granted" on every
/// desktop without asking, so it cannot be asked).
pub fn ask_permission() {
    #[cfg(target_os = "macos")]
    {
        // The answer waits for the rep: a thread of its own.
        let asking = std::thread::Builder::new().name("kontor-notify-permission".into()).spawn(|| {
            match mac_usernotifications::blocking::request_auth() {
                Ok(true) => {}
                Ok(false) => eprintln!(
                    "kontor: notifications are turned off for Kontor (System Settings → Notifications); reminders show in the menu bar only"
                ),
                // Not run from Kontor.app (a development build): nothing to ask for.
                Err(mac_usernotifications::Error::NoBundleIdentifier) => {}
                Err(e) => eprintln!("kontor: cannot ask for permission to notify: {e}"),
            }
        });
        if let Err(e) = asking {
            eprintln!("kontor: cannot ask for permission to notify: {e}");
        }
    }
}

/// What the rep chose on a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// "Done": the task is completed (its rules fire as from the window).
    Done,
    /// "Snooze 1 h".
    Snooze,
    /// The notification itself: the window opens on the task's contact.
    Open,
}

impl Choice {
    /// The choice an action key stands for (the freedesktop "default" is a click).
    pub fn from_action(key: &str) -> Option<Choice> {
        match key {
            "done" => Some(Choice::Done),
            "snooze" => Some(Choice::Snooze),
            "default" | "open" => Some(Choice::Open),
            _ => None,
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use kontor_core::texts::Text;
    use kontor_core::Language;
    use notify_rust::{Hint, Notification};

    use super::{body_text, Choice};
    use crate::identity::{APP_ID, APP_NAME};

    pub(super) fn notification(title: &str, body: &str) -> Notification {
        let mut n = Notification::new();
        n.appname(APP_NAME)
            // The installed desktop entry's name, which is also its icon's.
            .icon(APP_ID)
            .hint(Hint::DesktopEntry(APP_ID.into()))
            .summary(title)
            .body(&body_text(body));
        n
    }

    /// A reminder with "Done", "Snooze 1 h" and a click that opens the
    /// contact; a thread waits for the rep's choice.
    pub(super) fn reminder(
        title: &str,
        body: &str,
        language: Language,
        chosen: impl FnOnce(Choice) + Send + 'static,
    ) {
        let mut n = notification(title, body);
        n.action("default", Text::NotifyOpen.get(language))
            .action("done", Text::NotifyDone.get(language))
            .action("snooze", Text::NotifySnooze.get(language));
        let handle = match n.show() {
            Ok(handle) => handle,
            Err(e) => return eprintln!("kontor: notification failed: {e}"),
        };
        let waiting = std::thread::Builder::new().name("kontor-notification".into()).spawn(move || {
            handle.wait_for_action(|key| {
                if let Some(choice) = Choice::from_action(key) {
                    chosen(choice);
                }
            });
        });
        if let Err(e) = waiting {
            eprintln!("kontor: cannot wait for the notification's actions: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_keys_are_the_choices_and_a_click_opens() {
        assert_eq!(Choice::from_action("done"), Some(Choice::Done));
        assert_eq!(Choice::from_action("snooze"), Some(Choice::Snooze));
        assert_eq!(Choice::from_action("default"), Some(Choice::Open));
        assert_eq!(Choice::from_action("__closed"), None);
    }
}
