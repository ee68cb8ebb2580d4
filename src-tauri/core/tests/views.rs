//! Filtered contact lists and saved views, through the store on disk.

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::filter::{ContactFilter, SavedView};
use kontor_core::{
    ActivityInput, ActivityKind, Address, ChangedBy, ContactInput, ListQuery, SortOrder, Stage, Store,
    TaskInput,
};
use uuid::Uuid;

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

fn add(store: &Store, first: &str, tags: &[&str], source: &str, city: &str, postcode: &str) -> Uuid {
    let input = ContactInput {
        first_name: first.into(),
        last_name: "Muster".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        source: Some(source.into()),
        address: Address { city: Some(city.into()), postcode: Some(postcode.into()), ..Default::default() },
        ..Default::default()
    };
    store.create_contact(&input, ChangedBy::Hand, t0() - Duration::days(90)).unwrap().id
}

fn names(store: &Store, filter: ContactFilter, stage: Option<Stage>) -> Vec<String> {
    let query = ListQuery { filter: Some(filter), stage, sort: SortOrder::Name, ..Default::default() };
    let page = store.list_contacts(&query, t0()).unwrap();
    assert_eq!(page.total as usize, page.items.len());
    page.items.into_iter().map(|c| c.first_name).collect()
}

#[test]
fn a_filter_narrows_the_list_and_a_saved_view_counts_live() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let anna = add(&store, "Anna", &["Messe"], "Messe Hannover 2026", "Hamburg", "20457");
    let ben = add(&store, "Ben", &["messe", "VIP"], "Website", "München", "80331");
    let cleo = add(&store, "Cleo", &[], "Messe Köln", "Hamburg", "22767");
    // Ben had a call yesterday; Cleo has an overdue task; Anna a task next week.
    let call = ActivityInput {
        kind: ActivityKind::Call,
        at: Some(t0() - Duration::days(1)),
        summary: None,
        text: None,
        outcome: None,
        concerns: None,
    };
    store.log_activity(ben, call, t0()).unwrap();
    let task = |contact, due: &str| TaskInput {
        title: "Nachfassen".into(),
        contact_id: Some(contact),
        due: due.into(),
        ..Default::default()
    };
    store.create_task(task(cleo, "2026-03-09T10:00:00Z"), Berlin, t0() - Duration::days(5)).unwrap();
    store.create_task(task(anna, "2026-03-17"), Berlin, t0()).unwrap();

    let f = |f: ContactFilter| names(&store, f, None);
    assert_eq!(f(ContactFilter { tag: Some("MESSE".into()), ..Default::default() }), ["Anna", "Ben"]);
    assert_eq!(f(ContactFilter { source: Some("messe".into()), ..Default::default() }), ["Anna", "Cleo"]);
    assert_eq!(f(ContactFilter { place: Some("hamburg".into()), ..Default::default() }), ["Anna", "Cleo"]);
    assert_eq!(f(ContactFilter { place: Some("22".into()), ..Default::default() }), ["Cleo"]);
    assert_eq!(f(ContactFilter { no_next_task: true, ..Default::default() }), ["Ben"]);
    assert_eq!(f(ContactFilter { task_overdue: true, ..Default::default() }), ["Cleo"]);
    assert_eq!(f(ContactFilter { inactive_days: Some(30), ..Default::default() }), ["Anna", "Cleo"]);
    let ben_score = store.contact(ben, t0()).unwrap().score;
    assert!(ben_score > 0);
    assert_eq!(f(ContactFilter { score_min: Some(ben_score), ..Default::default() }), ["Ben"]);
    // With the stage and with search text.
    assert!(names(
        &store,
        ContactFilter { tag: Some("messe".into()), ..Default::default() },
        Some(Stage::Prospect)
    )
    .is_empty());
    let query = ListQuery {
        search: Some("muster".into()),
        filter: Some(ContactFilter { place: Some("Hamburg".into()), ..Default::default() }),
        ..Default::default()
    };
    let found: Vec<_> =
        store.list_contacts(&query, t0()).unwrap().items.into_iter().map(|c| c.first_name).collect();
    assert_eq!(found.len(), 2);
    assert!(!found.contains(&"Ben".to_string()));

    // A saved view counts, and follows a write.
    let mut settings = store.settings();
    settings.saved_views = vec![
        SavedView {
            id: "v1".into(),
            name: "Messe".into(),
            stage: None,
            filter: ContactFilter { tag: Some("messe".into()), ..Default::default() },
        },
        SavedView {
            id: "v2".into(),
            name: "Überfällig".into(),
            stage: Some(Stage::Lead),
            filter: ContactFilter { task_overdue: true, ..Default::default() },
        },
    ];
    store.set_settings(&settings, t0()).unwrap();
    let counts = |store: &Store| {
        store
            .view_counts(&store.settings().saved_views, t0())
            .unwrap()
            .into_iter()
            .map(|c| (c.id, c.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&store), [("v1".to_string(), 2), ("v2".to_string(), 1)]);
    let tagged = ContactInput {
        tags: vec!["Messe".into()],
        ..ContactInput::from(&store.contact(cleo, t0()).unwrap())
    };
    store.update_contact(cleo, &tagged, t0()).unwrap();
    assert_eq!(counts(&store), [("v1".to_string(), 3), ("v2".to_string(), 1)]);
    // Two views of one name are refused.
    settings.saved_views[1].name = "messe".into();
    assert!(store.set_settings(&settings, t0()).is_err());
}
