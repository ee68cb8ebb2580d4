//! Every report on one fixed data set with hand-computed answers.
//!
//! March 2026 (Europe/Berlin), all at 09:00 UTC unless said:
//! - Anna (Messe): created 03-01, prospect 03-05, opportunity 03-10, customer 03-20
//! - Bert (Messe): created 03-02, prospect 03-12
//! - Carl (Web): created 03-03, disqualified 03-04
//! - Dora (no source): created 03-04
//! - Emil (Web): created 04-05 (after March)
//! - Fritz (Partner): created 02-01; deals make him opportunity 03-10 and
//!   customer 03-15 (by rule)
//! - Deals of Fritz: D1 10 000 € won 03-15; D2 5 000 € proposal; D3 2 000 €
//!   lost 03-16; D4 3 000 € negotiation; D5 1 000 USD qualification;
//!   D6 4 000 € won 04-02.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::report::{
    ActivitiesReport, Conversion, Funnel, OverdueReport, PipelineReport, SourcesReport,
};
use kontor_core::{
    ActivityInput, ActivityKind, ChangedBy, ContactInput, DealInput, Language, Money, Period, Report,
    ReportKind, Settings, Stage, StageChangeRequest, Store, TaskInput,
};
use uuid::Uuid;

fn at(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, 9, 0, 0).unwrap()
}

fn now() -> DateTime<Utc> {
    at(4, 10)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn march() -> Period {
    Period { from: Some(day(3, 1)), to: Some(day(3, 31)) }
}

fn add(store: &Store, first: &str, source: Option<&str>, created: DateTime<Utc>) -> Uuid {
    let input = ContactInput {
        first_name: first.into(),
        last_name: "Test".into(),
        source: source.map(Into::into),
        ..Default::default()
    };
    store.create_contact(&input, ChangedBy::Hand, created).unwrap().id
}

fn stage(store: &Store, id: Uuid, to: Stage, when: DateTime<Utc>) {
    let reason = (to == Stage::Disqualified).then(|| "passt nicht".to_owned());
    store.change_stage(id, &StageChangeRequest { to, reason, force: false }, ChangedBy::Hand, when).unwrap();
}

fn deal(store: &Store, c: Uuid, title: &str, value: f64, cur: &str, st: &str, when: DateTime<Utc>) -> Uuid {
    let input = DealInput {
        contact_id: c,
        title: title.into(),
        value,
        currency: cur.into(),
        stage: Some(st.into()),
        ..Default::default()
    };
    store.create_deal(&input, when).unwrap().value.id
}

fn activity(store: &Store, c: Uuid, kind: ActivityKind, when: DateTime<Utc>) {
    let input =
        ActivityInput { kind, at: Some(when), summary: None, text: None, outcome: None, concerns: None };
    store.log_activity(c, input, now()).unwrap();
}

fn data() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.set_time_zone(Berlin);
    store.set_settings(&Settings { automation: vec![], ..Settings::default() }, now()).unwrap();
    let anna = add(&store, "Anna", Some("Messe"), at(3, 1));
    stage(&store, anna, Stage::Prospect, at(3, 5));
    stage(&store, anna, Stage::Opportunity, at(3, 10));
    stage(&store, anna, Stage::Customer, at(3, 20));
    let bert = add(&store, "Bert", Some("Messe"), at(3, 2));
    stage(&store, bert, Stage::Prospect, at(3, 12));
    let carl = add(&store, "Carl", Some("Web"), at(3, 3));
    stage(&store, carl, Stage::Disqualified, at(3, 4));
    add(&store, "Dora", None, at(3, 4));
    add(&store, "Emil", Some("Web"), at(4, 5));
    let fritz = add(&store, "Fritz", Some("Partner"), at(2, 1));
    let d1 = deal(&store, fritz, "D1", 10_000.0, "EUR", "qualification", at(3, 10));
    store.move_deal(d1, "won", None, at(3, 15)).unwrap();
    deal(&store, fritz, "D2", 5_000.0, "EUR", "proposal", at(3, 11));
    let d3 = deal(&store, fritz, "D3", 2_000.0, "EUR", "proposal", at(3, 11));
    store.move_deal(d3, "lost", Some("Preis"), at(3, 16)).unwrap();
    deal(&store, fritz, "D4", 3_000.0, "EUR", "negotiation", at(3, 12));
    deal(&store, fritz, "D5", 1_000.0, "USD", "qualification", at(3, 12));
    let d6 = deal(&store, fritz, "D6", 4_000.0, "EUR", "needs_analysis", at(3, 12));
    store.move_deal(d6, "won", None, at(4, 2)).unwrap();

    activity(&store, anna, ActivityKind::Call, Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap());
    activity(&store, anna, ActivityKind::Email, at(3, 4));
    activity(&store, anna, ActivityKind::Call, at(3, 10));
    // 01:30 on Monday 30 March in Berlin (summer time), still Sunday in UTC.
    activity(&store, anna, ActivityKind::Meeting, Utc.with_ymd_and_hms(2026, 3, 29, 23, 30, 0).unwrap());
    activity(&store, bert, ActivityKind::Note, Utc.with_ymd_and_hms(2026, 2, 27, 9, 0, 0).unwrap());

    let task =
        |title: &str, due: &str| TaskInput { title: title.into(), due: due.into(), ..Default::default() };
    store.create_task(task("T1", "2026-03-20"), Berlin, at(3, 1)).unwrap();
    store.create_task(task("T2", "2026-04-20"), Berlin, at(3, 1)).unwrap();
    let t3 = store.create_task(task("T3", "2026-03-05"), Berlin, at(3, 1)).unwrap();
    store.complete_task(t3.id, Berlin, at(3, 5)).unwrap();
    (dir, store)
}

fn report(store: &Store, kind: ReportKind, period: Period) -> Report {
    store.report(kind, &period, Berlin, now()).unwrap()
}

fn funnel(store: &Store, p: Period) -> Funnel {
    match report(store, ReportKind::Funnel, p) {
        Report::Funnel(f) => f,
        other => panic!("{other:?}"),
    }
}

#[test]
fn funnel_counts_at_the_end_and_entries_in_the_period() {
    let (_d, store) = data();
    let f = funnel(&store, march());
    let got: Vec<(Stage, u32, u32)> = f.stages.iter().map(|s| (s.stage, s.count, s.entered)).collect();
    assert_eq!(
        got,
        [
            (Stage::Lead, 1, 4),
            (Stage::Prospect, 1, 2),
            (Stage::Opportunity, 0, 2),
            (Stage::Customer, 2, 2),
            (Stage::Disqualified, 1, 1),
        ]
    );
    // Open period: everyone as of now.
    let all = funnel(&store, Period::default());
    assert_eq!(all.stages[0].count, 2, "Dora and Emil are leads");
    let csv = Report::Funnel(f).to_csv(Language::De);
    assert!(csv.starts_with("Phase;Anzahl;Neu im Zeitraum\r\nLead;1;4\r\nInteressent;1;2\r\n"), "{csv}");
}

#[test]
fn conversion_rates_and_time_in_stage() {
    let (_d, store) = data();
    let Report::Conversion(c) = report(&store, ReportKind::Conversion, march()) else { panic!() };
    let Conversion { steps, avg_days_in_stage } = c.clone();
    let got: Vec<(Stage, Stage, u32, u32, f64)> =
        steps.iter().map(|s| (s.from, s.to, s.entered, s.converted, s.rate)).collect();
    assert_eq!(
        got,
        [
            (Stage::Lead, Stage::Prospect, 4, 2, 0.5),
            (Stage::Prospect, Stage::Opportunity, 2, 1, 0.5),
            (Stage::Opportunity, Stage::Customer, 2, 2, 1.0),
        ]
    );
    let days: Vec<(Stage, Option<f64>, u32)> =
        avg_days_in_stage.iter().map(|d| (d.stage, d.days, d.samples)).collect();
    assert_eq!(
        days,
        [
            (Stage::Lead, Some(13.0), 4), // Anna 4, Bert 10, Carl 1, Fritz 37
            (Stage::Prospect, Some(5.0), 1),
            (Stage::Opportunity, Some(7.5), 2), // Anna 10, Fritz 5
            (Stage::Customer, None, 0),
            (Stage::Disqualified, None, 0),
        ]
    );
    let csv = Report::Conversion(c).to_csv(Language::En);
    assert!(csv.contains("From,To,Entered,Converted,Rate (%)\r\nLead,Prospect,4,2,50.0\r\n"), "{csv}");
    assert!(csv.contains("Opportunity,7.5,2\r\n"), "{csv}");
}

#[test]
fn pipeline_value_win_rate_and_average_deal_size() {
    let (_d, store) = data();
    let Report::Pipeline(p) = report(&store, ReportKind::Pipeline, march()) else { panic!() };
    let eur = |amount| Money { currency: "EUR".into(), amount };
    let usd = |amount| Money { currency: "USD".into(), amount };
    let rows: Vec<(&str, u32)> = p.by_stage.iter().map(|r| (r.stage.as_str(), r.count)).collect();
    assert_eq!(rows, [("qualification", 1), ("needs_analysis", 0), ("proposal", 1), ("negotiation", 1)]);
    assert_eq!(p.by_stage[0].weighted, [usd(100.0)]);
    assert_eq!(p.by_stage[2].weighted, [eur(2500.0)]);
    assert_eq!(p.total, [eur(8000.0), usd(1000.0)]);
    assert_eq!(p.weighted, [eur(4750.0), usd(100.0)]);
    assert_eq!((p.won_count, p.lost_count, p.win_rate), (1, 1, 0.5));
    assert_eq!(p.avg_won_size, [eur(10_000.0)]);
    assert_eq!(p.won_total, [eur(10_000.0)]);
    let april = Period { from: Some(day(4, 1)), to: Some(day(4, 30)) };
    let Report::Pipeline(a) = report(&store, ReportKind::Pipeline, april) else { panic!() };
    assert_eq!((a.won_count, a.lost_count, a.win_rate), (1, 0, 1.0));
    assert_eq!(a.avg_won_size, [eur(4000.0)]);
    let PipelineReport { .. } = a;
    let csv = Report::Pipeline(p).to_csv(Language::De);
    // The stage's German name, not its key.
    assert!(csv.contains("Angebot;EUR;1;5000,00;2500,00\r\n"), "{csv}");
    assert!(!csv.contains("proposal") && !csv.contains("needs_analysis"), "{csv}");
    assert!(csv.contains("1;1;50,0;EUR;10000,00\r\n"), "{csv}");
}

#[test]
fn activities_per_local_week_by_kind() {
    let (_d, store) = data();
    let Report::Activities(a) = report(&store, ReportKind::Activities, march()) else { panic!() };
    let ActivitiesReport { weeks } = a.clone();
    let starts: Vec<NaiveDate> = weeks.iter().map(|w| w.week_start).collect();
    assert_eq!(starts, [day(2, 23), day(3, 2), day(3, 9), day(3, 16), day(3, 23), day(3, 30)]);
    let count = |i: usize, k: &str| weeks[i].counts.get(k).copied().unwrap_or(0);
    assert!(weeks[0].counts.is_empty(), "the February note is outside");
    assert_eq!((count(1, "call"), count(1, "email")), (1, 1));
    assert_eq!(count(2, "call"), 1);
    assert!(weeks[3].counts.is_empty() && weeks[4].counts.is_empty());
    assert_eq!(count(5, "meeting"), 1, "local Monday, not UTC Sunday");
    let csv = Report::Activities(a).to_csv(Language::En);
    assert!(csv.starts_with("Week of,Call,Meeting,Visit,Email,Note,Newsletter signup,"), "{csv}");
    assert!(csv.contains("\r\n2026-03-02,1,0,0,1,0,0,0,0,0,0,0,0\r\n"), "{csv}");
}

#[test]
fn lead_sources_by_conversion() {
    let (_d, store) = data();
    let Report::Sources(s) = report(&store, ReportKind::Sources, march()) else { panic!() };
    let SourcesReport { sources } = s.clone();
    let got: Vec<(&str, u32, u32, f64)> =
        sources.iter().map(|r| (r.source.as_str(), r.leads, r.customers, r.rate)).collect();
    assert_eq!(got, [("Messe", 2, 1, 0.5), ("", 1, 0, 0.0), ("Web", 1, 0, 0.0)]);
    let csv = Report::Sources(s).to_csv(Language::De);
    assert_eq!(csv, "Quelle;Leads;Kunden;Quote (%)\r\nMesse;2;1;50,0\r\n(ohne);1;0;0,0\r\nWeb;1;0;0,0\r\n");
}

#[test]
fn overdue_tasks_now_and_in_the_period() {
    let (_d, store) = data();
    let Report::Overdue(o) = report(&store, ReportKind::Overdue, Period::default()) else { panic!() };
    let OverdueReport { tasks, count } = o.clone();
    assert_eq!(count, 1);
    assert_eq!(tasks[0].title, "T1");
    let april = Period { from: Some(day(4, 1)), to: Some(day(4, 30)) };
    let Report::Overdue(none) = report(&store, ReportKind::Overdue, april) else { panic!() };
    assert_eq!(none.count, 0);
    assert!(Report::Overdue(o)
        .to_csv(Language::En)
        .starts_with("Due,Task,Priority,id\r\n2026-03-20,T1,normal,"));
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused() {
    let (_d, store) = data();
    let bad = Period { from: Some(day(3, 31)), to: Some(day(3, 1)) };
    assert_eq!(store.report(ReportKind::Funnel, &bad, Berlin, now()).unwrap_err().field(), Some("from"));
}
