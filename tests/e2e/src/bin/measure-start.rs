//! Measures the desktop app at start, for `src-tauri/scripts/measure-scale.sh`:
//! from asking WebDriver for a session (which launches the app) to the
//! first page of the contact list on screen (the frame after the UI put it
//! in the page, as the UI's `kontor-painted` mark says; the UI's other
//! marks and the time WebDriver saw it are printed beside), and then the memory of the app
//! with its WebKit processes (PSS, from /proc), once on an empty store and
//! once on the store given, a few rounds each. Prints one JSON line per round
//! and a summary line per store.
//!
//! `measure-start FULL_DATA_DIR [ROUNDS]` (the release app: `KONTOR_DESKTOP_BIN`).

#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kontor_e2e::Desktop;

/// The processes whose parent chain leads to `root`, and `root`.
fn family(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // The parent pid is the second field after the ")" closing the name.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
        let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) else { continue };
        parents.push((pid, ppid));
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        out.extend(parents.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    out
}

/// The app's pid: the `kontor-desktop` process whose data dir is `dir`.
fn app_pid(dir: &Path) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        if !comm.trim().starts_with("kontor-desktop") {
            continue;
        }
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        let want = format!("KONTOR_DATA_DIR={}", dir.display());
        if environ.split(|b| *b == 0).any(|v| v == want.as_bytes()) {
            return Some(pid);
        }
    }
    None
}

/// PSS in kB of one process (smaps_rollup).
fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn round(label: &str, data: &Path, empty: bool) -> (f64, u64, u64) {
    let desktop = Desktop::start_in("en_US.UTF-8", Some(data.to_owned()));
    let started = Instant::now();
    let started_epoch = std::time::SystemTime::now();
    let session = desktop.launch();
    // The first page on screen: the UI marks when the frame with its first
    // list (rows, or the empty state of an empty store) was drawn. Polled
    // gently: a busy poll would slow the page it waits for.
    let painted = "const p = performance.getEntriesByName('kontor-painted')[0]; \
        return p ? Math.round(performance.timeOrigin + p.startTime) : null;";
    let painted_epoch = loop {
        if let Some(at) = session.execute(painted, vec![]).ok().and_then(|v| v.as_u64()) {
            break at;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "{label}: no first page");
        std::thread::sleep(Duration::from_millis(25));
    };
    let observed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let want = if empty { "[data-testid=empty-state]" } else { "[data-testid=contact-row]" };
    assert!(session.find_all(want).map(|v| !v.is_empty()).unwrap_or(false), "{label}: not the first page");
    let launched_ms = started_epoch.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let start_ms = painted_epoch.saturating_sub(launched_ms as u64) as f64;
    // Where the time went inside the page: the UI's own marks (ms since the
    // page began to load).
    let marks = session
        .execute(
            "return 'page ' + Math.round(performance.timeOrigin) + ', ' + performance.getEntriesByType('mark').map(m => m.name + ' ' + Math.round(m.startTime)).join(', ')",
            vec![],
        )
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    // The page's start, in ms after the launch.
    let marks = match marks.strip_prefix("page ").and_then(|m| m.split_once(", ")) {
        Some((origin, rest)) => {
            let origin: u128 = origin.parse().unwrap_or(0);
            format!("page began {} ms after the launch; {rest}", origin.saturating_sub(launched_ms))
        }
        None => marks,
    };
    // The first page's round trip through the IPC, as the UI makes it (a
    // page of 100 against one of 1: what the payload costs).
    let ipc = |limit: u32| {
        let script = format!(
            "const q = {{ stage: null, search: null, sort: 'name', offset: 0, limit: {limit}, \
             ready_to_qualify: false, organization_id: null }}; \
             const t = performance.now(); \
             return (async () => {{ for (let i = 0; i < 5; i++) \
             await window.__TAURI_INTERNALS__.invoke('list_contacts', {{ query: q }}); \
             return Math.round((performance.now() - t) / 5); }})();"
        );
        session.execute(&script, vec![]).ok().and_then(|v| v.as_f64()).unwrap_or(-1.0)
    };
    let marks = format!("{marks}; list_contacts over the IPC: 100 rows {} ms, 1 row {} ms", ipc(100), ipc(1));
    // Settle (the upkeep thread, WebKit's caches), then read the memory.
    std::thread::sleep(Duration::from_secs(4));
    let pid = app_pid(data).expect("the app's process");
    let processes = family(pid);
    let app_only = pss_kb(pid);
    let total: u64 = processes.iter().map(|p| pss_kb(*p)).sum();
    println!(
        "{{\"store\":\"{label}\",\"start_ms\":{start_ms:.0},\"seen_over_webdriver_ms\":{observed_ms:.0},\"pss_total_kb\":{total},\"pss_app_kb\":{app_only},\"processes\":{},\"marks\":{marks:?}}}",
        processes.len()
    );
    let _ = session.quit();
    drop(desktop);
    (start_ms, total, app_only)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let full = PathBuf::from(args.next().expect("usage: measure-start FULL_DATA_DIR [ROUNDS]"));
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let empty = tempfile::tempdir().expect("temp dir");
    let mut summary = Vec::new();
    for (label, dir, is_empty) in [("empty", empty.path().join("data"), true), ("full", full, false)] {
        let mut starts = Vec::new();
        let mut totals = Vec::new();
        let mut apps = Vec::new();
        for _ in 0..rounds {
            let (s, t, a) = round(label, &dir, is_empty);
            starts.push(s);
            totals.push(t as f64);
            apps.push(a as f64);
            // sled lets go of its lock a moment after the app ends.
            std::thread::sleep(Duration::from_millis(1500));
        }
        summary.push((label, median(starts), median(totals) / 1024.0, median(apps) / 1024.0));
    }
    for (label, start, total, app) in &summary {
        println!("summary {label}: start {start:.0} ms, PSS {total:.0} MB in all, app process {app:.0} MB");
    }
    let (empty, full) = (&summary[0], &summary[1]);
    println!(
        "summary ratio: start full/empty {:.2} (goal ≤ 1.20), PSS full − empty {:+.0} MB (goal ≤ +50 MB)",
        full.1 / empty.1,
        full.2 - empty.2
    );
}
