//! Times searches against a data directory: `search_probe DIR QUERY...`
//! prints each query's timings; `search_probe DIR --keystrokes QUERY...`
//! times every prefix of each query (as typed) and prints the slow ones.
#![allow(missing_docs, clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use kontor_core::{ListQuery, SearchQuery, Store};

fn timed<T>(f: impl Fn() -> T) -> (T, Duration) {
    f();
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap());
    let t = Instant::now();
    let store = Store::open(&dir).unwrap();
    println!("open {:?}", t.elapsed());
    let args: Vec<String> = args.collect();
    if args.first().map(String::as_str) == Some("--start") {
        // What the app asks at start, in order, each timed once (cold).
        let now = chrono::Utc::now();
        let t = Instant::now();
        let page = store.list_contacts(&ListQuery { limit: 100, ..Default::default() }, now).unwrap();
        println!("list_contacts: {:?} ({} of {})", t.elapsed(), page.items.len(), page.total);
        let t = Instant::now();
        store.stage_counts(None, now).unwrap();
        println!("stage_counts: {:?}", t.elapsed());
        let t = Instant::now();
        store.task_counts(chrono_tz::Europe::Berlin, now).unwrap();
        println!("task_counts: {:?}", t.elapsed());
        let t = Instant::now();
        let upkeep = store.maintain(now).unwrap();
        println!("maintain: {:?} {upkeep:?}", t.elapsed());
        return;
    }
    if args.first().map(String::as_str) == Some("--keystrokes") {
        let mut all = Vec::new();
        for q in &args[1..] {
            let chars: Vec<char> = q.chars().collect();
            for k in 1..=chars.len() {
                let text: String = chars[..k].iter().collect();
                let request = SearchQuery { text: text.clone(), kind: None, limit: 5, per_kind: true };
                let (r, d) = timed(|| store.search(&request).unwrap());
                all.push(d);
                if d > Duration::from_micros(500) {
                    println!("{text:?}: {d:?} ({} contacts, more {})", r.contacts, r.more);
                }
            }
        }
        all.sort();
        println!(
            "p50 {:?} p99 {:?} max {:?}",
            all[all.len() / 2],
            all[all.len() * 99 / 100],
            all[all.len() - 1]
        );
        return;
    }
    for q in args {
        for per_kind in [false, true] {
            let request =
                SearchQuery { text: q.clone(), kind: None, limit: if per_kind { 5 } else { 100 }, per_kind };
            let (r, d) = timed(|| store.search(&request).unwrap());
            println!(
                "{q:?} per_kind={per_kind}: {d:?}; {} contacts {} orgs {} deals, more {}",
                r.contacts, r.organizations, r.deals, r.more
            );
        }
        let lq = ListQuery { search: Some(q.clone()), ..Default::default() };
        let (_, d) = timed(|| store.list_contacts(&lq, chrono::Utc::now()).unwrap());
        println!("   list page: {d:?}");
        let (_, d) = timed(|| store.stage_counts(Some(&q), chrono::Utc::now()).unwrap());
        println!("   stage counts: {d:?}");
    }
}
