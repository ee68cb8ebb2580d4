//! Activities, criteria, scores and proposals through the store, on disk.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kontor_core::{
    ActivityInput, ActivityKind, ActivityQuery, Answer, ChangedBy, ContactInput, CriteriaUpdate, Error,
    Language, ListQuery, OrganizationInput, Settings, Stage, Store, TargetGroupSetting, TargetProfile,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap()
}

fn lead(store: &Store, name: &str, org: Option<&str>) -> uuid::Uuid {
    let input = ContactInput {
        first_name: name.into(),
        last_name: "Test".into(),
        organization: org.map(Into::into),
        ..Default::default()
    };
    store.create_contact(&input, ChangedBy::Hand, t0() - Duration::days(100)).unwrap().id
}

fn log(store: &Store, id: uuid::Uuid, kind: ActivityKind, days_ago: i64) -> kontor_core::Contact {
    let input = ActivityInput {
        kind,
        at: Some(t0() - Duration::days(days_ago)),
        summary: Some(format!("{kind} {days_ago}")),
        text: None,
        outcome: None,
        concerns: Some("Preis?".into()),
    };
    store.log_activity(id, input, t0()).unwrap().value.1
}

fn yes() -> Option<Answer> {
    Some(Answer::Yes)
}

/// The reason of the contact's last stage change, which a rule made.
fn rule_reason(c: &kontor_core::Contact) -> &str {
    let last = c.stage_history.last().expect("a stage change");
    assert_eq!(last.by, ChangedBy::Rule);
    last.reason.as_deref().expect("a reason")
}

#[test]
fn timeline_is_newest_first_paged_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = lead(&store, "Anna", None);
    log(&store, id, ActivityKind::Call, 10);
    log(&store, id, ActivityKind::Visit, 1);
    log(&store, id, ActivityKind::Call, 5);
    let page = store.list_activities(id, &ActivityQuery::default()).unwrap();
    assert_eq!(page.total, 3);
    let days: Vec<_> = page.items.iter().map(|a| (t0() - a.at).num_days()).collect();
    assert_eq!(days, [1, 5, 10]);
    assert_eq!(page.items[0].concerns.as_deref(), Some("Preis?"));
    assert_eq!(page.kind_counts.get(&ActivityKind::Call), Some(&2));
    assert_eq!(page.kind_counts.get(&ActivityKind::Visit), Some(&1));
    assert_eq!(page.kind_counts.len(), 2);
    let calls = store
        .list_activities(id, &ActivityQuery { kinds: Some(vec![ActivityKind::Call]), offset: 1, limit: 5 })
        .unwrap();
    assert_eq!(calls.total, 2);
    assert_eq!(calls.items.len(), 1);
    assert_eq!((t0() - calls.items[0].at).num_days(), 10);
}

#[test]
fn timeline_pages_and_totals_match_the_whole_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = lead(&store, "Anna", None);
    let quiet = lead(&store, "Quiet", None);
    let kinds =
        [ActivityKind::Call, ActivityKind::EmailOpened, ActivityKind::Meeting, ActivityKind::EmailOpened];
    let inputs = (0..40)
        .map(|i| ActivityInput {
            kind: kinds[i % kinds.len()],
            at: Some(t0() - Duration::minutes(i as i64 * 7)),
            summary: Some(format!("#{i}")),
            text: None,
            outcome: None,
            concerns: None,
        })
        .collect();
    let (mut logged, _) = store.log_activities(id, inputs, t0()).unwrap().value;
    for gone in [logged.remove(3), logged.remove(10)] {
        store.delete_activity(gone.id, t0()).unwrap();
    }
    logged.sort_by_key(|a| std::cmp::Reverse(a.at));

    let filters = [
        None,
        Some(vec![ActivityKind::Call]),
        Some(vec![ActivityKind::Meeting, ActivityKind::Call, ActivityKind::Meeting]),
        Some(vec![ActivityKind::Visit]),
        Some(vec![]),
    ];
    let pages =
        [(0, 50), (0, 7), (7, 7), (14, 20), (30, 10), (37, 5), (38, 50), (100, 5), (0, 0), (u32::MAX, 9)];
    for kinds in &filters {
        let matching: Vec<_> =
            logged.iter().filter(|a| kinds.as_ref().is_none_or(|ks| ks.contains(&a.kind))).collect();
        for (offset, limit) in pages {
            let query = ActivityQuery { kinds: kinds.clone(), offset, limit };
            let page = store.list_activities(id, &query).unwrap();
            let expected: Vec<_> =
                matching.iter().skip(offset as usize).take(limit as usize).map(|a| a.id).collect();
            assert_eq!(page.items.iter().map(|a| a.id).collect::<Vec<_>>(), expected, "{query:?}");
            assert_eq!(page.total as usize, matching.len(), "{query:?}");
            assert_eq!(page.kind_counts.values().sum::<u32>(), 38);
        }
    }
    let empty = store.list_activities(quiet, &ActivityQuery::default()).unwrap();
    assert_eq!((empty.items.len(), empty.total, empty.kind_counts.len()), (0, 0, 0));
}

#[test]
fn ten_thousand_activities_page_from_the_contact_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = lead(&store, "Busy", None);
    let other = lead(&store, "Quiet", None);
    log(&store, other, ActivityKind::Note, 0);
    let inputs = (0..10_000)
        .map(|i| ActivityInput {
            kind: ActivityKind::EmailOpened,
            at: Some(t0() - Duration::minutes(i + 1)),
            summary: None,
            text: None,
            outcome: None,
            concerns: None,
        })
        .collect();
    store.log_activities(id, inputs, t0()).unwrap();
    log(&store, id, ActivityKind::Note, 0);
    let page = store.list_activities(id, &ActivityQuery::default()).unwrap();
    assert_eq!((page.total, page.items.len()), (10_001, 50));
    assert_eq!(page.items[0].at, t0());
    assert_eq!(page.items[1].kind, ActivityKind::EmailOpened);
    assert!(page.items.iter().all(|a| a.contact_id == id));
    let score = store.contact_score(id, t0()).unwrap();
    assert_eq!(score.engagement, 50);
    let older = score.lines.iter().find(|l| l.key == "older").unwrap();
    assert_eq!(older.count, 10_001 - 20);
    assert_eq!(score.lines.last().unwrap().key, "engagement_cap");
}

#[test]
fn store_score_matches_the_rules_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = Store::open(dir.path()).unwrap();
        let id = lead(&store, "Anna", None);
        let c = log(&store, id, ActivityKind::WebinarAttended, 3);
        assert_eq!(c.score, 14);
        assert_eq!(c.last_activity_at, Some(t0() - Duration::days(3)));
        let c = store
            .set_criteria(id, &CriteriaUpdate { budget: yes(), ..Default::default() }, t0())
            .unwrap()
            .value;
        assert_eq!((c.score, c.criteria.budget), (24, Answer::Yes));
        id
    };
    let store = Store::open(dir.path()).unwrap();
    let score = store.contact_score(id, t0()).unwrap();
    assert_eq!((score.score, score.fit, score.engagement), (24, 10, 14));
    assert!(score.lines.iter().any(|l| l.reason == "+14 webinar attended, 3 days ago"));
    assert!(score.lines.iter().any(|l| l.reason == "+10 budget: yes"));
    // 60 days later the webinar counts a quarter as much.
    assert_eq!(store.contact_score(id, t0() + Duration::days(57)).unwrap().engagement, 4);
}

#[test]
fn list_rows_agree_with_the_explained_score() {
    // Lists fill in score, proposal and last activity without the
    // explanation; they must say what the contact's own score says, with
    // many activities, none, some ahead of now, and one deleted.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let kinds = [ActivityKind::WebinarAttended, ActivityKind::Visit, ActivityKind::EmailOpened];
    let mut ids = vec![lead(&store, "Quiet", None)];
    for n in 1..=30i64 {
        let id = lead(&store, &format!("P{n}"), None);
        let inputs = (0..n)
            .map(|k| ActivityInput {
                kind: kinds[(k % 3) as usize],
                at: Some(t0() - Duration::hours(k * n * 7) + Duration::minutes(if n == 7 { 30 } else { 0 })),
                summary: None,
                text: None,
                outcome: None,
                concerns: None,
            })
            .collect();
        let (logged, _) = store.log_activities(id, inputs, t0()).unwrap().value;
        if n % 5 == 0 {
            store.delete_activity(logged[0].id, t0()).unwrap();
        }
        if n % 4 == 0 {
            store
                .set_criteria(
                    id,
                    &CriteriaUpdate { budget: yes(), authority: yes(), ..Default::default() },
                    t0(),
                )
                .unwrap();
        }
        ids.push(id);
    }
    let page = store.list_contacts(&ListQuery { limit: 100, ..Default::default() }, t0()).unwrap();
    assert_eq!(page.items.len(), ids.len());
    for c in &page.items {
        let score = store.contact_score(c.id, t0()).unwrap();
        assert_eq!((c.score, c.proposal), (score.score, score.proposal), "{}", c.display_name);
        let newest = store.list_activities(c.id, &ActivityQuery { limit: 1, ..Default::default() }).unwrap();
        assert_eq!(c.last_activity_at, newest.items.first().map(|a| a.at), "{}", c.display_name);
    }
}

#[test]
fn proposals_show_up_in_the_ready_list_and_accepting_records_a_rule_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let anna = lead(&store, "Anna", None);
    let bert = lead(&store, "Bert", None);
    let ready = |store: &Store| {
        let q = ListQuery { ready_to_qualify: true, limit: 50, ..Default::default() };
        store.list_contacts(&q, t0()).unwrap().items.into_iter().map(|c| c.first_name).collect::<Vec<_>>()
    };
    assert!(ready(&store).is_empty());
    let update = CriteriaUpdate {
        target_group: Some(TargetGroupSetting::Yes),
        budget: yes(),
        authority: yes(),
        ..Default::default()
    };
    let c = store.set_criteria(anna, &update, t0()).unwrap().value;
    assert_eq!(c.proposal, Some(Stage::Prospect));
    assert_eq!(ready(&store), ["Anna"]);
    assert_eq!(store.stage_counts(None, t0()).unwrap().ready_to_qualify, 1);
    assert!(matches!(store.accept_proposal(bert, t0()), Err(Error::NoProposal)));

    let c = store.accept_proposal(anna, t0()).unwrap().value;
    assert_eq!(c.stage, Stage::Prospect);
    assert!(
        rule_reason(&c)
            .contains("Vorschlag angenommen: Zielgruppe, Budget und Entscheidungsbefugnis bestätigt"),
        "{}",
        rule_reason(&c)
    );
    assert!(ready(&store).is_empty());

    // Prospect → opportunity: threshold 70 plus need and timeline.
    let c = store
        .set_criteria(anna, &CriteriaUpdate { need: yes(), timeline: yes(), ..Default::default() }, t0())
        .unwrap()
        .value;
    assert_eq!((c.score, c.proposal), (50, None));
    log(&store, anna, ActivityKind::Visit, 0);
    let c = log(&store, anna, ActivityKind::Meeting, 0);
    assert_eq!((c.score, c.proposal), (77, Some(Stage::Opportunity)));
    assert_eq!(store.stage_counts(None, t0()).unwrap().ready_to_qualify, 1);
}

#[test]
fn activities_ahead_of_now_count_neither_in_the_score_nor_in_the_ready_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = lead(&store, "Anna", None);
    let soon = t0() + Duration::minutes(30);
    let webinar = || ActivityInput {
        kind: ActivityKind::WebinarAttended,
        at: Some(soon),
        summary: None,
        text: None,
        outcome: None,
        concerns: None,
    };
    store.log_activities(id, vec![webinar(), webinar(), webinar()], t0()).unwrap();
    let ready = |now: DateTime<Utc>| {
        let q = ListQuery { ready_to_qualify: true, limit: 50, ..Default::default() };
        store.list_contacts(&q, now).unwrap().items.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };

    let score = store.contact_score(id, t0()).unwrap();
    assert_eq!((score.score, score.proposal), (0, None));
    assert!(ready(t0()).is_empty(), "the list agrees with the contact's own score");
    assert_eq!(store.stage_counts(None, t0()).unwrap().ready_to_qualify, 0);

    // Once they have happened, 3 × 15 points pass the prospect threshold.
    let score = store.contact_score(id, soon).unwrap();
    assert_eq!((score.score, score.proposal), (45, Some(Stage::Prospect)));
    assert_eq!(ready(soon), [id]);
    assert_eq!(store.stage_counts(None, soon).unwrap().ready_to_qualify, 1);
}

#[test]
fn auto_advance_moves_by_rule() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.set_fallback_language(Language::En);
    let mut settings = store.settings();
    settings.scoring.auto_advance = true;
    settings.scoring.prospect_threshold = 20;
    store.set_settings(&settings, t0()).unwrap();
    let id = lead(&store, "Anna", None);
    let c = log(&store, id, ActivityKind::Visit, 0);
    assert_eq!(c.stage, Stage::Lead, "15 points stay below 20");
    let c = log(&store, id, ActivityKind::Call, 0);
    assert_eq!(c.stage, Stage::Prospect);
    assert!(
        rule_reason(&c).contains("qualified automatically: score 23 reached the prospect threshold 20"),
        "{}",
        rule_reason(&c)
    );
}

#[test]
fn auto_advance_follows_an_organisation_edit() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut settings = store.settings();
    settings.scoring.auto_advance = true;
    settings.target_profile = TargetProfile { industries: vec!["Bäckerei".into()], ..Default::default() };
    store.set_settings(&settings, t0()).unwrap();
    let anna = lead(&store, "Anna", Some("Bäckerei Rauch"));
    let bert = lead(&store, "Bert", Some("Bäckerei Rauch"));
    let carl = lead(&store, "Carl", Some("Bäckerei Korn"));
    let confirmed = CriteriaUpdate { budget: yes(), authority: yes(), ..Default::default() };
    for id in [anna, carl] {
        let c = store.set_criteria(id, &confirmed, t0()).unwrap().value;
        assert_eq!((c.stage, c.proposal), (Stage::Lead, None), "the target group is not known yet");
    }

    // The industry makes Rauch's people fit: Anna has budget and authority too.
    let org_id = store.contact(anna, t0()).unwrap().organization_id.unwrap();
    let data = OrganizationInput {
        name: "Bäckerei Rauch".into(),
        industry: Some("Bäckerei".into()),
        size: None,
        postcode: None,
        region: None,
        ..Default::default()
    };
    store.update_organization(org_id, &data, t0()).unwrap();
    let c = store.contact(anna, t0()).unwrap();
    assert_eq!(c.stage, Stage::Prospect);
    assert!(
        rule_reason(&c).contains("automatisch qualifiziert: Zielgruppe, Budget und Entscheidungsbefugnis"),
        "{}",
        rule_reason(&c)
    );
    assert_eq!(store.contact(bert, t0()).unwrap().stage, Stage::Lead, "Bert has no budget or authority");
    assert_eq!(store.contact(carl, t0()).unwrap().stage, Stage::Lead, "another organisation");
}

#[test]
fn auto_advance_follows_new_settings() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let anna = lead(&store, "Anna", None);
    let bert = lead(&store, "Bert", None);
    log(&store, anna, ActivityKind::Visit, 0);
    log(&store, anna, ActivityKind::Call, 0);
    for _ in 0..3 {
        log(&store, bert, ActivityKind::WebinarAttended, 0);
    }
    // Off by default: Bert (45) is only proposed.
    let bert_now = store.contact(bert, t0()).unwrap();
    assert_eq!((bert_now.stage, bert_now.proposal), (Stage::Lead, Some(Stage::Prospect)));

    // Turning it on applies the pending proposal; Anna (23) stays below 40.
    let mut settings = store.settings();
    settings.scoring.auto_advance = true;
    store.set_settings(&settings, t0()).unwrap();
    assert_eq!(store.contact(bert, t0()).unwrap().stage, Stage::Prospect);
    assert_eq!(store.contact(anna, t0()).unwrap().stage, Stage::Lead);

    // A lower threshold makes Anna ready, and she is moved at once.
    settings.scoring.prospect_threshold = 20;
    store.set_settings(&settings, t0()).unwrap();
    let c = store.contact(anna, t0()).unwrap();
    assert_eq!(c.stage, Stage::Prospect);
    assert!(rule_reason(&c).contains("Interessenten-Schwelle 20"), "{}", rule_reason(&c));
    assert_eq!(store.stage_counts(None, t0()).unwrap().ready_to_qualify, 0);
}

#[test]
fn deleting_an_activity_lowers_the_score() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = lead(&store, "Anna", None);
    log(&store, id, ActivityKind::Visit, 0);
    log(&store, id, ActivityKind::Call, 0);
    let visit = store
        .list_activities(id, &ActivityQuery::default())
        .unwrap()
        .items
        .into_iter()
        .find(|a| a.kind == ActivityKind::Visit)
        .unwrap();
    let c = store.delete_activity(visit.id, t0()).unwrap();
    assert_eq!(c.score, 8);
    assert_eq!(store.list_activities(id, &ActivityQuery::default()).unwrap().total, 1);
    assert!(matches!(store.delete_activity(visit.id, t0()), Err(Error::NotFound { .. })));
}

#[test]
fn target_group_follows_the_organisation_unless_set_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = lead(&store, "Anna", Some("Bäckerei Rauch"));
    let mut settings = store.settings();
    settings.target_profile = TargetProfile {
        industries: vec!["Bäckerei".into()],
        regions: vec!["30".into()],
        ..Default::default()
    };
    store.set_settings(&settings, t0()).unwrap();
    assert_eq!(store.contact(id, t0()).unwrap().criteria.target_group, Answer::Unknown);

    let org_id = store.contact(id, t0()).unwrap().organization_id.unwrap();
    let data = OrganizationInput {
        name: "Bäckerei Rauch".into(),
        industry: Some("Bäckerei".into()),
        size: Some(12),
        postcode: Some("30159".into()),
        region: None,
        ..Default::default()
    };
    store.update_organization(org_id, &data, t0()).unwrap();
    let c = store.contact(id, t0()).unwrap();
    assert_eq!((c.criteria.target_group, c.score, c.target_group_manual), (Answer::Yes, 15, false));

    let c = store
        .set_criteria(
            id,
            &CriteriaUpdate { target_group: Some(TargetGroupSetting::No), ..Default::default() },
            t0(),
        )
        .unwrap()
        .value;
    assert_eq!((c.criteria.target_group, c.target_group_manual), (Answer::No, true));
    let c = store
        .set_criteria(
            id,
            &CriteriaUpdate { target_group: Some(TargetGroupSetting::Auto), ..Default::default() },
            t0(),
        )
        .unwrap()
        .value;
    assert_eq!((c.criteria.target_group, c.target_group_manual), (Answer::Yes, false));

    let renamed = OrganizationInput { name: "Rauch Backwaren".into(), ..data };
    store.update_organization(org_id, &renamed, t0()).unwrap();
    assert_eq!(store.contact(id, t0()).unwrap().organization.as_deref(), Some("Rauch Backwaren"));
    let q = ListQuery { search: Some("backwaren".into()), ..Default::default() };
    assert_eq!(store.list_contacts(&q, t0()).unwrap().total, 1);
}

#[test]
fn a_new_half_life_rescores_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = lead(&store, "Anna", None);
    log(&store, id, ActivityKind::Visit, 30);
    log(&store, id, ActivityKind::Visit, 30);
    log(&store, id, ActivityKind::WebinarAttended, 30);
    // 45 points, halved after 30 days: 22.5 → below 40.
    assert_eq!(store.stage_counts(None, t0()).unwrap().ready_to_qualify, 0);
    let mut settings = store.settings();
    settings.scoring.half_life_days = 365.0;
    store.set_settings(&settings, t0()).unwrap();
    assert_eq!(store.stage_counts(None, t0()).unwrap().ready_to_qualify, 1);
    assert_eq!(store.contact(id, t0()).unwrap().proposal, Some(Stage::Prospect));
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.stage_counts(None, t0()).unwrap().ready_to_qualify, 1, "sums were persisted");
}

#[test]
fn invalid_settings_and_future_activities_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut bad = Settings::default();
    bad.scoring.half_life_days = 0.0;
    assert!(matches!(
        store.set_settings(&bad, t0()),
        Err(Error::InvalidSettings { field: "half_life_days", .. })
    ));
    bad = Settings::default();
    bad.scoring.prospect_threshold = 101;
    assert!(store.set_settings(&bad, t0()).is_err());
    assert_eq!(store.settings(), Settings::default());

    let id = lead(&store, "Anna", None);
    let future = ActivityInput {
        kind: ActivityKind::Call,
        at: Some(t0() + Duration::days(2)),
        summary: None,
        text: None,
        outcome: None,
        concerns: None,
    };
    assert!(matches!(store.log_activity(id, future, t0()), Err(Error::InvalidInput { field: "at", .. })));
    assert_eq!(store.list_activities(id, &ActivityQuery::default()).unwrap().total, 0);
}

/// One step of the ready-to-qualify property test.
#[derive(Debug, Clone)]
enum ReadyStep {
    /// Log an activity `minutes` before now (negative: ahead, up to an hour).
    Activity(usize, ActivityKind, i64),
    Criteria(usize, CriteriaUpdate),
    Stage(usize, Stage),
    /// Let time pass (hours).
    Wait(i64),
    Thresholds(u32),
}

fn ready_step() -> impl proptest::strategy::Strategy<Value = ReadyStep> {
    use proptest::prelude::*;
    let kind = (0usize..12).prop_map(|i| ActivityKind::ALL[i]);
    let answer = prop_oneof![Just(None), Just(Some(Answer::Yes)), Just(Some(Answer::No))];
    prop_oneof![
        5 => (0usize..6, kind, -60i64..200_000).prop_map(|(c, k, m)| ReadyStep::Activity(c, k, m)),
        2 => (0usize..6, answer.clone(), answer.clone(), answer.clone(), answer).prop_map(|(c, b, a, n, t)| {
            ReadyStep::Criteria(c, CriteriaUpdate {
                target_group: Some(TargetGroupSetting::Yes), budget: b, authority: a, need: n, timeline: t,
            })
        }),
        1 => (0usize..6, prop_oneof![Just(Stage::Prospect), Just(Stage::Opportunity), Just(Stage::Customer)])
            .prop_map(|(c, s)| ReadyStep::Stage(c, s)),
        2 => (1i64..2000).prop_map(ReadyStep::Wait),
        1 => (20u32..60).prop_map(ReadyStep::Thresholds),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// The ready count and list, kept as windows, agree with scoring every
    /// contact at every moment: as activities are logged (some ahead of
    /// now), criteria and stages change, thresholds move and time passes.
    #[test]
    fn the_ready_count_and_list_agree_with_each_contacts_score(steps in proptest::collection::vec(ready_step(), 1..30)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let _quiet = store.pause_automation();
        let ids: Vec<uuid::Uuid> = (0..6).map(|i| lead(&store, &format!("P{i}"), None)).collect();
        let mut now = t0();
        for step in steps {
            match step {
                ReadyStep::Activity(c, kind, minutes) => {
                    let input = ActivityInput { kind, at: Some(now - Duration::minutes(minutes)), summary: None, text: None, outcome: None, concerns: None };
                    store.log_activity(ids[c], input, now).unwrap();
                }
                ReadyStep::Criteria(c, update) => { store.set_criteria(ids[c], &update, now).unwrap(); }
                ReadyStep::Stage(c, stage) => {
                    let request = kontor_core::StageChangeRequest { to: stage, reason: Some("x".into()), force: true };
                    let _ = store.change_stage(ids[c], &request, ChangedBy::Hand, now);
                }
                ReadyStep::Wait(hours) => now += Duration::hours(hours),
                ReadyStep::Thresholds(t) => {
                    let mut s = store.settings();
                    s.scoring.prospect_threshold = t;
                    store.set_settings(&s, now).unwrap();
                }
            }
            for at in [now, now + Duration::minutes(30), now + Duration::days(3)] {
                let want: Vec<uuid::Uuid> = ids.iter().copied().filter(|id| store.contact(*id, at).unwrap().proposal.is_some()).collect();
                let counts = store.stage_counts(None, at).unwrap();
                proptest::prop_assert_eq!(counts.ready_to_qualify as usize, want.len(), "count at {}", at);
                let q = ListQuery { ready_to_qualify: true, limit: 50, ..Default::default() };
                let mut listed: Vec<uuid::Uuid> = store.list_contacts(&q, at).unwrap().items.into_iter().map(|c| c.id).collect();
                listed.sort();
                let mut want = want;
                want.sort();
                proptest::prop_assert_eq!(listed, want, "list at {}", at);
            }
        }
    }
}

#[test]
fn an_edited_activity_keeps_what_it_replaced_and_moves_on_the_timeline() {
    use kontor_core::{ActivityInput, ActivityKind, ChangedBy, ContactInput, Store};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t = |d: u32, h: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, d, h, 0, 0).unwrap();
    let input = ContactInput { first_name: "Anna".into(), last_name: "Muster".into(), ..Default::default() };
    let anna = store.create_contact(&input, ChangedBy::Hand, t(1, 8)).unwrap().id;
    let log = |kind, at, summary: &str| ActivityInput {
        kind,
        at: Some(at),
        summary: Some(summary.into()),
        text: None,
        outcome: None,
        concerns: None,
    };
    let (call, _) =
        store.log_activity(anna, log(ActivityKind::Call, t(2, 9), "Erstgespräch"), t(2, 10)).unwrap().value;
    store.log_activity(anna, log(ActivityKind::Note, t(3, 9), "Notiz"), t(3, 10)).unwrap();
    let before = store.contact(anna, t(4, 9)).unwrap().score;
    // The call was a visit, a day later, with an outcome.
    let edit = ActivityInput {
        outcome: Some("Angebot gewünscht".into()),
        ..log(ActivityKind::Visit, t(4, 8), "Besuch vor Ort")
    };
    let (edited, contact) = store.update_activity(call.id, edit, t(4, 9)).unwrap().value;
    assert_eq!((edited.id, edited.kind, edited.at), (call.id, ActivityKind::Visit, t(4, 8)));
    assert_eq!(edited.created_at, call.created_at);
    assert_eq!(edited.edits.len(), 1);
    let was = &edited.edits[0];
    assert_eq!(
        (was.kind, was.at, was.summary.as_deref(), was.edited_at),
        (ActivityKind::Call, t(2, 9), Some("Erstgespräch"), t(4, 9))
    );
    assert!(contact.score > before, "a visit counts more than a call, and it is newer");
    let page = store.list_activities(anna, &Default::default()).unwrap();
    let order: Vec<_> = page.items.iter().map(|a| a.summary.as_deref().unwrap()).collect();
    assert_eq!(order, ["Besuch vor Ort", "Notiz"], "newest first, at its new time");
    assert_eq!(page.total, 2);
    // Without a time the edit keeps the activity's; a second edit adds to the history.
    let again = ActivityInput { at: None, ..log(ActivityKind::Visit, t(4, 8), "Besuch, Angebot folgt") };
    let (twice, _) = store.update_activity(call.id, again, t(5, 9)).unwrap().value;
    assert_eq!((twice.at, twice.edits.len()), (t(4, 8), 2));
    assert_eq!(store.list_activities(anna, &Default::default()).unwrap().items[0].edits.len(), 2, "stored");
    // It can still be deleted, history and all.
    store.delete_activity(call.id, t(5, 10)).unwrap();
    assert_eq!(store.list_activities(anna, &Default::default()).unwrap().total, 1);
    assert!(store.update_activity(call.id, log(ActivityKind::Call, t(2, 9), "x"), t(5, 11)).is_err());
}
