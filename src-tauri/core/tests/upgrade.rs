//! A store written by the previous layout (schema 1, made with the `kontor`
//! CLI of commit 90d6e9e: four contacts from a German CSV and by hand, a
//! stage change, activities, criteria, two tasks and a deal) opens with
//! this build, upgrades once, and keeps every record.

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::{ListQuery, SearchQuery, Stage, Store, TaskView};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn names(store: &Store, query: ListQuery) -> Vec<String> {
    store.list_contacts(&query, now()).unwrap().items.into_iter().map(|c| c.display_name).collect()
}

fn found(store: &Store, text: &str) -> Vec<String> {
    let q = SearchQuery { text: text.into(), kind: None, limit: 20, per_kind: false };
    store.search(&q).unwrap().hits.into_iter().map(|h| h.title).collect()
}

#[test]
fn a_layout_1_store_upgrades_once_and_keeps_every_record() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1"), dir.path());
    // A file beside sled's in the store's other folders goes into the copy too.
    std::fs::create_dir_all(dir.path().join("search")).unwrap();
    std::fs::write(dir.path().join("search/left-by-the-old-layout"), "kept").unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.set_time_zone(Berlin);
    // The store as layout 1 wrote it was kept before the upgrade: the
    // previous Kontor opens that copy.
    let kept = dir.path().join("backups/before-layout-2-from-1/store");
    assert_eq!(
        std::fs::read_to_string(
            dir.path().join("backups/before-layout-2-from-1/search/left-by-the-old-layout")
        )
        .unwrap(),
        "kept"
    );
    {
        let old = sled::open(&kept).unwrap();
        let version = old.open_tree("meta").unwrap().get("schema_version").unwrap().expect("a version");
        assert_eq!(u32::from_be_bytes(version.as_ref().try_into().unwrap()), 1);
        assert!(
            !old.open_tree("idx_contacts_by_name").unwrap().is_empty(),
            "the old layout's own index is there"
        );
    }
    // Counts work at once (counted from the old index keys at open) ...
    let counts = store.stage_counts(None, now()).unwrap();
    assert_eq!((counts.all, counts.lead, counts.opportunity), (4, 3, 1));
    // ... the rest waits for the rebuild from the records.
    assert!(store.needs_rebuild());
    assert!(
        store
            .search(&SearchQuery { text: "acme".into(), kind: None, limit: 5, per_kind: false })
            .unwrap()
            .rebuilding
    );
    store.rebuild_derived(now()).unwrap();
    assert!(!store.needs_rebuild());

    assert_eq!(
        names(&store, ListQuery::default()),
        ["Anna Schmidt", "Greta Groß", "Jürgen Müller", "Otto Normal"]
    );
    let leads = ListQuery { stage: Some(Stage::Lead), ..Default::default() };
    assert_eq!(names(&store, leads), ["Greta Groß", "Jürgen Müller", "Otto Normal"]);
    assert_eq!(found(&store, "wurzburg"), ["Jürgen Müller"]);
    assert_eq!(found(&store, "mueller"), ["Jürgen Müller"]);
    assert_eq!(found(&store, "0170 1234567"), ["Anna Schmidt"]);
    let mut acme = found(&store, "acme");
    acme.sort();
    assert_eq!(acme, ["Acme AG", "Anna Schmidt", "Greta Groß", "Rahmenvertrag Acme"]);

    let anna =
        store.list_contacts(&ListQuery { search: Some("anna".into()), ..Default::default() }, now()).unwrap();
    let anna = &anna.items[0];
    assert_eq!(anna.stage, Stage::Opportunity);
    assert_eq!(anna.stage_history.len(), 3, "lead, prospect, opportunity by the deal");
    let timeline = store.list_activities(anna.id, &Default::default()).unwrap();
    assert_eq!(timeline.total, 2);
    assert_eq!(store.contact_deals(anna.id).unwrap()[0].title, "Rahmenvertrag Acme");
    let tasks: Vec<String> = store.contact_tasks(anna.id).unwrap().into_iter().map(|t| t.title).collect();
    assert_eq!(tasks, ["Erstgespräch führen: Anna Schmidt", "Angebot schicken"], "the rule's and the rep's");
    let counts = store.task_counts(Berlin, now()).unwrap();
    let views = |v| store.tasks(v, Berlin, now()).unwrap().len() as u32;
    assert_eq!(counts.open, 3);
    assert_eq!(
        (counts.overdue, counts.today, counts.upcoming),
        (views(TaskView::Overdue), views(TaskView::Today), views(TaskView::Upcoming))
    );
    // Ready to qualify agrees with scoring each contact.
    let ready: Vec<bool> = ["Greta Groß", "Jürgen Müller", "Otto Normal", "Anna Schmidt"]
        .iter()
        .map(|n| {
            let q = ListQuery { search: Some((*n).into()), ..Default::default() };
            store.list_contacts(&q, now()).unwrap().items[0].proposal.is_some()
        })
        .collect();
    let count = store.stage_counts(None, now()).unwrap().ready_to_qualify as usize;
    assert_eq!(count, ready.iter().filter(|r| **r).count());

    // Once: reopened, nothing is rebuilt again.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(!store.needs_rebuild());
    assert_eq!(found(&store, "wurzburg"), ["Jürgen Müller"]);
    assert_eq!(store.record_counts().unwrap().contacts, 4);
    // ... and no second copy is made: the layout is current now.
    let kept: Vec<_> =
        std::fs::read_dir(dir.path().join("backups")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(kept, ["before-layout-2-from-1"]);
}
