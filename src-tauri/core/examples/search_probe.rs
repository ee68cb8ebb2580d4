//! Times searches against a data directory: `search_probe DIR QUERY...`.
#![allow(missing_docs, clippy::disallowed_methods)]
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap());
    let t = std::time::Instant::now();
    let store = kontor_core::Store::open(&dir).unwrap();
    println!("open {:?}", t.elapsed());
    for q in args {
        for per_kind in [false, true] {
            let request = kontor_core::SearchQuery {
                text: q.clone(),
                kind: None,
                limit: if per_kind { 5 } else { 100 },
                per_kind,
            };
            let t = std::time::Instant::now();
            let r = store.search(&request).unwrap();
            let first = t.elapsed();
            let t = std::time::Instant::now();
            for _ in 0..5 {
                store.search(&request).unwrap();
            }
            println!(
                "{q:?} per_kind={per_kind}: first {first:?}, then {:?} each; {} contacts {} orgs {} deals",
                t.elapsed() / 5,
                r.contacts,
                r.organizations,
                r.deals
            );
        }
        let lq = kontor_core::ListQuery { search: Some(q.clone()), ..Default::default() };
        let t = std::time::Instant::now();
        for _ in 0..5 {
            store.list_contacts(&lq, chrono::Utc::now()).unwrap();
        }
        println!("   list page: {:?} each", t.elapsed() / 5);
        let t = std::time::Instant::now();
        for _ in 0..5 {
            store.stage_counts(Some(&q), chrono::Utc::now()).unwrap();
        }
        println!("   stage counts: {:?} each", t.elapsed() / 5);
    }
}
