//! Photographs the contact list and search on a data directory as a rep
//! sees them: German and English, light and dark (GTK's Adwaita dark, which
//! WebKit reports as `prefers-color-scheme: dark`), at 800×600 and
//! 1280×800, for looking at the UI on a full store.
//!
//! `screens DATA_DIR OUT_DIR [QUERY...]` (the release app: `KONTOR_DESKTOP_BIN`);
//! writes `OUT_DIR/{lang}-{theme}-{size}-{n}.png`, n = 0 for the list and
//! 1.. for each query. With `KONTOR_TOUR=1` it then walks the other views
//! (a contact's page, the follow-up email, the erase dialog, the contact
//! form, the duplicates, organisations and a page, the palette, a selection, the filter panel,
//! tasks, a deal's dialog over the board and its quotes, reports, the
//! calendar's week, an appointment, a day with its visits and a visit
//! report, the day plan and the mileage log) as
//! `{lang}-{theme}-{size}-{view}.png`; `KONTOR_TOUR=field` the calendar's only,
//! `KONTOR_TOUR=settings` the settings' sections (updates, reminders,
//! scoring, pipeline stages, company).

#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kontor_e2e::Desktop;
use serde_json::json;

const SIZES: [(u32, u32); 2] = [(800, 600), (1280, 800)];

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(data), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: screens DATA_DIR OUT_DIR [QUERY...]");
        std::process::exit(2);
    };
    let (data, out) = (PathBuf::from(data), PathBuf::from(out));
    let queries: Vec<String> = args.collect();
    std::fs::create_dir_all(&out).expect("create OUT_DIR");
    for (lang, short) in [("en_US.UTF-8", "en"), ("de_DE.UTF-8", "de")] {
        for theme in ["light", "dark"] {
            // Read by GTK in the app, which tauri-driver starts with this environment.
            std::env::set_var("GTK_THEME", if theme == "dark" { "Adwaita:dark" } else { "Adwaita" });
            let desktop = Desktop::start_in(lang, Some(data.clone()));
            let session = desktop.launch();
            session.wait("[data-testid=search]", Duration::from_secs(60)).expect("the list");
            for (w, h) in SIZES {
                session.set_window_size(w, h).expect("window size");
                let shots = std::iter::once(String::new()).chain(queries.iter().cloned());
                for (n, query) in shots.enumerate() {
                    // Found anew: a tour redraws the list.
                    let search =
                        session.wait("[data-testid=search]", Duration::from_secs(20)).expect("the list");
                    if query.is_empty() {
                        // WebDriver's clear fires no `input` event; a rep's Backspace does.
                        let script = "arguments[0].value = ''; \
                            arguments[0].dispatchEvent(new Event('input', { bubbles: true }));";
                        session.execute(script, vec![search.as_arg()]).expect("clear the search");
                    } else {
                        session.type_into(&search, &query).expect("type the query");
                    }
                    settle(&session, &query);
                    let png = session.screenshot().expect("screenshot");
                    let file = out.join(format!("{short}-{theme}-{w}x{h}-{n}.png"));
                    std::fs::write(&file, png).expect("write the PNG");
                    println!("{}", file.display());
                }
                if std::env::var_os("KONTOR_TOUR").is_some() {
                    tour(&session, &out, &format!("{short}-{theme}-{w}x{h}"));
                }
            }
            session.quit().expect("quit");
        }
    }
}

/// The tour's steps: a name and a script that gets the view on screen (it
/// returns the selector to wait for).
const TOUR: [(&str, &str); 26] = [
    ("contact", "q('row-name').click(); return '[data-testid=contact-deals]';"),
    ("email", "q('email-open').click(); return '[data-testid=email-dialog]';"),
    ("erase", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); \
        setTimeout(() => q('person-erase').click(), 500); return '[data-testid=erase-dialog]';"),
    ("form", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); \
        setTimeout(() => q('edit-contact').click(), 500); return '[data-testid=contact-form]';"),
    ("dups", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); \
        setTimeout(() => { q('back').click(); setTimeout(() => q('duplicates-open').click(), 800); }, 500); \
        return '[data-testid=duplicates-dialog]';"),
    ("orgs", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); \
        setTimeout(() => q('nav-organizations').click(), 500); return '[data-testid=org-row]';"),
    ("org", "q('org-row-name').click(); return '[data-testid=org-page]';"),
    ("palette", "q('open-palette').click(); const i = q('palette-input'); i.value = 'an'; \
        i.dispatchEvent(new Event('input', { bubbles: true })); return '[data-testid=palette-item]';"),
    ("bulk", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); q('nav-contacts').click(); \
        return '[data-testid=row-select]';"),
    ("bulk-bar", "document.querySelectorAll('[data-testid=row-select]').forEach((b, i) => { if (i < 3) b.click(); }); \
        return '[data-testid=bulk-bar]';"),
    ("filter", "q('bulk-clear').click(); q('filter-open').click(); return '[data-testid=filter-panel]';"),
    ("tasks", "q('filter-open').click(); q('nav-tasks').click(); return '[data-testid=tasks-view]';"),
    ("deal", "q('nav-pipeline').click(); setTimeout(() => q('deal-card')?.click(), 1500); \
        return '[data-testid=deal-dialog]';"),
    ("quote", "q('deal-line-add').click(); q('deal-quotes').scrollIntoView({ block: 'end' }); \
        return '[data-testid=quote-create]';"),
    ("reports", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); q('nav-reports').click(); \
        return '[data-testid=chart-bar]';"),
    ("cal-week", "q('nav-calendar').click(); q('cal-mode-week').click(); return '[data-testid=cal-appt]';"),
    ("cal-appt", "const b = q('cal-appt'); b.focus(); \
        b.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); return '[data-testid=appt-dialog]';"),
    ("cal-day", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); q('cal-mode-day').click(); \
        return '[data-testid=visit-row]';"),
    ("cal-visit", "(q('visit-check-in') ?? q('visit-check-out')).click(); setTimeout(() => q('visit-check-out')?.click(), 1500); \
        return '[data-testid=visit-dialog]';"),
    ("cal-plan", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); q('cal-mode-plan').click(); \
        q('plan-start').value = 'Jungfernstieg 1, 20354 Hamburg'; q('plan-suggest').click(); return '[data-testid=plan-stop]';"),
    ("cal-mileage", "q('cal-mode-mileage').click(); return '[data-testid=mileage-row]';"),
    ("settings-updates", "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); \
        q('open-settings').click(); q('settings-nav-updates').click(); return '[data-testid=update-check]';"),
    ("settings-reminders", "q('settings-nav-reminders').click(); return '[data-testid=settings-reminders]';"),
    ("settings-scoring", "q('settings-nav-scoring').click(); return '[data-testid=settings-scoring]';"),
    ("settings-pipeline", "q('settings-nav-pipeline').click(); return '[data-testid=stage-row]';"),
    ("settings-company", "q('settings-nav-company').click(); return '[data-testid=settings-company]';"),
];

/// Walks the other views and photographs each.
fn tour(session: &kontor_e2e::webdriver::Session, out: &std::path::Path, prefix: &str) {
    let helper = "const q = (id) => document.querySelector(`[data-testid=\"${id}\"]`);";
    // KONTOR_TOUR=field walks the calendar's views only, =settings the settings'.
    let only = match std::env::var("KONTOR_TOUR").as_deref() {
        Ok("field") => "cal-",
        Ok("settings") => "settings-",
        _ => "",
    };
    for (name, step) in TOUR.iter().filter(|(name, _)| name.starts_with(only)) {
        let wait = match session.execute(&format!("{helper} {step}"), vec![]) {
            Ok(wait) => wait,
            Err(e) => {
                eprintln!("{prefix} {name}: {e}");
                continue;
            }
        };
        let css = wait.as_str().unwrap_or("body").to_owned();
        if let Err(e) = session.wait(&css, Duration::from_secs(20)) {
            eprintln!("{prefix} {name}: {e}");
            continue;
        }
        let _ = session.repaint_soon();
        std::thread::sleep(Duration::from_millis(800));
        let png = session.screenshot().expect("screenshot");
        let file = out.join(format!("{prefix}-{name}.png"));
        std::fs::write(&file, png).expect("write the PNG");
        println!("{}", file.display());
    }
    // Back to the list for the next size.
    let _ = session.execute(&format!("{helper} document.dispatchEvent(new KeyboardEvent('keydown', {{ key: 'Escape', bubbles: true }})); q('nav-contacts').click(); return 0;"), vec![]);
    std::thread::sleep(Duration::from_millis(800));
}

/// Waits until the list shows the query's results (the search box holds it
/// and the list is not busy), then a moment for the paint.
fn settle(session: &kontor_e2e::webdriver::Session, query: &str) {
    let script = "const box = document.querySelector('[data-testid=search]'); \
        const busy = document.querySelector('[aria-busy=true]'); \
        return box.value === arguments[0] && !busy;";
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if session.execute(script, vec![json!(query)]).ok() == Some(json!(true)) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(700));
}
