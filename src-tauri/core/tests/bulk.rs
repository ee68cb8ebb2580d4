//! Bulk changes to many contacts and their undo, through the store on disk.

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::store::{BulkChange, MAX_BULK};
use kontor_core::{
    ChangedBy, ContactInput, Error, ErrorCode, Stage, StageChangeRequest, Store, TaskInput, TaskView,
};
use uuid::Uuid;

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn leads(store: &Store, n: usize) -> Vec<Uuid> {
    (0..n)
        .map(|i| {
            let input = ContactInput {
                first_name: format!("Lea{i}"),
                last_name: "Bulk".into(),
                tags: vec!["Messe".into()],
                ..Default::default()
            };
            store.create_contact(&input, ChangedBy::Hand, t0()).unwrap().id
        })
        .collect()
}

#[test]
fn fifty_leads_become_prospects_at_once_and_undo_puts_them_back() {
    let (_d, store) = store();
    let mut ids = leads(&store, 50);
    // One is a customer already: lead is no step back it may take unasked.
    let customer = ids[49];
    let req = StageChangeRequest { to: Stage::Customer, reason: Some("Bestandskunde".into()), force: true };
    store.change_stage(customer, &req, ChangedBy::Hand, t0()).unwrap();
    ids.push(Uuid::now_v7());
    let later = t0() + Duration::hours(1);
    let to_prospect = BulkChange::Stage { to: Stage::Prospect, reason: None };
    let out = store.bulk_change(&ids, &to_prospect, Berlin, later).unwrap();
    assert_eq!(out.changed, 49);
    let skipped: Vec<_> = out.skipped.iter().map(|s| s.code).collect();
    assert_eq!(skipped, [ErrorCode::InvalidTransition, ErrorCode::NotFound]);
    assert_eq!(out.skipped[0].name, "Lea49 Bulk");
    let counts = store.stage_counts(None, later).unwrap();
    assert_eq!((counts.lead, counts.prospect, counts.customer), (0, 49, 1));
    let anna = store.contact(ids[0], later).unwrap();
    assert_eq!(anna.stage, Stage::Prospect);
    assert_eq!(anna.stage_history.last().unwrap().by, ChangedBy::Hand);
    // The shipped rule made a first-call task for each new prospect.
    let rule_tasks = store.tasks(TaskView::Open, Berlin, later).unwrap().len();
    assert_eq!(rule_tasks, 49);

    let undone = store.undo_bulk(out.undo.unwrap(), later + Duration::minutes(1)).unwrap();
    assert_eq!((undone.restored, undone.kept, undone.tasks_removed), (49, 0, 49));
    let counts = store.stage_counts(None, later).unwrap();
    assert_eq!((counts.lead, counts.prospect, counts.customer), (49, 0, 1));
    assert_eq!(store.contact(ids[0], later).unwrap().stage_history.len(), 1);
    assert!(store.tasks(TaskView::Open, Berlin, later).unwrap().is_empty());
    assert!(matches!(store.undo_bulk(out.undo.unwrap(), later), Err(Error::NotFound { .. })), "undone once");
}

#[test]
fn tags_are_added_and_removed_whatever_their_case_and_undo_keeps_later_edits() {
    let (_d, store) = store();
    let ids = leads(&store, 3);
    let add = BulkChange::AddTag { tag: "  VIP ".into() };
    let out = store.bulk_change(&ids, &add, Berlin, t0()).unwrap();
    assert_eq!((out.changed, out.unchanged), (3, 0));
    assert_eq!(store.contact(ids[0], t0()).unwrap().tags, ["Messe", "VIP"]);
    assert_eq!(
        store.bulk_change(&ids, &BulkChange::AddTag { tag: "vip".into() }, Berlin, t0()).unwrap().unchanged,
        3
    );
    let later = t0() + Duration::hours(1);
    let out = store.bulk_change(&ids, &BulkChange::RemoveTag { tag: "messe".into() }, Berlin, later).unwrap();
    assert_eq!(out.changed, 3);
    assert_eq!(store.contact(ids[1], later).unwrap().tags, ["VIP"]);
    // The rep edits one contact before undoing: that edit stays.
    let mut edit = ContactInput::from(&store.contact(ids[2], later).unwrap());
    edit.title = Some("Einkauf".into());
    store.update_contact(ids[2], &edit, later + Duration::minutes(5)).unwrap();
    let undone = store.undo_bulk(out.undo.unwrap(), later + Duration::minutes(6)).unwrap();
    assert_eq!((undone.restored, undone.kept), (2, 1));
    assert_eq!(store.contact(ids[0], later).unwrap().tags, ["Messe", "VIP"]);
    let kept = store.contact(ids[2], later).unwrap();
    assert_eq!((kept.tags.as_slice(), kept.title.as_deref()), (&["VIP".to_string()][..], Some("Einkauf")));
    let err = store.bulk_change(&ids, &BulkChange::AddTag { tag: " ".into() }, Berlin, t0()).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "tag", .. }));
}

#[test]
fn a_task_for_each_contact_and_undo_removes_only_the_untouched_ones() {
    let (_d, store) = store();
    let ids = leads(&store, 4);
    let input = TaskInput {
        title: "Nachfassen".into(),
        due: "2026-03-04".into(),
        reminders: vec![0],
        ..Default::default()
    };
    let out = store.bulk_change(&ids, &BulkChange::Task { input }, Berlin, t0()).unwrap();
    assert_eq!(out.changed, 4);
    let tasks = store.tasks(TaskView::Open, Berlin, t0()).unwrap();
    assert_eq!(tasks.len(), 4);
    let mut about: Vec<_> = tasks.iter().filter_map(|t| t.contact_id).collect();
    about.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(about, want, "one task about each contact");
    assert!(tasks.iter().all(|t| t.reminders.len() == 1), "the reminder asked for");
    store.complete_task(tasks[0].id, Berlin, t0() + Duration::minutes(1)).unwrap();
    let undone = store.undo_bulk(out.undo.unwrap(), t0() + Duration::minutes(2)).unwrap();
    assert_eq!(undone.tasks_removed, 3);
    assert_eq!(store.tasks(TaskView::Open, Berlin, t0()).unwrap().len(), 0);
    assert!(store.task(tasks[0].id).unwrap().done, "the completed one stays");
    let bad = TaskInput { title: "".into(), due: "2026-03-04".into(), ..Default::default() };
    assert!(store.bulk_change(&ids, &BulkChange::Task { input: bad }, Berlin, t0()).is_err());
    let too_many = vec![ids[0]; MAX_BULK + 1];
    assert!(store.bulk_change(&too_many, &BulkChange::AddTag { tag: "x".into() }, Berlin, t0()).is_err());
}

#[test]
fn only_the_newest_twenty_changes_stay_undoable() {
    let (_d, store) = store();
    let ids = leads(&store, 1);
    let tokens: Vec<Uuid> = (0..22)
        .map(|i| {
            let change = BulkChange::AddTag { tag: format!("t{i}") };
            store.bulk_change(&ids, &change, Berlin, t0() + Duration::seconds(i)).unwrap().undo.unwrap()
        })
        .collect();
    assert!(store.undo_bulk(tokens[0], t0()).is_err());
    assert!(store.undo_bulk(tokens[21], t0() + Duration::minutes(1)).is_ok());
}

#[test]
fn deleting_many_takes_their_timeline_tasks_and_deals_and_undo_brings_all_back() {
    use kontor_core::{ActivityInput, ActivityKind, DealInput, SearchQuery};
    let (_d, store) = store();
    let ids = leads(&store, 3);
    let keep = leads(&store, 1)[0];
    let call = ActivityInput {
        kind: ActivityKind::Call,
        at: Some(t0()),
        summary: Some("Erstgespräch".into()),
        text: None,
        outcome: None,
        concerns: None,
    };
    store.log_activity(ids[0], call, t0()).unwrap();
    let task = TaskInput {
        title: "Nachfassen".into(),
        contact_id: Some(ids[1]),
        due: "2026-03-04".into(),
        ..Default::default()
    };
    store.create_task(task, Berlin, t0()).unwrap();
    let deal = DealInput { contact_id: ids[2], title: "Kasse".into(), value: 900.0, ..Default::default() };
    let deal = store.create_deal(&deal, t0()).unwrap().value;
    let score = store.contact(ids[0], t0()).unwrap().score;
    assert!(score > 0);

    let later = t0() + Duration::hours(1);
    let out = store.bulk_change(&ids, &BulkChange::Delete, Berlin, later).unwrap();
    assert_eq!(out.changed, 3);
    assert_eq!(store.stage_counts(None, later).unwrap().all, 1);
    assert!(store.contact(ids[0], later).is_err());
    assert!(store.tasks(TaskView::Open, Berlin, later).unwrap().is_empty());
    assert!(store.deal(deal.id).is_err());
    let found =
        store.search(&SearchQuery { text: "Lea0".into(), kind: None, limit: 10, per_kind: false }).unwrap();
    assert!(found.hits.iter().all(|h| h.id == keep), "{:?}", found.hits);

    let back = store.undo_bulk(out.undo.unwrap(), later + Duration::minutes(1)).unwrap();
    assert_eq!(back.restored, 3);
    assert_eq!(store.stage_counts(None, later).unwrap().all, 4);
    let anna = store.contact(ids[0], later).unwrap();
    assert_eq!(anna.score, store.contact(ids[0], later).unwrap().score);
    assert!(anna.score > 0, "the timeline counts again");
    let timeline = store.list_activities(ids[0], &Default::default()).unwrap();
    assert_eq!(timeline.items[0].summary.as_deref(), Some("Erstgespräch"));
    assert_eq!(store.tasks(TaskView::Open, Berlin, later).unwrap().len(), 1);
    assert_eq!(store.deal(deal.id).unwrap().title, "Kasse");
    let found =
        store.search(&SearchQuery { text: "Lea0".into(), kind: None, limit: 10, per_kind: false }).unwrap();
    assert!(found.hits.iter().any(|h| h.id == ids[0]));
}

#[test]
fn a_deletion_is_undoable_for_a_day_only() {
    let (_d, store) = store();
    let ids = leads(&store, 1);
    let out = store.bulk_change(&ids, &BulkChange::Delete, Berlin, t0()).unwrap();
    // The upkeep (the app's, from time to time) a day later empties what the deletion kept.
    let next_day = t0() + Duration::hours(25);
    store.maintain(t0() + Duration::hours(2)).unwrap();
    store.maintain(next_day).unwrap();
    assert!(matches!(store.undo_bulk(out.undo.unwrap(), next_day), Err(Error::NotFound { .. })));
}

#[test]
fn a_backup_holds_no_undo_record_so_deleted_people_do_not_travel_in_it() {
    let (_d, store) = store();
    let ids = leads(&store, 2);
    let out = store.bulk_change(&ids[..1], &BulkChange::Delete, Berlin, t0()).unwrap();
    assert!(out.undo.is_some());
    let mut bytes = Vec::new();
    store.write_backup(&mut bytes, "test", t0()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains("undo:"), "an undo record went into the backup");
    assert!(!text.contains("Lea0"), "the deleted person is in the backup");
    assert!(text.contains("Lea1"));
}

#[test]
fn erasing_a_person_drops_the_undo_records_that_hold_them() {
    let (_dir, store) = store();
    let ids = leads(&store, 2);
    let out = store.bulk_change(&ids, &BulkChange::AddTag { tag: "VIP".into() }, Berlin, t0()).unwrap();
    store.erase_person(ids[0], t0() + Duration::minutes(1)).unwrap();
    // Its undo is gone with it: an Undo cannot bring the erased person back.
    assert!(matches!(
        store.undo_bulk(out.undo.unwrap(), t0() + Duration::minutes(2)),
        Err(Error::NotFound { .. })
    ));
    assert!(store.contact(ids[0], t0()).is_err());
    assert_eq!(store.contact(ids[1], t0()).unwrap().tags, ["Messe", "VIP"]);
}

#[test]
fn after_bulk_changes_deletions_and_their_undo_the_doctor_finds_the_store_whole() {
    use kontor_core::{ActivityInput, ActivityKind, DealInput};
    let (_d, store) = store();
    let ids = leads(&store, 6);
    let call = ActivityInput {
        kind: ActivityKind::Visit,
        at: Some(t0()),
        summary: None,
        text: None,
        outcome: None,
        concerns: None,
    };
    store.log_activity(ids[0], call, t0()).unwrap();
    store
        .create_deal(
            &DealInput { contact_id: ids[1], title: "Kasse".into(), value: 10.0, ..Default::default() },
            t0(),
        )
        .unwrap();
    let later = t0() + Duration::hours(1);
    let moved = store
        .bulk_change(&ids, &BulkChange::Stage { to: Stage::Prospect, reason: None }, Berlin, later)
        .unwrap();
    let gone =
        store.bulk_change(&ids[..3], &BulkChange::Delete, Berlin, later + Duration::minutes(1)).unwrap();
    assert!(store.doctor().unwrap().problems.is_empty(), "{:?}", store.doctor().unwrap().problems);
    store.undo_bulk(gone.undo.unwrap(), later + Duration::minutes(2)).unwrap();
    store.undo_bulk(moved.undo.unwrap(), later + Duration::minutes(3)).unwrap();
    let checkup = store.doctor().unwrap();
    assert!(checkup.problems.is_empty(), "{:?}", checkup.problems);
}
