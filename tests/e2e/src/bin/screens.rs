//! Photographs the contact list and search on a data directory as a rep
//! sees them: German and English, light and dark (GTK's Adwaita dark, which
//! WebKit reports as `prefers-color-scheme: dark`), at 800×600 and
//! 1280×800, for looking at the UI on a full store.
//!
//! `screens DATA_DIR OUT_DIR [QUERY...]` (the release app: `KONTOR_DESKTOP_BIN`);
//! writes `OUT_DIR/{lang}-{theme}-{size}-{n}.png`, n = 0 for the list and
//! 1.. for each query.

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
            let search = session.wait("[data-testid=search]", Duration::from_secs(60)).expect("the list");
            for (w, h) in SIZES {
                session.set_window_size(w, h).expect("window size");
                let shots = std::iter::once(String::new()).chain(queries.iter().cloned());
                for (n, query) in shots.enumerate() {
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
            }
            session.quit().expect("quit");
        }
    }
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
