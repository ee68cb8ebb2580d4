//! The store through its public API, on a real sled directory on disk.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kontor_core::{
    demo, ChangedBy, ContactInput, Error, ListQuery, Settings, SortOrder, Stage, StageChangeRequest, Store,
};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

fn person(first: &str, last: &str, org: Option<&str>) -> ContactInput {
    ContactInput {
        first_name: first.into(),
        last_name: last.into(),
        organization: org.map(Into::into),
        emails: vec![format!("{}@example.de", first.to_lowercase())],
        phones: vec!["0170 1234567".into()],
        ..Default::default()
    }
}

fn to(stage: Stage, reason: Option<&str>, force: bool) -> StageChangeRequest {
    StageChangeRequest { to: stage, reason: reason.map(Into::into), force }
}

fn names(page: &kontor_core::ContactPage) -> Vec<&str> {
    page.items.iter().map(|c| c.display_name.as_str()).collect()
}

#[test]
fn create_normalises_and_starts_as_lead_with_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let c = store.create_contact(&person("Anna", "Schmidt", Some("Acme AG")), ChangedBy::Hand, t0()).unwrap();
    assert_eq!(c.stage, Stage::Lead);
    assert_eq!(c.display_name, "Anna Schmidt");
    assert_eq!(c.phones, ["+491701234567"]);
    assert_eq!(c.organization.as_deref(), Some("Acme AG"));
    assert_eq!(c.stage_history.len(), 1);
    assert_eq!(c.stage_history[0].from, None);
    assert_eq!(c.id.get_version_num(), 7);
    assert_eq!(store.contact(c.id, t0()).unwrap(), c);
}

#[test]
fn organisations_are_found_by_name_not_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = store.create_contact(&person("Anna", "A", Some("Acme AG")), ChangedBy::Hand, t0()).unwrap();
    let b = store.create_contact(&person("Bert", "B", Some("  ACME ag ")), ChangedBy::Hand, t0()).unwrap();
    assert_eq!(a.organization_id, b.organization_id);
    assert_eq!(b.organization.as_deref(), Some("Acme AG"));
    assert_eq!(store.organizations(Some("acm"), 10).unwrap().len(), 1);
    assert_eq!(store.organizations(None, 10).unwrap().len(), 1);
}

#[test]
fn lifecycle_changes_are_recorded_and_invalid_ones_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let c = store.create_contact(&person("Anna", "Schmidt", None), ChangedBy::Hand, t0()).unwrap();
    let later = t0() + Duration::days(3);
    let p = store
        .change_stage(c.id, &to(Stage::Prospect, Some("met at fair"), false), ChangedBy::Hand, later)
        .unwrap()
        .value;
    assert_eq!(p.stage, Stage::Prospect);
    assert_eq!(p.updated_at, later);
    let last = p.stage_history.last().unwrap();
    assert_eq!(
        (last.from, last.to, last.reason.as_deref()),
        (Some(Stage::Lead), Stage::Prospect, Some("met at fair"))
    );

    let err =
        store.change_stage(c.id, &to(Stage::Customer, Some("x"), false), ChangedBy::Hand, later).unwrap_err();
    assert!(matches!(err, Error::InvalidTransition { from: Stage::Prospect, to: Stage::Customer }));
    let err =
        store.change_stage(c.id, &to(Stage::Disqualified, None, false), ChangedBy::Hand, later).unwrap_err();
    assert!(matches!(err, Error::ReasonRequired { .. }));
    assert_eq!(store.contact(c.id, t0()).unwrap(), p, "a rejected change must not write");
    assert_eq!(store.stage_counts(None, t0()).unwrap().prospect, 1);

    let back = store
        .change_stage(c.id, &to(Stage::Lead, Some("entered too early"), true), ChangedBy::Hand, later)
        .unwrap()
        .value;
    assert_eq!(back.stage, Stage::Lead);
    assert_eq!(back.stage_history.len(), 3);
}

#[test]
fn list_by_stage_and_order_uses_indexes_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut ids = vec![];
    for (i, name) in ["Zoe", "Ärne", "Bob", "Carla"].iter().enumerate() {
        let c = store
            .create_contact(&person(name, "X", None), ChangedBy::Hand, t0() + Duration::minutes(i as i64))
            .unwrap();
        ids.push(c.id);
    }
    store
        .change_stage(ids[2], &to(Stage::Prospect, None, false), ChangedBy::Hand, t0() + Duration::hours(1))
        .unwrap();

    let all = store.list_contacts(&ListQuery { limit: 10, ..Default::default() }, t0()).unwrap();
    assert_eq!(names(&all), ["Ärne X", "Bob X", "Carla X", "Zoe X"]);
    assert_eq!(all.total, 4);

    let recent = store
        .list_contacts(&ListQuery { sort: SortOrder::LastChange, limit: 2, ..Default::default() }, t0())
        .unwrap();
    assert_eq!(names(&recent), ["Bob X", "Carla X"]);
    assert_eq!(recent.total, 4);

    let page2 = store.list_contacts(&ListQuery { offset: 2, limit: 2, ..Default::default() }, t0()).unwrap();
    assert_eq!(names(&page2), ["Carla X", "Zoe X"]);

    let leads = store
        .list_contacts(&ListQuery { stage: Some(Stage::Lead), limit: 10, ..Default::default() }, t0())
        .unwrap();
    assert_eq!(names(&leads), ["Ärne X", "Carla X", "Zoe X"]);
    assert_eq!(leads.total, 3);
    let prospects = store
        .list_contacts(&ListQuery { stage: Some(Stage::Prospect), limit: 10, ..Default::default() }, t0())
        .unwrap();
    assert_eq!(names(&prospects), ["Bob X"]);
}

#[test]
fn search_finds_name_org_email_phone_and_follows_edits() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = store
        .create_contact(&person("Jürgen", "Müller", Some("Bäckerei Rauch")), ChangedBy::Hand, t0())
        .unwrap();
    store.create_contact(&person("Anna", "Schmidt", Some("Acme")), ChangedBy::Hand, t0()).unwrap();
    let q = |s: &str| {
        let page = store
            .list_contacts(&ListQuery { search: Some(s.into()), limit: 10, ..Default::default() }, t0())
            .unwrap();
        page.items.into_iter().map(|c| c.display_name).collect::<Vec<_>>()
    };
    assert_eq!(q("muell"), ["Jürgen Müller"]);
    assert_eq!(q("rauch"), ["Jürgen Müller"]);
    assert_eq!(q("anna@"), ["Anna Schmidt"]);
    assert_eq!(q("0170 123").len(), 2);
    assert_eq!(store.stage_counts(Some("acme"), t0()).unwrap().all, 1);

    let mut edit = person("Jürgen", "Meyer", None);
    edit.tags = vec!["Hannover".into()];
    store.update_contact(a.id, &edit, t0() + Duration::days(1)).unwrap();
    assert!(q("müller").is_empty());
    assert_eq!(q("hannover"), ["Jürgen Meyer"]);
}

/// A process killed while sled writes its snapshot (sled writes one at every
/// open) leaves `snap.N.generating` without its 12-byte trailer, which sled
/// 0.34 then reads and fails on (sled issue #1527): every command said the
/// store was damaged although nothing of it was.
#[test]
fn a_snapshot_cut_off_by_a_kill_does_not_lock_the_rep_out() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = Store::open(dir.path()).unwrap();
        store.create_contact(&person("Anna", "Schmidt", None), ChangedBy::Hand, t0()).unwrap().id
    };
    drop(Store::open(dir.path()).unwrap()); // sled writes its snapshot when it opens a store
    let files = dir.path().join("store");
    let snapshot = std::fs::read_dir(&files)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("snap.") && !name.ends_with(".generating"))
        .expect("sled wrote a snapshot");
    let bytes = std::fs::read(files.join(&snapshot)).unwrap();
    std::fs::write(files.join(format!("{snapshot}.generating")), &bytes[..bytes.len() - 12]).unwrap();

    let store = Store::open(dir.path()).expect("the store opens");
    assert_eq!(store.contact(id, t0()).unwrap().display_name, "Anna Schmidt");
    let left: Vec<String> = std::fs::read_dir(&files)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".generating"))
        .collect();
    assert!(left.is_empty(), "unfinished snapshots left: {left:?}");
}

#[test]
fn data_survives_reopen_and_search_index_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = Store::open(dir.path()).unwrap();
        let c =
            store.create_contact(&person("Anna", "Schmidt", Some("Acme")), ChangedBy::Hand, t0()).unwrap();
        store.change_stage(c.id, &to(Stage::Prospect, None, false), ChangedBy::Hand, t0()).unwrap();
        store
            .set_settings(&Settings { language: Some(kontor_core::Language::De), ..Default::default() }, t0())
            .unwrap();
        c.id
    };
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.contact(id, t0()).unwrap().stage, Stage::Prospect);
    assert_eq!(store.stage_counts(Some("schmidt"), t0()).unwrap().prospect, 1);
    assert_eq!(store.settings().language, Some(kontor_core::Language::De));
}

#[test]
fn a_second_open_of_the_same_dir_is_refused_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path()).err().expect("second open must fail");
    assert_eq!(err.code().as_str(), "store_locked", "{err}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path().join("store")).unwrap();
        db.open_tree("meta").unwrap().insert("schema_version", &99u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(dir.path()).err().expect("newer schema must fail");
    assert!(matches!(err, Error::StoreNewer { found: 99, .. }), "{err}");
}

#[cfg(unix)]
#[test]
fn data_dir_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kontor");
    Store::open(&data).unwrap();
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);
}

#[cfg(unix)]
#[test]
fn the_data_is_owner_only_whichever_way_the_directory_came_to_be() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.create_contact(&person("Anna", "Schmidt", None), ChangedBy::Hand, t0()).unwrap();
    }
    // As an older Kontor, sled's default umask or a copy left them.
    let store_dir = dir.path().join("store");
    for path in [dir.path(), &store_dir] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for entry in std::fs::read_dir(&store_dir).unwrap() {
        std::fs::set_permissions(entry.unwrap().path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let theirs = dir.path().join("notes.txt");
    std::fs::write(&theirs, "the user's own file").unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o644)).unwrap();

    let store = Store::open(dir.path()).unwrap();
    store.create_contact(&person("Ben", "Meier", None), ChangedBy::Hand, t0()).unwrap();
    assert_eq!(mode(dir.path()), 0o700);
    assert_eq!(mode(&store_dir), 0o700);
    for entry in std::fs::read_dir(&store_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
    let search = dir.path().join("search");
    for entry in std::fs::read_dir(&search).into_iter().flatten() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    assert_eq!(mode(&theirs), 0o644, "a file Kontor did not write keeps its permissions");
    assert!(!kontor_core::paths::readable_by_others(dir.path()));
}

#[test]
fn a_damaged_store_is_reported_not_taken_for_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.create_contact(&person("Anna", "Schmidt", None), ChangedBy::Hand, t0()).unwrap();
    }
    // Overwrite the log with noise (a fixed pseudo-random sequence).
    let db = dir.path().join("store").join("db");
    let len = std::fs::metadata(&db).unwrap().len().max(100_000);
    let mut x: u32 = 0x2545_f491;
    let noise: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_le_bytes()[0]
        })
        .collect();
    std::fs::write(&db, noise).unwrap();
    let err = Store::open(dir.path()).err().expect("a damaged store must not open as an empty one");
    assert_eq!(err.code().as_str(), "store_corrupt", "{err}");
    // Nothing was written over what is left.
    assert!(Store::open(dir.path()).is_err());
}

#[test]
fn demo_data_fills_every_stage() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let counts = demo::load_demo_data(&store, t0()).unwrap();
    assert_eq!(counts.all, 12);
    assert_eq!(counts.ready_to_qualify, 1, "one demo lead is ready to qualify");
    for stage in Stage::ALL {
        assert!(counts.get(stage) > 0, "no demo contact in {stage}");
    }
    // A pipeline to look at: open deals in four stages, won and lost ones,
    // one without a next step that has been idle too long.
    let board = store.pipeline(t0()).unwrap();
    let count = |key: &str| board.columns.iter().find(|c| c.stage.key == key).unwrap().count;
    assert_eq!(
        [count("qualification"), count("needs_analysis"), count("proposal"), count("negotiation")],
        [1, 1, 1, 1]
    );
    assert_eq!((count("won"), count("lost")), (3, 1));
    let idle = board
        .columns
        .iter()
        .flat_map(|c| &c.deals)
        .find(|d| d.deal.title == "Wartungsvertrag Flotte")
        .unwrap();
    assert!(idle.no_next_step && idle.rotting);
    let kasse = board
        .columns
        .iter()
        .flat_map(|c| &c.deals)
        .find(|d| d.deal.title.starts_with("Kassensystem"))
        .unwrap();
    assert_eq!(kasse.deal.value, 12390.0, "3 × 4200 − 10 % + 3 × 350");
    let emily = store
        .list_contacts(&ListQuery { search: Some("Carter".into()), ..Default::default() }, t0())
        .unwrap();
    assert!(store.contact_deal_summary(emily.items[0].id).unwrap().repeat_customer);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever sequence of stage requests arrives, the index trees, the
    /// stored records and the search index agree.
    #[test]
    fn indexes_stay_consistent(moves in prop::collection::vec((0usize..4, 0usize..5, any::<bool>()), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let ids: Vec<_> = (0..4)
            .map(|i| store.create_contact(&person(&format!("P{i}"), "Q", None), ChangedBy::Hand, t0()).unwrap().id)
            .collect();
        for (step, (who, stage, force)) in moves.into_iter().enumerate() {
            let _ = store.change_stage(
                ids[who],
                &to(Stage::ALL[stage], Some("r"), force),
                ChangedBy::Hand,
                t0() + Duration::minutes(step as i64),
            );
        }
        for stage in Stage::ALL {
            let page = store.list_contacts(&ListQuery { stage: Some(stage), limit: 100, ..Default::default() }, t0()).unwrap();
            prop_assert!(page.items.iter().all(|c| c.stage == stage));
            prop_assert_eq!(page.items.len() as u32, store.stage_counts(None, t0()).unwrap().get(stage));
            let by_change = store
                .list_contacts(&ListQuery { stage: Some(stage), sort: SortOrder::LastChange, limit: 100, ..Default::default() }, t0())
                .unwrap();
            prop_assert_eq!(by_change.items.len(), page.items.len());
            prop_assert!(by_change.items.windows(2).all(|w| w[0].updated_at >= w[1].updated_at));
        }
        let all = store.list_contacts(&ListQuery { limit: 100, ..Default::default() }, t0()).unwrap();
        prop_assert_eq!(all.items.len(), 4);
    }
}
