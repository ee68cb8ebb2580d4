//! The tray icon: tooltip and menu with the overdue / due-today counts, the
//! next five tasks (each with "done" and "1 h later"), "Open Kontor",
//! "Snooze all 1 h" and "Quit".

use chrono::Duration;
use kontor_core::api::tasks;
use kontor_core::texts::Text;
use kontor_core::TaskCounts;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use uuid::Uuid;

use crate::notify::Choice;
use crate::state::{now, AppState};

const TRAY_ID: &str = "kontor";

/// Shows and focuses the main window.
pub fn open_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The overdue and due-today counts (none while the store is not open).
fn counts<R: Runtime>(app: &AppHandle<R>) -> Option<TaskCounts> {
    let state = app.state::<AppState>();
    state.store_now().and_then(|s| s.task_counts(state.tz, now()).ok())
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, counts: TaskCounts) -> tauri::Result<(Menu<R>, String)> {
    let state = app.state::<AppState>();
    let language = state.language_now();
    let t = |text: Text| text.get(language);
    let summary = Text::TraySummary.fill(language, &[("overdue", &counts.overdue), ("today", &counts.today)]);
    let header = MenuItem::with_id(app, "summary", &summary, false, None::<&str>)?;
    let mut task_menus = Vec::new();
    let next_five = state.store_now().and_then(|s| s.next_open_tasks(5).ok()).unwrap_or_default();
    for task in next_five {
        let (day, time) = language.short_date_formats();
        let when = task.due_label(state.tz, day, time);
        let label = format!("{when}  {}", task.title);
        let done =
            MenuItem::with_id(app, format!("done:{}", task.id), t(Text::TrayDone), true, None::<&str>)?;
        let later =
            MenuItem::with_id(app, format!("later:{}", task.id), t(Text::TrayLater), true, None::<&str>)?;
        task_menus.push(Submenu::with_items(app, label, true, &[&done, &later])?);
    }
    let empty = MenuItem::with_id(app, "none", t(Text::TrayNone), false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", t(Text::TrayOpen), true, None::<&str>)?;
    let snooze_all = MenuItem::with_id(app, "snooze_all", t(Text::TraySnoozeAll), true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", t(Text::TrayQuit), true, None::<&str>)?;
    let sep1 = PredefinedMenuItem::separator(app)?;
    let sep2 = PredefinedMenuItem::separator(app)?;
    let mut items: Vec<&dyn IsMenuItem<R>> = vec![&header, &sep1];
    if task_menus.is_empty() {
        items.push(&empty);
    }
    for submenu in &task_menus {
        items.push(submenu);
    }
    items.extend([&sep2 as &dyn IsMenuItem<R>, &open, &snooze_all, &quit]);
    Ok((Menu::with_items(app, &items)?, summary))
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match id.split_once(':') {
        _ if id == "open" => open_main(app),
        _ if id == "quit" => app.exit(0),
        _ if id == "snooze_all" => {
            let state = app.state::<AppState>();
            let Ok(store) = state.store() else { return };
            if store.snooze_all(now() + Duration::hours(1), now()).is_ok() {
                let _ = app.emit("tasks-changed", ());
                state.wake_reminders();
            }
        }
        Some(("done", task)) => {
            Uuid::parse_str(task).into_iter().for_each(|id| act(app, id, None, Choice::Done))
        }
        Some(("later", task)) => {
            Uuid::parse_str(task).into_iter().for_each(|id| act(app, id, None, Choice::Snooze))
        }
        _ => {}
    }
}

/// Carries out the rep's choice on task `id`, from the tray or a reminder:
/// Done completes it (its "task completed" rules fire as from the window),
/// Snooze moves it an hour, Open shows the window on its contact.
pub fn act<R: Runtime>(app: &AppHandle<R>, id: Uuid, contact: Option<Uuid>, choice: Choice) {
    if choice == Choice::Open {
        open_main(app);
        if let Some(contact) = contact {
            let _ = app.emit("open-contact", contact);
        }
        return;
    }
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else { return };
    let done = match choice {
        Choice::Done => tasks::complete(&store, id, now()).map(|changed| {
            state.present(app, changed);
        }),
        _ => store.snooze_task(id, now() + Duration::hours(1), now()).map(|_| ()),
    };
    match done {
        Ok(()) => {
            let _ = app.emit("tasks-changed", ());
            state.wake_reminders();
        }
        Err(e) => eprintln!("kontor: task action: {e}"),
    }
}

/// Creates the tray icon.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    // Built before the store is open, too: then without tasks until the refresh.
    let (menu, tooltip) = build_menu(app, counts(app).unwrap_or_default())?;
    let mut builder =
        TrayIconBuilder::with_id(TRAY_ID).menu(&menu).tooltip(&tooltip).on_menu_event(|app, event| {
            on_menu(app, event.id().as_ref());
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Rebuilds the tray's menu and tooltip from the current tasks; returns the
/// counts it shows (none while the store is not open).
pub fn refresh<R: Runtime>(app: &AppHandle<R>) -> Option<TaskCounts> {
    // One refresh at a time: each call waits for the main thread to apply
    // it, and two sent at once let GTK run the second inside the first
    // (libappindicator iterates the main loop), which tray-icon answers
    // with a "RefCell already borrowed" panic that ends the app (seen in
    // CI when the opening thread's and the timer's first refresh met).
    // Never called on the main thread, so waiting here cannot block it.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let counts = counts(app);
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        match build_menu(app, counts.unwrap_or_default()) {
            Ok((menu, tooltip)) => {
                let _ = tray.set_menu(Some(menu));
                let _ = tray.set_tooltip(Some(&tooltip));
            }
            Err(e) => eprintln!("kontor: tray: {e}"),
        }
    }
    counts
}
