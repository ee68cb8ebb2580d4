//! Deals, the pipeline, lifecycle coupling, automation, email and quotes
//! through the store, on disk, with a fixed clock.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::api;
use kontor_core::api::deals::QuoteFormat;
use kontor_core::automation::{Action, Rule, Trigger};
use kontor_core::deal::VatRate;
use kontor_core::email::render_template;
use kontor_core::{
    ActivityInput, ActivityKind, AutomationOutcome, ChangedBy, CompanyProfile, ContactInput, CriteriaUpdate,
    Deal, DealInput, Error, Language, LineItem, Money, Settings, Stage, StageChangeRequest, Store, TaskInput,
    TaskView,
};
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.set_time_zone(Berlin);
    (dir, store)
}

/// A store without automation rules (coupling tests should not make tasks).
fn quiet() -> (tempfile::TempDir, Store) {
    let (dir, store) = open();
    store.set_settings(&Settings { automation: vec![], ..Settings::default() }, t0()).unwrap();
    (dir, store)
}

fn contact(store: &Store, first: &str) -> Uuid {
    let input = ContactInput {
        first_name: first.into(),
        last_name: "Muster".into(),
        organization: Some("Acme AG".into()),
        emails: vec![format!("{}@example.de", first.to_lowercase())],
        ..Default::default()
    };
    store.create_contact(&input, ChangedBy::Hand, t0()).unwrap().id
}

fn deal(store: &Store, contact: Uuid, title: &str, value: f64, stage: Option<&str>) -> Deal {
    let input = DealInput { stage: stage.map(Into::into), ..deal_input(contact, title, value) };
    store.create_deal(&input, t0()).unwrap().value
}

fn deal_input(contact: Uuid, title: &str, value: f64) -> DealInput {
    DealInput { contact_id: contact, title: title.into(), value, ..Default::default() }
}

fn eur(amount: f64) -> Vec<Money> {
    vec![Money { currency: "EUR".into(), amount }]
}

#[test]
fn probability_defaults_per_stage_and_can_be_overridden() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let expected =
        [("qualification", 10), ("needs_analysis", 25), ("proposal", 50), ("negotiation", 75), ("won", 100)];
    for (stage, p) in expected {
        assert_eq!(deal(&store, c, stage, 100.0, Some(stage)).probability, p, "{stage}");
    }
    let own = DealInput {
        contact_id: c,
        title: "Eigene".into(),
        value: 10.0,
        stage: Some("proposal".into()),
        probability: Some(65),
        ..Default::default()
    };
    let d = store.create_deal(&own, t0()).unwrap().value;
    assert_eq!(d.probability, 65);
    assert_eq!(d.currency, "EUR");
    // Moving resets to the new stage's default.
    let moved = store.move_deal(d.id, "negotiation", None, t0()).unwrap();
    assert_eq!(moved.value.deal.probability, 75);
    let err = store.create_deal(&DealInput { stage: Some("nope".into()), ..own.clone() }, t0()).unwrap_err();
    assert_eq!(err.field(), Some("stage"));
}

#[test]
fn value_can_come_from_line_items() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let input = DealInput {
        contact_id: c,
        title: "Anlage".into(),
        value: 0.0,
        line_items: vec![
            LineItem {
                product: "Pumpe".into(),
                quantity: 2.0,
                unit_price: 1000.0,
                discount_percent: 10.0,
                vat: VatRate::Reduced,
            },
            LineItem {
                product: "Montage".into(),
                quantity: 3.5,
                unit_price: 80.0,
                discount_percent: 0.0,
                vat: VatRate::Reduced,
            },
        ],
        value_from_items: true,
        ..Default::default()
    };
    let d = store.create_deal(&input, t0()).unwrap().value;
    assert_eq!(d.value, 2080.0);
    assert_eq!(store.deal(d.id).unwrap(), d);
}

#[test]
fn pipeline_sums_and_weighted_sums_per_stage_and_currency() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    deal(&store, c, "A", 1000.0, Some("qualification")); // weighted 100
    deal(&store, c, "B", 2000.0, Some("proposal")); // 1000
    deal(&store, c, "C", 333.33, Some("proposal")); // 166.665 → 166.67 (rounded per deal)
    let usd = DealInput {
        contact_id: c,
        title: "D".into(),
        value: 500.0,
        currency: "usd".into(),
        stage: Some("negotiation".into()),
        ..Default::default()
    };
    store.create_deal(&usd, t0()).unwrap(); // 375 USD
    deal(&store, c, "E", 900.0, Some("won"));
    let board = store.pipeline(t0()).unwrap();
    let col = |key: &str| board.columns.iter().find(|c| c.stage.key == key).unwrap();
    assert_eq!(board.columns.len(), 6);
    assert_eq!(col("proposal").count, 2);
    assert_eq!(col("proposal").total, eur(2333.33));
    assert_eq!(col("proposal").weighted, eur(1166.67));
    assert_eq!(col("negotiation").total, vec![Money { currency: "USD".into(), amount: 500.0 }]);
    assert_eq!(col("won").total, eur(900.0));
    // Open pipeline only, per currency.
    assert_eq!(
        board.total,
        vec![
            Money { currency: "EUR".into(), amount: 3333.33 },
            Money { currency: "USD".into(), amount: 500.0 }
        ]
    );
    assert_eq!(
        board.weighted,
        vec![
            Money { currency: "EUR".into(), amount: 1266.67 },
            Money { currency: "USD".into(), amount: 375.0 }
        ]
    );
    assert_eq!(store.deals(Some("proposal")).unwrap().len(), 2);
    assert_eq!(store.deals(None).unwrap().len(), 5);
}

#[test]
fn board_marks_missing_next_step_and_rotting_deals() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let d = deal(&store, c, "A", 1000.0, Some("qualification")); // rotting after 14 days
    let with_step = DealInput {
        contact_id: c,
        title: "B".into(),
        value: 1.0,
        stage: Some("proposal".into()),
        next_step: Some("Demo zeigen".into()),
        ..Default::default()
    };
    store.create_deal(&with_step, t0()).unwrap();
    let card = |now| {
        let board = store.pipeline(now).unwrap();
        board.columns.into_iter().flat_map(|c| c.deals).find(|c| c.deal.id == d.id).unwrap()
    };
    let c15 = card(t0() + Duration::days(15));
    assert!(c15.rotting && c15.no_next_step);
    assert_eq!(c15.days_idle, Some(15));
    assert!(!card(t0() + Duration::days(14)).rotting, "14 days is not more than 14");
    // An activity on the contact resets the idle time.
    let call = ActivityInput {
        kind: ActivityKind::Call,
        at: None,
        summary: None,
        text: None,
        outcome: None,
        concerns: None,
    };
    store.log_activity(c, call, t0() + Duration::days(10)).unwrap();
    let later = card(t0() + Duration::days(15));
    assert_eq!(later.days_idle, Some(5));
    assert!(!later.rotting);
    let board = store.pipeline(t0()).unwrap();
    let b = board.columns.iter().flat_map(|c| &c.deals).find(|c| c.deal.title == "B").unwrap();
    assert!(!b.no_next_step);
    assert_eq!(b.contact_name, "Anna Muster");
}

#[test]
fn open_deal_makes_an_opportunity_and_won_a_customer_by_rule() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let d = deal(&store, c, "Anlage", 1000.0, None);
    assert_eq!(d.stage, "qualification");
    let contact = store.contact(c, t0()).unwrap();
    assert_eq!(contact.stage, Stage::Opportunity, "lead → opportunity, forced by rule");
    let last = contact.stage_history.last().unwrap();
    assert_eq!((last.from, last.to, last.by), (Some(Stage::Lead), Stage::Opportunity, ChangedBy::Rule));
    assert!(last.reason.as_deref().unwrap().contains("Anlage"));
    assert!(d.organization_id.is_some() && d.organization_id == contact.organization_id);

    let won = store.move_deal(d.id, "won", None, t0() + Duration::days(3)).unwrap();
    assert_eq!(won.value.contact.stage, Stage::Customer);
    assert_eq!(won.value.contact.stage_history.last().unwrap().by, ChangedBy::Rule);
    assert_eq!(won.value.deal.probability, 100);
    let summary = store.contact_deal_summary(c).unwrap();
    assert_eq!((summary.open, summary.won, summary.repeat_customer), (0, 1, false));

    // A second won deal: repeat customer, no further stage change.
    let second = deal(&store, c, "Wartung", 200.0, None);
    assert_eq!(store.contact(c, t0()).unwrap().stage, Stage::Customer, "customers stay customers");
    let history_len = store.contact(c, t0()).unwrap().stage_history.len();
    store.move_deal(second.id, "won", None, t0()).unwrap();
    let summary = store.contact_deal_summary(c).unwrap();
    assert_eq!((summary.won, summary.repeat_customer), (2, true));
    assert_eq!(store.contact(c, t0()).unwrap().stage_history.len(), history_len);
}

#[test]
fn losing_all_open_deals_returns_to_prospect_and_lost_needs_a_reason() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let a = deal(&store, c, "A", 100.0, None);
    let b = deal(&store, c, "B", 100.0, None);
    let err = store.move_deal(a.id, "lost", None, t0()).unwrap_err();
    assert!(matches!(err, Error::DealReasonRequired { .. }));
    assert_eq!(err.code().as_str(), "reason_required");
    assert_eq!(store.deal(a.id).unwrap().stage, "qualification", "nothing written");
    let first = store.move_deal(a.id, "lost", Some("zu teuer"), t0()).unwrap();
    assert_eq!(first.value.deal.lost_reason.as_deref(), Some("zu teuer"));
    assert_eq!(first.value.deal.probability, 0);
    assert_eq!(first.value.contact.stage, Stage::Opportunity, "B is still open");
    let second = store.move_deal(b.id, "lost", Some("Wettbewerber"), t0()).unwrap();
    assert_eq!(second.value.contact.stage, Stage::Prospect);
    let last = second.value.contact.stage_history.last().unwrap();
    assert_eq!((last.from, last.by), (Some(Stage::Opportunity), ChangedBy::Rule));
    assert_eq!(second.value.deal.stage_history.len(), 2);
    assert_eq!(second.value.deal.stage_history[1].reason.as_deref(), Some("Wettbewerber"));
    // Reopening makes it an opportunity again; unknown stages are refused.
    let reopened = store.move_deal(b.id, "proposal", None, t0()).unwrap();
    assert_eq!(reopened.value.contact.stage, Stage::Opportunity);
    assert_eq!(reopened.value.deal.lost_reason, None);
    assert_eq!(store.move_deal(b.id, "gewonnen", None, t0()).unwrap_err().field(), Some("stage"));
}

#[test]
fn disqualified_contacts_are_never_changed_by_deals() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let dq = StageChangeRequest { to: Stage::Disqualified, reason: Some("kein Budget".into()), force: false };
    store.change_stage(c, &dq, ChangedBy::Hand, t0()).unwrap();
    let d = deal(&store, c, "A", 100.0, None);
    store.move_deal(d.id, "won", None, t0()).unwrap();
    let contact = store.contact(c, t0()).unwrap();
    assert_eq!(contact.stage, Stage::Disqualified);
    assert_eq!(contact.stage_history.len(), 2);
}

#[test]
fn update_delete_reassign_and_erase_keep_the_indexes_right() {
    let (_d, store) = quiet();
    let anna = contact(&store, "Anna");
    let bert = contact(&store, "Bert");
    let d = deal(&store, anna, "A", 100.0, None);
    let input = DealInput {
        contact_id: anna,
        title: "A2".into(),
        value: 150.0,
        stage: Some("proposal".into()),
        probability: Some(40),
        next_step: Some("Anrufen".into()),
        ..Default::default()
    };
    let updated = store.update_deal(d.id, &input, t0()).unwrap().value;
    assert_eq!((updated.stage.as_str(), updated.probability, updated.value), ("proposal", 40, 150.0));
    assert!(store.deals(Some("qualification")).unwrap().is_empty());
    assert_eq!(store.deals(Some("proposal")).unwrap().len(), 1);
    assert_eq!(store.reassign_deals(anna, bert, t0()).unwrap().value, 1);
    assert!(store.contact_deals(anna).unwrap().is_empty());
    assert_eq!(store.contact_deals(bert).unwrap()[0].title, "A2");
    assert_eq!(store.contact(bert, t0()).unwrap().stage, Stage::Opportunity);
    store.erase_person(bert, t0()).unwrap();
    assert!(matches!(store.contact(bert, t0()), Err(Error::NotFound { .. })), "erased with the deal");
    assert!(store.deals(None).unwrap().is_empty());
    assert!(store.deals(Some("proposal")).unwrap().is_empty());
    let e = deal(&store, anna, "E", 1.0, None);
    store.delete_deal(e.id, t0()).unwrap();
    assert!(matches!(store.deal(e.id), Err(Error::NotFound { .. })));
    assert!(store.contact_deals(anna).unwrap().is_empty());
}

#[test]
fn settings_refuse_dropping_a_stage_in_use() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    deal(&store, c, "A", 1.0, Some("proposal"));
    let mut s = store.settings();
    s.deal_stages.retain(|st| st.key != "proposal");
    assert_eq!(store.set_settings(&s, t0()).unwrap_err().field(), Some("deal_stages"));
    let mut s = store.settings();
    s.deal_stages.retain(|st| st.key != "needs_analysis");
    store.set_settings(&s, t0()).unwrap();
}

// --- automation ---

fn rules(store: &Store, rules: Vec<Rule>) {
    store.set_settings(&Settings { automation: rules, ..Settings::default() }, t0()).unwrap();
}

fn rule(id: &str, trigger: Trigger, action: Action) -> Rule {
    Rule { id: id.into(), enabled: true, trigger, action }
}

fn tasks_created(outcomes: &[AutomationOutcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            AutomationOutcome::TaskCreated { task } => Some(task.title.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn default_rules_create_first_call_and_referral_tasks() {
    let (_d, store) = open();
    let c = contact(&store, "Anna");
    let to_prospect = StageChangeRequest { to: Stage::Prospect, reason: None, force: false };
    let outcomes = store.change_stage(c, &to_prospect, ChangedBy::Hand, t0()).unwrap().automation;
    assert_eq!(tasks_created(&outcomes), ["Erstgespräch führen: Anna Muster"]);
    let AutomationOutcome::TaskCreated { task } = &outcomes[0] else { panic!() };
    assert!(task.all_day);
    assert_eq!(task.due.with_timezone(&Berlin).date_naive(), NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
    assert_eq!(task.contact_id, Some(c));
    let again = store.set_criteria(c, &CriteriaUpdate::default(), t0()).unwrap();
    assert!(again.automation.is_empty(), "outcomes belong to the mutation that fired them");

    let d = deal(&store, c, "Anlage", 1000.0, None);
    let won = store.move_deal(d.id, "won", None, t0()).unwrap();
    let titles = tasks_created(&won.automation);
    assert_eq!(titles, ["Nach Empfehlung fragen: Anna Muster"]);
    let AutomationOutcome::TaskCreated { task } = &won.automation[0] else { panic!() };
    assert_eq!(task.deal_id, Some(d.id));
    assert_eq!(task.due.with_timezone(&Berlin).date_naive(), NaiveDate::from_ymd_opt(2026, 3, 16).unwrap());
    assert_eq!(store.contact_tasks(c).unwrap().len(), 2);

    // English settings switch the shipped rules' titles.
    let s = Settings { language: Some(Language::En), ..store.settings() };
    let saved = store.set_settings(&s, t0()).unwrap().value;
    let Action::CreateTask { title, .. } = &saved.automation[0].action else { panic!() };
    assert_eq!(title, "First call: {display_name}");
}

#[test]
fn each_trigger_fires_its_rule() {
    let (_d, store) = open();
    let c = contact(&store, "Anna");
    let notify = |m: &str| Action::Notify { message: m.into() };
    rules(
        &store,
        vec![
            rule(
                "stage",
                Trigger::ContactStageChanged { to: Stage::Opportunity },
                notify("opp {first_name}"),
            ),
            rule(
                "deal",
                Trigger::DealStageChanged { to: "proposal".into() },
                notify("proposal {deal_title}"),
            ),
            rule("won", Trigger::DealWon, notify("won {deal_value}")),
            rule("task", Trigger::TaskCompleted, notify("done")),
            rule("score", Trigger::ScoreCrossed { threshold: 10 }, notify("score {display_name}")),
            rule("off", Trigger::DealWon, Action::Notify { message: "never".into() }),
        ],
    );
    let mut s = store.settings();
    s.automation[5].enabled = false;
    store.set_settings(&s, t0()).unwrap();
    let notices = |o: &[AutomationOutcome]| -> Vec<String> {
        o.iter()
            .filter_map(|o| match o {
                AutomationOutcome::Notice { message } => Some(message.clone()),
                _ => None,
            })
            .collect()
    };
    // Contact stage changed by rule (deal coupling) fires too.
    let d = store.create_deal(&deal_input(c, "Anlage", 1234.5), t0()).unwrap();
    assert_eq!(notices(&d.automation), ["opp Anna"]);
    let d = d.value;
    let moved = store.move_deal(d.id, "proposal", None, t0()).unwrap();
    assert_eq!(notices(&moved.automation), ["proposal Anlage"]);
    let won = store.move_deal(d.id, "won", None, t0()).unwrap();
    assert_eq!(notices(&won.automation), ["won 1.234,50 €"]);
    // Score: budget yes gives fit points; crossing 10 fires once.
    let update = CriteriaUpdate { budget: Some(kontor_core::Answer::Yes), ..Default::default() };
    let crossed = store.set_criteria(c, &update, t0()).unwrap();
    assert_eq!(notices(&crossed.automation), ["score Anna Muster"]);
    let above = store
        .set_criteria(c, &CriteriaUpdate { need: Some(kontor_core::Answer::Yes), ..Default::default() }, t0())
        .unwrap();
    assert!(above.automation.is_empty(), "already above");
    let task = store
        .create_task(
            TaskInput { title: "X".into(), due: "2026-03-05".into(), ..Default::default() },
            Berlin,
            t0(),
        )
        .unwrap();
    let done = store.complete_task(task.id, Berlin, t0()).unwrap();
    assert_eq!(notices(&done.automation), ["done"]);
    let twice = store.complete_task(task.id, Berlin, t0()).unwrap();
    assert!(twice.automation.is_empty(), "done twice fires once");
}

#[test]
fn propose_stage_action_proposes_and_never_changes_the_stage() {
    let (_d, store) = open();
    let c = contact(&store, "Anna");
    rules(
        &store,
        vec![rule(
            "p",
            Trigger::ContactStageChanged { to: Stage::Prospect },
            Action::ProposeStage { to: Stage::Opportunity },
        )],
    );
    let req = StageChangeRequest { to: Stage::Prospect, reason: None, force: false };
    let changed = store.change_stage(c, &req, ChangedBy::Hand, t0()).unwrap();
    assert_eq!(
        changed.automation,
        [AutomationOutcome::Proposed { contact_id: c, stage: Stage::Opportunity }]
    );
    assert_eq!(store.contact(c, t0()).unwrap().stage, Stage::Prospect);
}

#[test]
fn rules_that_would_loop_run_once() {
    let (_d, store) = open();
    let c = contact(&store, "Anna");
    // Task done ⇒ new task; stage ⇒ task; deal won ⇒ task: none of the
    // actions fires another rule.
    rules(
        &store,
        vec![
            rule("t", Trigger::TaskCompleted, Action::CreateTask { title: "again".into(), due_in_days: 0 }),
            rule(
                "s",
                Trigger::ContactStageChanged { to: Stage::Customer },
                Action::CreateTask { title: "cust".into(), due_in_days: 1 },
            ),
            rule("w", Trigger::DealWon, Action::CreateTask { title: "won {unknown}".into(), due_in_days: 1 }),
            rule(
                "p",
                Trigger::ContactStageChanged { to: Stage::Customer },
                Action::ProposeStage { to: Stage::Customer },
            ),
        ],
    );
    let d = deal(&store, c, "A", 1.0, None);
    let won = store.move_deal(d.id, "won", None, t0()).unwrap();
    assert_eq!(tasks_created(&won.automation), ["cust", "won {unknown}"]);
    assert_eq!(won.automation.len(), 2, "no proposal of the stage it has: {:?}", won.automation);
    let open = store.tasks(TaskView::Open, Berlin, t0()).unwrap();
    assert_eq!(open.len(), 2);
    let done = store.complete_task(open[0].id, Berlin, t0()).unwrap();
    assert_eq!(tasks_created(&done.automation), ["again"]);
    assert_eq!(store.tasks(TaskView::Open, Berlin, t0()).unwrap().len(), 2, "one made, one done");
}

// --- email and quotes ---

#[test]
fn email_template_fills_placeholders_and_encodes_the_mailto() {
    let (_d, store) = quiet();
    let c = contact(&store, "Jörg");
    let d = deal(&store, c, "Pumpe & Co", 1234.5, None);
    let settings = store.settings();
    let de = settings.email_templates.iter().find(|t| t.id == "follow_up_de").unwrap();
    let contact = store.contact(c, t0()).unwrap();
    let mail = render_template(de, &contact, Some(&d), Language::De);
    assert_eq!(mail.to, "jörg@example.de");
    assert_eq!(mail.subject, "Unser Gespräch: Pumpe & Co");
    assert!(mail.body.starts_with("Hallo Jörg Muster,\n\n"));
    assert!(mail.body.contains("Pumpe & Co (1.234,50 €) für Acme AG"));
    assert!(mail.mailto.starts_with("mailto:j%C3%B6rg@example.de?subject=Unser%20Gespr%C3%A4ch%3A%20Pumpe%20%26%20Co&body=Hallo%20J%C3%B6rg%20Muster%2C%0D%0A%0D%0A"));
    assert!(!mail.mailto.contains('\n') && !mail.mailto.contains(' '));
    let en = store.render_email("follow_up_en", c, Some(d.id), t0()).unwrap();
    assert!(en.body.contains("(€1,234.50)"), "{}", en.body);
    let (activity, _) = store.log_email_sent(c, &mail, t0()).unwrap().value;
    assert_eq!(activity.kind, ActivityKind::Email);
    assert_eq!(activity.summary.as_deref(), Some("Unser Gespräch: Pumpe & Co"));
    assert!(matches!(store.render_email("nope", c, None, t0()), Err(Error::NotFound { .. })));
}

fn company() -> CompanyProfile {
    CompanyProfile {
        name: "Vertrieb <Nord> GmbH".into(),
        address: "Hafenstr. 1\n20457 Hamburg".into(),
        vat_id: "DE123456789".into(),
        bank_name: "Hamburger Sparkasse".into(),
        iban: "de89370400440532013000".into(),
        bic: "HASPDEHHXXX".into(),
        ..Default::default()
    }
}

#[test]
fn quotes_are_numbered_per_year_escaped_and_logged() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let mut s = store.settings();
    s.company = company();
    store.set_settings(&s, t0()).unwrap();
    let input = DealInput {
        contact_id: c,
        title: "<script>alert(1)</script>".into(),
        line_items: vec![LineItem {
            product: "Pumpe \"XL\" & Zubehör".into(),
            quantity: 2.0,
            unit_price: 617.25,
            discount_percent: 0.0,
            vat: VatRate::Standard,
        }],
        value_from_items: true,
        close_date: Some("2026-02-27".parse().unwrap()),
        ..Default::default()
    };
    let d = store.create_deal(&input, t0()).unwrap().value;
    let q1 = store.create_quote(d.id, Language::De, t0()).unwrap().value;
    let q2 = store.create_quote(d.id, Language::En, t0()).unwrap().value;
    assert_eq!((q1.number.as_str(), q2.number.as_str()), ("A-2026-0001", "A-2026-0002"));
    let next_year = Utc.with_ymd_and_hms(2027, 1, 2, 9, 0, 0).unwrap();
    assert_eq!(store.create_quote(d.id, Language::De, next_year).unwrap().value.number, "A-2027-0001");
    let html = &q1.html;
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in [
        "Angebot",
        "Pos.",
        "Menge",
        "Einzelpreis",
        "Rabatt",
        "Gesamt",
        "Nettobetrag",
        "1.234,50 €",
        "617,25 €",
        "USt. 19 % (auf 1.234,50 €)",
        "234,56 €",
        "Gesamtbetrag (brutto)",
        "1.469,06 €",
        "IBAN DE89 3704 0044 0532 0130 00",
        "Gültig bis",
        "@media print",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("27.02.2026"), "the deal's expected close date is internal");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Pumpe &quot;XL&quot; &amp; Zubehör"));
    assert!(html.contains("Vertrieb &lt;Nord&gt; GmbH"));
    assert!(!html.contains("<script"));
    assert!(
        q2.html.contains("€1,234.50") && q2.html.contains("Net amount") && q2.html.contains("Total (gross)")
    );
    assert_eq!(store.deal(d.id).unwrap().quotes.len(), 3);
    let timeline = store.list_activities(c, &Default::default()).unwrap();
    assert!(timeline.items.iter().any(|a| a.summary.as_deref() == Some("Angebot A-2026-0001 erstellt")));
}

#[test]
fn a_quote_needs_the_company_name_address_vat_id_and_bank_account() {
    let (_d, store) = quiet();
    let c = contact(&store, "Anna");
    let d = deal(&store, c, "Wartung", 1000.0, None);
    let err = store.create_quote(d.id, Language::De, t0()).unwrap_err();
    assert!(
        matches!(&err, Error::CompanyIncomplete(m) if m == &["name", "address", "vat_id", "iban"]),
        "{err:?}"
    );
    assert_eq!(err.field(), Some("company.name"));
    let mut s = store.settings();
    s.company = CompanyProfile { iban: String::new(), ..company() };
    store.set_settings(&s, t0()).unwrap();
    let err = store.create_quote(d.id, Language::De, t0()).unwrap_err();
    assert!(matches!(&err, Error::CompanyIncomplete(m) if m == &["iban"]), "{err:?}");
    assert!(store.deal(d.id).unwrap().quotes.is_empty(), "nothing was written");
    // A mistyped IBAN is refused when the settings are saved.
    s.company.iban = "DE89 3704 0044 0532 0130 01".into();
    let err = store.set_settings(&s, t0()).unwrap_err();
    assert!(matches!(err, Error::InvalidSettings { field: "company.iban", .. }), "{err:?}");
    s.company.iban = "DE89 3704 0044 0532 0130 00".into();
    store.set_settings(&s, t0()).unwrap();
    assert_eq!(store.create_quote(d.id, Language::De, t0()).unwrap().value.number, "A-2026-0001");
}

/// The text `pdftotext` (poppler, as PDF viewers read it) finds in a PDF.
fn pdf_text(bytes: &[u8], name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by setup.sh)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "the PDF has errors: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_quote_is_a_pdf_with_net_vat_per_rate_gross_and_the_reverse_charge_note() {
    let (_d, store) = quiet();
    let c = contact(&store, "Jörg");
    let mut s = store.settings();
    s.company = company();
    store.set_settings(&s, t0()).unwrap();
    let item = |product: &str, quantity: f64, unit_price: f64, vat: VatRate| LineItem {
        product: product.into(),
        quantity,
        unit_price,
        discount_percent: 0.0,
        vat,
    };
    let mut items = vec![
        item("Kühlzelle „Nord“ (Montage)", 1.0, 1000.0, VatRate::Standard),
        item("Fachbuch Kältetechnik", 2.0, 50.0, VatRate::Reduced),
        item("Wartung in Österreich", 1.0, 200.0, VatRate::ReverseCharge),
    ];
    // Enough positions for a second page.
    items.extend((1..=40).map(|i| item(&format!("Ersatzteil {i}"), 1.0, 1.0, VatRate::Standard)));
    let input = DealInput {
        contact_id: c,
        title: "Kühlhaus Süd".into(),
        line_items: items,
        value_from_items: true,
        ..Default::default()
    };
    let d = store.create_deal(&input, t0()).unwrap().value;
    let q = store.create_quote(d.id, Language::De, t0()).unwrap().value;
    let (name, pdf) = api::deals::quote_file(&store, d.id, q.id, QuoteFormat::Pdf).unwrap();
    assert_eq!(name, "A-2026-0001.pdf");
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let text = pdf_text(&pdf, &name);
    // Net 1,340; 19 % on 1,040 = 197.60; 7 % on 100 = 7.00; gross 1,544.60.
    for needle in [
        "Vertrieb <Nord> GmbH",
        "Angebot: Kühlhaus Süd",
        "Jörg Muster",
        "Kühlzelle „Nord“ (Montage)",
        "Nettobetrag",
        "USt. 19 % auf 1.040,00 €",
        "197,60 €",
        "USt. 7 % auf 100,00 €",
        "7,00 €",
        "USt. 0 % (Reverse Charge) auf 200,00 €",
        "Gesamtbetrag (brutto)",
        "1.544,60 €",
        "Steuerschuldnerschaft des Leistungsempfängers",
        "IBAN DE89 3704 0044 0532 0130 00",
        "USt-IdNr. DE123456789",
        "Seite 1 von 2",
        "Seite 2 von 2",
        "Ersatzteil 40",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let (_, html) = api::deals::quote_file(&store, d.id, q.id, QuoteFormat::Html).unwrap();
    assert!(String::from_utf8(html).unwrap().contains("Steuerschuldnerschaft"));
    // In English.
    let en = store.create_quote(d.id, Language::En, t0()).unwrap().value;
    let (_, pdf) = api::deals::quote_file(&store, d.id, en.id, QuoteFormat::Pdf).unwrap();
    let text = pdf_text(&pdf, "en.pdf");
    for needle in [
        "Quote: Kühlhaus Süd",
        "VAT 19 % on €1,040.00",
        "Total (gross)",
        "€1,544.60",
        "Reverse charge",
        "Page 2 of 2",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn paused_automation_runs_no_rules_and_demo_data_makes_no_tasks() {
    let (_d, store) = open();
    let c = contact(&store, "Anna");
    let paused = {
        let _pause = store.pause_automation();
        let req = StageChangeRequest { to: Stage::Prospect, reason: None, force: false };
        store.change_stage(c, &req, ChangedBy::Hand, t0()).unwrap()
    };
    assert!(paused.automation.is_empty());
    kontor_core::demo::load_demo_data(&store, t0()).unwrap();
    assert!(store.tasks(TaskView::Open, Berlin, t0()).unwrap().is_empty());
    let d = deal(&store, c, "A", 1.0, None);
    assert_eq!(tasks_created(&store.move_deal(d.id, "won", None, t0()).unwrap().automation).len(), 1);
}

#[test]
fn a_task_about_a_deal_is_about_its_contact_and_outlives_the_deal() {
    let (_dir, store) = quiet();
    let anna = contact(&store, "Anna");
    let ben = contact(&store, "Ben");
    let d = deal(&store, anna, "Rahmenvertrag", 1000.0, None);
    let about = |contact_id, deal_id| TaskInput {
        title: "Angebot nachfassen".into(),
        due: "2026-03-05".into(),
        contact_id,
        deal_id,
        ..Default::default()
    };
    let task = store.create_task(about(None, Some(d.id)), Berlin, t0()).unwrap();
    assert_eq!((task.contact_id, task.deal_id), (Some(anna), Some(d.id)), "the deal's contact");
    let err = store.create_task(about(Some(ben), Some(d.id)), Berlin, t0()).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "deal_id", .. }), "{err:?}");
    let err = store.create_task(about(None, Some(Uuid::nil())), Berlin, t0()).unwrap_err();
    assert!(matches!(err, Error::NotFound { kind: "deal", .. }), "{err:?}");
    let err = store.update_task(task.id, about(Some(ben), Some(d.id)), Berlin, t0()).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "deal_id", .. }), "{err:?}");

    store.delete_deal(d.id, t0()).unwrap();
    let kept = store.task(task.id).unwrap();
    assert_eq!((kept.contact_id, kept.deal_id), (Some(anna), None));
}

#[test]
fn without_a_chosen_language_rules_write_in_the_os_language() {
    let (_d, store) = open();
    store.set_fallback_language(Language::En);
    assert_eq!(store.language(), Language::En);
    let c = contact(&store, "Anna");
    let d = deal(&store, c, "Anlage", 1000.0, None);
    let won = store.move_deal(d.id, "won", None, t0()).unwrap();
    assert_eq!(tasks_created(&won.automation), ["Ask for a referral: Anna Muster"]);
    // A language chosen in the settings wins over the OS's.
    let saved = store
        .set_settings(&Settings { language: Some(Language::De), ..store.settings() }, t0())
        .unwrap()
        .value;
    assert!(saved
        .automation
        .iter()
        .any(|r| matches!(&r.action, Action::CreateTask { title, .. } if title.starts_with("Erstgespräch"))));
    assert_eq!(store.language(), Language::De);
}
